// Builds the Node CLI: dist/cli.js (package bin `zerovm`) and the VM worker it starts, dist/vm-worker.js.
import { build } from 'esbuild';
import { chmod } from 'node:fs/promises';

const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'info' };
await build({ ...common, entryPoints: { cli: 'src/cli/main.ts', 'vm-worker': 'src/worker/node-entry.ts' }, outdir: 'dist' });
await chmod('dist/cli.js', 0o755);
