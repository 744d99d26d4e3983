// @extism/extism in Node, for the plugin section: the SDK's runtime (demos/bench/runtimes/extism.ts)
// in the foreground and in its worker. Its runInWorker starts a worker_threads Worker from a data:
// URL whose code ends in "//# sourceMappingURL=worker.js.map"; a worker inherits this process's
// --import tsx, tsx turns source maps on, and Node 20 then fails to load the worker ("Invalid URL",
// resolving the map against the data: URL). The SDK's worker is plain JS: data: URL workers start
// without the loader (as test/plugins/extism-runner.ts does for the tests); the bench's own
// workers (bundles, started from file URLs) are left as they are.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type * as WorkerThreads from 'node:worker_threads';
import { ExtismRuntime } from '../../../demos/bench/runtimes/extism.js';

let patched = false;

function startDataUrlWorkersWithoutLoader(): void {
  if (patched) return;
  patched = true;
  const threads = createRequire(import.meta.url)('node:worker_threads') as typeof WorkerThreads;
  const Worker = threads.Worker;
  threads.Worker = class extends Worker {
    constructor(url: string | URL, options?: WorkerThreads.WorkerOptions) {
      const data = String(url).startsWith('data:');
      super(url, data ? { ...options, execArgv: process.execArgv.filter((a) => a.startsWith('--disable-warning')) } : options);
    }
  };
  syncBuiltinESMExports();
}

export function extismRuntimes(wasm: Uint8Array): ExtismRuntime[] {
  startDataUrlWorkersWithoutLoader();
  return [new ExtismRuntime('@extism/extism', wasm, false), new ExtismRuntime('@extism/extism (worker)', wasm, true)];
}
