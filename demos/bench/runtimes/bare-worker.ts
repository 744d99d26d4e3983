// The compute baseline in a worker: the module instantiated with stub imports, nothing else.
import type { RunMessage, WorkerReply } from './protocol.js';
import { runBare } from './stub-imports.js';

const reply = (m: WorkerReply) => postMessage(m);

onmessage = ({ data }: MessageEvent<RunMessage>) => {
  try {
    reply({ type: 'done', ...runBare(data.module, data.args) });
  } catch (e) {
    reply({ type: 'error', message: String(e) });
  }
};
