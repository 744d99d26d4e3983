// Our runtime in Node: NodeZeroVM (the same host and worker code, on worker_threads), loaded
// from its bundle (see bundle.ts), programs by path.
import type { NodeZeroVM } from '../../../src/cli/node-host.js';
import { VmHostRuntime } from '../../../demos/bench/runtimes/vm-host-runtime.js';
import { programBytes, programPath } from './programs.js';

export function nodeZeroVmRuntime(Host: typeof NodeZeroVM): VmHostRuntime {
  return new VmHostRuntime(() => new Host(), { locate: programPath, bytes: programBytes });
}
