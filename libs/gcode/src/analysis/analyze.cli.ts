/**
 * npm run analyze -- FILE [--json] [--thumbnails DIR]
 * Prints what the streaming analyser finds in a G-code or .bgcode file.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { GcodeAnalysisError } from './analysis-error.js';
import { summarizeAnalysis } from './analysis-summary.js';
import { analyzeFile } from './analyze-source.js';

interface CliArgs {
  file: string;
  json: boolean;
  thumbnailDir: string | null;
}

function parseArgs(argv: string[]): CliArgs | null {
  let file: string | null = null;
  let json = false;
  let thumbnailDir: string | null = null;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k] ?? '';
    if (arg === '--json') json = true;
    else if (arg === '--thumbnails') thumbnailDir = argv[++k] ?? null;
    else if (!arg.startsWith('--') && file === null) file = arg;
    else return null;
  }
  return file === null ? null : { file, json, thumbnailDir };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (!args) {
    process.stderr.write('usage: npm run analyze -- FILE [--json] [--thumbnails DIR]\n');
    return 2;
  }
  let analysis;
  try {
    analysis = await analyzeFile(args.file);
  } catch (err) {
    if (!(err instanceof GcodeAnalysisError)) throw err;
    process.stderr.write(`refused (${err.code}): ${err.message}\n`);
    return 1;
  }
  if (args.thumbnailDir !== null) {
    await mkdir(args.thumbnailDir, { recursive: true });
    const stem = basename(args.file).replace(/\.b?gcode$/i, '');
    for (const [k, t] of analysis.thumbnails.entries()) {
      const path = join(args.thumbnailDir, `${stem}-${k}-${t.width}x${t.height}.${t.format}`);
      await writeFile(path, t.data);
      if (!args.json) process.stdout.write(`wrote ${path}\n`);
    }
  }
  if (args.json) {
    const thumbnails = analysis.thumbnails.map(({ data, ...rest }) => ({ ...rest, bytes: data.length }));
    process.stdout.write(`${JSON.stringify({ ...analysis, thumbnails }, null, 2)}\n`);
  } else {
    process.stdout.write(`${summarizeAnalysis(analysis).join('\n')}\n`);
  }
  return 0;
}

process.exitCode = await main();
