// @extism/extism 1.0.3 as a PluginRunner (Node): the reference side of the plugin differential.
import { createRequire, syncBuiltinESMExports } from 'node:module';
import type * as WorkerThreads from 'node:worker_threads';
import createPlugin, { type CallContext, type Plugin } from '@extism/extism';
import type { Bytes, CallResult, HostFunction, LoadOptions, LoadedPlugin, PluginRunner } from './cases.js';

// @extism/extism's runInWorker starts its worker from a data: URL whose code ends in
// "//# sourceMappingURL=worker.js.map". A worker inherits this process's --import tsx, tsx turns
// source maps on, and Node 20 then fails to load the worker ("Invalid URL", resolving the map
// against the data: URL). The SDK's worker is plain JS: start it without our exec arguments.
{
  const threads = createRequire(import.meta.url)('node:worker_threads') as typeof WorkerThreads;
  const Worker = threads.Worker;
  threads.Worker = class extends Worker {
    constructor(url: string | URL, options?: WorkerThreads.WorkerOptions) {
      super(url, { ...options, execArgv: ['--disable-warning=ExperimentalWarning'] });
    }
  };
  syncBuiltinESMExports();
}

const encoder = new TextEncoder();
const asBytes = (b: Bytes) => (typeof b === 'string' ? encoder.encode(b) : b);

/**
 * @extism/extism as a PluginRunner. Always useWasi: true (so a reactor's _initialize runs).
 * runInWorker only when needed, since 1.0.3's worker loses vars between calls: with allowedHosts
 * (only the worker has HTTP) or an `async` host function (only the worker can wait for one).
 * keepState false: a new plugin for every call (the SDK has no such mode).
 */
export const extism: PluginRunner = {
  async load(data: Uint8Array, opts: LoadOptions): Promise<LoadedPlugin> {
    const hostFns = Object.entries(opts.hostFunctions ?? {});
    const inWorker = opts.allowedHosts !== undefined || hostFns.some(([, fn]) => fn.constructor.name === 'AsyncFunction');
    const read = (ctx: CallContext, at: bigint) => ctx.read(at)?.bytes().slice() ?? new Uint8Array(0);
    const wrap = (fn: HostFunction) =>
      inWorker
        ? async (ctx: CallContext, at: bigint) => ctx.store(asBytes(await fn(read(ctx, at))))
        : (ctx: CallContext, at: bigint) => ctx.store(asBytes(fn(read(ctx, at)) as Bytes));
    const log = (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') => (message: string) => opts.onLog?.(level, String(message));
    const logger = { trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), log: log('info') } as unknown as Console;
    const make = () =>
      createPlugin(
        { wasm: [{ data }], config: opts.config }, // 1.0.3 reads config from the options below, not from here
        {
          useWasi: true,
          runInWorker: inWorker,
          config: opts.config ?? {},
          allowedHosts: opts.allowedHosts ?? [],
          logger,
          functions: { 'extism:host/user': Object.fromEntries(hostFns.map(([name, fn]) => [name, wrap(fn)])) },
        },
      );
    let plugin: Plugin = await make();
    let used = false;
    return {
      async call(name: string, input: Bytes): Promise<CallResult> {
        if (opts.keepState === false && used) {
          await plugin.close();
          plugin = await make();
        }
        used = true;
        try {
          const out = await plugin.call(name, input);
          return { ok: true, output: out ? out.bytes().slice() : new Uint8Array(0) };
        } catch (e) {
          // a trap inside the worker comes back as a plain { message, originalStack }
          return { ok: false, error: String((e as Error)?.message ?? e) };
        }
      },
      async dispose() {
        await plugin.close();
      },
    };
  },
};

