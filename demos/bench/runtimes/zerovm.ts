// Our runtime as a page uses it: ZeroVM from src/index.ts, programs by URL.
import { ZeroVM } from '../../../src/index.js';
import { programBytes, programUrl } from '../programs.js';
import { VmHostRuntime } from './vm-host-runtime.js';

/** `plugin`: the plugin metrics' bytes (for the plugin section). */
export function zeroVmRuntime(options: { plugin?: Uint8Array } = {}): VmHostRuntime {
  return new VmHostRuntime(() => new ZeroVM(), { locate: programUrl, bytes: programBytes }, {
    volumes: "IndexedDB (this origin's; a commit is one transaction with durability 'strict')",
    ...options,
  });
}
