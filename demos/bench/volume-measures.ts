// The volume metrics (our runtime only: the peers have no volumes and no tar images): what a
// commit costs, what a mounted volume adds to a spawn (its snapshot is read whole into the VM at
// the start of each run), and what a tar image costs on its first run and after. The volumes and
// the tar archives are made here, with packEntries; every volume a measure makes it deletes.
import type { Mount } from '../../src/contract/manifest.js';
import { packEntries } from '../../src/contract/tar.js';
import type { Context, Measure, Need } from './measures.js';
import type { BenchRuntime, Job } from './runtimes/runtime.js';
import { repeat } from './sampling.js';
import { latency, median } from './stats.js';

export type VolumeMetricId = 'commit-64mib' | 'commit-1000-files' | 'spawn-volume-100mib' | 'image-30mb';

const MiB = 1 << 20;
const MB = 1e6;
/** Where the volume (or, for the baseline, an empty directory) is mounted. */
const DATA = '/data';
/** Where the tar image is mounted. */
const USR = '/usr';
const VOLUME_FILES = 1000;
const VOLUME_BYTES = 100 * MiB;
/** The image: 1,000 files of 30,000 bytes in 10 directories (30 MB), and the one file the guest reads. */
const IMAGE_DIRS = 10;
const IMAGE_FILES = 1000;
const IMAGE_FILE_BYTES = 30_000;
const MOTD = new TextEncoder().encode('hello from a 30 MB image\n');

type TarEntry = Parameters<typeof packEntries>[0][number];

const pad = (i: number) => String(i).padStart(4, '0');
const ms = (v: number) => v.toFixed(v >= 100 ? 0 : 1);
const random32 = () => crypto.getRandomValues(new Uint32Array(1))[0];

/** A volume name never used before: each commit sample lands in a new, empty volume. */
function freshName(what: string): string {
  return `bench-${what}-${random32().toString(36)}${random32().toString(36)}`;
}

/**
 * `n` bytes unlike those of any other file of this bench: word i is a bijection of i, mixed with
 * the file's number and a salt drawn per archive, so no two 1 MiB chunks are equal and content
 * addressing (which stores a chunk once, whatever volume it is in) shares nothing.
 */
function filled(n: number, salt: number, file: number): Uint8Array {
  const bytes = new Uint8Array(n);
  const words = new Uint32Array(bytes.buffer, 0, n >>> 2);
  const mix = Math.imul(file + 1, 0x85ebca6b) ^ salt;
  for (let i = 0; i < words.length; i++) words[i] = Math.imul(i, 0x9e3779b1) ^ mix;
  return bytes;
}

/** What a volume's report must say after a run, or an Error saying what it said instead. */
function expectVolume(out: Awaited<ReturnType<BenchRuntime['run']>>, name: string, want: { bytesWritten?: number; filesChanged?: number }): void {
  const v = out.volumes?.[name];
  const wrong =
    v?.outcome !== 'committed' ||
    (want.bytesWritten !== undefined && v.bytesWritten !== want.bytesWritten) ||
    (want.filesChanged !== undefined && v.filesChanged !== want.filesChanged);
  if (wrong) throw new Error(`volume ${name}: ${v ? `${v.outcome}, ${v.filesChanged} files changed, ${v.bytesWritten} bytes written${v.message ? `: ${v.message}` : ''}` : 'not in the report'} (expected ${JSON.stringify(want)})`);
}

/**
 * The commit's cost in ms: writefiles writes `files` files of `size` bytes into a new volume
 * (committed at its exit), less the same run writing them into an empty directory (nothing to
 * commit). The two alternate, so that a shared machine's drift falls on both alike.
 */
async function commitMs(rt: BenchRuntime, ctx: Context, files: number, size: number): Promise<number> {
  const volumes = rt.volumes!;
  const write = (mount: Mount, n = files, bytes = size): Job => ({ program: 'writefiles', args: [DATA, String(n), String(bytes), String(random32())], stdout: 'discard', mounts: [mount] });
  const scratch = async () => (await rt.run(write({ guest: DATA }))).wallMs;
  const committed = async (n = files, bytes = size) => {
    const name = freshName('commit');
    try {
      const out = await rt.run(write({ guest: DATA, volume: name }, n, bytes));
      expectVolume(out, name, { bytesWritten: n * bytes });
      return out.wallMs;
    } finally {
      await volumes.delete(name);
    }
  };
  // Warm-up: the JIT, and the store opened by a commit of one small file.
  await scratch();
  await committed(1, 4096);
  const base: number[] = [];
  const full: number[] = [];
  await repeat({ count: ctx.quick ? 2 : 5, maxMs: ctx.quick ? 3000 : 6000, min: ctx.quick ? 1 : 2 }, async () => {
    base.push(await scratch());
    full.push(await committed());
    return 0;
  });
  ctx.note(
    `median of ${full.length} runs each, alternated: ${ms(median(full))} ms writing into a new volume at ${DATA}, ${ms(median(base))} ms into an empty directory there; volumes in ${volumes.where}`,
  );
  return Math.max(median(full) - median(base), 1e-6);
}

/** A tar of 1,000 files (100 MiB in all), each unlike any other. */
function volumeArchive(): Promise<Uint8Array> {
  const salt = random32();
  const each = Math.floor(VOLUME_BYTES / VOLUME_FILES);
  return packEntries(
    Array.from({ length: VOLUME_FILES }, (_, i): TarEntry => {
      const size = i === VOLUME_FILES - 1 ? VOLUME_BYTES - each * (VOLUME_FILES - 1) : each;
      return { path: `f${pad(i)}`, type: 'file', data: filled(size, salt, i) };
    }),
  );
}

