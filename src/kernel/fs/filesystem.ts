// The VM's in-memory filesystem: one tree, built from the manifest's image, and path resolution
// that can never leave the directory it starts from — `..` above it, absolute paths and absolute
// symlinks are ENOTCAPABLE; more than MAX_SYMLINKS links in one lookup is ELOOP.
import type { FsImage, VolumeEntry } from '../../contract/fs-image.js';
import { Errno } from '../abi.js';
import { fail } from '../errors.js';
import { encode } from '../memory.js';
import { type Waiter, WOULD_BLOCK } from '../blocking.js';
import type { FileLoader } from '../config.js';
import { FileBudget } from './file-bytes.js';
import { type Area, type Device, DeviceNode, DirNode, FileNode, type Node, SymlinkNode, unknownKind } from './nodes.js';

const MAX_SYMLINKS = 40;
/** Bytes in one name (not characters: a name of 100 'é' is 200 bytes). */
const MAX_NAME = 255;
const utf8Length = (name: string) => encode(name).length;
const SLASH = 47;

/** How a lookup treats a final symlink: see Filesystem.resolve. */
export type Follow = 'follow' | 'nofollow' | 'name';

/** Where a path leads: the directory holding its last component, that name, and what it names. */
export interface Resolved {
  /** null when the path names its directory itself ("." or "a/.."): nothing can be made or removed there. */
  parent: DirNode | null;
  name: string;
  node: Node | undefined;
  /** The path ended in "/": it may only name a directory, or a directory yet to be made. */
  slash: boolean;
}

export class Filesystem {
  readonly root: DirNode;
  private lastIno = 0n;
  /** The devices as made, by path, for the descriptors opened on them before the guest runs. */
  private devices = new Map<string, DeviceNode>();

  /** `now` stamps times on the nodes (virtual or real time, as the VM runs). */
  constructor(
    image: FsImage,
    devices: Record<string, Device>,
    readonly now: () => bigint,
    /** What every file's bytes are taken from (a volume's own budget draws on it too). */
    budget: FileBudget = new FileBudget(Infinity),
    /** Where volume files' bytes come from when first opened (a kernel whose image has such files). */
    private loader: FileLoader | null = null,
  ) {
    const base: Area = { readonly: false, budget };
    // Areas by path, deepest last: a node takes the area of the deepest one it lies in.
    const areas = [...(image.areas ?? [])]
      .sort((a, b) => a.path.length - b.path.length)
      .map((a) => ({ path: a.path, area: { readonly: a.readonly === true, budget: a.bytes === undefined ? budget : new FileBudget(a.bytes, Errno.DQUOT, budget) } }));
    const areaOf = (path: string): Area => {
      let found = base;
      for (const a of areas) if (path === a.path || path.startsWith(a.path === '/' ? '/' : `${a.path}/`)) found = a.area;
      return found;
    };
    this.root = this.made(new DirNode(this.ino(), now(), null), areaOf('/'));
    for (const entry of image.entries) {
      const { parent, name } = this.place(entry.path);
      if (name === '') continue; // the root itself
      const area = areaOf(entry.path);
      if (entry.type === 'dir') {
        const existing = parent.entries.get(name);
        if (existing?.kind === 'dir') existing.area = area;
        else parent.entries.set(name, this.made(new DirNode(this.ino(), now(), parent), area));
      } else if (entry.type === 'file') {
        const image = 'data' in entry ? entry.data : { size: entry.size, volume: entry.volume };
        parent.entries.set(name, this.made(new FileNode(this.ino(), now(), area.budget, image, entry.origin), area));
      } else parent.entries.set(name, this.made(new SymlinkNode(this.ino(), now(), entry.target), area));
    }
    for (const [path, device] of Object.entries(devices)) {
      const { parent, name } = this.place(path);
      const node = this.made(new DeviceNode(this.ino(), now(), device), base);
      parent.entries.set(name, node);
      this.devices.set(path, node);
    }
  }

