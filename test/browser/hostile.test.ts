// The hostile-guest suite in the browser: the same cases as in Node, VMs in Web Workers.
import { ZeroVM } from '../../src/index.js';
import { hostileCases } from '../hostile/cases.js';

const locate = (name: string) =>
  ['spin', 'needs-import', 'trap'].includes(name) ? `/test/fixtures/${name}.wasm` : `/test/hostile/${name}.wasm`;

describe('hostile guests (browser)', () => {
  const vm = new ZeroVM({ pool: 2 });
  after(() => vm.dispose());
  for (const c of hostileCases(locate)) {
    it(c.name, async () => c.expect(await vm.run(c.manifest)));
  }
});
