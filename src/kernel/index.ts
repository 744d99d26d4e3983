// The kernel: WASI preview1 for one VM. It imports nothing from the DOM or worker APIs, so the
// same code runs in a Web Worker and in Node.
export { Kernel, KernelConfigError, UnloadedKernelError } from './kernel.js';
export { realClock } from './real-clock.js';
export { loadKeystream, seededRandom, virtualClock } from './determinism.js';
export type { Clock, FileLoader, Hasher, KernelConfig, OutputSink } from './config.js';
export { type Backing, inlineSource, stdio } from './channel.js';
export { MAY_BLOCK, noWaiting, Suspend, type Waiter, WOULD_BLOCK } from './blocking.js';
export { Recording, Replay, ReplayDiverged, type InputEvent } from './inputs.js';
export type { KernelChannel } from './config.js';
