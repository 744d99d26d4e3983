// ZeroVM's plugin host as a PluginRunner (Node and the browser alike): the side under test.
import { PluginError, type PluginOptions } from '../../src/host/plugin.js';
import type { VmHost } from '../../src/host/vm-host.js';
import type { CallResult, LoadOptions, LoadedPlugin, PluginRunner } from './cases.js';

const CLOCK_START_NS = Date.UTC(2026, 0, 1) * 1e6;

/** Plugins on `vm`; `options` are added to every load (e.g. concurrency). */
export function zerovmRunner(vm: Pick<VmHost, 'plugin'>, options: PluginOptions = {}): PluginRunner {
  return {
    async load(wasm: Uint8Array, opts: LoadOptions): Promise<LoadedPlugin> {
      const plugin = await vm.plugin(
        {
          program: wasm,
          // The virtual clock (deterministic) starts at 2026-01-01, not 1970: wasi_misc checks it is past 2020.
          determinism: { epoch: CLOCK_START_NS },
          ...(opts.config ? { config: opts.config } : {}),
          ...(opts.allowedHosts ? { allowedHosts: opts.allowedHosts } : {}),
          ...(opts.limits ? { limits: opts.limits } : {}),
        },
        {
          ...options,
          ...(opts.hostFunctions ? { hostFunctions: opts.hostFunctions } : {}),
          ...(opts.keepState !== undefined ? { keepState: opts.keepState } : {}),
          ...(opts.onLog ? { onLog: (log) => opts.onLog!(log.level, log.message) } : {}),
        },
      );
      return {
        async call(name, input): Promise<CallResult> {
          try {
            return { ok: true, output: (await plugin.call(name, input)).output };
          } catch (e) {
            if (e instanceof PluginError) return { ok: false, error: e.message };
            throw e;
          }
        },
        async dispose() {
          plugin.dispose();
        },
      };
    },
  };
}
