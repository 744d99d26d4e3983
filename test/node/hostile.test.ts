// The hostile-guest suite in Node (worker_threads), and 10,000 short VMs on one ZeroVM.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NodeZeroVM } from '../../src/cli/node-host.js';
import { hostileCases } from '../hostile/cases.js';

const locate = (name: string) => {
  const hostile = fileURLToPath(new URL(`../hostile/${name}.wasm`, import.meta.url));
  return existsSync(hostile) ? hostile : fileURLToPath(new URL(`../fixtures/${name}.wasm`, import.meta.url));
};

describe('hostile guests (Node)', () => {
  const vm = new NodeZeroVM({ pool: 2 });
  after(() => vm.dispose());
  for (const c of hostileCases(locate)) {
    it(c.name, async () => c.expect(await vm.run(c.manifest)));
  }
});

describe('10,000 VMs back to back', () => {
  it('run on one ZeroVM with no growth in workers or memory', async () => {
    const vm = new NodeZeroVM({ pool: 2 });
    try {
      const hello = { program: fileURLToPath(new URL('../../public/programs/hello.wasm', import.meta.url)) };
      const batch = async (n: number) => {
        for (let i = 0; i < n; i += 2) {
          const [a, b] = await Promise.all([vm.run(hello), vm.run(hello)]);
          assert.ok(a.status === 'ok' && b.status === 'ok', a.message || b.message);
        }
      };
      await batch(1000); // warm up: caches, JIT
      global.gc?.();
      const before = process.memoryUsage().heapUsed;
      await batch(9000);
      global.gc?.();
      const grown = process.memoryUsage().heapUsed - before;
      assert.equal(vm.workers, 2);
      // heap growth across 9,000 runs must stay small: a leak of even 1 KiB a run would be 9 MB
      assert.ok(grown < 8 * 1024 * 1024, `heap grew by ${grown} bytes`);
    } finally {
      vm.dispose();
    }
  });
});
