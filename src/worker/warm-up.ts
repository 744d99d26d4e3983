// A worker's warm-up. V8 compiles JavaScript a function at a time, on its first call, and keeps
// no code cache for a worker's script: a fresh worker's first run paid ~5 ms compiling the kernel
// (loading, the start-up calls, writes, reports, etags), against ~0.15 ms for a warm run. So a
// worker given the warm-up guest and its request as it attaches (host/warm-up.ts) runs it once, if
// no run has come by then: its first real run then finds that code compiled. The warm-up is a run
// of its own in every part that could be seen: its own link (nothing of it reaches the host), its
// own memories and spares.
import { LINK_BYTES, sharedLink } from '../contract/link.js';
import type { VmResult, WarmUp } from '../contract/protocol.js';
import { HeldModule } from './held-module.js';
import { MessageWorkerLink } from './link-message.js';
import { SharedWorkerLink } from './link-shared.js';
import type { WorkerLink } from './link.js';
import { Memories } from './memories.js';
import { runVm, type WorkerState } from './run.js';
import { Spares } from './spare.js';

/** A link of the same kind as the worker's own, that no host reads. */
function ownLink(like: WorkerLink): { link: WorkerLink; close(): void } {
  if (like instanceof SharedWorkerLink) return { link: new SharedWorkerLink(sharedLink(new SharedArrayBuffer(LINK_BYTES))), close() {} };
  const { port1, port2 } = new MessageChannel();
  return {
    link: new MessageWorkerLink(() => undefined, port1),
    close() {
      port1.close();
      port2.close();
    },
  };
}

/** Runs the warm-up guest once on `worker`'s code, with nothing of the worker's own but its etag hasher; returns how it ended. */
export function runWarmUp(worker: WorkerState, { module, request }: WarmUp): VmResult {
  // Checked before it starts: a guest that suspended would go on with its link closed, and nobody waiting.
  if (request.mode !== 'plain') throw new Error(`the warm-up must run plain, not ${request.mode}`);
  const { link, close } = ownLink(worker.link);
  const memories = new Memories();
  const state: WorkerState = { ...worker, link, memories, spares: new Spares(memories), kept: new Map() };
  try {
    const result = runVm(request, new HeldModule(request.moduleKey, module), state);
    if (result instanceof Promise) throw new Error('the warm-up ran as a suspending guest'); // a plain run never does
    result.tail = link.end();
    link.reply({ zerovm: 'result', run: request.run, result }); // the reply's packing, into a box no host reads
    return result;
  } finally {
    close();
  }
}