/** A 30 MB tar image: share/bench/motd, and 1,000 files of 30,000 bytes under lib/d0 … lib/d9. */
function imageArchive(): Promise<Uint8Array> {
  const salt = random32();
  const entries: TarEntry[] = [
    { path: 'share', type: 'dir' },
    { path: 'share/bench', type: 'dir' },
    { path: 'share/bench/motd', type: 'file', data: MOTD },
    { path: 'lib', type: 'dir' },
  ];
  for (let d = 0; d < IMAGE_DIRS; d++) {
    entries.push({ path: `lib/d${d}`, type: 'dir' });
    for (let i = d; i < IMAGE_FILES; i += IMAGE_DIRS) entries.push({ path: `lib/d${d}/f${pad(i)}`, type: 'file', data: filled(IMAGE_FILE_BYTES, salt, i) });
  }
  return packEntries(entries);
}

/** What a runtime must have for each volume metric, and what its cell says when it has not. */
const HAS_VOLUMES: Need = [(rt) => rt.volumes !== undefined, 'has no volumes'];
export const VOLUME_NEEDS: Record<VolumeMetricId, Need> = {
  'commit-64mib': HAS_VOLUMES,
  'commit-1000-files': HAS_VOLUMES,
  'spawn-volume-100mib': HAS_VOLUMES,
  'image-30mb': [(rt) => rt.fresh !== undefined, 'has no tar images'],
};

export const VOLUME_MEASURES: Record<VolumeMetricId, Measure> = {
  async 'commit-64mib'(rt, ctx) {
    const bytes = 64 * MiB;
    return bytes / MB / ((await commitMs(rt, ctx, 1, bytes)) / 1000);
  },
  async 'commit-1000-files'(rt, ctx) {
    const files = 1000;
    return files / ((await commitMs(rt, ctx, files, 4096)) / 1000);
  },
  async 'spawn-volume-100mib'(rt, ctx) {
    const volumes = rt.volumes!;
    const name = freshName('spawn');
    const started = performance.now();
    let tar: Uint8Array | null = await volumeArchive();
    const tarBytes = tar.length;
    const packed = performance.now();
    try {
      await volumes.import(name, tar);
      tar = null; // 100 MiB the runs need not share the heap with
      const imported = performance.now();
      // hello reads nothing: what the volume adds is its snapshot read and put in the VM, and at
      // the exit its files sent back as indices (the mount is read-write, the default) and found unchanged.
      const job: Job = { program: 'hello', args: [], stdout: 'capture', mounts: [{ guest: DATA, volume: name }] };
      const once = async () => {
        const out = await rt.run(job);
        expectVolume(out, name, { filesChanged: 0 });
        return out.wallMs;
      };
      await once(); // warm-up
      const samples = await repeat({ count: ctx.quick ? 5 : 30, maxMs: ctx.quick ? 2500 : 6000, min: ctx.quick ? 3 : 5 }, once);
      ctx.note(
        `hello with the volume mounted read-write at ${DATA}; each run reads the head and listing (hello opens no file: none of the 1,000 is loaded) and sends the files back at the exit as indices (unchanged: no commit); ` +
          `the volume made once: a ${(tarBytes / MB).toFixed(1)} MB tar packed in ${ms(packed - started)} ms, imported in ${ms(imported - packed)} ms; ${samples.length} runs`,
      );
      return latency(samples);
    } finally {
      await volumes.delete(name);
    }
  },
  async 'image-30mb'(rt, ctx) {
    const tar = await imageArchive();
    const job: Job = { program: 'readfile', args: [`${USR}/share/bench/motd`], stdout: 'capture', mounts: [{ guest: USR, image: tar }] };
    const once = async (on: BenchRuntime) => {
      const out = await on.run(job);
      if (out.stdoutBytes !== MOTD.length) throw new Error(`readfile printed ${out.stdoutBytes} bytes, not the image's ${MOTD.length}`);
      return out.wallMs;
    };
    // Each fresh host: programs compiled and workers up (readfile run on /dev/null), no image yet.
    const warmUp: Job = { program: 'readfile', args: ['/dev/null'], stdout: 'capture' };
    const hosts = ctx.quick ? 1 : 3;
    const firsts: number[] = [];
    let warm: number[] = [];
    for (let i = 0; i < hosts; i++) {
      const host = await rt.fresh!(warmUp);
      try {
        firsts.push(await once(host));
        if (i === hosts - 1) warm = await repeat({ count: ctx.quick ? 20 : 100, maxMs: ctx.quick ? 2000 : 4000, min: 5 }, () => once(host));
      } finally {
        host.dispose();
      }
    }
    ctx.note(
      `a ${(tar.length / MB).toFixed(1)} MB tar (${IMAGE_FILES} files of ${IMAGE_FILE_BYTES} bytes, ${IMAGE_DIRS + 3} directories) mounted at ${USR} as bytes; readfile prints one small file of it; ` +
        `first: the first run with it on a fresh host whose workers are up and program compiled (the host hashes the image, sends it to the worker, the worker unpacks it), median of ${firsts.length} hosts; warm: ${warm.length} runs after it on the last host (its worker keeps the image unpacked)`,
    );
    return { ...latency(warm), first: median(firsts) };
  },
};
