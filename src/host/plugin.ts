// Plugins on the page: a module loaded once, its exported functions called with bytes in and bytes
// out through Extism's host ABI — every call a disposable VM run of its own (or, keepState, one
// instance kept between calls, as Extism keeps it), on the plugin's own pool of workers, bounded by
// its limits, ending in a Report. The host functions it may call back are the page's, granted here.
import * as v from 'valibot';
import type { Manifest } from '../contract/manifest.js';
import type { PluginLog, PluginManifest, VmPluginCall } from '../contract/plugin.js';
import type { Report } from '../contract/report.js';
import { limitsOf } from './defaults.js';
import type { CallHandler } from './live.js';
import { badHostEntry, httpHandler } from './plugin-http.js';
import type { Pool } from './pool.js';
import { invalidReport } from './report.js';
import { checkManifest } from './validate.js';
import { PluginError } from './plugin-error.js';

export { PluginError } from './plugin-error.js';
import type { PluginFlight } from './plugin-flight.js';
import type { RunOptions } from './vm-host.js';

/** A function the page grants a plugin (`extism:host/user.NAME`): a block in, a block out. */
export type HostFunction = CallHandler;

export interface PluginOptions {
  /** The host functions the plugin may call, by the name it imports them under. Every one it imports must be here. */
  hostFunctions?: Record<string, HostFunction>;
  /**
   * Keep one instance between calls (its memory and vars persist), as Extism does; reset() forgets
   * it. Off by default: every call gets a fresh instance, so no call leaks state into the next.
   */
  keepState?: boolean;
  /** Calls run at once, each on a worker of its own (default 1: calls are queued). keepState needs 1. */
  concurrency?: number;
  /** Each log line, as each call ends (also in its report). */
  onLog?: (log: PluginLog & { function: string }) => void;
  /** Listeners for what the plugin writes to stdout and stderr through WASI. */
  onStdout?: RunOptions['onStdout'];
  onStderr?: RunOptions['onStderr'];
}

export interface PluginCallOptions {
  signal?: AbortSignal;
  /** Runs the call again from a report's record of its host calls' replies (no host function is called). */
  replay?: Report;
}

/** A call that succeeded. */
export interface PluginOutput {
  output: Uint8Array;
  /** The output as UTF-8 text. */
  text(): string;
  /** The output parsed as JSON. */
  json<T = unknown>(): T;
  report: Report;
}

/**
 * What a plugin needs of its VM host.
 * @internal
 */
export interface PluginHost {
  module(manifest: Manifest): Promise<WebAssembly.Module>;
  pool(size: number): Pool;
  run(manifest: Manifest, flight: PluginFlight, options: RunOptions, replay?: Report['inputs']): Promise<Report>;
  fetch: typeof fetch;
  /** The plugin was disposed: its host need not end it. */
  released(plugin: Plugin): void;
}

const DEFAULT_VARS = 1 << 20;
/** A call's output, unless limits.output says less: a plugin's output is its answer, not a log. */
const DEFAULT_OUTPUT = 64 << 20;
const utf8 = new TextEncoder();
const text = new TextDecoder();

const count = v.pipe(v.number('expected a number'), v.integer('expected an integer'), v.minValue(0, 'expected ≥ 0'));
const PluginFields = v.object({
  config: v.optional(v.record(v.string(), v.string('expected a string value'), 'expected an object of strings')),
  allowedHosts: v.optional(
    v.array(
      v.pipe(v.string('expected a string'), v.minLength(1, 'expected a host or glob'), v.check((entry) => badHostEntry(entry) === null, (issue) => badHostEntry(String(issue.input))!)),
      'expected an array of strings',
    ),
  ),
  limits: v.optional(v.object({ vars: v.optional(count) })),
});

/** The plugin's fields checked and split off: the rest is a program's manifest, checked as one. */
function splitManifest(input: PluginManifest): { manifest: Manifest; config: Record<string, string>; allowedHosts: string[]; vars: number } {
  if (typeof input !== 'object' || input === null) throw new TypeError('manifest: expected an object');
  for (const field of ['args', 'stdin'] as const) {
    if (field in input) throw new TypeError(`manifest.${field}: a plugin is called, not started: it has no ${field} (its input is each call's)`);
  }
  const result = v.safeParse(PluginFields, input, { abortEarly: true });
  if (!result.success) {
    const issue = result.issues[0];
    throw new TypeError(`manifest.${v.getDotPath(issue)}: ${issue.message}`);
  }
  const { config, allowedHosts, limits, ...rest } = input;
  const { vars, ...programLimits } = limits ?? {};
  const manifest: Manifest = { ...rest, ...(limits ? { limits: programLimits } : {}) };
  const problem = checkManifest(manifest);
  if (problem) throw new TypeError(problem);
  return { manifest, config: config ?? {}, allowedHosts: allowedHosts ?? [], vars: vars ?? DEFAULT_VARS };
}

let plugins = 0;

export class Plugin {
  /** The functions the plugin exports (what call() can name). */
  readonly functions: readonly string[];
  private readonly pool: Pool;
  /** Every call's bounds inside the worker: the same for each, worked out once. */
  private readonly callLimits: VmPluginCall['limits'];
  private readonly key = `plugin-${++plugins}`;
  /** Bumped by reset(): a kept instance is kept under key and generation. */
  private generation = 0;
  private readonly disposal = new AbortController();
  private disposed = false;

