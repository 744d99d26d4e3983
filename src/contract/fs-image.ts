// The initial contents of a VM's in-memory filesystem, built by the host from the manifest's
// `files` and `mounts` and handed to the kernel. Paths are absolute guest paths.

export type FsEntry =
  | { path: string; type: 'file'; data: Uint8Array }
  | { path: string; type: 'dir' }
  | { path: string; type: 'symlink'; target: string };

export interface FsImage {
  entries: FsEntry[];
  /** Guest directories handed to the program as preopened descriptors 3, 4, ... in this order. */
  preopens: string[];
}
