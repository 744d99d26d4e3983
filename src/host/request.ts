// Resolving a (valid) manifest into the request one VM worker runs: defaults applied, bytes ready.
import type { FsEntry } from '../contract/fs-image.js';
import type { InputEvent } from '../contract/inputs.js';
import type { Manifest } from '../contract/manifest.js';
import { programName } from '../contract/program-name.js';
import type { VmRequest } from '../contract/protocol.js';
import { DEFAULT_DETERMINISM, type ResolvedLimits } from './defaults.js';
import { buildFsImage } from './fs-image.js';
import type { ChannelPlan } from './plan.js';
import type { LoadedProgram } from './program.js';
import type { VolumeRun } from './volumes/session.js';

let lastRun = 0;
/** Run numbers go round within an Int32, the word the shared block carries one in (LinkWord.RunNumber). */
const MAX_RUN = 0x7fffffff;

export interface RequestParts {
  limits: ResolvedLimits;
  program: LoadedProgram;
  mounted: FsEntry[];
  plan: ChannelPlan;
  /** Bytes of each capture channel the worker sends (limits.output, or all of it to pass output through). */
  stream: number;
  replay?: InputEvent[];
  /** The run's volumes: their snapshot's files and areas, and the paths whose state comes back. */
  volumes?: VolumeRun | null;
  /** Tar images to mount, with their bytes (the pool sends those to each worker once). */
  images?: VmRequest['images'];
}

export function buildRequest(manifest: Manifest, { limits, program, mounted, plan, stream, replay, volumes, images }: RequestParts): VmRequest {
  const mounts = manifest.mounts ?? [];
  return {
    run: (lastRun = lastRun >= MAX_RUN ? 1 : lastRun + 1),
    moduleKey: program.key,
    args: manifest.args ?? [programName(manifest.program)],
    env: manifest.env ?? {},
    fs: buildFsImage(manifest.files, mounts.map((m) => m.guest), [...mounted, ...(volumes?.entries ?? [])], volumes?.areas),
    channels: plan.channels,
    mode: plan.mode,
    limits: { fds: limits.fds, stream, fileBytes: limits.memory, record: limits.output },
    determinism: { ...DEFAULT_DETERMINISM, ...manifest.determinism },
    ...(replay ? { replay } : {}),
    collect: volumes?.collect ?? [],
    images: images ?? [],
  };
}
