// Persistent volumes in Node (a directory per volume): the cases of test/volumes/cases.ts, and a
// volume that outlives the host that made it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NodeZeroVM } from '../../src/cli/node-host.js';
import { volumeCases } from '../volumes/cases.js';

const locate = (name: string) => {
  const hostile = fileURLToPath(new URL(`../hostile/${name}.wasm`, import.meta.url));
  return existsSync(hostile) ? hostile : fileURLToPath(new URL(`../fixtures/${name}.wasm`, import.meta.url));
};

describe('volumes (Node)', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'zerovm-volumes-'));
  const vm = new NodeZeroVM({ pool: 2, volumes: dir });
  after(() => {
    vm.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  for (const c of volumeCases) it(c.name, () => c.run(vm, locate, (name) => name));

  it('outlive the host: a new NodeZeroVM on the same directory reads what the last one committed', async () => {
    const other = new NodeZeroVM({ pool: 1, volumes: dir });
    try {
      const r = await other.run({ program: locate('counter'), mounts: [{ guest: '/data', volume: 'counter' }] });
      assert.equal(r.stdout, '4\n');
    } finally {
      other.dispose();
    }
  });
});
