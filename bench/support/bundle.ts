// Benchmarks run the hosts as production does: one esbuild bundle per entry,
// plain `node`, native and Redis packages left to node_modules.
import { build } from 'esbuild';

export async function bundleForNode(entryPoints: Record<string, string>, outdir: string): Promise<void> {
  await build({
    entryPoints,
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['serialport', '@serialport/*', 'bullmq', 'ioredis', 'usb'],
    logLevel: 'warning',
  });
}
