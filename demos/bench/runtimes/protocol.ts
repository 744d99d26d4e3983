// The few messages between the page and the peer workers this suite writes itself (the
// browser_wasi_shim worker and the bare, stub-import worker): a compiled module in, output and a
// result out.

export interface RunMessage {
  module: WebAssembly.Module;
  /** argv including argv[0]. */
  args: string[];
  /** Post stdout writes back to the page (else drop them in the worker). */
  capture: boolean;
}

export type WorkerReply =
  | { type: 'out'; bytes: Uint8Array }
  | { type: 'done'; exitCode: number; runMs: number }
  | { type: 'error'; message: string };

/** A worker as the runtimes see it: a Web Worker on the page, a worker_threads Worker in Node. */
export interface RunPort {
  /** Where this worker's replies go from now on (one run at a time). */
  listen(onReply: (reply: WorkerReply) => void): void;
  post(message: RunMessage): void;
  terminate(): void;
}

/** A Web Worker as a RunPort. */
export function webWorkerPort(worker: Worker): RunPort {
  return {
    listen(onReply) {
      worker.onmessage = (e: MessageEvent<WorkerReply>) => onReply(e.data);
      worker.onerror = (e) => onReply({ type: 'error', message: `worker error: ${e.message}` });
    },
    post: (message) => worker.postMessage(message),
    terminate: () => worker.terminate(),
  };
}
