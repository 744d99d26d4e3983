// Drives the kernel directly, with no wasm program: a Kernel built from a small config, one
// 64 KiB page of memory standing in for the guest's, and helpers to lay out arguments in it and
// read results back. Syscalls are made from inside `run`, as a guest's _start would make them.
import assert from 'node:assert/strict';
import type { FsArea, FsEntry, FsImage } from '../../src/contract/fs-image.js';
import type { ChannelSpec } from '../../src/contract/manifest.js';
import { ClockId, Errno, LookupFlags, RIGHTS_ALL } from '../../src/kernel/abi.js';
import type { FileLoader, Hasher } from '../../src/kernel/config.js';
import type { Waiter } from '../../src/kernel/blocking.js';
import { loadKeystream, seededRandom, virtualClock } from '../../src/kernel/determinism.js';
import { stdio } from '../../src/kernel/channel.js';
import { Kernel } from '../../src/kernel/kernel.js';

await loadKeystream(); // seededRandom draws with it

/** Realtime starts here (ns since the Unix epoch). */
export const EPOCH = 1_700_000_000_000_000_000n;
/** Every right, as the u64 the guest passes. */
export const ALL = BigInt(RIGHTS_ALL);
/** The one preopened directory (/sandbox) is fd 3. */
export const SANDBOX = 3;
/** The size of the guest's memory: a pointer at or past it is out of bounds. */
export const PAGE = 65536;

const utf8 = new TextEncoder();
export const file = (path: string, text: string): FsEntry => ({ path, type: 'file', data: utf8.encode(text) });
export const dir = (path: string): FsEntry => ({ path, type: 'dir' });
export const symlink = (path: string, target: string): FsEntry => ({ path, type: 'symlink', target });

export interface VmOptions {
  args?: string[];
  env?: Record<string, string>;
  /** Entries besides /sandbox, which always exists and is preopened. */
  fs?: FsImage['entries'];
  preopens?: string[];
  /** Mounted subtrees with rules of their own (read-only, a byte budget). */
  areas?: FsArea[];
  stdin?: string;
  fds?: number;
  seed?: number;
  channels?: ChannelSpec[];
  hasher?: () => Hasher;
  /** Bytes all files may hold (ENOSPC past it). */
  fileBytes?: number;
  /** Where awaited volume files' bytes come from, and how a call waits for them. */
  loader?: FileLoader;
  waiter?: Waiter;
}

export interface Filestat {
  ino: bigint;
  filetype: number;
  nlink: bigint;
  size: bigint;
  atim: bigint;
  mtim: bigint;
  ctim: bigint;
}

export interface OpenOptions {
  dirfd?: number;
  lookup?: number;
  oflags?: number;
  rights?: bigint;
  fdflags?: number;
}

export class Vm {
  readonly kernel: Kernel;
  readonly memory = new WebAssembly.Memory({ initial: 1 });
  readonly stdout: number[] = [];
  readonly stderr: number[] = [];
  private next = 1024;

  constructor(options: VmOptions = {}) {
    const collect = (into: number[]) => (src: Uint8Array, at: number, len: number) => into.push(...src.subarray(at, at + len));
    this.kernel = new Kernel({
      args: options.args ?? ['prog'],
      env: options.env ?? {},
      fs: { entries: [dir('/sandbox'), ...(options.fs ?? [])], preopens: options.preopens ?? ['/sandbox'], areas: options.areas },
      devices: stdio(utf8.encode(options.stdin ?? ''), collect(this.stdout), collect(this.stderr)).map((device) => {
        const rules = options.channels?.find((c) => c.path === device.path);
        return rules ? { ...device, rules } : device;
      }),
      hasher: options.hasher,
      limits: { fds: options.fds ?? 32, fileBytes: options.fileBytes },
      clock: virtualClock(EPOCH),
      random: seededRandom(options.seed ?? 1),
      ...(options.loader ? { loader: options.loader } : {}),
      ...(options.waiter ? { waiter: options.waiter } : {}),
    });
  }

  /** Runs `body` as the guest's _start; returns the exit code start() gives. */
  run(body: () => void): number {
    return this.kernel.start({ exports: { memory: this.memory, _start: body } } as unknown as WebAssembly.Instance);
  }

  /** Makes a syscall and returns its errno. */
  call(name: string, ...args: (number | bigint)[]): Errno {
    const fn = (this.kernel.imports.wasi_snapshot_preview1 as Record<string, (...a: (number | bigint)[]) => number>)[name];
    return fn(...args);
  }

  /** Makes a syscall that must succeed. */
  ok(name: string, ...args: (number | bigint)[]): void {
    assert.equal(this.call(name, ...args), Errno.SUCCESS, name);
  }

  // --- memory ---

  get u8(): Uint8Array {
    return new Uint8Array(this.memory.buffer);
  }

  /** Fresh, 8-aligned room for `size` bytes, filled with 0xAA so that untouched bytes show. */
  alloc(size: number): number {
    const ptr = this.next;
    this.next = (ptr + size + 7) & ~7;
    assert.ok(this.next <= PAGE, 'test memory exhausted');
    this.u8.fill(0xaa, ptr, ptr + size);
    return ptr;
  }

