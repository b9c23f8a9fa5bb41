// Production build: bundles each app into dist/<app>/main.js as plain
// JavaScript (no tsx at run time: less memory per process), with our @farm/*
// workspace packages compiled in and npm dependencies left as imports.
// Migrations are compiled one file each into dist/migrations/ for
// MIGRATIONS_DIR. No source maps: nothing the image serves may carry source.
//
//   npm run build [-- --outdir DIR]
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { packageName, resolutionMismatches } from './bundle/package-resolution.js';
import { buildTargets, isBundledImport, workspaceDirOf } from './bundle/targets.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// The output must sit inside the repository: the bundles find their npm
// packages in the repository's node_modules, walking up from dist/<app>/.
function outRootFrom(argv: readonly string[]): string {
  const i = argv.indexOf('--outdir');
  const outRoot = i === -1 ? path.join(repoRoot, 'dist') : path.resolve(argv[i + 1] ?? 'dist');
  if (!outRoot.startsWith(repoRoot)) throw new Error(`--outdir must be inside ${repoRoot}`);
  return outRoot;
}

const common: BuildOptions = {
  absWorkingDir: repoRoot,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  plugins: [
    {
      name: 'external-npm-packages',
      setup(b) {
        // Bare specifiers are npm packages (or node: builtins) unless they are ours.
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          isBundledImport(args.path) ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
};

function externalPackages(metafile: Metafile | undefined): string[] {
  const names = Object.values(metafile?.outputs ?? {})
    .flatMap((output) => output.imports)
    .filter((imported) => imported.external)
    .map((imported) => packageName(imported.path));
  return names.filter((name): name is string => name !== undefined);
}

async function main(): Promise<number> {
  const outRoot = outRootFrom(process.argv.slice(2));
  await fs.rm(outRoot, { recursive: true, force: true });

  for (const target of buildTargets) {
    const outdir = path.join(outRoot, target.name);
    const result = await build({ ...common, entryPoints: { main: target.entry }, outdir });
    // Resolve npm packages from the app's own workspace first, as in development.
    const workspaceModules = path.join(repoRoot, workspaceDirOf(target), 'node_modules');
    await fs.symlink(path.relative(outdir, workspaceModules), path.join(outdir, 'node_modules'));
    const mismatches = resolutionMismatches(
      externalPackages(result.metafile),
      path.join(repoRoot, path.dirname(target.entry)),
      outdir,
    );
    if (mismatches.length > 0) {
      for (const m of mismatches) {
        console.error(
          `${target.name}: "${m.name}" resolves to ${m.fromBundle ?? 'nothing'} from the bundle, ${m.fromSource ?? 'nothing'} from the source`,
        );
      }
      return 1;
    }
    console.log(`built ${path.relative(repoRoot, outdir)}/main.js from ${target.entry}`);
  }

  const migrations = (await fs.readdir(path.join(repoRoot, 'migrations')))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'))
    .map((name) => path.join('migrations', name));
  await build({ ...common, entryPoints: migrations, outdir: path.join(outRoot, 'migrations') });
  console.log(`built ${migrations.length} migration(s) into ${path.relative(repoRoot, outRoot)}/migrations/`);
  return 0;
}

process.exitCode = await main();
