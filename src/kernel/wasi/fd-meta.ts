// The descriptor calls that move no file bytes: status, flags, rights, sizes, times, preopens,
// closing and renumbering, advice and syncs, and reading directories.
import { Errno, FDFLAGS_ALL, Layout, Right, RIGHTS_ALL } from '../abi.js';
import type { Context, Syscalls } from '../context.js';
import { fileOf, holding } from '../descriptors.js';
import { fail } from '../errors.js';
import { MAX_FILE_BYTES } from '../fs/file-bytes.js';
import type { DirNode, Node } from '../fs/nodes.js';
import { encode, u64 } from '../memory.js';
import { setTimes, writeFilestat } from './stat.js';

const ADVICE_MAX = 5; // normal, sequential, random, willneed, dontneed, noreuse

/** Rights from the guest (a u64) as the number the kernel keeps; bits past the 30 defined are dropped. */
export function rightsOf(value: bigint): number {
  return Number(u64(value) & BigInt(RIGHTS_ALL));
}

/** A directory's entries as fd_readdir lists them: ".", "..", then the rest in order made. */
function listing(dir: DirNode): [string, Node][] {
  return [['.', dir], ['..', dir.parent ?? dir], ...dir.entries];
}

export function fdMetaCalls(ctx: Context): Syscalls {
  const { mem } = ctx; // the rest is read per call: a kernel is loaded after it is made
  return {
    fd_advise(fd: number, _offset: bigint, _len: bigint, advice: number) {
      fileOf(ctx.fds.get(fd, Right.FD_ADVISE).node, Errno.BADF);
      if (advice >>> 0 > ADVICE_MAX) fail(Errno.INVAL);
      return 0;
    },

    fd_allocate(fd: number, offset: bigint, len: bigint) {
      const file = fileOf(ctx.fds.get(fd, Right.FD_ALLOCATE).node, Errno.NODEV);
      if (u64(len) === 0n) fail(Errno.INVAL);
      const end = u64(offset) + u64(len);
      if (end > BigInt(MAX_FILE_BYTES)) fail(Errno.FBIG);
      if (Number(end) > file.size) {
        file.bytes.resize(Number(end));
        ctx.fs.touch(file);
      }
      return 0;
    },

    fd_close(fd: number) {
      ctx.fds.close(fd);
      return 0;
    },

    fd_datasync(fd: number) {
      ctx.fds.get(fd, Right.FD_DATASYNC);
      return 0; // memory is as durable as it gets
    },

    fd_sync(fd: number) {
      ctx.fds.get(fd, Right.FD_SYNC);
      return 0;
    },

    fd_fdstat_get(fd: number, out: number) {
      const d = ctx.fds.get(fd);
      const ptr = mem.check(out, Layout.FDSTAT_SIZE);
      const view = mem.view;
      view.setUint8(ptr, d.node.filetype);
      view.setUint8(ptr + 1, 0);
      view.setUint16(ptr + 2, d.flags, true);
      view.setUint32(ptr + 4, 0, true);
      mem.setU64n(ptr + 8, d.rights);
      mem.setU64n(ptr + 16, d.inheriting);
      return 0;
    },

    fd_fdstat_set_flags(fd: number, flags: number) {
      const d = ctx.fds.get(fd, Right.FD_FDSTAT_SET_FLAGS);
      if (flags & ~FDFLAGS_ALL) fail(Errno.INVAL);
      d.flags = flags;
      return 0;
    },

    fd_fdstat_set_rights(fd: number, base: bigint, inheriting: bigint) {
      const d = ctx.fds.get(fd);
      const b = rightsOf(base);
      const i = rightsOf(inheriting);
      // Rights can only be dropped, never gained.
      if ((b & ~d.rights) !== 0 || (i & ~d.inheriting) !== 0) fail(Errno.NOTCAPABLE);
      d.rights = b;
      d.inheriting = i;
      return 0;
    },

    fd_filestat_get(fd: number, out: number) {
      const d = ctx.fds.get(fd, Right.FD_FILESTAT_GET);
      writeFilestat(mem, out, d.node);
      return 0;
    },

    fd_filestat_set_size(fd: number, size: bigint) {
      const file = fileOf(ctx.fds.get(fd, Right.FD_FILESTAT_SET_SIZE).node, Errno.INVAL);
      if (u64(size) > BigInt(MAX_FILE_BYTES)) fail(Errno.FBIG);
      file.bytes.resize(Number(u64(size)));
      ctx.fs.touch(file);
      return 0;
    },

    fd_filestat_set_times(fd: number, atim: bigint, mtim: bigint, flags: number) {
      setTimes(ctx.fds.get(fd, Right.FD_FILESTAT_SET_TIMES).node, u64(atim), u64(mtim), flags, () => ctx.clock.now(0));
      return 0;
    },

    fd_prestat_get(fd: number, out: number) {
      const d = ctx.fds.get(fd);
      if (d.preopen === null) fail(Errno.BADF);
      const ptr = mem.check(out, Layout.PRESTAT_SIZE);
      mem.view.setUint32(ptr, 0, true); // tag: a directory
      mem.view.setUint32(ptr + 4, encode(d.preopen).length, true);
      return 0;
    },

    fd_prestat_dir_name(fd: number, buf: number, len: number) {
      const d = ctx.fds.get(fd);
      if (d.preopen === null) fail(Errno.BADF);
      const name = encode(d.preopen);
      if (len >>> 0 < name.length) fail(Errno.NAMETOOLONG);
      mem.bytes(buf, name.length).set(name);
      return 0;
    },

    fd_renumber(from: number, to: number) {
      ctx.fds.renumber(from, to);
      return 0;
    },

    fd_readdir(fd: number, buf: number, len: number, cookie: bigint, out: number) {
      const d = ctx.fds.get(fd);
      if (d.node.kind !== 'dir') fail(Errno.NOTDIR);
      holding(d, Right.FD_READDIR);
      const target = mem.bytes(buf, len);
      mem.check(out, 4);
      const entries = listing(d.node);
      const start = u64(cookie);
      let used = 0;
      // Each entry: d_next, d_ino (u64), d_namlen (u32), d_type (u8), padding, then the name. The
      // last may be cut off: a full buffer tells the guest to call again from the last cookie.
      for (let i = start > BigInt(entries.length) ? entries.length : Number(start); i < entries.length && used < target.length; i++) {
        const [name, node] = entries[i];
        const bytes = encode(name);
        const entry = new Uint8Array(Layout.DIRENT_SIZE + bytes.length);
        const view = new DataView(entry.buffer);
        view.setBigUint64(0, BigInt(i + 1), true);
        view.setBigUint64(8, node.ino, true);
        view.setUint32(16, bytes.length, true);
        view.setUint8(20, node.filetype);
        entry.set(bytes, Layout.DIRENT_SIZE);
        const n = Math.min(entry.length, target.length - used);
        target.set(entry.subarray(0, n), used);
        used += n;
      }
      mem.setU32(out, used);
      return 0;
    },
  };
}
