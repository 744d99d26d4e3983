// A run's live ends on the page: the streams its live inputs are read from (only when the guest
// waits for them: nothing is read ahead, so nothing piles up), the sinks its live outputs go to
// (credit given back as each write completes: the guest waits while the page is behind), and
// the page functions its call channels ask. Bound from RunOptions, one session per run.
import { concatBytes } from '../contract/bytes.js';
import type { ChannelEntry } from '../contract/channels.js';
import type { LinkRecord } from '../contract/link.js';
import { RecordKind } from '../contract/ring.js';
import type { OutputCapture } from './capture.js';
import type { LinkReader } from './link.js';

/** Bytes that arrive while the guest runs: a stream, or any async iterable, of bytes or text. */
export type LiveSource = ReadableStream<Uint8Array | string> | AsyncIterable<Uint8Array | string>;
/** Where a live output goes: a stream, or a function (which may return a promise: the guest waits for it). */
export type LiveSink = WritableStream<Uint8Array> | ((bytes: Uint8Array) => void | Promise<void>);
/**
 * A call channel's page function: a request in, a reply out. It is also given the run's
 * AbortSignal as a second argument, aborted when the run ends (kill, timeout, its end), so that
 * work for a reply nobody will read can stop. (Not in the type: a one-argument arrow function in
 * RunOptions.channels keeps its parameter's type.)
 */
export type CallHandler = (request: Uint8Array) => Uint8Array | string | Promise<Uint8Array | string>;
type SignalledHandler = (request: Uint8Array, signal: AbortSignal) => ReturnType<CallHandler>;
export type LiveEnd = LiveSource | LiveSink | CallHandler;

const utf8 = new TextEncoder();
const bytesOf = (value: Uint8Array | string): Uint8Array => (typeof value === 'string' ? utf8.encode(value) : value);

