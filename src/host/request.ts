// Resolving a (valid) manifest into the request one VM worker runs: defaults applied, bytes ready.
import type { FsEntry } from '../contract/fs-image.js';
import type { Manifest } from '../contract/manifest.js';
import type { VmRequest } from '../contract/protocol.js';
import { DEFAULT_DETERMINISM, type ResolvedLimits } from './defaults.js';
import { buildFsImage, toBytes } from './fs-image.js';
import type { LoadedProgram } from './program.js';
import { programName } from '../contract/program-name.js';

/** `stream`: bytes of each output channel the worker sends (limits.output, or all of it to pass output through). */
export function buildRequest(manifest: Manifest, limits: ResolvedLimits, program: LoadedProgram, mounted: FsEntry[], stream: number): VmRequest {
  const mounts = manifest.mounts ?? [];
  return {
    module: program.module,
    moduleKey: program.key,
    args: manifest.args ?? [programName(manifest.program)],
    env: manifest.env ?? {},
    fs: buildFsImage(manifest.files, mounts.map((m) => m.guest), mounted),
    stdin: manifest.stdin === undefined ? new Uint8Array(0) : toBytes(manifest.stdin),
    limits: { fds: limits.fds, stream, fileBytes: limits.memory },
    determinism: { ...DEFAULT_DETERMINISM, ...manifest.determinism },
    channels: manifest.channels ?? [],
  };
}
