// One run in flight: the object kill(), its AbortSignal and its timeout end it through, wherever
// the run is (fetching, queued for a worker, booting one, running).
import { deferred } from '../contract/deferred.js';

export type Ending = { status: 'killed' | 'timeout'; message: string };

/** One run in flight, so that kill(), its signal or its timeout can reach it wherever it is. */
export class Flight {
  private readonly ends = deferred<Ending>();
  /** Settles with how the run was ended, if it is: every wait of the run races it. */
  readonly ended = this.ends.promise;
  private ending: Ending | null = null;
  private unhook = () => {};

  constructor(signal: AbortSignal | undefined) {
    if (!signal) return;
    const abort = () => this.end({ status: 'killed', message: `killed by its signal${reasonOf(signal.reason)}` });
    if (signal.aborted) {
      abort();
      return;
    }
    signal.addEventListener('abort', abort, { once: true });
    this.unhook = () => signal.removeEventListener('abort', abort);
  }

  end(ending: Ending): void {
    if (this.ending) return;
    this.ending = ending;
    this.ends.resolve(ending);
  }

  stopped(): Ending | null {
    return this.ending;
  }

  /** The run is over: its signal no longer matters (a long-lived signal must not hold it). */
  land(): void {
    this.unhook();
  }
}

function reasonOf(reason: unknown): string {
  if (reason instanceof Error) return reason.name === 'AbortError' ? '' : `: ${reason.message}`;
  return typeof reason === 'string' && reason !== '' ? `: ${reason}` : '';
}

/** Whether a race against `flight.ended` was won by the ending (an Ending is the only such object). */
export function isEnding(x: unknown): x is Ending {
  return x instanceof Object && !Array.isArray(x) && ((x as Ending).status === 'killed' || (x as Ending).status === 'timeout');
}
