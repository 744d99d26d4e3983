// Determinism end to end in the browser: 20 runs of clockrand, warm and cold, are one run.
import { ZeroVM } from '../../src/index.js';
import { expectGolden, expectIdentical, expectVirtualTime, type Golden, RUNS, warmAndCold } from '../hostile/determinism.js';
import { assertEqual } from './assert.js';

const URL_ = '/test/hostile/clockrand.wasm';
const EPOCH_S = 1_700_000_000;

describe('determinism (browser)', () => {
  it(`gives the same bytes and etags in ${RUNS} runs, warm and cold`, async () => {
    const bytes = new Uint8Array(await (await fetch(URL_)).arrayBuffer());
    const golden = (await (await fetch('/test/hostile/clockrand.expected.json')).json()) as Golden;
    const reports = await warmAndCold(
      () => new ZeroVM({ pool: 1 }),
      // cold runs get a fresh copy of the bytes, so nothing compiled before can be reused
      (fresh) => ({ program: fresh ? bytes.slice() : URL_, determinism: { seed: golden.seed, epoch: golden.epoch } }),
    );
    assertEqual(reports.length, RUNS, 'runs');
    expectIdentical(reports);
    expectVirtualTime(reports[0], EPOCH_S);
    expectGolden(reports[0], golden); // the same bytes Node gives
  });
});
