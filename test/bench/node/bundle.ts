// Node's worker_threads cannot run .ts through tsx on Node 20 (tsx registers its hooks on the main
// thread only there), so the Node rows run bundles: our host and VM worker laid out as
// scripts/build.mjs lays them out for the CLI, and the peers' worker.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = new URL('../../../', import.meta.url);
const out = new URL('node_modules/.cache/zerovm-bench/', root);

async function bundle(entries: Record<string, URL>): Promise<void> {
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, url]) => [name, fileURLToPath(url)])),
    outdir: fileURLToPath(out),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
  });
}

/** src/cli/node-host.ts bundled, with its VM worker beside it as node-worker.js (where node-host looks for it). */
export async function bundleNodeHost(): Promise<URL> {
  await bundle({ 'node-host': new URL('src/cli/node-host.ts', root), 'node-worker': new URL('src/worker/node-entry.ts', root) });
  return new URL('node-host.js', out);
}

/** test/bench/node/wasi-worker.ts bundled. */
export async function bundlePeerWorker(): Promise<URL> {
  await bundle({ 'wasi-worker': new URL('./wasi-worker.ts', import.meta.url) });
  return new URL('wasi-worker.js', out);
}
