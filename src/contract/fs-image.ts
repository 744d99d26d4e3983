// The initial contents of a VM's in-memory filesystem, built by the host from the manifest's
// `files` and `mounts` and handed to the kernel. Paths are absolute guest paths.

export type FsEntry =
  /** `origin`: a volume snapshot's file id, so that an unchanged file need not come back at commit. */
  | { path: string; type: 'file'; data: Uint8Array; origin?: number }
  | { path: string; type: 'dir' }
  | { path: string; type: 'symlink'; target: string };

/**
 * A volume file whose bytes stay with the host until the guest first opens it: `volume` numbers
 * the run's volume mounts, `origin` the file in that volume's snapshot (see kernel FileLoader).
 */
export interface AwaitedFile {
  path: string;
  type: 'file';
  size: number;
  origin: number;
  volume: number;
}

/** A mounted subtree with rules of its own (see kernel Area). */
export interface FsArea {
  path: string;
  /** Nothing in it can change (EROFS): a tar image, a read-only volume. */
  readonly?: boolean;
  /** Most bytes its files may hold (EDQUOT past it): a volume's limits.volumeBytes. */
  bytes?: number;
}

export interface FsImage {
  entries: (FsEntry | AwaitedFile)[];
  /** Guest directories handed to the program as preopened descriptors 3, 4, ... in this order. */
  preopens: string[];
  areas?: FsArea[];
}

/**
 * A volume's contents as a run left them, for its commit: paths relative to the mount, in the
 * order made; a file still holding the bytes it was loaded with names its snapshot file only.
 */
export type VolumeEntry =
  | { path: string; type: 'dir' }
  | { path: string; type: 'symlink'; target: string }
  | { path: string; type: 'file'; origin: number }
  | { path: string; type: 'file'; data: Uint8Array };
