// The requests that come through the box (see run-bell.ts), read once. A page that runs one
// manifest over and over sends the same bytes each time (the run's number travels apart, in
// LinkWord.RunNumber): the worker then takes the request it read last, again, rather than
// decoding and parsing it (~18 µs of a ~110 µs warm run in Chromium), and the next VM's kernel
// may have been loaded for it while the worker was idle (see spare.ts).
import { unpack } from '../contract/packed.js';
import type { VmRequest } from '../contract/protocol.js';

/** A request from the box, and whether it is the one read last (the same object, `run` aside). */
export interface BoxedRequest {
  request: VmRequest;
  again: boolean;
}

export class LastRequest {
  /** The last request kept, and the bytes it was read from. */
  private kept: { bytes: Uint8Array; request: VmRequest } | null = null;

  /** The request of run `run`, `size` bytes packed in `box`. */
  read(box: Uint8Array, size: number, run: number): BoxedRequest {
    const kept = this.kept;
    if (kept && sameBytes(kept.bytes, box, size)) {
      kept.request.run = run;
      return { request: kept.request, again: true };
    }
    const request = unpack<VmRequest>(box);
    request.run = run;
    this.kept = keepable(request) ? { bytes: box.slice(0, size), request } : null;
    return { request, again: false };
  }
}

/**
 * Whether a run leaves its request as it came, so that it can be run again: a run mounting images
 * adds their files to its request's fs; a replay and a plugin call are not kept (they are seldom
 * the same twice, and their records and inputs are the run's own).
 */
function keepable(request: VmRequest): boolean {
  return request.images.length === 0 && request.replay === undefined && request.plugin === undefined;
}

function sameBytes(kept: Uint8Array, box: Uint8Array, size: number): boolean {
  if (kept.length !== size) return false;
  for (let i = 0; i < size; i++) if (kept[i] !== box[i]) return false;
  return true;
}
