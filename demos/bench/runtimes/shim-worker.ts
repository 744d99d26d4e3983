// @bjorn3/browser_wasi_shim in a worker, used the way its README shows: a fresh WASI, in-memory
// preopen and instance per run, for a module compiled once on the page and posted here (the
// same pattern as ours).
import { ConsoleStdout, File, OpenFile, PreopenDirectory, WASI } from '@bjorn3/browser_wasi_shim';
import type { RunMessage, WorkerReply } from './protocol.js';

const reply = (m: WorkerReply, transfer: Transferable[] = []) => postMessage(m, { transfer });

onmessage = ({ data }: MessageEvent<RunMessage>) => {
  try {
    // Posted as a copy, not transferred: the shim reads the buffer's length after this callback
    // returns, to tell the guest how much was written (a detached buffer says 0, and libc retries forever).
    const stdout = new ConsoleStdout(data.capture ? (bytes) => reply({ type: 'out', bytes }) : () => {});
    const fds = [new OpenFile(new File([])), stdout, new ConsoleStdout(() => {}), new PreopenDirectory('/', new Map())];
    const wasi = new WASI(data.args, [], fds);
    const instance = new WebAssembly.Instance(data.module, { wasi_snapshot_preview1: wasi.wasiImport });
    const start = performance.now();
    const exitCode = wasi.start(instance as { exports: { memory: WebAssembly.Memory; _start: () => unknown } });
    reply({ type: 'done', exitCode, runMs: performance.now() - start });
  } catch (e) {
    reply({ type: 'error', message: String(e) });
  }
};
