// The VM service a worker exposes over Comlink: the same for Web Workers and worker_threads.
import * as Comlink from 'comlink';
import { sharedLink } from '../contract/link.js';
import type { VmRequest, VmResult, VmService } from '../contract/protocol.js';
import { etagHashers } from './etag.js';
import { Fitness } from './fitness.js';
import { MessageWorkerLink, type Post } from './link-message.js';
import { SharedWorkerLink } from './link-shared.js';
import { runVm, type WorkerState } from './run.js';
import { Spares } from './spare.js';

/** `post` sends a message on the worker's own port (where Comlink's replies go too, in order). */
export function createVmService(post: Post): VmService {
  void etagHashers(); // loading while the page compiles the first program
  let state: WorkerState | null = null;
  return {
    attach(link) {
      state = {
        fitness: new Fitness(),
        spares: new Spares(),
        link: link instanceof MessagePort ? new MessageWorkerLink(post, link) : new SharedWorkerLink(sharedLink(link)),
        hasher: () => {
          throw new Error('etag hashers not loaded');
        },
      };
    },
    async run(request: VmRequest): Promise<VmResult> {
      if (!state) throw new Error('the worker was not attached to its host');
      state.hasher = await etagHashers();
      const result = await runVm(request, state);
      // Once the reply is on its way, make the next VM of this module while the worker is idle.
      const { spares } = state;
      if (result.status !== 'invalid') setTimeout(() => spares.prepare(request.module, request.moduleKey, request.mode === 'async'));
      result.tail = state.link.end();
      // The tail's one block and the volumes' changed files move to the host rather than being copied.
      const transfer = new Set<ArrayBuffer>();
      if (result.tail.length > 0) transfer.add(result.tail[0][2].buffer as ArrayBuffer);
      for (const entries of result.volumes ?? []) for (const e of entries) if (e.type === 'file' && 'data' in e) transfer.add(e.data.buffer as ArrayBuffer);
      return Comlink.transfer(result, [...transfer]);
    },
  };
}
