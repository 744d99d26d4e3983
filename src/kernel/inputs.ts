// The input log: every answer the kernel gave that depended on timing — the bytes each read of a
// live channel returned (or that it found nothing, to a non-blocking read), which subscriptions
// each poll found ready and how much virtual time it took — so that a run with live input can be
// replayed exactly from its report, with no live ends at all.
import type { InputEvent } from '../contract/inputs.js';

export type { InputEvent, PollFired } from '../contract/inputs.js';

/** The run went another way than the one recorded: its answers cannot be replayed. */
export class ReplayDiverged extends Error {
  override name = 'ReplayDiverged';
}

export interface InputLog {
  readonly replaying: boolean;
  /** Records an answer (live runs). */
  record(event: InputEvent): void;
  /** Replay: the next recorded answer must be a read of `channel` (bytes) or its EAGAIN (null). */
  read(channel: number): Uint8Array | null;
  /** Replay: the next recorded answer must be a poll. */
  poll(): Extract<InputEvent, { kind: 'poll' }>;
}

/** Records, keeping the bytes of reads up to `limit` in all (past it the log is incomplete). */
export class Recording implements InputLog {
  readonly replaying = false;
  readonly events: InputEvent[] = [];
  kept = 0;
  complete = true;

  constructor(
    private limit: number,
    /** Sees every event, kept or not (the input etag). */
    private observe: (event: InputEvent) => void = () => {},
  ) {}

  record(event: InputEvent): void {
    this.observe(event);
    if (!this.complete) return;
    if (event.kind === 'read') {
      if (this.kept + event.bytes.length > this.limit) {
        this.complete = false;
        return;
      }
      this.kept += event.bytes.length;
    }
    this.events.push(event);
  }

  read(): never {
    throw new Error('a recording is not replayed');
  }

  poll(): never {
    throw new Error('a recording is not replayed');
  }
}

export class Replay implements InputLog {
  readonly replaying = true;
  private at = 0;

  constructor(private events: InputEvent[]) {}

  record(): void {}

  read(channel: number): Uint8Array | null {
    const event = this.take('a read of channel ' + channel);
    if ((event.kind === 'read' || event.kind === 'again') && event.channel === channel) return event.kind === 'read' ? event.bytes : null;
    throw this.diverged(`a read of channel ${channel}`, event);
  }

  poll(): Extract<InputEvent, { kind: 'poll' }> {
    const event = this.take('a poll');
    if (event.kind === 'poll') return event;
    throw this.diverged('a poll', event);
  }

  private take(wanted: string): InputEvent {
    const event = this.events[this.at];
    if (!event) throw new ReplayDiverged(`the run asked for ${wanted} after the last recorded answer (${this.at})`);
    this.at++;
    return event;
  }

  private diverged(wanted: string, event: InputEvent): ReplayDiverged {
    const had = event.kind === 'poll' ? 'a poll' : `a read of channel ${event.channel}`;
    return new ReplayDiverged(`the run asked for ${wanted} where the record has ${had} (answer ${this.at})`);
  }
}
