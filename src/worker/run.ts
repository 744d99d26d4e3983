// One VM, start to end: a fresh kernel and a fresh instance of the (already compiled) module.
// The guest owns the worker's thread until it ends, except where it waits by suspending (JSPI):
// then the run is asynchronous, and the worker's event loop runs while it waits.
import type { InputEvent } from '../contract/inputs.js';
import type { VmInputs, VmRequest, VmResult } from '../contract/protocol.js';
import type { ChannelReport } from '../contract/report.js';
import {
  type Hasher, Kernel, type KernelConfig, KernelConfigError, realClock, Recording, Replay, seededRandom, virtualClock,
} from '../kernel/index.js';
import type { InputLog } from '../kernel/inputs.js';
import { LOADER_CHANNEL } from '../contract/link.js';
import { devicesFor, hostCalls, volumeLoader } from './backings.js';
import { extism } from './extism.js';
import { check } from './fitness.js';
import type { HeldModule, PluginShape } from './held-module.js';
import type { Memories } from './memories.js';
import type { WorkerLink } from './link.js';
import { makeVm, type Spares, type Vm } from './spare.js';

const utf8 = new TextEncoder();
const MAX_RANDOM_CHUNK = 65536; // getRandomValues' limit per call

function cryptoRandom(buf: Uint8Array): void {
  for (let at = 0; at < buf.length; at += MAX_RANDOM_CHUNK) {
    crypto.getRandomValues(buf.subarray(at, Math.min(buf.length, at + MAX_RANDOM_CHUNK)));
  }
}

/** A run that ended: the guest exited with `exitCode` (ok), it trapped, or it was refused before it ran. */
export function ended(status: VmResult['status'], exitCode: number | null, message = ''): VmResult {
  return { status, exitCode, message, channels: [], instantiateMs: 0, runMs: 0, memoryPeakBytes: 0, tail: [] };
}

/** The run's etag: one hash over every channel's etag and the exit code, so that equal runs have equal etags. */
function runEtag(hasher: Hasher, channels: ChannelReport[], exitCode: number | null): string {
  const text = `${channels.map((c) => `${c.path}=${c.etag ?? '-'}`).join('\n')}\nexit=${exitCode ?? '-'}`;
  hasher.update(utf8.encode(text));
  return hasher.digest();
}

/** Feeds one input answer to the input etag: what it was, then its bytes. */
function hashInput(hasher: Hasher, event: InputEvent): void {
  switch (event.kind) {
    case 'read':
      hasher.update(utf8.encode(`read ${event.channel} ${event.bytes.length}\n`));
      hasher.update(event.bytes);
      return;
    case 'again':
      hasher.update(utf8.encode(`again ${event.channel}\n`));
      return;
    case 'poll':
      hasher.update(utf8.encode(`poll ${JSON.stringify(event.fired)} ${event.advancedNs}\n`));
      return;
  }
}

/** What a worker keeps from run to run: the spare VM, memories to give again, its link, the etag hashers, plugins that keep state. */
export interface WorkerState {
  spares: Spares;
  memories: Memories;
  link: WorkerLink;
  hasher: () => Hasher;
  /** Plugin instances kept between calls (keepState), by key. */
  kept: Map<string, Vm>;
}

/** The names the kernel provides, for checking a module's imports (the same for every kernel). */
let kernelImports: WebAssembly.Imports | null = null;
const kernelNames = () => (kernelImports ??= new Kernel().imports);

