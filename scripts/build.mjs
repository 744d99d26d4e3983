// Builds the package into dist/ (what `npm pack` ships; `prepack` runs this):
//   index.js      the API for pages (`zerovm-web`)           ┐ ES modules, minified, with their
//   element.js    <zero-vm> (`zerovm-web/element`)           │ dependencies bundled, so a plain
//   vm-worker.js  the VM worker they start                   ┘ page can import them by URL
//   node.js       the API for Node (`zerovm-web/node`), node-worker.js its worker
//   cli.js        the `zerovm` command
//   types/        .d.ts for all three entry points
// esbuild rather than Vite's library mode: one tool for the browser and Node builds, several
// entries sharing chunks, and the worker as its own file found by a literal
// `new URL('./vm-worker.js', import.meta.url)` that every bundler recognises.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { chmod, readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);

await rm('dist/types', { recursive: true, force: true });
execFileSync('sh', ['-c', 'rm -f dist/*.js dist/*.js.map'], { stdio: 'inherit' });

/** In source the page starts the worker from its .ts entry (for Vite and the test runner); shipped, from the built file beside it. */
const shippedWorkerUrl = {
  name: 'shipped-worker-url',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]host[\\/]browser\.ts$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      const from = "new URL('../worker/browser-entry.ts', import.meta.url)";
      if (!source.includes(from)) throw new Error(`${args.path} no longer holds ${from}: update scripts/build.mjs`);
      return { contents: source.replace(from, "new URL('./vm-worker.js', import.meta.url)"), loader: 'ts' };
    });
  },
};

const common = { bundle: true, format: 'esm', minify: true, logLevel: 'warning' };
const browser = { ...common, platform: 'browser', target: 'es2022' };
const node = { ...common, platform: 'node', target: 'node20' };

await Promise.all([
  build({
    ...browser,
    entryPoints: { index: 'src/index.ts', element: 'src/elements/zero-vm.ts' },
    splitting: true,
    chunkNames: '[name]-[hash]', // beside the entries: the worker URL in a chunk is relative to it
    outdir: 'dist',
    plugins: [shippedWorkerUrl],
  }),
  // Its own chunks too (what a worker loads only when a run needs it: tar, the plugin ABI), named apart from the page's.
  build({ ...browser, entryPoints: { 'vm-worker': 'src/worker/browser-entry.ts' }, splitting: true, chunkNames: 'vm-worker-[name]-[hash]', outdir: 'dist' }),
  build({
    ...node,
    entryPoints: { node: 'src/node.ts', cli: 'src/cli/main.ts', 'node-worker': 'src/worker/node-entry.ts' },
    outdir: 'dist',
  }),
]);
await chmod('dist/cli.js', 0o755);

// Declarations for the three entry points (and what they import), from the same sources.
execFileSync(process.execPath, [fileURLToPath(import.meta.resolve('typescript/bin/tsc')), '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
