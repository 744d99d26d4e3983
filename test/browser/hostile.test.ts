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

describe('10,000 VMs back to back (browser)', () => {
  it('all run, on the same workers', async function () {
    this.timeout(180_000); // seconds in a fast browser; a slow machine must not fail it for speed
    const vm = new ZeroVM({ pool: 2 });
    try {
      const hello = { program: '/public/programs/hello.wasm' };
      for (let i = 0; i < 10_000; i += 2) {
        const [a, b] = await Promise.all([vm.run(hello), vm.run(hello)]);
        if (a.status !== 'ok' || b.status !== 'ok') throw new Error(`run ${i}: ${a.message || b.message}`);
      }
      if (vm.workers !== 2) throw new Error(`workers: expected 2, got ${vm.workers}`);
    } finally {
      vm.dispose();
    }
  });
});
