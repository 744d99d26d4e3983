// The devices of one run, from its channel table: what each channel reads from or writes to —
// fixed bytes, the link's output, input that arrives over the link, a page function's replies.
import type { VmChannel } from '../contract/protocol.js';
import { RecordKind } from '../contract/ring.js';
import { Errno } from '../kernel/abi.js';
import { WOULD_BLOCK } from '../kernel/blocking.js';
import { type Backing, type FileLoader, inlineSource, type KernelChannel } from '../kernel/index.js';
import type { WorkerLink } from './link.js';
import { concatBytes } from '../contract/bytes.js';
import type { HostCalls } from '../kernel/extism/env.js';

/** A live input: bytes as they come over the link; the host is asked for more when a read finds none. */
function liveSource(link: WorkerLink, index: number): Backing {
  const { inbox } = link;
  let wanted = false;
  const want = () => {
    if (wanted) return;
    wanted = true;
    link.signal(RecordKind.Want, index);
  };
  return {
    read(dst, at, len) {
      link.pump();
      const n = inbox.read(index, dst, at, len);
      if (n === WOULD_BLOCK) want();
      else wanted = false;
      return n;
    },
    available: () => (link.pump(), inbox.available(index)),
    ready() {
      link.pump();
      if (inbox.ready(index)) return true;
      want();
      return false;
    },
    ended: () => inbox.atEnd(index),
  };
}

/**
 * A call channel, ZeroVM's request/response device: the bytes written form a request; the next
 * read sends it (an End record) and waits for the reply, read to its end (0); a write after that
 * starts the next request. A read with no request written returns 0.
 */
function callChannel(link: WorkerLink, index: number): Backing & Required<Pick<Backing, 'read' | 'write'>> {
  const { inbox } = link;
  let state: 'idle' | 'request' | 'waiting' | 'reply' = 'idle';
  /** A reply was left unread (a new request was written): it is dropped when it comes. */
  let unread = false;
  const send = () => {
    if (state === 'request') {
      link.signal(RecordKind.End, index);
      state = 'waiting';
    }
  };
  /** The reply is there to read (the one before, unread, dropped first). */
  const replyReady = () => {
    link.pump();
    if (unread) unread = !inbox.skipToEnd(index);
    return !unread && inbox.ready(index);
  };
  return {
    write(src, at, len) {
      if (state === 'reply' || state === 'waiting') unread = true;
      state = 'request';
      link.write(index, src, at, len);
    },
    written: () => link.written(),
    read(dst, at, len) {
      if (state === 'idle') return 0;
      send();
      if (!replyReady()) return WOULD_BLOCK;
      const n = inbox.read(index, dst, at, len);
      if (n === 0) {
        inbox.takeEnd(index);
        state = 'idle';
      } else state = 'reply';
      return n;
    },
    available: () => (replyReady() ? inbox.available(index) : 0),
    ready() {
      if (state === 'idle') return true;
      send();
      return replyReady();
    },
  };
}

/**
 * The volume loader: the host's own call channel (LOADER_CHANNEL), asked for one file's bytes at a
 * time — a request of two u32s (the volume's number, the file's origin), the file's bytes in reply.
 */
export function volumeLoader(link: WorkerLink, index: number): FileLoader {
  const call = callChannel(link, index);
  let asked = '';
  let bytes = EMPTY;
  let got = 0;
  return {
    load(volume, origin, size) {
      const key = `${volume}:${origin}`;
      if (key !== asked) {
        const request = new Uint8Array(8);
        const view = new DataView(request.buffer);
        view.setUint32(0, volume, true);
        view.setUint32(4, origin, true);
        call.write(request, 0, 8);
        asked = key;
        bytes = new Uint8Array(size);
        got = 0;
      }
      for (;;) {
        // Past the file's bytes, a read of one more finds the reply's end (0).
        const n = got < size ? call.read(bytes, got, size - got) : call.read(ONE, 0, 1);
        if (n === WOULD_BLOCK) return WOULD_BLOCK;
        if (n === 0) break;
        if (got === size) throw new Error(`the host sent more than the ${size} bytes of volume ${volume}'s file ${origin}`);
        got += n;
      }
      asked = '';
      if (got !== size) throw new Error(`the host sent ${got} of the ${size} bytes of volume ${volume}'s file ${origin}`);
      return bytes;
    },
  };
}

/**
 * A plugin's host calls (its user functions, http_request): each a request on the host's call
 * channel for it and the whole reply, waited for on the link — blocking, or suspending, when the
 * call is made again it asks nothing twice.
 */
export function hostCalls(link: WorkerLink): HostCalls {
  const askers = new Map<number, (request: Uint8Array) => Uint8Array | typeof WOULD_BLOCK>();
  const asker = (index: number) => {
    const call = callChannel(link, index);
    let pending = false;
    let parts: Uint8Array[] = [];
    return (request: Uint8Array): Uint8Array | typeof WOULD_BLOCK => {
      if (!pending) {
        call.write(request, 0, request.length);
        pending = true;
        parts = [];
      }
      for (;;) {
        const chunk = new Uint8Array(Math.max(1, call.available?.() ?? 0));
        const n = call.read(chunk, 0, chunk.length);
        if (n === WOULD_BLOCK) return WOULD_BLOCK;
        if (n === 0) break;
        parts.push(chunk.subarray(0, n));
      }
      pending = false;
      return parts.length === 1 ? parts[0] : concatBytes(parts);
    };
  };
  return {
    ask(channel, request) {
      let ask = askers.get(channel);
      if (!ask) askers.set(channel, (ask = asker(channel)));
      for (;;) {
        const mark = link.waiter.mark();
        const reply = ask(request);
        if (reply !== WOULD_BLOCK) return reply;
        link.waiter.wait(mark, Infinity);
      }
    },
  };
}

/** Replayed reads come from the record, never from here; what a replayed channel writes goes nowhere. */
const replayed: Backing = {
  read() {
    throw new Error('a replayed channel is read from its record');
  },
  write() {},
};

/** The run's devices, in table order. `replaying`: live inputs and calls answer from the record. */
export function devicesFor(channels: VmChannel[], link: WorkerLink, replaying: boolean): KernelChannel[] {
  return channels.map((c, index): KernelChannel => {
    const live = c.live && c.kind !== 'output';
    const device = (backing: Backing): KernelChannel => ({ path: c.path, backing, live, rules: c.spec });
    if (live && replaying) return device(replayed);
    switch (c.kind) {
      case 'input':
        return device(c.live ? liveSource(link, index) : inlineSource(c.bytes ?? EMPTY));
      case 'call':
        return device(callChannel(link, index));
      case 'output': {
        if (c.sink === 'discard') return device({ write() {} });
        const sink: Backing = { write: (src, at, len) => link.write(index, src, at, len), written: () => link.written() };
        // A live sink waits for the page's credit; replayed, it is captured (there is no page end).
        if (c.sink === 'live' && !replaying) {
          sink.room = (len) => {
            link.pump();
            link.inbox.check(index, Errno.PIPE); // the page's sink failed: nowhere for the bytes to go
            return link.room(index, len);
          };
        }
        return device(sink);
      }
      default:
        throw new Error(`unknown channel kind ${String(c.kind)}`);
    }
  });
}

const EMPTY = new Uint8Array(0);
const ONE = new Uint8Array(1);
