// A worker_threads worker for the Node peers: node:wasi (stdout to /dev/null, or captured through
// a tmpfs file read back into memory; files in a tmpfs preopen), or the bare stub-import baseline.
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WASI } from 'node:wasi';
import { parentPort, workerData } from 'node:worker_threads';
import type { RunMessage, WorkerReply } from '../../../demos/bench/runtimes/protocol.js';
import { runBare } from '../../../demos/bench/runtimes/stub-imports.js';

const { mode, dir } = workerData as { mode: 'wasi' | 'bare'; dir: string };
const devNull = openSync('/dev/null', 'w');
const port = parentPort!;
const reply = (m: WorkerReply, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

function runWasi(m: RunMessage): WorkerReply {
  const captured = join(dir, '.stdout');
  const stdout = m.capture ? openSync(captured, 'w') : devNull;
  try {
    // node:wasi never closes a preopen's directory descriptor (not even once the WASI object is
    // collected): a preopen on every run exhausts the process's descriptors during churn. Only
    // the file benchmark needs one.
    const preopens = m.args[0] === 'fileio' ? { '/': dir } : {};
    const wasi = new WASI({ version: 'preview1', args: m.args, env: {}, preopens, stdout, stderr: devNull, returnOnExit: true });
    const instance = new WebAssembly.Instance(m.module, wasi.getImportObject() as WebAssembly.Imports);
    const start = performance.now();
    const exitCode = wasi.start(instance);
    const runMs = performance.now() - start;
    if (m.capture) {
      const bytes = new Uint8Array(readFileSync(captured)); // a copy with a buffer of its own, to transfer
      reply({ type: 'out', bytes }, [bytes.buffer]);
    }
    return { type: 'done', exitCode, runMs };
  } finally {
    if (m.capture) closeSync(stdout);
  }
}

port.on('message', (m: RunMessage) => {
  try {
    reply(mode === 'bare' ? { type: 'done', ...runBare(m.module, m.args) } : runWasi(m));
  } catch (e) {
    reply({ type: 'error', message: String(e) });
  }
});
