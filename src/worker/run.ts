// One VM, start to end: a fresh kernel and a fresh instance of the (already compiled) module.
// Synchronous: the guest owns the worker's thread until it ends.
import type { VmRequest, VmResult } from '../contract/protocol.js';
import type { ChannelReport } from '../contract/report.js';
import { type Hasher, Kernel, KernelConfigError, realClock, seededRandom, virtualClock } from '../kernel/index.js';
import type { Fitness } from './fitness.js';
import type { OutputPort } from './output.js';
import { makeVm, type Spares, type Vm } from './spare.js';

const utf8 = new TextEncoder();
const MAX_RANDOM_CHUNK = 65536; // getRandomValues' limit per call
/** stdin, stdout, stderr: the channels of a run, by index. */
const STDIO_CHANNELS = 3;

function cryptoRandom(buf: Uint8Array): void {
  for (let at = 0; at < buf.length; at += MAX_RANDOM_CHUNK) {
    crypto.getRandomValues(buf.subarray(at, Math.min(buf.length, at + MAX_RANDOM_CHUNK)));
  }
}

/** A run that ended: the guest exited with `exitCode` (ok), it trapped, or it was refused before it ran. */
function ended(status: VmResult['status'], exitCode: number | null, message = ''): VmResult {
  return { status, exitCode, message, channels: [], instantiateMs: 0, runMs: 0, memoryPeakBytes: 0, tail: [] };
}

/** The run's etag: one hash over every channel's etag and the exit code, so that equal runs have equal etags. */
function runEtag(hasher: Hasher, channels: ChannelReport[], exitCode: number | null): string {
  const text = `${channels.map((c) => `${c.path}=${c.etag ?? '-'}`).join('\n')}\nexit=${exitCode ?? '-'}`;
  hasher.update(utf8.encode(text));
  return hasher.digest();
}

/** What a worker keeps from run to run: the module checks, the spare VM, its kernel's import names. */
export interface WorkerState {
  fitness: Fitness;
  spares: Spares;
  output: OutputPort;
  hasher: () => Hasher;
}

/** The names the kernel provides, for checking a module's imports (the same for every kernel). */
let kernelImports: WebAssembly.Imports | null = null;

export function runVm(request: VmRequest, worker: WorkerState): VmResult {
  const problem = worker.fitness.check(request.module, request.moduleKey, (kernelImports ??= new Kernel().imports));
  if (problem !== null) return ended('invalid', null, problem);

  const { output, hasher } = worker;
  output.begin(STDIO_CHANNELS, request.limits.stream);
  const ready = worker.spares.take(request.moduleKey);
  const kernel = ready?.kernel ?? new Kernel();
  try {
    kernel.load({
      args: request.args,
      env: request.env,
      fs: request.fs,
      stdin: request.stdin,
      stdout: (src, at, len) => output.write(1, src, at, len),
      stderr: (src, at, len) => output.write(2, src, at, len),
      written: () => output.written(),
      channels: request.channels,
      stats: output.stats,
      hasher,
      limits: request.limits,
      ...(request.determinism.realtime
        ? { clock: realClock(), random: cryptoRandom }
        : { clock: virtualClock(BigInt(Math.trunc(request.determinism.epoch))), random: seededRandom(request.determinism.seed) }),
    });
  } catch (e) {
    if (e instanceof KernelConfigError) return ended('invalid', null, e.message);
    throw e;
  }

  let vm: Vm;
  try {
    vm = ready ?? makeVm(request.module, kernel);
  } catch (e) {
    return ended('invalid', null, `program could not be instantiated: ${(e as Error).message}`);
  }
  const memory = vm.instance.exports.memory as WebAssembly.Memory;
  let result: VmResult;
  const t1 = performance.now();
  try {
    result = ended('ok', kernel.start(vm.instance));
  } catch (e) {
    const error = e as Error;
    result = ended('trap', null, error instanceof WebAssembly.RuntimeError ? error.message : `${error.name}: ${error.message}`);
  }
  result.runMs = performance.now() - t1;
  result.instantiateMs = ready ? 0 : vm.instantiateMs; // a spare was made while the worker was idle: this run did not wait for it
  result.memoryPeakBytes = memory.buffer.byteLength; // linear memory never shrinks: its end size is its peak
  result.channels = kernel.channelReports();
  result.etag = runEtag(hasher(), result.channels, result.exitCode);
  return result;
}
