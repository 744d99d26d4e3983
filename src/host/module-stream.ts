// A program compiled while it downloads: its bytes go to WebAssembly.compileStreaming as they come,
// through the module policy. The sections before the code (imports, memory) are held until the
// code section begins, then checked and rewritten (planHeader); everything after them passes
// straight through, and in deterministic mode each function body is scanned as it comes
// (CodeScanner), so a refused one stops the compile at once. The engine compiles function bodies
// as they arrive, on its own threads: for a big program on a slow link, most of the compile is
// done by the time the last byte is in.
import type { BodySink } from './body.js';
import { type ModulePolicy, planHeader, planPolicy, refuseRelaxedSimd, unreadableCode } from './module-policy.js';
import { CodeScanner } from './wasm-code.js';
import { hasWasmMagic, lebAt, SectionId, WasmFormatError } from './wasm-binary.js';
import { concatBytes } from '../contract/bytes.js';

export class StreamedModule implements BodySink {
  private readonly module: Promise<WebAssembly.Module>;
  /** All the bytes have come (`end`): the compile can be finished, or stopped. */
  ended = false;
  /** The compile has been told its end (`finish`) or stopped: nothing of it is left waiting. */
  closed = false;
  /** The module's bytes so far, in [0, length); the buffer grows by doubling (or is the response's length at once). */
  private bytes: Uint8Array = new Uint8Array(0);
  private length = 0;
  private controller!: ReadableStreamDefaultController<Uint8Array>;
  /** While the sections before the code are held: the offset of the next section not yet read. Null once they have gone to the compiler. */
  private next: number | null = 8;
  /** The header could not be read here: the whole module is held and planned at the end (planPolicy). */
  private whole = false;
  /** The sections before the code as compiled, and where the code section starts in `bytes`. */
  private head: Uint8Array | null = null;
  private codeStart = 0;
  private scanner: CodeScanner | null = null;
  /** What the scanner could not read: decided once the whole module is in (unreadableCode). */
  private unread: WasmFormatError | null = null;
  /**
   * Why the policy refused the module, once it has: the compile is stopped, and the rest of the
   * bytes still taken (another run may load them under another policy).
   */
  refusal: Error | null = null;

  constructor(private policy: ModulePolicy) {
    const stream = new ReadableStream<Uint8Array>({ start: (controller) => void (this.controller = controller) });
    this.module = WebAssembly.compileStreaming(new Response(stream, { headers: { 'content-type': 'application/wasm' } }));
    this.module.catch(() => undefined); // a download given up on: nobody waits for the compile
  }

  /** Takes the next piece of the body. */
  push(chunk: Uint8Array, total: number | null): void {
    const from = this.length;
    this.append(chunk, total);
    this.failing(() => {
      if (this.next !== null) return this.hold();
      this.controller.enqueue(this.bytes.subarray(from, this.length));
      this.scan();
    });
  }

  /**
   * The module's bytes as they came (whatever the policy said of them: see `refusal`). The compile
   * is not told the end yet: `finish` does, or `stop` if the module turns out to be compiled or
   * stored already (a stream not closed can still be given up).
   */
  end(): Uint8Array {
    if (this.bytes.buffer.byteLength > this.length) this.bytes = this.bytes.slice(0, this.length); // kept with the program: no spare room
    const bytes = this.bytes.subarray(0, this.length);
    this.ended = true;
    this.failing(() => {
      if (this.next !== null) {
        // No code section, or a header this reader could not read: the whole module, planned as one.
        const plan = planPolicy(bytes, this.policy);
        plan.scan();
        this.head = plan.bytes;
        this.codeStart = bytes.length;
        this.controller.enqueue(plan.bytes);
      } else if (this.unread) {
        unreadableCode(bytes, this.unread); // refuses, or leaves a malformed module to the compiler
      }
    });
    return bytes;
  }

  /** Tells the compile all the bytes are in, and gives the module; it rejects with the engine's message for bytes it does not accept. */
  finish(): Promise<WebAssembly.Module> {
    this.closed = true;
    this.controller.close();
    return this.module;
  }

  /** Stops the compile (idempotent): the download failed, or the module is not needed. */
  stop(): void {
    this.fail(new Error('the compile was stopped'));
  }

  private fail(error: unknown): void {
    this.closed = true;
    try {
      this.controller.error(error);
    } catch {
      // closed already
    }
  }

  /** The bytes the engine compiled (the policy's rewrite of the header, then the rest as it came): what a module store keeps. */
  compiled(): Uint8Array {
    return concatBytes([this.head!, this.bytes.subarray(this.codeStart, this.length)]);
  }

  /** Runs `step` unless the module is refused; if it throws, that is the refusal, and the compile is stopped. */
  private failing(step: () => void): void {
    if (this.refusal) return;
    try {
      step();
    } catch (e) {
      this.refusal = e as Error;
      this.fail(e);
    }
  }

  /** Copies `chunk` in: the compiler reads only bytes this object owns, so that what it compiles is what was scanned. */
  private append(chunk: Uint8Array, total: number | null): void {
    const needed = this.length + chunk.length;
    if (needed > this.bytes.length) {
      const grown = new Uint8Array(Math.max(needed, total ?? 0, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.length));
      this.bytes = grown; // views given to the compiler keep the old buffer, which is not written again
    }
    this.bytes.set(chunk, this.length);
    this.length = needed;
  }

  /** Reads section headers as they come; at the code section, plans the header and lets everything through. */
  private hold(): void {
    if (this.whole) return;
    const bytes = this.bytes;
    if (this.length >= 8 && !hasWasmMagic(bytes)) {
      this.whole = true; // not a module: planPolicy and the compiler say so at the end
      return;
    }
    while (this.next !== null) {
      const at = this.next;
      if (at >= this.length) return;
      let size: ReturnType<typeof lebAt>;
      try {
        size = lebAt(bytes, at + 1, this.length, 5);
      } catch {
        this.whole = true; // planPolicy and the compiler say what is wrong, at the end
        return;
      }
      if (size === null) return;
      const [payloadLength, payload] = size;
      if (bytes[at] !== SectionId.Code) {
        if (payload + payloadLength > this.length) return;
        this.next = payload + payloadLength;
        continue;
      }
      const plan = planHeader(bytes.subarray(0, at), this.policy);
      if (plan === null) {
        this.whole = true;
        return;
      }
      this.next = null;
      this.head = plan.bytes;
      this.codeStart = at;
      if (this.policy.deterministic) this.scanner = new CodeScanner(payload, payload + payloadLength, plan.firstFunction);
      this.controller.enqueue(plan.bytes);
      this.controller.enqueue(bytes.subarray(at, this.length));
      this.scan();
    }
  }

  private scan(): void {
    if (!this.scanner || this.unread) return;
    try {
      this.scanner.advance(this.bytes, this.length);
    } catch (e) {
      if (!(e instanceof WasmFormatError)) throw e;
      this.unread = e;
      return;
    }
    const found = this.scanner.findings.relaxedSimd;
    if (found) refuseRelaxedSimd(found);
  }
}
