// Our runtime in Node: NodeZeroVM (the same host and worker code, on worker_threads), loaded
// from its bundle (see bundle.ts), programs by path, volumes in a directory of their own under the
// system's temporary directory (on disk, as a CLI user's would be; removed when done).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeZeroVM } from '../../../src/cli/node-host.js';
import { VmHostRuntime } from '../../../demos/bench/runtimes/vm-host-runtime.js';
import { programBytes, programPath } from './programs.js';

/** `plugin`: the plugin metrics' bytes (for the plugin section). */
export function nodeZeroVmRuntime(Host: typeof NodeZeroVM, plugin?: Uint8Array): VmHostRuntime {
  const volumes = mkdtempSync(join(tmpdir(), 'zerovm-bench-volumes-'));
  return new VmHostRuntime(() => new Host({ volumes }), { locate: programPath, bytes: programBytes }, {
    volumes: `a directory per volume under ${volumes} (each chunk, tree and HEAD fsynced)`,
    onDispose: () => rmSync(volumes, { recursive: true, force: true }),
    ...(plugin ? { plugin } : {}),
  });
}
