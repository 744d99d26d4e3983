// The host's one timer for every run's moments (timeouts, the first look at output): each fires
// once, in order, even when a sooner one is added after later ones; one taken back never fires.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Deadlines } from '../../src/host/deadlines.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Deadlines', () => {
  it('fires each deadline once, soonest first, whatever order they were added in; a cancelled one never', async () => {
    const deadlines = new Deadlines();
    const fired: string[] = [];
    const all = new Promise<void>((resolve) => {
      deadlines.add(60, () => fired.push('60 ms'));
      const gone = deadlines.add(40, () => fired.push('40 ms (cancelled)'));
      deadlines.add(20, () => fired.push('20 ms'));
      deadlines.add(80, () => {
        fired.push('80 ms');
        resolve();
      });
      deadlines.cancel(gone);
    });
    await all;
    await pause(50); // nothing fires twice
    assert.deepEqual(fired, ['20 ms', '60 ms', '80 ms']);
  });

  it('fires a deadline added from inside another one, and one added sooner than the timer was set for', async () => {
    const deadlines = new Deadlines();
    const fired: string[] = [];
    const later = deadlines.add(10_000, () => fired.push('never: the test ends first'));
    await new Promise<void>((resolve) => {
      deadlines.add(5, () => {
        fired.push('first');
        deadlines.add(5, () => {
          fired.push('added by the first');
          resolve();
        });
      });
    });
    deadlines.cancel(later);
    assert.deepEqual(fired, ['first', 'added by the first']);
  });
});
