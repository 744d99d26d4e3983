// fd_read, fd_write, fd_pread, fd_pwrite, fd_seek, fd_tell: moving bytes through a descriptor.
// Every iovec is checked before anything moves, so a bad pointer fails the call with no effect.
import { Errno, FdFlags, Right, Whence } from '../abi.js';
import { WOULD_BLOCK } from '../blocking.js';
import type { Context, Syscalls } from '../context.js';
import { type Descriptor, fileOf, holding } from '../descriptors.js';
import { fail } from '../errors.js';
import type { DeviceNode, FileNode } from '../fs/nodes.js';
import { type GuestMemory, u64 } from '../memory.js';

/** Copies file bytes from `pos` into the iovecs; returns the bytes copied. */
function readFile(mem: GuestMemory, file: FileNode, iovs: number, count: number, pos: number): number {
  const { u8, view } = mem;
  let done = 0;
  for (let i = 0, at = iovs; i < count && pos < file.size; i++, at += 8) {
    const n = file.bytes.read(u8, view.getUint32(at, true), pos, view.getUint32(at + 4, true));
    pos += n;
    done += n;
  }
  return done;
}

/** Copies the iovecs into the file at `pos`, growing it as needed; returns the bytes written. */
function writeFile(ctx: Context, file: FileNode, iovs: number, count: number, total: number, pos: number): number {
  file.bytes.reserve(pos + total); // EFBIG or ENOSPC before a byte is written
  const { u8, view } = ctx.mem;
  for (let i = 0, at = iovs; i < count; i++, at += 8) {
    const len = view.getUint32(at + 4, true);
    file.bytes.write(u8, view.getUint32(at, true), pos, len);
    pos += len;
  }
  if (total > 0) ctx.fs.touch(file);
  return total;
}

/** The file behind a descriptor that is to be read or written at an offset: ESPIPE for devices. */
const seekable = (d: Descriptor): FileNode => fileOf(d.node, Errno.SPIPE);

/** What a read or write moves bytes through: EISDIR for a directory before any rights question. */
function stream(d: Descriptor, right: Right): FileNode | DeviceNode {
  const node = d.node;
  if (node.kind === 'dir') fail(Errno.ISDIR);
  holding(d, right);
  return node;
}

/** A guest offset (u64 as BigInt) as a Number; EINVAL past what a file can hold. */
function offsetOf(offset: bigint): number {
  offset = u64(offset);
  if (offset > BigInt(Number.MAX_SAFE_INTEGER)) fail(Errno.INVAL);
  return Number(offset);
}

export function fdIoCalls(ctx: Context): Syscalls {
  const { mem } = ctx; // the rest is read per call: a kernel is loaded after it is made

  return {
    fd_read(fd: number, iovs: number, count: number, out: number) {
      const d = ctx.fds.get(fd);
      const node = stream(d, Right.FD_READ);
      const total = mem.iovecs(iovs, count);
      mem.check(out, 4);
      iovs >>>= 0;
      let n: number;
      if (node.kind === 'device') {
        const device = node.device;
        // A live channel may have nothing yet: wait (or, non-blocking, EAGAIN) and read again.
        for (;;) {
          const mark = ctx.waiter.mark();
          n = device.read(mem.u8, mem.view, iovs, count, total);
          if (n !== WOULD_BLOCK) break;
          if (d.flags & FdFlags.NONBLOCK) device.again();
          ctx.waiter.wait(mark, Infinity);
        }
      } else {
        n = readFile(mem, node, iovs, count, d.position);
        d.position += n;
      }
      mem.setU32(out, n);
      return 0;
    },

    fd_write(fd: number, iovs: number, count: number, out: number) {
      const d = ctx.fds.get(fd);
      const node = stream(d, Right.FD_WRITE);
      const total = mem.iovecs(iovs, count);
      mem.check(out, 4);
      iovs >>>= 0;
      let n: number;
      if (node.kind === 'device') {
        const device = node.device;
        // A live sink may be full: wait for the page to take some (or, non-blocking, EAGAIN).
        for (;;) {
          const mark = ctx.waiter.mark();
          n = device.write(mem.u8, mem.view, iovs, count, total);
          if (n !== WOULD_BLOCK) break;
          if (d.flags & FdFlags.NONBLOCK) fail(Errno.AGAIN);
          ctx.waiter.wait(mark, Infinity);
        }
      } else {
        if (d.flags & FdFlags.APPEND) d.position = node.size;
        n = writeFile(ctx, node, iovs, count, total, d.position);
        d.position += n;
      }
      mem.setU32(out, n);
      return 0;
    },

    fd_pread(fd: number, iovs: number, count: number, offset: bigint, out: number) {
      const d = ctx.fds.get(fd);
      const file = seekable(d); // a device cannot seek (ESPIPE), whatever its rights
      holding(d, Right.FD_READ | Right.FD_SEEK);
      mem.iovecs(iovs, count);
      mem.check(out, 4);
      mem.setU32(out, readFile(mem, file, iovs >>> 0, count, offsetOf(offset)));
      return 0;
    },

    fd_pwrite(fd: number, iovs: number, count: number, offset: bigint, out: number) {
      const d = ctx.fds.get(fd);
      const file = seekable(d);
      holding(d, Right.FD_WRITE | Right.FD_SEEK);
      const total = mem.iovecs(iovs, count);
      mem.check(out, 4);
      mem.setU32(out, writeFile(ctx, file, iovs >>> 0, count, total, offsetOf(offset)));
      return 0;
    },

    fd_seek(fd: number, offset: bigint, whence: number, out: number) {
      const d = ctx.fds.get(fd);
      const file = seekable(d); // a device cannot seek (ESPIPE), whatever its rights
      // Asking where one is (0 from the current offset) needs only FD_TELL.
      holding(d, whence === Whence.CUR && offset === 0n ? Right.FD_TELL : Right.FD_SEEK);
      mem.check(out, 8);
      const delta = Number(offset); // signed: whence decides from where
      let base: number;
      if (whence === Whence.SET) base = 0;
      else if (whence === Whence.CUR) base = d.position;
      else if (whence === Whence.END) base = file.size;
      else return fail(Errno.INVAL);
      const position = base + delta;
      if (position < 0 || !Number.isSafeInteger(position)) fail(Errno.INVAL);
      d.position = position;
      mem.setU64n(out, position);
      return 0;
    },

    fd_tell(fd: number, out: number) {
      const d = ctx.fds.get(fd);
      seekable(d);
      holding(d, Right.FD_TELL);
      mem.check(out, 8);
      mem.setU64n(out, d.position);
      return 0;
    },
  };
}
