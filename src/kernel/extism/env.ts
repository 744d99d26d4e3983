// Extism's host ABI (`extism:host/env`, and the functions a host grants in `extism:host/user`),
// beside WASI preview1: how a plugin call reads its input, sets its output or error, reads its
// config, keeps vars, logs, makes HTTP requests and calls the host's functions. Like the Kernel,
// made in two steps: the imports exist from the start (a worker instantiates a plugin while idle),
// and each call is begun with what it may see. Host calls (user functions, http_request) go to the
// page over the host's call channels and may wait, on either path: see kernel/blocking.ts.
import { LOG_LEVELS, type LogLevel, type PluginLog, type VmPluginCall, type VmPluginOutcome } from '../../contract/plugin.js';
import { decodeHttpReply } from '../../contract/plugin.js';
import { suspendable } from '../blocking.js';
import type { InputLog } from '../inputs.js';
import { Blocks, PluginFault } from './blocks.js';

export { PluginFault } from './blocks.js';

/** How a host call reaches the page: the reply to `request` on the host's call channel `channel`. */
export interface HostCalls {
  /** Waits for the reply (sync), or throws Suspend (async: the import is made again, and asks nothing twice). */
  ask(channel: number, request: Uint8Array): Uint8Array;
}

/** The imports of `extism:host/env` that may wait for the page. */
const MAY_WAIT = ['http_request'];

const utf8 = new TextDecoder();
const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/** One call's state: its blocks, input, output, error, logs and last HTTP status. */
class CallState {
  readonly blocks: Blocks;
  readonly input: bigint;
  output: Uint8Array = EMPTY;
  error: string | undefined;
  readonly logs: PluginLog[] = [];
  logBytes = 0;
  httpStatus = 0;
  httpHeaders = '{}';

  constructor(
    readonly call: VmPluginCall,
    readonly host: HostCalls,
    readonly inputs: InputLog | null,
  ) {
    this.blocks = new Blocks(call.limits.memory);
    this.input = this.blocks.store(call.input);
  }
}

export interface PluginEnvOptions {
  /** The guest waits by suspending (JSPI): the imports that may wait are Suspending. */
  suspending?: boolean;
}

export class PluginEnv {
  readonly imports: WebAssembly.Imports;
  private now: CallState | null = null;
  /** The plugin's vars: they outlive a call only where the instance does (keepState). */
  private vars = new Map<string, Uint8Array>();

  /** `user`: the names the module imports from `extism:host/user`. */
  constructor(user: string[], options: PluginEnvOptions = {}) {
    const wrap = (fn: (...args: any[]) => unknown) => (options.suspending ? suspendable(fn) : fn);
    const env: Record<string, unknown> = {};
    const calls = this.envCalls();
    for (const [name, fn] of Object.entries(calls)) env[name] = MAY_WAIT.includes(name) ? wrap(fn) : fn;
    const granted: Record<string, unknown> = {};
    for (const name of user) granted[name] = wrap((handle: bigint) => this.userCall(name, handle));
    this.imports = { 'extism:host/env': env as WebAssembly.ModuleImports, 'extism:host/user': granted as WebAssembly.ModuleImports };
  }

  /** A call begins: its input, config, limits, and where host calls go. */
  begin(call: VmPluginCall, host: HostCalls, inputs: InputLog | null): void {
    this.now = new CallState(call, host, inputs);
  }

  /** What the call left: `returned` is the function's result, or null when it did not return. */
  end(returned: number | null): VmPluginOutcome {
    const c = this.state();
    this.now = null;
    return { returned, output: c.output, logs: c.logs, ...(c.error !== undefined ? { error: c.error } : {}) };
  }

  private state(): CallState {
    if (!this.now) throw new PluginFault('an Extism host function was called outside a plugin call');
    return this.now;
  }

  /** A host call's reply, from the page or, replaying, from the record (which a live call adds to). */
  private ask(channel: number, request: Uint8Array, what: string): Uint8Array {
    const c = this.state();
    if (c.inputs?.replaying) return c.inputs.read(channel) ?? EMPTY;
    let reply: Uint8Array;
    try {
      reply = c.host.ask(channel, request);
    } catch (e) {
      // The page's end failed (its function threw): the host's report says how.
      if (typeof e === 'number') throw new PluginFault(`${what} failed on the host's side`);
      throw e;
    }
    c.inputs?.record({ kind: 'read', channel, bytes: reply });
    return reply;
  }

  private userCall(name: string, handle: bigint): bigint {
    const c = this.state();
    const channel = c.call.hostFunctions[name];
    if (channel === undefined) throw new PluginFault(`extism:host/user.${name} is not granted (no host function of that name)`);
    const reply = this.ask(channel, handle === 0n ? EMPTY : c.blocks.block(handle), `extism:host/user.${name}`);
    return c.blocks.store(reply);
  }

