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

  it("a file whose bytes are gone from the store when first opened: the guest's open fails (EIO), the report says which", async () => {
    await vm.volumes.write('gone', 'big.txt', 'x'.repeat(100_000));
    // Pulled when the guest first reads stdin, after the run took its snapshot: the file's chunks go
    // then; an empty chunk, then the end, and the guest opens the file.
    const stdin = (async function* () {
      rmSync(join(dir, 'gone', 'chunks'), { recursive: true });
      yield '';
    })();
    const running = vm.run(
      { program: locate('catfile'), args: ['catfile', '/dev/stdin', '/data/big.txt'], channels: [{ path: '/dev/stdin', source: 'live' }], mounts: [{ guest: '/data', volume: 'gone' }] },
      { stdin },
    );
    const r = await running;
    assert.equal(r.exitCode, 1, r.stderr);
    assert.match(r.stderr, /big\.txt: I\/O error/);
    assert.match(r.volumes?.gone?.message ?? '', /\/data\/big\.txt could not be read: /);
  });

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
