// One VM, start to end: a fresh kernel and a fresh instance of the (already compiled) module.
// Synchronous: the guest owns the worker's thread until it ends.
import type { VmRequest, VmResult } from '../contract/protocol.js';
import type { ChannelReport } from '../contract/report.js';
import { type Hasher, Kernel, KernelConfigError, realClock, seededRandom, virtualClock } from '../kernel/index.js';
import type { OutputBatcher } from './output.js';

const MAX_RANDOM_CHUNK = 65536; // getRandomValues' limit per call

function cryptoRandom(buf: Uint8Array): void {
  for (let at = 0; at < buf.length; at += MAX_RANDOM_CHUNK) {
    crypto.getRandomValues(buf.subarray(at, Math.min(buf.length, at + MAX_RANDOM_CHUNK)));
  }
}

/** Imports the module asks for that the kernel does not provide, as `module.name`. */
function missingImports(module: WebAssembly.Module, imports: WebAssembly.Imports): string[] {
  return WebAssembly.Module.imports(module)
    .filter((i) => !(i.module in imports) || !(i.name in (imports[i.module] as object)))
    .map((i) => `${i.module}.${i.name}`);
}

/** Why a module cannot run as a WASI command (missing imports, no _start, no memory), or null. */
function unfit(module: WebAssembly.Module, imports: WebAssembly.Imports): string | null {
  const missing = missingImports(module, imports);
  if (missing.length > 0) return `program needs imports this runtime does not provide: ${missing.join(', ')}`;
  const exports = WebAssembly.Module.exports(module);
  if (!exports.some((e) => e.name === '_start' && e.kind === 'function')) return 'program exports no _start function: it is not a WASI command';
  if (!exports.some((e) => e.name === 'memory' && e.kind === 'memory')) return 'program exports no memory';
  return null;
}

/** unfit()'s verdicts by module key: a module is checked once per worker, not once per run. */
const verdicts = new Map<string, string | null>();
const MAX_VERDICTS = 256;

function verdict(request: VmRequest, imports: WebAssembly.Imports): string | null {
  let v = verdicts.get(request.moduleKey);
  if (v === undefined) {
    if (verdicts.size >= MAX_VERDICTS) verdicts.clear();
    v = unfit(request.module, imports);
    verdicts.set(request.moduleKey, v);
  }
  return v;
}

function failure(status: 'invalid' | 'trap', message: string, partial: Partial<VmResult> = {}): VmResult {
  return { status, exitCode: null, message, channels: [], instantiateMs: 0, runMs: 0, memoryPeakBytes: 0, tail: [], ...partial };
}

/** The run's etag: one hash over every channel's etag and the exit code, so that equal runs have equal etags. */
function runEtag(hasher: Hasher, channels: ChannelReport[], exitCode: number | null): string {
  const text = `${channels.map((c) => `${c.path}=${c.etag ?? '-'}`).join('\n')}\nexit=${exitCode ?? '-'}`;
  hasher.update(new TextEncoder().encode(text));
  return hasher.digest();
}

export function runVm(request: VmRequest, output: OutputBatcher, hasher: () => Hasher): VmResult {
  let kernel: Kernel;
  try {
    kernel = new Kernel({
      args: request.args,
      env: request.env,
      fs: request.fs,
      stdin: request.stdin,
      stdout: (src, at, len) => output.write(1, src, at, len),
      stderr: (src, at, len) => output.write(2, src, at, len),
      channels: request.channels,
      hasher,
      limits: request.limits,
      ...(request.determinism.realtime
        ? { clock: realClock(), random: cryptoRandom }
        : { clock: virtualClock(BigInt(Math.trunc(request.determinism.epoch))), random: seededRandom(request.determinism.seed) }),
    });
  } catch (e) {
    if (e instanceof KernelConfigError) return failure('invalid', e.message);
    throw e;
  }

  const problem = verdict(request, kernel.imports);
  if (problem !== null) return failure('invalid', problem);

  const t0 = performance.now();
  let instance: WebAssembly.Instance;
  try {
    instance = new WebAssembly.Instance(request.module, kernel.imports);
  } catch (e) {
    return failure('invalid', `program could not be instantiated: ${(e as Error).message}`);
  }
  const t1 = performance.now();
  const memory = instance.exports.memory as WebAssembly.Memory;
  let result: VmResult;
  try {
    const exitCode = kernel.start(instance);
    result = failure('trap', '', { status: 'ok', exitCode });
  } catch (e) {
    const error = e as Error;
    result = failure('trap', error instanceof WebAssembly.RuntimeError ? error.message : `${error.name}: ${error.message}`);
  }
  result.runMs = performance.now() - t1;
  result.instantiateMs = t1 - t0;
  result.memoryPeakBytes = memory.buffer.byteLength; // linear memory never shrinks: its end size is its peak
  result.channels = kernel.channelReports();
  result.etag = runEtag(hasher(), result.channels, result.exitCode);
  return result;
}