  private constructor(
    private readonly host: PluginHost,
    private readonly manifest: Manifest,
    private readonly parts: { config: Record<string, string>; allowedHosts: string[]; vars: number },
    private readonly options: PluginOptions,
    module: WebAssembly.Module,
    private readonly hostFunctions: Map<string, HostFunction>,
    private readonly http: CallHandler | null,
  ) {
    this.functions = WebAssembly.Module.exports(module).flatMap((e) => (e.kind === 'function' && e.name !== '_initialize' ? [e.name] : []));
    this.pool = host.pool(options.concurrency ?? 1);
    this.callLimits = { vars: parts.vars, output: manifest.limits?.output ?? DEFAULT_OUTPUT, memory: limitsOf(manifest.limits).memory };
  }

  /**
   * Checks the manifest and options, compiles the module, and starts the plugin's workers
   * (through `vm.plugin()`, which gives it its host).
   * @internal
   */
  static async load(host: PluginHost, input: PluginManifest, options: PluginOptions = {}): Promise<Plugin> {
    const { manifest, ...parts } = splitManifest(input);
    const concurrency = options.concurrency ?? 1;
    if (!Number.isInteger(concurrency) || concurrency < 1) throw new TypeError(`options.concurrency: expected an integer ≥ 1, got ${String(options.concurrency)}`);
    if (options.keepState && concurrency !== 1) throw new TypeError('options.keepState: one instance is kept, so concurrency must be 1');
    for (const [name, fn] of Object.entries(options.hostFunctions ?? {})) {
      if (typeof fn !== 'function') throw new TypeError(`options.hostFunctions.${name}: expected a function (input: Uint8Array) => Uint8Array | string | Promise<…>`);
    }
    const module = await host.module(manifest);
    const imports = WebAssembly.Module.imports(module);
    const wanted = imports.flatMap((i) => (i.module === 'extism:host/user' ? [i.name] : []));
    const missing = wanted.filter((name) => !Object.hasOwn(options.hostFunctions ?? {}, name));
    if (missing.length > 0) {
      throw new TypeError(`options.hostFunctions: the plugin imports ${missing.map((n) => `extism:host/user.${n}`).join(', ')}, which ${missing.length > 1 ? 'are' : 'is'} not granted`);
    }
    const granted = new Map(wanted.map((name) => [name, options.hostFunctions![name]]));
    const http = imports.some((i) => i.module === 'extism:host/env' && i.name === 'http_request') ? httpHandler(parts.allowedHosts, host.fetch) : null;
    return new Plugin(host, manifest, parts, options, module, granted, http);
  }

  /** Calls the export `name` with `input`; rejects with a PluginError (its report attached) when the call fails. */
  async call(name: string, input: Uint8Array | string = new Uint8Array(0), options: PluginCallOptions = {}): Promise<PluginOutput> {
    if (this.disposed) throw new Error('this plugin is disposed');
    if (!this.functions.includes(name)) {
      const report = invalidReport(`the plugin exports no function named ${JSON.stringify(name)} (it exports ${this.functions.join(', ')})`);
      throw new PluginError(report.message, report);
    }
    const flight: PluginFlight = {
      pool: this.pool,
      call: {
        function: name,
        input: typeof input === 'string' ? utf8.encode(input) : input,
        config: this.parts.config,
        limits: this.callLimits,
        // A replay runs on a fresh instance: it must neither see nor move the kept one's state.
        ...(this.options.keepState && !options.replay ? { keep: `${this.key}/${this.generation}` } : {}),
      },
      hostFunctions: this.hostFunctions,
      http: this.http,
    };
    // dispose() ends the calls in flight (one signal for all of them), as the caller's signal ends its own.
    const signal = options.signal ? AbortSignal.any([this.disposal.signal, options.signal]) : this.disposal.signal;
    const run: RunOptions = { signal, onStdout: this.options.onStdout, onStderr: this.options.onStderr };
    const { replay } = options;
    // A plugin that calls no host has nothing to record: its replay is the call made again.
    const record = !replay ? undefined : (replay.inputs ?? (this.hostFunctions.size === 0 && !this.http ? undefined : null));
    const report = replay?.plugin && replay.plugin.function !== name
      ? invalidReport(`options.replay: the report is of a call of ${replay.plugin.function}, not ${name}`)
      : record === null
        ? invalidReport('options.replay: the report has no record of the call\'s host calls (report.inputs)')
        : await this.host.run(this.manifest, flight, run, record);
    const outcome = flight.outcome;
    const output = outcome?.output ?? new Uint8Array(0);
    report.plugin = {
      function: name,
      returned: outcome?.returned ?? null,
      outputBytes: output.length,
      ...(outcome?.error !== undefined ? { error: outcome.error } : {}),
      logs: outcome?.logs ?? [],
    };
    for (const log of report.plugin.logs) this.options.onLog?.({ ...log, function: name });
    const failure = failureOf(report);
    if (failure !== null) throw new PluginError(failure, report);
    return { output, text: () => text.decode(output), json: <T>() => JSON.parse(text.decode(output)) as T, report };
  }

  /** Workers alive in the plugin's own pool (its concurrency, unless disposed). */
  get workers(): number {
    return this.pool.workers;
  }

  /** Forgets the kept instance (keepState): the next call starts fresh. */
  reset(): void {
    this.generation++;
  }

  /** Ends the calls in flight (their reports say killed), stops the workers; later calls are refused. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposal.abort(new Error('the plugin was disposed'));
    this.host.released(this);
    this.pool.dispose();
  }
}

/** Why a finished call failed, or null when it succeeded (returned 0, no error set). */
function failureOf(report: Report): string | null {
  const plugin = report.plugin!;
  switch (report.status) {
    case 'ok':
      if (plugin.error !== undefined) return plugin.error;
      if (plugin.returned !== 0) return `${plugin.function} returned ${plugin.returned} (not 0: a failure), setting no error`;
      return null;
    case 'trap':
      return `${plugin.function}: ${report.message}`;
    case 'timeout':
    case 'killed':
    case 'invalid':
      return report.message;
  }
}
