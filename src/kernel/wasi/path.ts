// The path_* calls: every path is resolved from a directory descriptor by Filesystem.resolve,
// which keeps the guest inside that directory.
import { Errno, FDFLAGS_ALL, LookupFlags, OFlags, Right } from '../abi.js';
import type { Context, Syscalls } from '../context.js';
import { Descriptor, holding, rightsFor } from '../descriptors.js';
import { fail } from '../errors.js';
import type { Follow, Resolved } from '../fs/filesystem.js';
import type { DirNode, Node } from '../fs/nodes.js';
import { encode, u64 } from '../memory.js';
import { rightsOf } from './fd-meta.js';
import { setTimes, writeFilestat } from './stat.js';

/** The lookup flags' SYMLINK_FOLLOW bit as a Follow mode. */
const followOf = (flags: number): Follow => (flags & LookupFlags.SYMLINK_FOLLOW ? 'follow' : 'nofollow');

/** A resolved path that must name something. */
function existing(r: Resolved): Node {
  if (r.node === undefined) fail(Errno.NOENT);
  return r.node;
}

/** A resolved path where something is to be made: its name must be free, and only a directory may be named "name/". */
function vacant(r: Resolved, makingDir = false): DirNode {
  if (r.parent === null || r.node !== undefined) fail(Errno.EXIST);
  if (r.slash && !makingDir) fail(Errno.NOENT);
  return r.parent;
}

