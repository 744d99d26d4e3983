// Live channels in the browser: the cases of test/live/cases.ts in Chromium and Firefox. Run with
// and without cross-origin isolation (see wtr.config.mjs), so guests wait both ways: on
// Atomics.wait over a shared link, and by JSPI suspension over a message link.
import { ZeroVM } from '../../src/index.js';
import { liveCases } from '../live/cases.js';

const locate = (name: string) => `/test/hostile/${name}.wasm`;

describe(`live channels (browser, ${crossOriginIsolated ? 'isolated: Atomics.wait' : 'not isolated: JSPI'})`, () => {
  const vm = new ZeroVM({ pool: 2 });
  after(() => vm.dispose());
  for (const c of liveCases) {
    it(c.name, async function () {
      this.timeout(60_000);
      await c.run(vm, locate);
    });
  }
});
