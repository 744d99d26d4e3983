// The manifest a `zerovm run` runs: --manifest's fields, overridden by PROGRAM, ARGS and the flags;
// and that manifest as JSON for --save-manifest, which `zerovm replay` reads back.
import { resolve } from 'node:path';
import { toBase64 } from '../contract/base64.js';
import type { ChannelSpec, Manifest, Mount } from '../contract/manifest.js';
import { programName } from '../contract/program-name.js';
import { type CliOptions, UsageError } from './args.js';
import { declareChannels } from './channels.js';
import { isLocal, readManifestFile } from './files.js';

export async function buildManifest(options: CliOptions): Promise<Manifest> {
  const base = options.manifestFile ? await readManifestFile('--manifest', options.manifestFile) : {};
  const program = options.program ?? base.program;
  if (program === undefined) throw new UsageError('no PROGRAM given');
  const manifest: Manifest = { ...base, program };
  if (options.program) manifest.args = [programName(options.program), ...options.args];
  if (Object.keys(options.env).length > 0) manifest.env = { ...base.env, ...options.env };
  if (options.mounts.length > 0) manifest.mounts = mountsOf(base.mounts ?? [], options);
  if (Object.keys(options.limits).length > 0) manifest.limits = { ...base.limits, ...options.limits };
  if (Object.keys(options.determinism).length > 0) manifest.determinism = { ...base.determinism, ...options.determinism };
  await declareChannels(manifest, options);
  return manifest;
}

/**
 * The manifest's mounts, then the flags', each in place of a manifest mount at the same guest
 * path: a --volume over a manifest's volume keeps the rules the flags do not give, so that a saved
 * manifest runs again as it was with `--volume NAME=HOSTDIR:GUEST` saying where NAME is stored.
 */
function mountsOf(base: Mount[], { mounts, commit, retry }: CliOptions): Mount[] {
  const rules = { ...(commit === undefined ? {} : { commit }), ...(retry === undefined ? {} : { retry }) };
  const given = mounts.map((m) => {
    if (m.volume === undefined) return m;
    const was = base.find((b) => b.guest === m.guest && b.volume !== undefined);
    return { ...was, ...m, ...rules };
  });
  return [...base.filter((m) => !given.some((g) => g.guest === m.guest)), ...given];
}

/**
 * `manifest` as a JSON manifest that means the same from any directory: the paths of the program,
 * the mounted host directories and images made absolute, fixed bytes (--stdin FILE, --in) in base64.
 * A volume is mounted by name: where it is stored is the host's (run --volume gives it again).
 */
export function savedManifest(manifest: Manifest): Manifest {
  const { program } = manifest;
  const saved: Manifest = { ...manifest, program: typeof program === 'string' && isLocal(program) ? resolve(program) : program };
  if (manifest.mounts) saved.mounts = manifest.mounts.map(absolute);
  if (manifest.channels) saved.channels = manifest.channels.map(inBase64);
  return saved;
}

function absolute(mount: Mount): Mount {
  const { host, image } = mount;
  return {
    ...mount,
    ...(host === undefined ? {} : { host: resolve(host) }),
    ...(typeof image === 'string' && isLocal(image) ? { image: resolve(image) } : {}),
  };
}

function inBase64(spec: ChannelSpec): ChannelSpec {
  const { source } = spec;
  if (typeof source !== 'object' || !('bytes' in source) || typeof source.bytes === 'string') return spec;
  return { ...spec, source: { base64: toBase64(source.bytes) } };
}