function iteratorOf(source: LiveSource): AsyncIterator<Uint8Array | string> {
  if (typeof ReadableStream !== 'undefined' && source instanceof ReadableStream) {
    const reader = source.getReader();
    return {
      next: () => reader.read() as Promise<IteratorResult<Uint8Array | string>>,
      return: async () => {
        reader.releaseLock();
        return { done: true, value: undefined };
      },
    };
  }
  return (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
}

/** Whether `end` can be what `entry` needs bound (a function is a sink or a call handler by the channel's kind). */
export function fits(entry: ChannelEntry, end: LiveEnd): boolean {
  switch (entry.kind) {
    case 'input':
      return (typeof ReadableStream !== 'undefined' && end instanceof ReadableStream) || (typeof end === 'object' && end !== null && Symbol.asyncIterator in end);
    case 'output':
      return typeof end === 'function' || (typeof WritableStream !== 'undefined' && end instanceof WritableStream);
    case 'call':
      return typeof end === 'function';
  }
}

interface Input {
  iterator: AsyncIterator<Uint8Array | string>;
  pulling: boolean;
  done: boolean;
}

interface Output {
  write: (bytes: Uint8Array) => void | Promise<void>;
  finish: (ok: boolean) => void;
  taken: number;
  /** Writes complete in order: each waits for the one before. */
  last: Promise<unknown>;
}

export class LiveSession {
  private inputs = new Map<number, Input>();
  private outputs = new Map<number, Output>();
  private calls = new Map<number, { handler: CallHandler; request: Uint8Array[] }>();
  /** What went wrong at the page's end of a channel, by channel: said in the report. */
  readonly errors = new Map<number, string>();
  private closed = false;
  /** Aborted when the run is over: the page functions' signal (made by the first call: most runs have none). */
  private over: AbortController | null = null;

  constructor(
    private table: ChannelEntry[],
    ends: Map<number, LiveEnd>,
    private link: LinkReader,
    private capture: OutputCapture,
  ) {
    for (const [index, end] of ends) {
      const entry = table[index];
      if (entry.kind === 'input') this.inputs.set(index, { iterator: iteratorOf(end as LiveSource), pulling: false, done: false });
      else if (entry.kind === 'call') this.calls.set(index, { handler: end as CallHandler, request: [] });
      else this.outputs.set(index, sinkOf(end as LiveSink));
    }
  }

  /** Answers the requests on `channel`, a call channel of the host's own (not in the table: the volume loader). */
  serve(channel: number, handler: CallHandler): void {
    this.calls.set(channel, { handler, request: [] });
  }

  /** Records from the guest: output, call requests, wants. */
  take(records: LinkRecord[]): void {
    const captured: [number, Uint8Array][] = [];
    for (const [kind, channel, bytes] of records) {
      const call = this.calls.get(channel);
      if (kind === RecordKind.Want) this.pull(channel);
      else if (call) {
        if (kind === RecordKind.End) this.call(channel, call);
        else call.request.push(bytes);
      } else if (kind === RecordKind.Data && this.table[channel]?.kind === 'output') {
        const output = this.outputs.get(channel);
        if (output) this.deliver(channel, output, bytes);
        else captured.push([channel, bytes]);
      }
    }
    if (captured.length > 0) this.capture.push(captured);
  }

  /**
   * The run is over: sources let go, sinks closed (or aborted when it did not end well). Resolves
   * once every sink has taken all the guest wrote: a report never comes before its output is out.
   * Null when the run has no live sink, so there is nothing to wait for.
   */
  close(ok: boolean): Promise<void> | null {
    this.closed = true;
    this.over?.abort(new Error('the run is over'));
    for (const input of this.inputs.values()) void input.iterator.return?.()?.catch(() => undefined);
    if (this.outputs.size === 0) return null; // nothing to wait for (most runs)
    const sinks = [...this.outputs.values()].map((output) => output.last.then(() => output.finish(ok), () => output.finish(false)));
    return Promise.all(sinks).then(() => undefined);
  }

  private pull(channel: number): void {
    const input = this.inputs.get(channel);
    if (!input || input.pulling || input.done) return;
    input.pulling = true;
    input.iterator.next().then(
      (result) => {
        input.pulling = false;
        if (this.closed) return;
        if (result.done) {
          input.done = true;
          this.link.input(channel, null);
          return;
        }
        const bytes = bytesOf(result.value);
        if (bytes.length > 0) this.link.input(channel, bytes);
        else this.pull(channel); // an empty chunk is nothing for the waiting guest: the next one is
      },
      (error: unknown) => this.failed(channel, `its stream failed: ${messageOf(error)}`),
    );
  }

  private call(channel: number, call: { handler: CallHandler; request: Uint8Array[] }): void {
    const request = concatBytes(call.request);
    call.request = [];
    Promise.resolve()
      .then(() => (call.handler as SignalledHandler)(request, (this.over ??= new AbortController()).signal))
      .then(
        (reply) => {
          if (this.closed) return;
          this.link.input(channel, bytesOf(reply));
          this.link.input(channel, null);
        },
        (error: unknown) => this.failed(channel, `its page function failed: ${messageOf(error)}`),
      );
  }

  private deliver(channel: number, output: Output, bytes: Uint8Array): void {
    output.last = output.last
      .then(() => output.write(bytes))
      .then(
        () => {
          output.taken += bytes.length;
          if (!this.closed) this.link.acked(channel, output.taken);
        },
        (error: unknown) => this.failed(channel, `its sink failed: ${messageOf(error)}`),
      );
  }

  /** The page's end of a channel failed: the guest's reads (EIO) and writes (EPIPE) on it fail from now on. */
  private failed(channel: number, message: string): void {
    if (!this.errors.has(channel)) this.errors.set(channel, message);
    if (!this.closed) this.link.fail(channel);
  }
}

function sinkOf(sink: LiveSink): Output {
  if (typeof sink === 'function') return { write: sink, finish: () => {}, taken: 0, last: Promise.resolve() };
  const writer = sink.getWriter();
  return {
    // Each write waits for the stream to have room: that is the page's backpressure.
    write: async (bytes) => {
      await writer.ready;
      await writer.write(bytes);
    },
    finish: (ok) => void (ok ? writer.close() : writer.abort(new Error('the run did not end'))).catch(() => undefined),
    taken: 0,
    last: Promise.resolve(),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
