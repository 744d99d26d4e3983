// @bjorn3/browser_wasi_shim, in a warm pool of workers of the same size as ours; and the bare baseline.
import { programBytes } from '../programs.js';
import { PostedModuleRuntime } from './posted-module.js';
import { webWorkerPort } from './protocol.js';

export function shimRuntime(slots: number): PostedModuleRuntime {
  return new PostedModuleRuntime(
    'browser_wasi_shim',
    slots,
    () => webWorkerPort(new Worker(new URL('./shim-worker.ts', import.meta.url), { type: 'module', name: 'bench-shim' })),
    programBytes,
    ['workers and module cache written by the bench (the shim has none); stdout posted per write'],
  );
}

/** The compute baseline: the module with stub imports, no runtime. */
export function bareRuntime(): PostedModuleRuntime {
  return new PostedModuleRuntime(
    'bare',
    1,
    () => webWorkerPort(new Worker(new URL('./bare-worker.ts', import.meta.url), { type: 'module', name: 'bench-bare' })),
    programBytes,
  );
}
