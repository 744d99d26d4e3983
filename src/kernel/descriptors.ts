// The descriptor table: what each fd refers to and may do. Lookups are the one guard every
// descriptor call shares: EBADF for a closed fd, ENOTCAPABLE for a right it lacks.
import { Errno, Right, RIGHTS_DEVICE, RIGHTS_DIR, RIGHTS_FILE } from './abi.js';
import { fail } from './errors.js';
import { type FileNode, type OpenNode, unknownKind } from './fs/nodes.js';

/** The most rights a descriptor for `node` can hold, whatever was asked for. */
export function rightsFor(node: OpenNode): number {
  switch (node.kind) {
    case 'file':
      // A read-only area's file cannot change through a descriptor either.
      return node.area.readonly ? RIGHTS_FILE & ~(Right.FD_WRITE | Right.FD_ALLOCATE | Right.FD_FILESTAT_SET_SIZE) : RIGHTS_FILE;
    case 'dir':
      return RIGHTS_DIR;
    case 'device': {
      const { readable, writable } = node.device;
      return RIGHTS_DEVICE & ~(readable ? 0 : Right.FD_READ) & ~(writable ? 0 : Right.FD_WRITE);
    }
    default:
      return unknownKind(node);
  }
}

/** The regular file behind a descriptor, for calls that only make sense on one. */
export function fileOf(node: OpenNode, notFile: Errno): FileNode {
  switch (node.kind) {
    case 'file':
      return node;
    case 'dir':
      return fail(Errno.ISDIR);
    case 'device':
      return fail(notFile);
    default:
      return unknownKind(node);
  }
}

export class Descriptor {
  /** Read/write offset (regular files). */
  position = 0;
  constructor(
    readonly node: OpenNode,
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

/** The highest descriptor number is below this whatever the limit: Linux's own ceiling (fs.nr_open). */
const MAX_FD = 1 << 20;

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

  /**
   * Moves `from` (which must be open) to `to`, closing what `to` held, as dup2 then close would.
   * `to` may be free: programs move stdout aside this way. As dup2 refuses a number past
   * RLIMIT_NOFILE, a `to` at or past the limit (or MAX_FD) is EBADF: the table stays a dense
   * array no longer than that, and a `to` of 2^31 cannot make it grow.
   */
  renumber(from: number, to: number): void {
    const d = this.get(from);
    from >>>= 0;
    to >>>= 0;
    if (to >= Math.min(this.limit, MAX_FD)) fail(Errno.BADF);
    if (from === to) return;
    while (this.slots.length <= to) this.slots.push(undefined); // no holes: add() finds free slots by indexOf
    const replaced = this.slots[to];
    this.slots[to] = d;
    this.slots[from] = undefined;
    if (replaced !== undefined) {
      this.open--;
      release(replaced);
    }
  }
}
