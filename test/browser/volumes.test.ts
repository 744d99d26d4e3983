// Persistent volumes in the browser (IndexedDB): the cases of test/volumes/cases.ts in Chromium
// and Firefox, isolated and not.
import { ZeroVM } from '../../src/index.js';
import { volumeCases } from '../volumes/cases.js';

const locate = (name: string) => (['spin', 'needs-import', 'trap'].includes(name) ? `/test/fixtures/${name}.wasm` : `/test/hostile/${name}.wasm`);
// IndexedDB outlives a test run in the same profile: names of this run's own.
const run = Math.random().toString(36).slice(2, 8);

describe('volumes (browser, IndexedDB)', () => {
  const vm = new ZeroVM({ pool: 2 });
  after(() => vm.dispose());
  for (const c of volumeCases) {
    it(c.name, async function () {
      this.timeout(120_000);
      await c.run(vm, locate, (name) => `${name}-${run}`);
    });
  }
});
