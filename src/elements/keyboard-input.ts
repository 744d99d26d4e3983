// One run's keyboard input: keys through a line discipline of its own, the echo on the screen,
// the lines into the stream bound as the run's live /dev/stdin. It lives as long as its run: once
// the run's AbortSignal fires (the run ended, or was stopped) it takes no more keys, so a stale
// run's keystrokes, or half a line typed into it, never reach the next run. Its stream is then
// left as it is, not closed: a guest stopped while it reads must be killed, not see end of input
// (and exit on its own first).
import { LineDiscipline } from './line-discipline.js';

export interface KeyboardEnds {
  /** Shows text on the screen, in order with the guest's output. */
  echo(text: string): void;
  /** Ctrl-C: stop the run. */
  interrupt(): void;
}

export class KeyboardInput {
  /** What the guest reads: each line as Enter (or Ctrl-D) sends it; it ends with Ctrl-D on an empty line. */
  readonly stream: ReadableStream<Uint8Array | string>;
  private discipline = new LineDiscipline();
  private controller!: ReadableStreamDefaultController<string>;
  private live = true;

  constructor(
    signal: AbortSignal,
    private ends: KeyboardEnds,
  ) {
    this.stream = new ReadableStream<string>({
      start: (controller) => {
        this.controller = controller;
      },
    });
    signal.addEventListener('abort', () => (this.live = false), { once: true });
  }

  /** What the keyboard sent (xterm's onData), or text typed ahead. */
  key(data: string): void {
    if (!this.live) return;
    const fed = this.discipline.feed(data);
    if (fed.echo) this.ends.echo(fed.echo);
    for (const chunk of fed.send) this.controller.enqueue(chunk);
    if (fed.end) this.controller.close();
    if (fed.interrupt) this.ends.interrupt();
  }
}