  /**
   * Brings in the bytes of a volume file still held by the host (its first open), waiting for
   * them: the caller must have done nothing visible yet (in async mode the call is made again).
   */
  load(node: FileNode, waiter: Waiter): void {
    const volume = node.awaitedFrom;
    if (volume === null) return;
    if (!this.loader) throw new Error('a volume file awaits its bytes, but this kernel has no loader');
    for (;;) {
      const mark = waiter.mark();
      const bytes = this.loader.load(volume, node.origin!, node.size);
      if (bytes !== WOULD_BLOCK) {
        node.bytes.fill(bytes);
        node.awaitedFrom = null;
        return;
      }
      waiter.wait(mark, Infinity);
    }
  }

  /** EROFS for a node of a read-only area: nothing in it, nor its own times, may change. */
  writable(node: Node): void {
    if (node.area.readonly) fail(Errno.ROFS);
  }

  /** The directory at an absolute path, made (with its parents) when missing. */
  directory(path: string): DirNode {
    let dir = this.root;
    for (const name of path.split('/')) {
      if (name === '') continue;
      let next = dir.entries.get(name);
      if (next?.kind !== 'dir') {
        next = this.made(new DirNode(this.ino(), this.now(), dir), dir.area);
        dir.entries.set(name, next);
      }
      dir = next;
    }
    return dir;
  }

  /**
   * Resolves `path` relative to `start`, never leaving it. A final symlink is followed with
   * 'follow'; with 'nofollow' only when the path ends in a slash (as lstat("link/") follows); with
   * 'name' never — the call makes, removes or renames the name itself, and decides what a
   * trailing slash on a non-directory means (EEXIST to make, ENOTDIR to remove).
   */
  resolve(start: DirNode, path: string, mode: Follow): Resolved {
    if (path.length === 0) fail(Errno.NOENT);
    if (path.charCodeAt(0) === SLASH) fail(Errno.NOTCAPABLE);
    const slash = path.charCodeAt(path.length - 1) === SLASH;
    const follow = mode === 'follow' || (slash && mode === 'nofollow');
    let parts = path.split('/').filter((p) => p !== '');
    const stack: DirNode[] = [start];
    let links = 0;
    for (let i = 0; i < parts.length; ) {
      const name = parts[i++];
      const atEnd = i === parts.length;
      const dir = stack[stack.length - 1];
      if (name === '.' || name === '..') {
        if (name === '..') {
          if (stack.length === 1) fail(Errno.NOTCAPABLE);
          stack.pop();
        }
        if (atEnd) return { parent: null, name, node: stack[stack.length - 1], slash };
        continue;
      }
      if (name.length > MAX_NAME / 3 && utf8Length(name) > MAX_NAME) fail(Errno.NAMETOOLONG);
      const node = dir.entries.get(name);
      if (node?.kind === 'symlink' && (!atEnd || follow)) {
        if (++links > MAX_SYMLINKS) fail(Errno.LOOP);
        if (node.target.charCodeAt(0) === SLASH) fail(Errno.NOTCAPABLE);
        if (node.target === '') fail(Errno.NOENT);
        parts = [...node.target.split('/').filter((p) => p !== ''), ...parts.slice(i)];
        i = 0;
        if (parts.length === 0) return { parent: null, name: '.', node: dir, slash };
        continue;
      }
      if (atEnd) {
        if (slash && node && node.kind !== 'dir' && mode !== 'name') fail(Errno.NOTDIR);
        return { parent: dir, name, node, slash };
      }
      if (!node) fail(Errno.NOENT);
      if (node.kind !== 'dir') fail(Errno.NOTDIR);
      stack.push(node);
    }
    return { parent: null, name: '.', node: stack[stack.length - 1], slash };
  }

