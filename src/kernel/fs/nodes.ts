// The in-memory filesystem's nodes: regular files, directories, symlinks and devices.
import { Errno, Filetype } from '../abi.js';
import { fail } from '../errors.js';

/** Largest file the kernel will hold: a guest asking for more gets EFBIG, not a host crash. */
export const MAX_FILE_BYTES = 2 ** 31;

export interface Times {
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

abstract class BaseNode implements Times {
  nlink = 1;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
  abstract readonly filetype: Filetype;
  constructor(
    readonly ino: bigint,
    now: bigint,
  ) {
    this.atim = this.mtim = this.ctim = now;
  }
}

export class FileNode extends BaseNode {
  readonly filetype = Filetype.REGULAR_FILE;
  /** Bytes [0, size) are the file; the rest is spare capacity, always zero. */
  data: Uint8Array;
  size: number;
  /** `data` is still the image's own buffer: copied before the first change, so the image is never written. */
  private borrowed: boolean;

  constructor(ino: bigint, now: bigint, data?: Uint8Array) {
    super(ino, now);
    this.data = data ?? new Uint8Array(0);
    this.size = this.data.length;
    this.borrowed = data !== undefined;
  }

  /** Makes room for `end` bytes, and makes them this file's own; grows by doubling so that appends stay linear. */
  reserve(end: number): void {
    if (end > MAX_FILE_BYTES) fail(Errno.FBIG);
    const room = end <= this.data.length;
    if (room && !this.borrowed) return;
    const grown = new Uint8Array(room ? this.data.length : Math.min(MAX_FILE_BYTES, Math.max(end, this.data.length * 2, 256)));
    grown.set(this.data.subarray(0, this.size));
    this.data = grown;
    this.borrowed = false;
  }

  /** Sets the size; bytes past the old end read as zeros. */
  resize(size: number): void {
    this.reserve(Math.max(size, this.size));
    this.data.fill(0, size, this.size); // nothing to clear when growing
    this.size = size;
  }
}

export class DirNode extends BaseNode {
  readonly filetype = Filetype.DIRECTORY;
  /** In the order entries were made: listings are the same every run. */
  readonly entries = new Map<string, Node>();
  /** Removed from the tree (rmdir) while a descriptor still refers to it: nothing may be made in it. */
  removed = false;

  constructor(
    ino: bigint,
    now: bigint,
    public parent: DirNode | null,
  ) {
    super(ino, now);
  }

  /** True when `other` is this directory or lies inside it. */
  contains(other: DirNode): boolean {
    for (let d: DirNode | null = other; d; d = d.parent) if (d === this) return true;
    return false;
  }
}

export class SymlinkNode extends BaseNode {
  readonly filetype = Filetype.SYMBOLIC_LINK;
  constructor(
    ino: bigint,
    now: bigint,
    readonly target: string,
  ) {
    super(ino, now);
  }
}

/**
 * A character device: a channel (stdin, stdout, stderr) or /dev/null. Reads and writes are per
 * call, so that a device can count calls and bytes and refuse past a quota.
 */
export interface Device {
  readonly readable: boolean;
  readonly writable: boolean;
  /** Reads into the guest's iovecs (already checked); returns the bytes read. */
  read(u8: Uint8Array, view: DataView, iovs: number, count: number, total: number): number;
  /** Writes from the guest's iovecs (already checked); returns the bytes written. */
  write(u8: Uint8Array, view: DataView, iovs: number, count: number, total: number): number;
  /** Bytes a read would return now without waiting (for poll_oneoff). */
  available(): number;
}

export class DeviceNode extends BaseNode {
  readonly filetype = Filetype.CHARACTER_DEVICE;
  constructor(
    ino: bigint,
    now: bigint,
    readonly device: Device,
  ) {
    super(ino, now);
  }
}

export type Node = FileNode | DirNode | SymlinkNode | DeviceNode;