export function pathCalls(ctx: Context): Syscalls {
  const { mem } = ctx; // the rest is read per call: a kernel is loaded after it is made

  /** Resolves the guest's path from directory descriptor `d`, which must hold `right`. */
  function resolveFrom(d: Descriptor, right: Right, ptr: number, len: number, follow: Follow): Resolved {
    if (d.node.kind !== 'dir') fail(Errno.NOTDIR);
    holding(d, right);
    return ctx.fs.resolve(d.node, mem.string(ptr, len), follow);
  }

  const resolve = (fd: number, right: Right, ptr: number, len: number, follow: Follow) => resolveFrom(ctx.fds.get(fd), right, ptr, len, follow);

  return {
    path_create_directory(fd: number, ptr: number, len: number) {
      const r = resolve(fd, Right.PATH_CREATE_DIRECTORY, ptr, len, 'name');
      const parent = vacant(r, true);
      ctx.fs.add(parent, r.name, ctx.fs.newDir(parent));
      return 0;
    },

    path_filestat_get(fd: number, flags: number, ptr: number, len: number, out: number) {
      const r = resolve(fd, Right.PATH_FILESTAT_GET, ptr, len, followOf(flags));
      mem.check(out, 64);
      writeFilestat(mem, out, existing(r));
      return 0;
    },

    path_filestat_set_times(fd: number, flags: number, ptr: number, len: number, atim: bigint, mtim: bigint, fst: number) {
      const r = resolve(fd, Right.PATH_FILESTAT_SET_TIMES, ptr, len, followOf(flags));
      setTimes(existing(r), u64(atim), u64(mtim), fst, () => ctx.clock.now(0));
      return 0;
    },

    path_link(oldFd: number, oldFlags: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number) {
      const from = resolve(oldFd, Right.PATH_LINK_SOURCE, oldPtr, oldLen, followOf(oldFlags));
      const to = resolve(newFd, Right.PATH_LINK_TARGET, newPtr, newLen, 'name');
      const node = existing(from);
      if (node.kind === 'dir') fail(Errno.PERM); // no hard links to directories
      const parent = vacant(to);
      ctx.fs.add(parent, to.name, node);
      node.nlink++;
      node.ctim = ctx.fs.now();
      return 0;
    },

    path_open(
      fd: number, dirflags: number, ptr: number, len: number, oflags: number,
      base: bigint, inheriting: bigint, fdflags: number, out: number,
    ) {
      const dir = ctx.fds.get(fd);
      let need = Right.PATH_OPEN;
      if (oflags & OFlags.CREAT) need |= Right.PATH_CREATE_FILE;
      if (oflags & OFlags.TRUNC) need |= Right.PATH_FILESTAT_SET_SIZE;
      // O_EXCL promises a new file: a final symlink, even a dangling one, is not followed but found.
      const exclusive = (oflags & OFlags.CREAT) !== 0 && (oflags & OFlags.EXCL) !== 0;
      const r = resolveFrom(dir, need, ptr, len, exclusive ? 'nofollow' : followOf(dirflags));
      mem.check(out, 4);
      if (fdflags & ~FDFLAGS_ALL) fail(Errno.INVAL);
      ctx.fds.room(); // a full table must not leave a file made or truncated behind
      const wanted = rightsOf(base);
      let node = r.node;
      if (node === undefined) {
        if (!(oflags & OFlags.CREAT)) fail(Errno.NOENT);
        if (oflags & OFlags.DIRECTORY) fail(Errno.INVAL);
        if (r.parent === null || r.slash) fail(Errno.ISDIR); // path_open makes files, and "name/" is a directory
        node = ctx.fs.newFile(r.parent);
        ctx.fs.add(r.parent, r.name, node);
      } else {
        if (exclusive) fail(Errno.EXIST);
        if (node.kind === 'symlink') fail(Errno.LOOP); // a final symlink, not followed
        if (oflags & OFlags.DIRECTORY && node.kind !== 'dir') fail(Errno.NOTDIR);
        if (node.kind === 'dir' && (wanted & Right.FD_WRITE || oflags & (OFlags.TRUNC | OFlags.CREAT))) fail(Errno.ISDIR);
        if (node.area.readonly && (wanted & Right.FD_WRITE || oflags & OFlags.TRUNC)) fail(Errno.ROFS);
        // A volume file's first open brings its bytes in (waiting: nothing has changed yet), unless they are cut away.
        if (node.kind === 'file' && !(oflags & OFlags.TRUNC)) ctx.fs.load(node, ctx.waiter);
        if (oflags & OFlags.TRUNC && node.kind === 'file' && node.size > 0) {
          node.bytes.resize(0);
          ctx.fs.touch(node);
        }
      }
      const rights = wanted & dir.inheriting & rightsFor(node);
      const opened = new Descriptor(node, rights, rightsOf(inheriting) & dir.inheriting, fdflags);
      mem.setU32(out, ctx.fds.add(opened));
      return 0;
    },

    path_readlink(fd: number, ptr: number, len: number, buf: number, bufLen: number, out: number) {
      const r = resolve(fd, Right.PATH_READLINK, ptr, len, 'nofollow');
      const target = mem.bytes(buf, bufLen);
      mem.check(out, 4);
      const node = existing(r);
      if (node.kind !== 'symlink') fail(Errno.INVAL);
      const bytes = encode(node.target);
      const n = Math.min(bytes.length, target.length); // cut to fit, as readlink(2) does
      target.set(bytes.subarray(0, n));
      mem.setU32(out, n);
      return 0;
    },

    path_remove_directory(fd: number, ptr: number, len: number) {
      const r = resolve(fd, Right.PATH_REMOVE_DIRECTORY, ptr, len, 'name');
      const node = existing(r);
      if (r.parent === null) fail(r.name === '.' ? Errno.INVAL : Errno.NOTEMPTY);
      if (node.kind !== 'dir') fail(Errno.NOTDIR);
      if (node.entries.size > 0) fail(Errno.NOTEMPTY);
      ctx.fs.remove(r.parent, r.name, node);
      return 0;
    },

    path_rename(fd: number, oldPtr: number, oldLen: number, newFd: number, newPtr: number, newLen: number) {
      const from = resolve(fd, Right.PATH_RENAME_SOURCE, oldPtr, oldLen, 'name');
      const to = resolve(newFd, Right.PATH_RENAME_TARGET, newPtr, newLen, 'name');
      const node = existing(from);
      if (from.parent === null || to.parent === null) fail(Errno.BUSY);
      // "name/" names a directory: a file or a link so named is ENOTDIR, as on Linux
      if ((from.slash || to.slash) && node.kind !== 'dir') fail(Errno.NOTDIR);
      ctx.fs.rename(from.parent, from.name, node, to.parent, to.name, to.node);
      return 0;
    },

    path_symlink(oldPtr: number, oldLen: number, fd: number, newPtr: number, newLen: number) {
      const target = mem.string(oldPtr, oldLen);
      const r = resolve(fd, Right.PATH_SYMLINK, newPtr, newLen, 'name');
      // As wasmtime: an absolute target, which could never be followed inside the VM, is EPERM
      // (cap-std's escape_attempt; node:wasi says the same); an empty one is ENOENT, symlink(2)'s
      // answer there (node:wasi says EINVAL).
      if (target.startsWith('/')) fail(Errno.PERM);
      if (target === '') fail(Errno.NOENT);
      const parent = vacant(r);
      ctx.fs.add(parent, r.name, ctx.fs.newSymlink(parent, target));
      return 0;
    },

    path_unlink_file(fd: number, ptr: number, len: number) {
      const r = resolve(fd, Right.PATH_UNLINK_FILE, ptr, len, 'name');
      const node = existing(r);
      if (r.parent === null || node.kind === 'dir') fail(Errno.ISDIR);
      if (r.slash) fail(Errno.NOTDIR); // "name/" names a directory, and this is not one (a link to one is not)
      ctx.fs.remove(r.parent, r.name, node);
      return 0;
    },
  };
}
