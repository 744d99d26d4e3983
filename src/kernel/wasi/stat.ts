// What fd_* and path_* calls share about a node: its filestat, and setting its times.
import { Errno, FstFlags } from '../abi.js';
import { fail } from '../errors.js';
import { type Node, unknownKind } from '../fs/nodes.js';
import { encode, type GuestMemory } from '../memory.js';

/** What a directory reports as its size: a fixed figure, as a disk filesystem would (one block). */
const DIR_SIZE = 4096;

export function sizeOf(node: Node): number {
  switch (node.kind) {
    case 'file':
      return node.size;
    case 'dir':
      return DIR_SIZE;
    case 'symlink':
      return encode(node.target).length;
    case 'device':
      return 0;
    default:
      return unknownKind(node);
  }
}

/** Writes a filestat (64 bytes: dev, ino, filetype, nlink, size, atim, mtim, ctim). */
export function writeFilestat(mem: GuestMemory, ptr: number, node: Node): void {
  ptr = mem.check(ptr, 64);
  const view = mem.view;
  view.setBigUint64(ptr, 0n, true);
  view.setBigUint64(ptr + 8, node.ino, true);
  view.setBigUint64(ptr + 16, 0n, true); // filetype and padding
  view.setUint8(ptr + 16, node.filetype);
  mem.setU64n(ptr + 24, node.nlink);
  mem.setU64n(ptr + 32, sizeOf(node));
  view.setBigUint64(ptr + 40, node.atim, true);
  view.setBigUint64(ptr + 48, node.mtim, true);
  view.setBigUint64(ptr + 56, node.ctim, true);
}

/** fd_filestat_set_times / path_filestat_set_times: a time given, "now", or left alone. */
export function setTimes(node: Node, atim: bigint, mtim: bigint, flags: number, now: () => bigint): void {
  if (flags & ~15) fail(Errno.INVAL);
  if (node.area.readonly) fail(Errno.ROFS);
  if ((flags & FstFlags.ATIM && flags & FstFlags.ATIM_NOW) || (flags & FstFlags.MTIM && flags & FstFlags.MTIM_NOW)) fail(Errno.INVAL);
  const time = flags & (FstFlags.ATIM_NOW | FstFlags.MTIM_NOW) ? now() : 0n;
  if (flags & FstFlags.ATIM) node.atim = atim;
  else if (flags & FstFlags.ATIM_NOW) node.atim = time;
  if (flags & FstFlags.MTIM) node.mtim = mtim;
  else if (flags & FstFlags.MTIM_NOW) node.mtim = time;
  node.ctim = flags ? now() : node.ctim;
}
