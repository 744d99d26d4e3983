// The VM service a worker exposes over Comlink: the same for Web Workers and worker_threads.
import * as Comlink from 'comlink';
import type { OutputListener, VmRequest, VmResult, VmService } from '../contract/protocol.js';
import { etagHashers } from './etag.js';
import { OutputBatcher } from './output.js';
import { prepareSpare, runVm } from './vm.js';

export function createVmService(): VmService {
  void etagHashers(); // loading while the page compiles the first program
  let listener: OutputListener | null = null;
  const output = new OutputBatcher((chunks, buffer) => void listener?.(Comlink.transfer(chunks, [buffer])));
  return {
    attach(l) {
      listener = l;
    },
    async run(request: VmRequest): Promise<VmResult> {
      const hashers = await etagHashers();
      output.begin(request.limits.output);
      const result = runVm(request, output, hashers);
      // Once the reply is on its way, make the next VM of this module while the worker is idle.
      if (result.status !== 'invalid') setTimeout(() => prepareSpare(request.module, request.moduleKey));
      const tail = output.take();
      const streamed = output.streamed;
      if (streamed) {
        // Output already went through the listener's port: send the rest the same way and wait,
        // so that the page has all of it before it has the result.
        await listener?.(Comlink.transfer(tail, tail.length > 0 ? [tail[0][1].buffer as ArrayBuffer] : []));
      } else {
        // Nothing streamed (a short run): the output rides with the result, saving a round trip.
        result.tail = tail;
      }
      return Comlink.transfer(result, tail.length > 0 && !streamed ? [tail[0][1].buffer as ArrayBuffer] : []);
    },
  };
}
