// The Node peers: node:wasi in a warm pool of worker_threads (the same pattern as ours), and the
// bare baseline. Their files live in a tmpfs directory per worker, so "in-memory" holds for them too.
import { mkdtempSync, rmSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { PostedModuleRuntime } from '../../../demos/bench/runtimes/posted-module.js';
import type { RunPort, WorkerReply } from '../../../demos/bench/runtimes/protocol.js';
import { programBytes } from './programs.js';

const TMP = '/dev/shm';

function threadPort(script: URL, mode: 'wasi' | 'bare'): RunPort {
  const dir = mkdtempSync(`${TMP}/zerovm-bench-`);
  const worker = new Worker(script, { workerData: { mode, dir } });
  let onReply: ((reply: WorkerReply) => void) | null = null;
  worker.on('message', (m: WorkerReply) => onReply?.(m));
  worker.on('error', (e) => onReply?.({ type: 'error', message: `worker error: ${e.message}` }));
  return {
    listen: (f) => (onReply = f),
    post: (message) => worker.postMessage(message),
    terminate() {
      void worker.terminate();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `script`: the bundled wasi-worker.ts (see bundle.ts). */
export function nodeWasiRuntime(script: URL, slots: number): PostedModuleRuntime {
  return new PostedModuleRuntime('node:wasi', slots, () => threadPort(script, 'wasi'), programBytes, [
    'in a pool of worker_threads written by the bench; stdout to /dev/null, or captured via a tmpfs file read back; files on tmpfs',
    'a tmpfs directory preopened for the file benchmark only: node:wasi leaks a descriptor per preopen per run',
  ]);
}

export function nodeBareRuntime(script: URL): PostedModuleRuntime {
  return new PostedModuleRuntime('bare', 1, () => threadPort(script, 'bare'), programBytes);
}
