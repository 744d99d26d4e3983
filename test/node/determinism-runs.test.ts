// Determinism end to end in Node (worker_threads): 20 runs of clockrand, warm and cold, are one run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { NodeZeroVM } from '../../src/cli/node-host.js';
import type { Manifest } from '../../src/index.js';
import { expectGolden, expectIdentical, expectVirtualTime, type Golden, randomLine, RUNS, warmAndCold } from '../hostile/determinism.js';

const path = fileURLToPath(new URL('../hostile/clockrand.wasm', import.meta.url));
const EPOCH_S = 1_700_000_000;
const golden = JSON.parse(readFileSync(new URL('../hostile/clockrand.expected.json', import.meta.url), 'utf8')) as Golden;

function manifest(fresh: boolean, determinism: Manifest['determinism'] = { seed: golden.seed, epoch: golden.epoch }): Manifest {
  // cold runs get the program as fresh bytes, so nothing compiled before can be reused
  return { program: fresh ? new Uint8Array(readFileSync(path)) : path, determinism };
}

describe('determinism (Node)', () => {
  it(`gives the same bytes and etags in ${RUNS} runs, warm and cold`, async () => {
    const reports = await warmAndCold(() => new NodeZeroVM({ pool: 1 }), (fresh) => manifest(fresh));
    assert.equal(reports.length, RUNS);
    expectIdentical(reports);
    expectVirtualTime(reports[0], EPOCH_S);
    expectGolden(reports[0], golden); // the same bytes the browser gives
  });

  it('gives other random bytes for another seed, and the same times', async () => {
    const vm = new NodeZeroVM({ pool: 1 });
    try {
      const a = await vm.run(manifest(false, { seed: 1, epoch: 0 }));
      const b = await vm.run(manifest(false, { seed: 2, epoch: 0 }));
      assert.notEqual(randomLine(a), randomLine(b));
      assert.notEqual(a.etag, b.etag);
      assert.equal(a.stdout.replace(randomLine(a), ''), b.stdout.replace(randomLine(b), ''));
    } finally {
      vm.dispose();
    }
  });

  it('opts out with realtime: real clocks and crypto randomness differ run to run', async () => {
    const vm = new NodeZeroVM({ pool: 2 });
    try {
      const real = (): Manifest => ({ program: path, determinism: { realtime: true } });
      const [a, b] = await Promise.all([vm.run(real()), vm.run(real())]); // each really sleeps 2.75 s
      assert.equal(a.status, 'ok', a.message);
      assert.notEqual(randomLine(a), randomLine(b));
      assert.ok(Number(/^realtime (\S+)$/m.exec(a.stdout)?.[1]) > EPOCH_S, 'realtime is the host clock');
    } finally {
      vm.dispose();
    }
  });
});
