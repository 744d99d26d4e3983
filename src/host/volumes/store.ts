// Where volumes live: IndexedDB on the page (idb-store.ts), a directory per volume in Node
// (cli/volume-dir.ts). Chunks by hash, trees by hash, a version record per commit, and a head per
// volume. A commit writes the chunks and tree it brings, then moves each head by compare-and-set
// on its version: all of it or none, and a head that moved since the run's snapshot is a conflict.
import type { Tree } from './tree.js';

export interface VolumeHead {
  /** Counts commits from 1; an empty volume that was never committed is version 0. */
  version: number;
  /** The tree's hash: the version's contents, and its etag. */
  root: string;
  files: number;
  bytes: number;
}

export interface VolumeVersion extends VolumeHead {
  /** When it was committed (the host's clock, ms since 1970): for people, not for runs. */
  at: number;
}

export interface VolumeCommit {
  name: string;
  /** The version the changes were made on: the commit is a conflict if the head is elsewhere now. */
  base: number;
  head: VolumeHead;
  tree: Tree;
  /** Chunks the tree may need that the store may not have yet, by hash. */
  chunks: Map<string, Uint8Array>;
}

/** Why a commit did not land: another commit moved a head first, or the storage refused. */
export type CommitFailure = { conflict: string } | { error: string };

export interface VolumeStore {
  head(name: string): Promise<VolumeHead | null>;
  /** A version's tree, by its root hash (of volume `name`: a store may keep each volume apart). */
  tree(name: string, root: string): Promise<Tree>;
  chunks(name: string, hashes: string[]): Promise<Uint8Array[]>;
  /** Lands every commit, or none of them. */
  commit(commits: VolumeCommit[]): Promise<'committed' | CommitFailure>;
  history(name: string): Promise<VolumeVersion[]>;
  list(): Promise<string[]>;
  delete(name: string): Promise<void>;
}

/** A volume name: what can be a file name and an IndexedDB key part alike. */
export const VOLUME_NAME = /^[A-Za-z0-9._-]{1,64}$/;
