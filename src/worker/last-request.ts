// Requests as bytes (packed in the shared block's box, see run-bell.ts) or text (in a run
// message), read once. A page that runs one manifest over and over sends the same bytes or text
// each time (the run's number travels apart: packRequest, requestText in contract/protocol.ts):
// the worker then takes the request it read last, again, rather than parsing it (~18 µs of a
// ~110 µs warm run in Chromium), and the next VM's kernel may have been loaded for it while the
// worker was idle (see spare.ts).
import { unpack } from '../contract/packed.js';
import type { VmRequest } from '../contract/protocol.js';

/** A request read (from the box or a message's text), and whether it is the one read last (the same object, `run` aside). */
export interface ReadRequest {
  request: VmRequest;
  again: boolean;
}

export class LastRequest {
  /** The last request kept, and the bytes (the box) or the text (a message) it was read from. */
  private kept: { from: Uint8Array | string; request: VmRequest } | null = null;

  /** The request of run `run`, `size` bytes packed in `box`. */
  read(box: Uint8Array, size: number, run: number): ReadRequest {
    const kept = this.kept;
    if (kept && kept.from instanceof Uint8Array && sameBytes(kept.from, box, size)) return this.again(kept.request, run);
    return this.keep(unpack<VmRequest>(box), run, () => box.slice(0, size));
  }

  /** The request of run `run`, given as JSON text (a run message: see requestText in contract/protocol.ts). */
  readText(text: string, run: number): ReadRequest {
    const kept = this.kept;
    if (kept && kept.from === text) return this.again(kept.request, run);
    return this.keep(JSON.parse(text) as VmRequest, run, () => text);
  }

  private again(request: VmRequest, run: number): ReadRequest {
    request.run = run;
    return { request, again: true };
  }

  /** `from`: what it was read from, copied (out of the box) only when it is kept. */
  private keep(request: VmRequest, run: number, from: () => Uint8Array | string): ReadRequest {
    request.run = run;
    this.kept = keepable(request) ? { from: from(), request } : null;
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
