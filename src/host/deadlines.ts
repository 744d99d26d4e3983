// The moments runs are waiting for (their timeouts, their output's first look), on one timer for
// the whole host. A timer of its own per run cost ~15 µs of a ~300 µs warm run (setTimeout and
// clearTimeout); here a run adds and removes an entry, and the timer is set again only when it
// must fire sooner, or when it fires.

/** A moment a run waits for: `fire` is called once it has come, unless the run took it back. */
export interface Deadline {
  at: number;
  fire: () => void;
}

export class Deadlines {
  private pending = new Set<Deadline>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  /** When the timer fires (Infinity: not set). */
  private armedAt = Infinity;

  /** Calls `fire` `ms` from now; the Deadline given back is the one to cancel. */
  add(ms: number, fire: () => void): Deadline {
    const deadline = { at: performance.now() + ms, fire };
    this.pending.add(deadline);
    if (deadline.at < this.armedAt) this.arm(deadline.at);
    else holdProcess(this.timer, true);
    return deadline;
  }

  /**
   * Takes `deadline` back. The timer stays set (clearing it and setting it again for the next run
   * is what this saves); once nothing is pending it no longer holds a Node process open.
   */
  cancel(deadline: Deadline): void {
    this.pending.delete(deadline);
    if (this.pending.size === 0) holdProcess(this.timer, false);
  }

  private arm(at: number): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.armedAt = at;
    this.timer = setTimeout(() => this.due(), Math.max(0, at - performance.now()));
    holdProcess(this.timer, this.pending.size > 0);
  }

  private due(): void {
    this.timer = null;
    this.armedAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const deadline of [...this.pending]) {
      if (!this.pending.has(deadline)) continue; // taken back by one fired before it
      if (deadline.at <= now) {
        this.pending.delete(deadline);
        deadline.fire();
      } else next = Math.min(next, deadline.at);
    }
    if (next < this.armedAt) this.arm(next);
  }
}

/** In Node a set timer keeps the process alive: only while some run waits on it. */
function holdProcess(timer: ReturnType<typeof setTimeout> | null, hold: boolean): void {
  const handle = timer as { ref?: () => void; unref?: () => void } | null;
  if (hold) handle?.ref?.();
  else handle?.unref?.();
}
