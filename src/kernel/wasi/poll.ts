// poll_oneoff: waits for the first of some events. Every descriptor in this version is ready at
// once (files, and channels whose bytes are already in the worker), so a poll either reports
// those at once or, with only clocks to wait for, sleeps until the earliest — which on the
// virtual clock just moves time forward.
import { CLOCK_COUNT, Errno, EventType, Layout, SubclockFlags } from '../abi.js';
import type { Context, Syscalls } from '../context.js';
import { fail } from '../errors.js';
import type { Descriptor } from '../descriptors.js';
import { unknownKind } from '../fs/nodes.js';

interface Event {
  userdata: bigint;
  error: number;
  type: EventType;
  nbytes: number;
}

/** Bytes a read on `d` would return now, without waiting. */
function readable(d: Descriptor): number {
  const node = d.node;
  switch (node.kind) {
    case 'file':
      return Math.max(0, node.size - d.position);
    case 'device':
      return node.device.available();
    case 'dir':
      return 0;
    default:
      return unknownKind(node);
  }
}

export function pollCalls(ctx: Context): Syscalls {
  const { mem } = ctx; // the rest is read per call: a kernel is loaded after it is made

  /** An fd subscription's event: how much can be read (or that a write will not block). */
  function fdEvent(userdata: bigint, type: EventType, fd: number): Event {
    const event: Event = { userdata, error: 0, type, nbytes: 0 };
    try {
      const d = ctx.fds.get(fd);
      if (type === EventType.FD_READ) event.nbytes = readable(d);
    } catch (errno) {
      if (typeof errno !== 'number') throw errno;
      event.error = errno;
    }
    return event;
  }

  return {
    poll_oneoff(inPtr: number, outPtr: number, count: number, neventsPtr: number) {
      count >>>= 0;
      if (count === 0) fail(Errno.INVAL);
      const subs = mem.check(inPtr, count * Layout.SUBSCRIPTION_SIZE);
      const events = mem.check(outPtr, count * Layout.EVENT_SIZE);
      mem.check(neventsPtr, 4);
      const ready: Event[] = [];
      const timers: { userdata: bigint; wait: bigint }[] = [];
      for (let i = 0; i < count; i++) {
        const at = subs + i * Layout.SUBSCRIPTION_SIZE;
        const view = mem.view;
        const userdata = view.getBigUint64(at, true);
        const type = view.getUint8(at + 8);
        if (type === EventType.CLOCK) {
          const id = view.getUint32(at + 16, true);
          if (id >= CLOCK_COUNT) {
            ready.push({ userdata, error: Errno.INVAL, type, nbytes: 0 });
            continue;
          }
          const timeout = view.getBigUint64(at + 24, true);
          const absolute = (view.getUint16(at + 40, true) & SubclockFlags.ABSTIME) !== 0;
          const wait = absolute ? timeout - ctx.clock.now(id) : timeout;
          timers.push({ userdata, wait: wait > 0n ? wait : 0n });
        } else if (type === EventType.FD_READ || type === EventType.FD_WRITE) {
          ready.push(fdEvent(userdata, type, view.getUint32(at + 16, true)));
        } else fail(Errno.INVAL);
      }
      if (ready.length === 0) {
        // Only clocks: sleep until the earliest, and report every clock due by then.
        let soonest = timers[0].wait;
        for (const t of timers) if (t.wait < soonest) soonest = t.wait;
        if (soonest > 0n) ctx.clock.sleep(soonest);
        for (const t of timers) if (t.wait <= soonest) ready.push({ userdata: t.userdata, error: 0, type: EventType.CLOCK, nbytes: 0 });
      }
      const view = mem.view;
      ready.forEach((e, i) => {
        const at = events + i * Layout.EVENT_SIZE;
        view.setBigUint64(at, e.userdata, true);
        view.setUint16(at + 8, e.error, true);
        view.setUint8(at + 10, e.type);
        for (let b = 11; b < 16; b++) view.setUint8(at + b, 0);
        mem.setU64n(at + 16, e.nbytes);
        view.setUint16(at + 24, 0, true); // flags
        for (let b = 26; b < Layout.EVENT_SIZE; b++) view.setUint8(at + b, 0);
      });
      mem.setU32(neventsPtr, ready.length);
      return 0;
    },
  };
}
