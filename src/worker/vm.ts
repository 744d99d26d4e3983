// One VM, start to end: a fresh kernel and a fresh instance of the (already compiled) module.
// Synchronous: the guest owns the worker's thread until it ends.
import type { VmRequest, VmResult } from '../contract/protocol.js';
import type { ChannelReport } from '../contract/report.js';
import { type Hasher, Kernel, KernelConfigError, realClock, seededRandom, virtualClock } from '../kernel/index.js';
import type { OutputBatcher } from './output.js';

const utf8 = new TextEncoder();
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
  hasher.update(utf8.encode(text));
  return hasher.digest();
}

/** A kernel and a fresh instance against it, not yet loaded or started. */
interface Vm {
  kernel: Kernel;
  instance: WebAssembly.Instance;
  instantiateMs: number;
}

/**
 * ZeroVM's daemon mode, kept honestly: while the worker is idle it makes the next VM for the
 * module it last ran (kernel and instance, never started), so a run of that module finds its
 * instance waiting. Only for modules of modest memory, so that an idle worker holds little.
 */
let spare: { key: string; vm: Vm } | null = null;
const SPARE_MAX_MEMORY = 16 << 20;
/** Modules that cannot be made ahead (a start function that calls the kernel while instantiated). */
const notSpareable = new Set<string>();

function makeVm(module: WebAssembly.Module, kernel = new Kernel()): Vm {
  const t0 = performance.now();
  const instance = new WebAssembly.Instance(module, kernel.imports);
  return { kernel, instance, instantiateMs: performance.now() - t0 };
}

/** Makes the spare VM for `module` (called when the worker is idle). */
export function prepareSpare(module: WebAssembly.Module, key: string): void {
  if (spare?.key === key || notSpareable.has(key)) return;
  spare = null;
  try {
    const vm = makeVm(module);
    if ((vm.instance.exports.memory as WebAssembly.Memory).buffer.byteLength <= SPARE_MAX_MEMORY) spare = { key, vm };
  } catch {
    notSpareable.add(key); // made at each run instead, after its kernel is loaded
  }
}

function takeSpare(key: string): Vm | null {
  if (spare?.key !== key) return null;
  const { vm } = spare;
  spare = null;
  return vm;
}

/** The names the kernel provides, for checking a module's imports (the same for every kernel). */
let kernelImports: WebAssembly.Imports | null = null;

export function runVm(request: VmRequest, output: OutputBatcher, hasher: () => Hasher): VmResult {
  const problem = verdict(request, (kernelImports ??= new Kernel().imports));
  if (problem !== null) return failure('invalid', problem);

  const ready = takeSpare(request.moduleKey);
  const kernel = ready?.kernel ?? new Kernel();
  try {
    kernel.load({
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

  let vm: Vm;
  try {
    vm = ready ?? makeVm(request.module, kernel);
  } catch (e) {
    return failure('invalid', `program could not be instantiated: ${(e as Error).message}`);
  }
  const memory = vm.instance.exports.memory as WebAssembly.Memory;
  let result: VmResult;
  const t1 = performance.now();
  try {
    const exitCode = kernel.start(vm.instance);
    result = failure('trap', '', { status: 'ok', exitCode });
  } catch (e) {
    const error = e as Error;
    result = failure('trap', error instanceof WebAssembly.RuntimeError ? error.message : `${error.name}: ${error.message}`);
  }
  result.runMs = performance.now() - t1;
  result.instantiateMs = vm.instantiateMs;
  result.memoryPeakBytes = memory.buffer.byteLength; // linear memory never shrinks: its end size is its peak
  result.channels = kernel.channelReports();
  result.etag = runEtag(hasher(), result.channels, result.exitCode);
  return result;
}