  /** Puts bytes (or a string, as UTF-8) into memory; returns [pointer, length]. */
  data(bytes: Uint8Array | string): [number, number] {
    const b = typeof bytes === 'string' ? utf8.encode(bytes) : bytes;
    const ptr = this.alloc(b.length);
    this.u8.set(b, ptr);
    return [ptr, b.length];
  }

  /** An iovec array over the given [pointer, length] buffers; returns [pointer, count]. */
  iovecs(...bufs: [number, number][]): [number, number] {
    const ptr = this.alloc(bufs.length * 8);
    bufs.forEach(([p, len], i) => {
      this.setU32(ptr + i * 8, p);
      this.setU32(ptr + i * 8 + 4, len);
    });
    return [ptr, bufs.length];
  }

  setU32(ptr: number, value: number): void {
    new DataView(this.memory.buffer).setUint32(ptr, value, true);
  }

  u32(ptr: number): number {
    return new DataView(this.memory.buffer).getUint32(ptr, true);
  }

  u64(ptr: number): bigint {
    return new DataView(this.memory.buffer).getBigUint64(ptr, true);
  }

  /** A copy of guest bytes. */
  bytes(ptr: number, len: number): Uint8Array {
    return this.u8.slice(ptr, ptr + len);
  }

  text(ptr: number, len: number): string {
    return new TextDecoder().decode(this.bytes(ptr, len));
  }

  // --- the calls most tests make on the way to what they test; each must succeed ---

  /** path_open from `dirfd` (the sandbox), following symlinks, asking for every right. */
  open(path: string, o: OpenOptions = {}): number {
    const out = this.alloc(4);
    this.ok('path_open', ...this.openArgs(path, o), out);
    return this.u32(out);
  }

  /** path_open that must fail: returns its errno. */
  openErrno(path: string, o: OpenOptions = {}): Errno {
    const errno = this.call('path_open', ...this.openArgs(path, o), this.alloc(4));
    assert.notEqual(errno, Errno.SUCCESS, `path_open ${path} succeeded`);
    return errno;
  }

  private openArgs(path: string, o: OpenOptions): (number | bigint)[] {
    const dirfd = o.dirfd ?? SANDBOX;
    const lookup = o.lookup ?? LookupFlags.SYMLINK_FOLLOW;
    return [dirfd, lookup, ...this.data(path), o.oflags ?? 0, o.rights ?? ALL, ALL, o.fdflags ?? 0];
  }

  /** fd_write of one buffer; returns the bytes written. */
  write(fd: number, text: string): number {
    const out = this.alloc(4);
    this.ok('fd_write', fd, ...this.iovecs(this.data(text)), out);
    return this.u32(out);
  }

  /** fd_read into one buffer of `len` bytes; returns what was read, as text. */
  read(fd: number, len = 256): string {
    const buf = this.alloc(len);
    const out = this.alloc(4);
    this.ok('fd_read', fd, ...this.iovecs([buf, len]), out);
    return this.text(buf, this.u32(out));
  }

  /** fd_seek; returns the new offset. */
  seek(fd: number, offset: bigint, whence: number): bigint {
    const out = this.alloc(8);
    this.ok('fd_seek', fd, offset, whence, out);
    return this.u64(out);
  }

  /** clock_time_get; returns the time in ns. */
  now(clock: number = ClockId.MONOTONIC): bigint {
    const out = this.alloc(8);
    this.ok('clock_time_get', clock, 1n, out);
    return this.u64(out);
  }

  fdStat(fd: number): Filestat {
    const out = this.alloc(64);
    this.ok('fd_filestat_get', fd, out);
    return this.filestat(out);
  }

  pathStat(path: string, lookup: number = LookupFlags.SYMLINK_FOLLOW, dirfd = SANDBOX): Filestat {
    const out = this.alloc(64);
    this.ok('path_filestat_get', dirfd, lookup, ...this.data(path), out);
    return this.filestat(out);
  }

  /** path_filestat_get's errno alone: whether (and why not) a path names something. */
  statErrno(path: string, lookup: number = LookupFlags.SYMLINK_FOLLOW, dirfd = SANDBOX): Errno {
    return this.call('path_filestat_get', dirfd, lookup, ...this.data(path), this.alloc(64));
  }

  private filestat(ptr: number): Filestat {
    return {
      ino: this.u64(ptr + 8),
      filetype: this.u8[ptr + 16],
      nlink: this.u64(ptr + 24),
      size: this.u64(ptr + 32),
      atim: this.u64(ptr + 40),
      mtim: this.u64(ptr + 48),
      ctim: this.u64(ptr + 56),
    };
  }
}

/** Builds a VM and runs `body` in it; returns the VM, for what is to be checked after the run. */
export function run(options: VmOptions, body: (vm: Vm) => void): Vm {
  const vm = new Vm(options);
  assert.equal(vm.run(() => body(vm)), 0);
  return vm;
}
