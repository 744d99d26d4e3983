// The descriptor table: what each fd refers to and may do. Lookups are the one guard every
// descriptor call shares: EBADF for a closed fd, ENOTCAPABLE for a right it lacks.
import { Errno, Right, RIGHTS_DEVICE, RIGHTS_DIR, RIGHTS_FILE } from './abi.js';
import { fail } from './errors.js';
import { DeviceNode, DirNode, FileNode, type Node } from './fs/nodes.js';

/** The most rights a descriptor for `node` can hold, whatever was asked for. */
export function rightsFor(node: Node): number {
  if (node instanceof FileNode) return RIGHTS_FILE;
  if (node instanceof DirNode) return RIGHTS_DIR;
  if (node instanceof DeviceNode) {
    const { readable, writable } = node.device;
    return RIGHTS_DEVICE & ~(readable ? 0 : Right.FD_READ) & ~(writable ? 0 : Right.FD_WRITE);
  }
  return 0;
}

export class Descriptor {
  /** Read/write offset (regular files). */
  position = 0;
  constructor(
    readonly node: Node,
    public rights: number,
    public inheriting: number,
    /** fdflags: append, nonblock, sync... */
    public flags: number,
    /** For a preopened directory, the guest path it was preopened as (fd_prestat_dir_name). */
    readonly preopen: string | null = null,
  ) {}
}

/**
 * `d` itself, once it holds every right in `rights` (ENOTCAPABLE otherwise): for calls that look
 * at the descriptor's node before they ask about its rights.
 */
export function holding(d: Descriptor, rights: number): Descriptor {
  if ((d.rights & rights) !== rights) fail(Errno.NOTCAPABLE);
  return d;
}

/** A descriptor is gone: its node is forgotten if that was the last way to reach it. */
function release(d: Descriptor): void {
  if (--d.node.opens === 0 && d.node.nlink === 0) d.node.forgotten();
}

export class DescriptorTable {
  private slots: (Descriptor | undefined)[] = [];
  private open = 0;

  constructor(private limit: number) {}

  /** The descriptor at `fd`, which must have every right in `rights`. */
  get(fd: number, rights = 0): Descriptor {
    const d = this.slots[fd >>> 0];
    if (d === undefined) return fail(Errno.BADF);
    return holding(d, rights);
  }

  /** EMFILE when the table is full: a call checks this before it makes what it would open. */
  room(): void {
    if (this.open >= this.limit) fail(Errno.MFILE);
  }

  /** Installs `d` at the lowest free number; EMFILE past the limit. */
  add(d: Descriptor): number {
    this.room();
    let fd = this.slots.indexOf(undefined);
    if (fd < 0) fd = this.slots.length;
    this.slots[fd] = d;
    this.open++;
    d.node.opens++;
    return fd;
  }

  close(fd: number): void {
    const d = this.get(fd);
    this.slots[fd >>> 0] = undefined;
    this.open--;
    release(d);
  }

  /** Moves `from` to `to`, closing what `to` held (both must be open). */
  renumber(from: number, to: number): void {
    const d = this.get(from);
    const replaced = this.get(to);
    if (from >>> 0 === to >>> 0) return;
    this.slots[to >>> 0] = d;
    this.slots[from >>> 0] = undefined;
    this.open--;
    release(replaced);
  }
}
