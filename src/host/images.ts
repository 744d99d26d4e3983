// Tar images for read-only mounts: fetched (or given as bytes) once per host, named by their
// content hash. A worker is sent an image's bytes the first time it is given it (host/pool.ts), and keeps it
// unpacked (worker/service.ts): a 30 MB sysroot crosses to a worker once, not once per run.
import type { Manifest } from '../contract/manifest.js';
import { Refusal } from './refusal.js';
import { sha256 } from './sha256.js';

export interface Image {
  key: string;
  guest: string;
  bytes: Uint8Array;
  /** The mount's place in the manifest, for messages. */
  where: string;
}

export class ImageCache {
  private byLocation = new Map<string, Promise<{ key: string; bytes: Uint8Array }>>();
  private byBytes = new WeakMap<Uint8Array, Promise<{ key: string; bytes: Uint8Array }>>();

  constructor(private fetch: (location: string) => Promise<Uint8Array>) {}

  /** The manifest's image mounts, loaded: a URL that cannot be fetched refuses the run, naming the mount. */
  load(manifest: Manifest): Promise<Image[]> {
    return Promise.all(
      (manifest.mounts ?? []).flatMap((m, i) => {
        if (m.image === undefined) return [];
        const where = `manifest.mounts.${i}.image`;
        const source = m.image;
        const loading = typeof source === 'string' ? this.fromLocation(source, where) : this.fromBytes(source);
        return [loading.then(({ key, bytes }): Image => ({ key, bytes, guest: m.guest, where }))];
      }),
    );
  }

  private fromLocation(location: string, where: string) {
    let pending = this.byLocation.get(location);
    if (!pending) {
      pending = this.fetch(location).then(
        async (bytes) => ({ key: await sha256(bytes), bytes }),
        (e: Error) => {
          this.byLocation.delete(location);
          throw new Refusal(`${where}: ${location} could not be fetched: ${e.message}`);
        },
      );
      this.byLocation.set(location, pending);
    }
    return pending;
  }

  private fromBytes(bytes: Uint8Array) {
    let pending = this.byBytes.get(bytes);
    if (!pending) {
      pending = sha256(bytes).then((key) => ({ key, bytes }));
      this.byBytes.set(bytes, pending);
    }
    return pending;
  }
}