  /** What the subtree at `path` holds now (a volume's state at the end of a run), in the order made. */
  collect(path: string): VolumeEntry[] {
    const found: VolumeEntry[] = [];
    const walk = (dir: DirNode, prefix: string) => {
      for (const [name, node] of dir.entries) {
        const at = prefix + name;
        switch (node.kind) {
          case 'dir':
            found.push({ path: at, type: 'dir' });
            walk(node, `${at}/`);
            break;
          case 'symlink':
            found.push({ path: at, type: 'symlink', target: node.target });
            break;
          case 'file':
            if (node.unchanged) found.push({ path: at, type: 'file', origin: node.origin! });
            else {
              const data = new Uint8Array(node.size);
              node.bytes.read(data, 0, 0, node.size);
              found.push({ path: at, type: 'file', data });
            }
            break;
          case 'device':
            break; // devices live in /dev only
          default:
            unknownKind(node);
        }
      }
    };
    walk(this.directory(path), '');
    return found;
  }

  /** The device made at `path` (stdio, for descriptors 0, 1, 2). */
  device(path: string): DeviceNode {
    const node = this.devices.get(path);
    if (node === undefined) throw new Error(`no device at ${path}`);
    return node;
  }

  /** Puts `node` into `dir` as `name` (which must be free): in its own area only (EXDEV across, EROFS where nothing changes). */
  add(dir: DirNode, name: string, node: Node): void {
    this.writable(dir);
    if (node.area !== dir.area) fail(Errno.XDEV);
    if (dir.removed) fail(Errno.NOENT);
    dir.entries.set(name, node);
    if (node.kind === 'dir') node.parent = dir;
    this.touch(dir);
  }

  /** A new file, dir or symlink to go into `parent` (in its area, drawing on its budget). */
  newFile(parent: DirNode): FileNode {
    this.writable(parent);
    return this.made(new FileNode(this.ino(), this.now(), parent.area.budget), parent.area);
  }

  newDir(parent: DirNode): DirNode {
    this.writable(parent);
    return this.made(new DirNode(this.ino(), this.now(), parent), parent.area);
  }

  newSymlink(parent: DirNode, target: string): SymlinkNode {
    this.writable(parent);
    return this.made(new SymlinkNode(this.ino(), this.now(), target), parent.area);
  }

  /** Takes `name` out of `dir`; the node lives on while descriptors still refer to it. */
  remove(dir: DirNode, name: string, node: Node): void {
    this.writable(dir);
    dir.entries.delete(name);
    node.nlink--;
    if (node.nlink === 0 && node.opens === 0) node.forgotten();
    if (node.kind === 'dir') node.removed = true;
    node.ctim = this.now();
    this.touch(dir);
  }

  /** Moves `from/fromName` to `to/toName`, replacing what is there by POSIX rules. */
  rename(from: DirNode, fromName: string, node: Node, to: DirNode, toName: string, existing: Node | undefined): void {
    this.writable(from);
    this.writable(to);
    if (node.area !== to.area) fail(Errno.XDEV); // another mount: a guest copies instead
    if (existing === node) return;
    if (node.kind === 'dir') {
      if (node.contains(to)) fail(Errno.INVAL); // into itself
      if (existing && existing.kind !== 'dir') fail(Errno.NOTDIR);
      if (existing?.kind === 'dir' && existing.entries.size > 0) fail(Errno.NOTEMPTY);
    } else if (existing?.kind === 'dir') fail(Errno.ISDIR);
    if (to.removed) fail(Errno.NOENT);
    if (existing) this.remove(to, toName, existing);
    from.entries.delete(fromName);
    this.touch(from);
    this.add(to, toName, node);
    node.ctim = this.now();
  }

  /** Marks a directory's contents as changed. */
  touch(node: Node): void {
    node.mtim = node.ctim = this.now();
  }

  private ino(): bigint {
    return ++this.lastIno;
  }

  private made<T extends Node>(node: T, area: Area): T {
    node.area = area;
    return node;
  }

  /** The parent directory (made when missing) and last name of an absolute image path. */
  private place(path: string): { parent: DirNode; name: string } {
    const slash = path.lastIndexOf('/');
    return { parent: this.directory(path.slice(0, slash)), name: path.slice(slash + 1) };
  }
}
