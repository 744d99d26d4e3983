// The VM service a worker exposes over Comlink: the same for Web Workers and worker_threads.
import * as Comlink from 'comlink';
import { sharedLink } from '../contract/link.js';
import type { VmRequest, VmResult, VmService } from '../contract/protocol.js';
import { etagHashers } from './etag.js';
import { Fitness } from './fitness.js';
import { MessageOutput, type Post } from './output-message.js';
import { SharedOutput } from './output-shared.js';
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
        output: link ? new SharedOutput(sharedLink(link)) : new MessageOutput(post),
        hasher: () => {
          throw new Error('etag hashers not loaded');
        },
      };
    },
    async run(request: VmRequest): Promise<VmResult> {
      if (!state) throw new Error('the worker was not attached to its host');
      state.hasher = await etagHashers();
      const result = runVm(request, state);
      // Once the reply is on its way, make the next VM of this module while the worker is idle.
      const { spares } = state;
      if (result.status !== 'invalid') setTimeout(() => spares.prepare(request.module, request.moduleKey));
      result.tail = state.output.end();
      return Comlink.transfer(result, result.tail.length > 0 ? [result.tail[0][1].buffer as ArrayBuffer] : []);
    },
  };
}