/** Runs `request` on `module` (the one its moduleKey names). */
export function runVm(request: VmRequest, held: HeldModule, worker: WorkerState): VmResult | Promise<VmResult> {
  const call = request.plugin;
  const shape = call ? pluginShape(held) : null;
  const problem = check(held, shape?.imports ?? kernelNames(), call !== undefined);
  if (problem !== null) return ended('invalid', null, problem);

  const { link, hasher } = worker;
  const suspending = request.mode === 'async';
  const captured = request.limits.stream;
  const budgets = request.channels.map((c) => (c.kind === 'output' && c.sink === 'capture' ? captured : Infinity));
  const lazy = request.fs.entries.some((e) => e.type === 'file' && !('data' in e));
  if (lazy) budgets[LOADER_CHANNEL] = Infinity; // its requests
  if (call) for (const channel of [...Object.values(call.hostFunctions), call.http]) budgets[channel] = Infinity;
  link.begin(budgets, request.run);

  // A plugin that keeps state is called again on the instance (and kernel) its last call left.
  const kept = call?.keep !== undefined ? worker.kept.get(call.keep) : undefined;
  // A worker serves one plugin; a key it has not seen is that plugin reset (or another): forget the old.
  if (call?.keep !== undefined && !kept) worker.kept.clear();
  const ready = kept ?? worker.spares.take(request.moduleKey, suspending, call !== undefined, request);
  const kernel = ready?.kernel ?? new Kernel(undefined, { suspending });
  const live = request.channels.some((c) => c.live && c.kind !== 'output') || shape?.callsHost === true;
  const inputHasher = live && !request.replay ? hasher() : null;
  const recording = inputHasher ? new Recording(request.limits.record, (event) => hashInput(inputHasher, event)) : null;
  const inputs = request.replay ? new Replay(request.replay) : recording;
  // A spare's kernel loaded ahead was loaded for this very request (see Spares.take).
  if (!kept && ready?.loadedFor === undefined) {
    try {
      kernel.load(kernelConfig(request, worker, lazy, inputs));
    } catch (e) {
      if (e instanceof KernelConfigError) return ended('invalid', null, e.message);
      throw e;
    }
  }

  let vm: Vm;
  try {
    vm = ready ?? makeVm(held.module, kernel, shape?.user, worker.memories.for(held));
  } catch (e) {
    return ended('invalid', null, `${call ? 'plugin' : 'program'} could not be instantiated: ${(e as Error).message}`);
  }
  if (call?.keep !== undefined) worker.kept.set(call.keep, vm);
  const t1 = performance.now();
  const finish = (result: VmResult): VmResult => {
    result.runMs = performance.now() - t1;
    result.instantiateMs = ready ? 0 : vm.instantiateMs; // a spare was made while the worker was idle: this run did not wait for it
    result.memoryPeakBytes = (vm.instance.exports.memory as WebAssembly.Memory).buffer.byteLength; // memory never shrinks: its end size is its peak
    // Its memory goes to the next VM of the module (zero-filled then), unless the instance is kept.
    if (vm.memory && call?.keep === undefined) worker.memories.give(vm.memory);
    result.channels = kernel.channelReports();
    result.etag = runEtag(hasher(), result.channels, result.exitCode);
    if (result.status === 'ok' && request.collect.length > 0) result.volumes = request.collect.map((path) => kernel.collect(path));
    if (recording && inputHasher) result.inputs = inputsOf(recording, inputHasher);
    return result;
  };
  const trapped = (e: unknown) => {
    if (call?.keep !== undefined) worker.kept.delete(call.keep); // an instance that trapped is not called again
    if (e instanceof KernelConfigError) return finish(ended('invalid', null, e.message));
    const plain = e instanceof WebAssembly.RuntimeError || (call !== undefined && e instanceof extism().PluginFault);
    const result = finish(ended('trap', null, plain ? e.message : e instanceof Error ? `${e.name}: ${e.message}` : `the guest ended by a throw of ${String(e)}`));
    if (call && vm.env) result.plugin = vm.env.end(null);
    return result;
  };

  if (call) {
    const env = vm.env!;
    env.begin(call, hostCalls(link), inputs);
    const returned = (code: number) => ({ ...finish(ended('ok', code)), plugin: env.end(code) });
    if (suspending) return kernel.callSuspending(vm.instance, call.function).then(returned, trapped);
    try {
      return returned(kernel.call(vm.instance, call.function));
    } catch (e) {
      return trapped(e);
    }
  }
  if (suspending) return kernel.startSuspending(vm.instance).then((code) => finish(ended('ok', code)), trapped);
  try {
    return finish(ended('ok', kernel.start(vm.instance)));
  } catch (e) {
    return trapped(e);
  }
}

/** What the kernel of a run of `request` is loaded with: its files, channels, args, env, clock and randomness. */
function kernelConfig(request: VmRequest, worker: WorkerState, lazy: boolean, inputs: InputLog | null): KernelConfig {
  const { link, hasher } = worker;
  return {
    args: request.args,
    env: request.env,
    fs: request.fs,
    devices: devicesFor(request.channels, link, request.replay !== undefined),
    stats: link.stats,
    hasher,
    limits: request.limits,
    ...(request.mode === 'plain' ? {} : { waiter: link.waiter }),
    ...(lazy ? { loader: volumeLoader(link, LOADER_CHANNEL) } : {}),
    ...(inputs && request.channels.some((c) => c.live && c.kind !== 'output') ? { inputs } : {}),
    ...(request.determinism.realtime
      ? { clock: realClock(), random: cryptoRandom }
      : { clock: virtualClock(BigInt(Math.trunc(request.determinism.epoch))), random: seededRandom(request.determinism.seed) }),
  };
}

/**
 * Makes the next VM of `held` while the worker is idle (see spare.ts). When this run's request was
 * the one read before it again (`again`, see last-request.ts), the next is likely the same too, and
 * the spare's kernel is loaded for it now: if it is a plain run on virtual time, whose kernel holds
 * nothing that depends on when it was loaded (a real clock starts its CPU clocks then) and nothing
 * of the run's live channels or volume loader.
 */
export function prepareNext(request: VmRequest, held: HeldModule, worker: WorkerState, again: boolean): void {
  const ahead = again && request.mode === 'plain' && !request.determinism.realtime && request.plugin === undefined && request.replay === undefined
    ? { request, load: (kernel: Kernel) => kernel.load(kernelConfig(request, worker, false, null)) }
    : undefined;
  worker.spares.prepare(held, request.mode === 'async', request.plugin !== undefined, ahead);
}

function pluginShape(held: HeldModule): PluginShape {
  if (!held.plugin) {
    const user = held.user;
    const http = held.imports.some((i) => i.module === 'extism:host/env' && i.name === 'http_request');
    held.plugin = { imports: { ...kernelNames(), ...new (extism().PluginEnv)(user).imports }, user, callsHost: http || user.length > 0 };
  }
  return held.plugin;
}

function inputsOf(recording: Recording, hasher: Hasher): VmInputs {
  return { events: recording.events, complete: recording.complete, etag: hasher.digest() };
}