  private text(handle: bigint): string {
    return utf8.decode(this.state().blocks.block(handle));
  }

  private log(level: LogLevel, handle: bigint): void {
    const c = this.state();
    const bytes = c.blocks.block(handle);
    // Logs are kept with the report: past limits.output (in bytes) they are counted, not kept.
    c.logBytes += bytes.length;
    if (c.logBytes <= c.call.limits.output) c.logs.push({ level, message: utf8.decode(bytes) });
  }

  private envCalls(): Record<string, (...args: any[]) => unknown> {
    const blocks = () => this.state().blocks;
    return {
      alloc: (n: bigint) => blocks().alloc(Number(n)),
      free: (h: bigint) => blocks().free(h),
      length: (h: bigint) => blocks().length(h),
      length_unsafe: (h: bigint) => blocks().length(h),
      load_u8: (h: bigint) => blocks().loadU8(h),
      load_u64: (h: bigint) => blocks().loadU64(h),
      store_u8: (h: bigint, v: number) => blocks().storeU8(h, v),
      store_u64: (h: bigint, v: bigint) => blocks().storeU64(h, v),
      input_offset: () => this.state().input,
      input_length: () => BigInt(this.state().call.input.length),
      // Offsets into the input, from 0 (a handle's offset part, as other hosts take it too).
      input_load_u8: (at: bigint) => blocks().loadU8(this.state().input + (at % 2n ** 32n)),
      input_load_u64: (at: bigint) => blocks().loadU64(this.state().input + (at % 2n ** 32n)),
      output_set: (h: bigint, len: bigint) => {
        const c = this.state();
        const n = Number(len);
        if (n > c.call.limits.output) throw new PluginFault(`output_set: ${n} bytes, more than limits.output (${c.call.limits.output})`);
        c.output = c.blocks.bytes(h, n).slice();
      },
      error_set: (h: bigint) => {
        // The message goes into the report and the page's error: no longer than limits.output.
        const c = this.state();
        if (h === 0n) c.error = undefined;
        else {
          const bytes = c.blocks.block(h);
          c.error = utf8.decode(bytes.subarray(0, c.call.limits.output)) + (bytes.length > c.call.limits.output ? ` … (${bytes.length} bytes, cut at limits.output)` : '');
        }
      },
      error_get: () => {
        const c = this.state();
        return c.error === undefined ? 0n : c.blocks.store(encoder.encode(c.error));
      },
      config_get: (h: bigint) => {
        const c = this.state();
        const value = c.call.config[this.text(h)];
        return value === undefined ? 0n : c.blocks.store(encoder.encode(value));
      },
      var_get: (h: bigint) => {
        const value = this.vars.get(this.text(h));
        return value === undefined ? 0n : blocks().store(value);
      },
      var_set: (k: bigint, v: bigint) => {
        const c = this.state();
        const key = this.text(k);
        if (v === 0n) {
          this.vars.delete(key);
          return;
        }
        if (c.call.limits.vars === 0) throw new PluginFault('var_set: vars are off for this plugin (limits.vars is 0)');
        const value = c.blocks.block(v).slice();
        let size = encoder.encode(key).length + value.length;
        for (const [name, held] of this.vars) if (name !== key) size += encoder.encode(name).length + held.length;
        if (size > c.call.limits.vars) throw new PluginFault(`var_set: the vars would hold ${size} bytes, more than limits.vars (${c.call.limits.vars})`);
        this.vars.set(key, value);
      },
      http_request: (req: bigint, body: bigint) => {
        const c = this.state();
        const request = c.blocks.block(req);
        const payload = body === 0n ? EMPTY : c.blocks.block(body);
        // The request's JSON, a NUL, then its body: one message on the HTTP channel.
        const message = new Uint8Array(request.length + 1 + payload.length);
        message.set(request);
        message.set(payload, request.length + 1);
        const reply = decodeHttpReply(this.ask(c.call.http, message, 'http_request'));
        if (reply.status === 0) throw new PluginFault(utf8.decode(reply.body));
        c.httpStatus = reply.status;
        c.httpHeaders = reply.headers;
        return reply.body.length > 0 ? c.blocks.store(reply.body) : 0n;
      },
      http_status_code: () => this.state().httpStatus,
      http_headers: () => {
        const c = this.state();
        return c.blocks.store(encoder.encode(c.httpHeaders));
      },
      get_log_level: () => 0, // every level is kept: trace (0) and up
      ...Object.fromEntries(LOG_LEVELS.map((level) => [`log_${level}`, (h: bigint) => this.log(level, h)])),
    };
  }
}
