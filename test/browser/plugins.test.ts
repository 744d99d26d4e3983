// Extism plugins in the browser: the cases of test/plugins/cases.ts on ZeroVM in Chromium and
// Firefox, with and without cross-origin isolation (see wtr.config.mjs) — so a host function that
// is async on the page blocks the plugin both ways: Atomics.wait over a shared link, and JSPI.
import { ZeroVM } from '../../src/index.js';
import { pluginCases, type PluginFile } from '../plugins/cases.js';
import { zerovmRunner } from '../plugins/zerovm-runner.js';

const wasm = async (name: PluginFile) => new Uint8Array(await (await fetch(`/test/plugins/${name}.wasm`)).arrayBuffer());
const http = { base: `${location.origin}/__zerovm_test/plugin-http` };

describe(`plugins (browser, ${crossOriginIsolated ? 'isolated: Atomics.wait' : 'not isolated: JSPI'})`, () => {
  const vm = new ZeroVM({ pool: 1 });
  after(() => vm.dispose());
  for (const c of pluginCases) {
    if (c.skip?.includes('zerovm')) continue;
    it(c.name, async function () {
      this.timeout(60_000);
      await c.run(zerovmRunner(vm), wasm, http);
    });
  }
});
