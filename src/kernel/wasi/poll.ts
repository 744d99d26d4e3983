// poll_oneoff: waits for the first of some events. Files and fixed channels are always ready; a
// live channel is ready once its bytes (or its end) have come. With nothing ready, the poll waits
// for a live channel or the earliest clock: on the virtual clock, a wait for clocks alone just
// moves time on; a wait that involves a live channel really waits, and what it found (and the
// virtual time it took) is recorded so that a replay gives the same answer without waiting.
import { CLOCK_COUNT, Errno, EventType, Layout, SubclockFlags } from '../abi.js';
import type { Attempt } from '../blocking.js';
import type { Context, Syscalls } from '../context.js';
import { fail } from '../errors.js';
import { unknownKind } from '../fs/nodes.js';
import type { PollFired } from '../inputs.js';

/** eventrwflags: the input has ended. */
const HANGUP = 1;
const NS_PER_MS = 1_000_000;

interface Subscription {
  userdata: bigint;
  type: EventType;
  /** FD_READ/FD_WRITE: the descriptor; CLOCK: -1. */
  fd: number;
}

/** What a poll found ready, by subscription index. */
type Fired = PollFired & { error: number };

export function pollCalls(ctx: Context): Syscalls {
  const { mem } = ctx; // the rest is read per call: a kernel is loaded after it is made

  /** The subscriptions, and each clock's wait in ns (read once per call: a clock read moves virtual time). */
  function subscriptions(inPtr: number, count: number, attempt: Attempt & { waits?: (bigint | null)[] }): Subscription[] {
    const view = mem.view;
    const subs: Subscription[] = [];
    const waits: (bigint | null)[] = [];
    for (let i = 0; i < count; i++) {
      const at = inPtr + i * Layout.SUBSCRIPTION_SIZE;
      const userdata = view.getBigUint64(at, true);
      const type = view.getUint8(at + 8);
      if (type === EventType.CLOCK) {
        subs.push({ userdata, type, fd: -1 });
        if (attempt.waits) continue;
        const id = view.getUint32(at + 16, true);
        if (id >= CLOCK_COUNT) {
          waits.push(null);
          continue;
        }
        const timeout = view.getBigUint64(at + 24, true);
        const absolute = (view.getUint16(at + 40, true) & SubclockFlags.ABSTIME) !== 0;
        const wait = absolute ? timeout - ctx.clock.now(id) : timeout;
        waits.push(wait > 0n ? wait : 0n);
      } else if (type === EventType.FD_READ || type === EventType.FD_WRITE) {
        subs.push({ userdata, type, fd: view.getUint32(at + 16, true) });
      } else fail(Errno.INVAL);
    }
    attempt.waits ??= waits;
    return subs;
  }

  /** Whether an fd subscription is ready now, and what it says (or its error, which is an answer too). */
  function look(sub: Subscription, index: number): Fired | null {
    try {
      const d = ctx.fds.get(sub.fd);
      const node = d.node;
      if (sub.type === EventType.FD_WRITE) return { index, nbytes: 0, flags: 0, error: 0 };
      switch (node.kind) {
        case 'file':
          return { index, nbytes: Math.max(0, node.size - d.position), flags: 0, error: 0 };
        case 'dir':
          return { index, nbytes: 0, flags: 0, error: 0 };
        case 'device': {
          const device = node.device;
          if (!device.ready()) return null;
          return { index, nbytes: device.available(), flags: device.live && device.ended() ? HANGUP : 0, error: 0 };
        }
        default:
          return unknownKind(node);
      }
    } catch (errno) {
      if (typeof errno !== 'number') throw errno;
      return { index, nbytes: 0, flags: 0, error: errno };
    }
  }

  /** Whether a subscription is on a live channel (its readiness depends on timing). */
  function onLive(sub: Subscription): boolean {
    if (sub.fd < 0) return false;
    try {
      const node = ctx.fds.get(sub.fd).node;
      return node.kind === 'device' && node.device.live;
    } catch {
      return false;
    }
  }

  function answer(outPtr: number, neventsPtr: number, subs: Subscription[], fired: Fired[]): number {
    const view = mem.view;
    fired.forEach((f, i) => {
      const at = outPtr + i * Layout.EVENT_SIZE;
      const sub = subs[f.index];
      view.setBigUint64(at, sub.userdata, true);
      view.setUint16(at + 8, f.error, true);
      view.setUint8(at + 10, sub.type);
      for (let b = 11; b < 16; b++) view.setUint8(at + b, 0);
      mem.setU64n(at + 16, f.nbytes);
      view.setUint16(at + 24, f.flags, true);
      for (let b = 26; b < Layout.EVENT_SIZE; b++) view.setUint8(at + b, 0);
    });
    mem.setU32(neventsPtr, fired.length);
    return 0;
  }

  return {
    poll_oneoff(inPtr: number, outPtr: number, count: number, neventsPtr: number) {
      count >>>= 0;
      if (count === 0) fail(Errno.INVAL);
      inPtr = mem.check(inPtr, count * Layout.SUBSCRIPTION_SIZE);
      outPtr = mem.check(outPtr, count * Layout.EVENT_SIZE);
      mem.check(neventsPtr, 4);
      const attempt: Attempt & { waits?: (bigint | null)[] } = (ctx.attempt ??= {});
      const subs = subscriptions(inPtr, count, attempt);
      const waits = attempt.waits!;
      const live = subs.some(onLive);
      const clock = ctx.clock;

      // Clocks, by subscription index: an invalid clock id is an answer at once.
      const timers: { index: number; wait: bigint }[] = [];
      const invalid: Fired[] = [];
      let w = 0;
      subs.forEach((sub, index) => {
        if (sub.type !== EventType.CLOCK) return;
        const wait = waits[w++];
        if (wait === null) invalid.push({ index, nbytes: 0, flags: 0, error: Errno.INVAL });
        else timers.push({ index, wait });
      });
      let soonest: bigint | null = null;
      for (const t of timers) if (soonest === null || t.wait < soonest) soonest = t.wait;
      const due = () => timers.filter((t) => t.wait <= soonest!).map((t): Fired => ({ index: t.index, nbytes: 0, flags: 0, error: 0 }));

      if (live && ctx.inputs?.replaying) {
        const recorded = ctx.inputs.poll();
        if (clock.virtual && recorded.advancedNs > 0) clock.sleep(BigInt(recorded.advancedNs));
        return answer(outPtr, neventsPtr, subs, recorded.fired.map((f) => ({ ...f, error: 0 })));
      }

      attempt.started ??= performance.now();
      for (;;) {
        const mark = ctx.waiter.mark();
        const fired = [...invalid];
        subs.forEach((sub, index) => {
          if (sub.type === EventType.CLOCK) return;
          const found = look(sub, index);
          if (found) fired.push(found);
        });
        if (fired.length > 0) {
          if (live) {
            // Waited for input: on the virtual clock, the time it took passes (recorded for replay).
            const advancedNs = clock.virtual ? Math.round((performance.now() - attempt.started) * NS_PER_MS) : 0;
            if (advancedNs > 0) clock.sleep(BigInt(advancedNs));
            ctx.inputs?.record({ kind: 'poll', fired: fired.map(({ index, nbytes, flags }) => ({ index, nbytes, flags })), advancedNs });
          }
          return answer(outPtr, neventsPtr, subs, fired.sort((a, b) => a.index - b.index));
        }
        if (soonest === null && !live) fail(Errno.INVAL); // nothing to wait for (cannot happen: a non-live fd is ready)
        if (!live && (clock.virtual || !ctx.waiter.canWait)) {
          // Clocks alone: virtual time moves on at once; a real clock sleeps where it can.
          if (soonest! > 0n) clock.sleep(soonest!);
          return answer(outPtr, neventsPtr, subs, due());
        }
        // A real wait: for a live channel, or a realtime sleep.
        const deadline = (attempt.deadline ??= soonest === null ? Infinity : attempt.started + Number(soonest) / NS_PER_MS);
        if (performance.now() >= deadline) {
          // Before answering "nothing came", take in what the event loop holds (async mode).
          if (ctx.waiter.stale && !attempt.yielded) {
            attempt.yielded = true;
            ctx.waiter.wait(mark, deadline);
            continue;
          }
          if (clock.virtual && soonest! > 0n) clock.sleep(soonest!);
          if (live) ctx.inputs?.record({ kind: 'poll', fired: due().map(({ index }) => ({ index, nbytes: 0, flags: 0 })), advancedNs: clock.virtual ? Number(soonest) : 0 });
          return answer(outPtr, neventsPtr, subs, due());
        }
        ctx.waiter.wait(mark, deadline);
      }
    },
  };
}
