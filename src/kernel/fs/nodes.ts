// The in-memory filesystem's nodes: regular files, directories, symlinks and devices. `kind` tells
// them apart: code switches on it and TypeScript narrows the Node union, no instanceof needed.
import { Filetype } from '../abi.js';
import { type FileBudget, FileBytes } from './file-bytes.js';

export interface Times {
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

/**
 * A mounted subtree's rules, shared by every node in it: read-only (an image, a read-only volume:
 * EROFS), and the budget its files draw on (a volume's own, EDQUOT past it). Renames and links
 * never cross from one area to another (EXDEV), as between filesystems.
 */
export interface Area {
  readonly readonly: boolean;
  readonly budget: FileBudget;
}

abstract class BaseNode implements Times {
  nlink = 1;
  /** The mounted subtree it belongs to. */
  area!: Area;
  /** Descriptors open on this node. */
  opens = 0;
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

  /** Called when the last name and the last descriptor are gone. */
  forgotten(): void {}
}

export class FileNode extends BaseNode {
  readonly kind = 'file';
  readonly filetype = Filetype.REGULAR_FILE;
  readonly bytes: FileBytes;

  /** The volume snapshot's file this node was loaded from (see FsEntry), while its bytes are unchanged. */
  origin: number | undefined;
  /** The volume (its number among the run's mounts) whose host still holds this file's bytes; null once they came. */
  awaitedFrom: number | null = null;

  /** `image`: its bytes, or the size of bytes a volume's host gives when first asked (`awaitedFrom`). */
  constructor(ino: bigint, now: bigint, budget: FileBudget, image?: Uint8Array | { size: number; volume: number }, origin?: number) {
    super(ino, now);
    if (image instanceof Uint8Array || image === undefined) this.bytes = new FileBytes(budget, image);
    else {
      this.bytes = FileBytes.awaiting(budget, image.size);
      this.awaitedFrom = image.volume;
    }
    this.origin = origin;
  }

  /** Whether its bytes are still those it was loaded with (a volume's unchanged file). */
  get unchanged(): boolean {
    return this.origin !== undefined && this.bytes.borrowedWhole;
  }

  get size(): number {
    return this.bytes.size;
  }

  /** Gives the bytes back once nothing can reach them: no name left, no descriptor open. */
  override forgotten(): void {
    this.bytes.free();
  }
}

export class DirNode extends BaseNode {
  readonly kind = 'dir';
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
  readonly kind = 'symlink';
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
  /** Its answers depend on timing (a live channel): recorded for replay. */
  readonly live: boolean;
  /** Reads into the guest's iovecs (already checked); returns the bytes read, or WOULD_BLOCK having done nothing. */
  read(u8: Uint8Array, view: DataView, iovs: number, count: number, total: number): number;
  /** Writes from the guest's iovecs (already checked); returns the bytes written, or WOULD_BLOCK having done nothing. */
  write(u8: Uint8Array, view: DataView, iovs: number, count: number, total: number): number;
  /** A non-blocking read that would wait: fails with EAGAIN. */
  again(): never;
  /** Bytes a read would return now without waiting (for poll_oneoff). */
  available(): number;
  /** Whether a read would answer now (bytes or the end): poll_oneoff's readiness. */
  ready(): boolean;
  /** The input has ended (poll reports a hang-up). */
  ended(): boolean;
}

export class DeviceNode extends BaseNode {
  readonly kind = 'device';
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

/** What a descriptor can refer to: a symlink is always followed or refused (ELOOP), never opened. */
export type OpenNode = FileNode | DirNode | DeviceNode;

/** The end of a switch over every kind: TypeScript fails to compile it if a kind has no case. */
export function unknownKind(node: never): never {
  throw new Error('a node of unknown kind');
}
