// The worker's end of the run box (RunState in contract/link.ts): between runs, a worker with a
// shared link waits for the host to put its next request in the shared block, so that a warm run
// costs no message either way.
import { LinkWord, RunState, type SharedLink } from '../contract/link.js';
import type { VmRequest } from '../contract/protocol.js';
import type { LastRequest } from './last-request.js';

/**
 * How long an idle worker stays blocked on RunState before it waits from its event loop instead.
 * A run right behind the last (a page running VMs one after another) then wakes it in a few
 * microseconds, where a task on the event loop costs tens of them. Blocked, the thread spends no CPU.
 */
const HOLD_MS = 25;

export class RunBell {
  /** Counts waits: a waitAsync that settles after a newer wait began is not looked at. */
  private waits = 0;

  /** `take` runs a request; `again`: the same object as the last one read by `requests` (see last-request.ts). */
  constructor(
    private link: SharedLink,
    private requests: LastRequest,
    private take: (request: VmRequest, again: boolean) => void,
  ) {}

  /** Runs may come through the box from now on: said before a run's reply can be seen. */
  ready(): void {
    Atomics.store(this.link.words, LinkWord.RunState, RunState.Listening);
  }

  /** Waits for the next run: blocked for HOLD_MS, then on the event loop, where messages come too. */
  wait(): void {
    const waits = ++this.waits;
    Atomics.wait(this.link.words, LinkWord.RunState, RunState.Listening, HOLD_MS);
    this.check(waits);
  }

  private check(waits: number): void {
    if (waits !== this.waits) return;
    const words = this.link.words;
    if (Atomics.load(words, LinkWord.RunState) === RunState.Requested) return this.answer();
    if (typeof Atomics.waitAsync === 'function') {
      const pending = Atomics.waitAsync(words, LinkWord.RunState, RunState.Listening);
      if (pending.async) void pending.value.then(() => this.check(waits));
      else if (Atomics.load(words, LinkWord.RunState) === RunState.Requested) this.answer();
      return;
    }
    // No waitAsync (an older engine): away from the box, so the next run comes as a message.
    if (Atomics.compareExchange(words, LinkWord.RunState, RunState.Listening, RunState.Away) === RunState.Requested) this.answer();
  }

  private answer(): void {
    this.waits++;
    const words = this.link.words;
    const size = Atomics.load(words, LinkWord.RunBytes);
    const run = Atomics.load(words, LinkWord.RunNumber);
    Atomics.store(words, LinkWord.RunState, RunState.Away);
    if (size > 0) {
      const { request, again } = this.requests.read(this.link.box, size, run);
      this.take(request, again);
    }
    // else the request comes as a message, which the event loop brings once this returns
  }
}
