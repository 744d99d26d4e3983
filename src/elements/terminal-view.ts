// <zero-vm>'s terminal: an xterm.js terminal fed by the guest's stdout and stderr and by the echo
// of what is typed, and a plain-text copy of everything shown. Guest bytes only ever reach xterm
// as text (it interprets terminal escapes, never HTML); each stream has its own UTF-8 decoder so
// that a character split across chunks, or interleaved with the other stream, still decodes. The
// host's own lines (such as "output truncated") are notices: shown dim, never part of the guest's
// text; nor is the echo. Keys reach onInput only while input is live. Colours and fonts come from
// the element's CSS custom properties (terminal-look.ts), read on attach() and restyle().
import { type ITerminalInitOnlyOptions, type ITerminalOptions, type ITheme, Terminal } from '@xterm/xterm';
import { foregroundEscape, hex, readLook, sameLook, type TerminalLook } from './terminal-look.js';

export type Stream = 'stdout' | 'stderr';

interface Segment {
  stream: Stream | 'notice' | 'echo';
  text: string;
}

/** Characters of plain text kept (and replayed on re-attach); a flood past it still streams to xterm. */
const KEEP_CHARS = 1 << 20;
const COLOUR_OFF = '\x1b[39m';
const SCROLLBAR_PX = 14;
const MODIFIERS = new Set(['Shift', 'Control', 'Alt', 'Meta']);

export class TerminalView {
  private term: Terminal | null = null;
  private container: HTMLElement | null = null;
  private look: TerminalLook | null = null;
  private resizeObserver: ResizeObserver | null = null;
  private decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
  private segments: Segment[] = [];
  private kept = 0;
  private written: Promise<void> = Promise.resolve();
  private lineStart = true;
  private rows: number;
  private live = false;
  /** Escape was pressed while input is live: the next Tab leaves the terminal. */
  private leaving = false;

  /** `onInput`: what the keyboard sends while input is live (xterm's onData: typed text, control keys, a paste). */
  constructor(
    rows: number,
    private onInput: (data: string) => void,
  ) {
    this.rows = rows;
  }

  /** Everything the guest wrote since the last clear(), stdout and stderr interleaved as they came. */
  get text(): string {
    return this.segments
      .filter((s) => s.stream === 'stdout' || s.stream === 'stderr')
      .map((s) => s.text)
      .join('');
  }

  /**
   * Whether keys go to the guest. While they do, Tab is the guest's (Escape then Tab leaves, so
   * that keyboard users are never trapped) and the cursor shows; otherwise the terminal takes no
   * keys and Tab leaves it like any other widget's.
   */
  get inputLive(): boolean {
    return this.live;
  }

  set inputLive(live: boolean) {
    this.live = live;
    this.leaving = false;
    const { term, look } = this;
    if (!term || !look) return;
    term.options.disableStdin = !live;
    term.options.theme = themeOf(look, live);
    this.label(term);
  }

  /** Shows the terminal in `container`, replaying what was written while it was detached. */
  attach(container: HTMLElement): void {
    if (this.term) return;
    const look = readLook(container);
    const options: ITerminalOptions & ITerminalInitOnlyOptions = {
      rows: this.rows,
      cols: 80,
      disableStdin: !this.live,
      // An accessibility tree of the rows and a live region, so that screen readers get the output.
      screenReaderMode: true,
      convertEol: false, // done explicitly in show()
      cursorBlink: false,
      cursorInactiveStyle: 'none',
      scrollback: 5000,
      fontFamily: look.fontFamily,
      fontSize: look.fontSize,
      theme: themeOf(look, this.live),
    };
    const term = new Terminal(options);
    this.term = term;
    this.container = container;
    this.look = look;
    term.open(container);
    term.attachCustomKeyEventHandler((event) => this.takesKey(event));
    term.onData((data) => this.onInput(data));
    this.label(term);
    for (const segment of this.segments) this.show(segment.stream, segment.text);
    this.resizeObserver = new ResizeObserver(() => this.fit(container));
    this.resizeObserver.observe(container);
    this.fit(container);
  }

  /**
   * Reads the colours and fonts again and gives xterm those that changed. Output already shown in
   * the stderr or notice colour keeps the colour it was written in.
   */
  restyle(): void {
    const { term, container } = this;
    if (!term || !container || !this.look) return;
    const look = readLook(container);
    if (sameLook(look, this.look)) return;
    this.look = look;
    term.options.theme = themeOf(look, this.live);
    term.options.fontFamily = look.fontFamily;
    term.options.fontSize = look.fontSize;
    this.fit(container);
  }

  /** Focuses the terminal; false when it is not on the page. */
  focus(): boolean {
    this.term?.focus();
    return this.term !== null;
  }

  /** Releases xterm (its DOM and listeners); the text is kept for a later attach(). */
  detach(): void {
    this.resizeObserver?.disconnect();
    this.resizeObserver = null;
    this.term?.dispose();
    this.term = null;
    this.container = null;
    this.look = null;
    this.written = Promise.resolve();
  }

  setRows(rows: number): void {
    this.rows = rows;
    if (this.term && this.term.rows !== rows) this.term.resize(this.term.cols, rows);
  }

  write(stream: Stream, bytes: Uint8Array): void {
    this.append(stream, this.decoders[stream].decode(bytes, { stream: true }));
  }

  /** The run is over: flushes each decoder (a dangling partial character becomes U+FFFD). */
  end(): void {
    this.append('stdout', this.decoders.stdout.decode());
    this.append('stderr', this.decoders.stderr.decode());
  }

  /** What was typed, as the line discipline echoes it: shown, but not the guest's output. */
  echo(text: string): void {
    if (text === '') return;
    this.keep('echo', text);
    this.show('echo', text);
  }

  /** A line of the host's own (not the guest's output), shown dim on a line of its own. */
  notice(text: string): void {
    const line = `${this.lineStart ? '' : '\n'}${text}\n`;
    this.segments.push({ stream: 'notice', text: line });
    this.show('notice', line);
  }

  clear(): void {
    this.segments = [];
    this.kept = 0;
    this.decoders = { stdout: new TextDecoder(), stderr: new TextDecoder() };
    this.lineStart = true;
    const term = this.term;
    if (!term) return;
    term.reset();
    // xterm's live region stops announcing after 20 lines until a key is pressed, across reset():
    // a fresh one per run, so that every run is announced.
    term.options.screenReaderMode = false;
    term.options.screenReaderMode = true;
  }

  /** The terminal's buffer as text, once xterm has parsed everything written so far. */
  async screenText(): Promise<string> {
    await this.written;
    const buffer = this.term?.buffer.active;
    if (!buffer) return '';
    const lines: string[] = [];
    for (let i = 0; i < buffer.length; i++) lines.push(buffer.getLine(i)?.translateToString(true) ?? '');
    return lines.join('\n').replace(/\n+$/, '');
  }

  private append(stream: Stream, text: string): void {
    if (text === '') return;
    this.keep(stream, text);
    this.show(stream, text);
  }

  private keep(stream: Segment['stream'], text: string): void {
    const room = KEEP_CHARS - this.kept;
    if (room <= 0) return;
    const piece = text.length > room ? text.slice(0, room) : text;
    this.kept += piece.length;
    const last = this.segments[this.segments.length - 1];
    if (last?.stream === stream) last.text += piece;
    else this.segments.push({ stream, text: piece });
  }

  private show(stream: Segment['stream'], text: string): void {
    this.lineStart = text.endsWith('\n');
    const { term, look } = this;
    if (!term || !look) return;
    const lines = text.replace(/\n/g, '\r\n');
    const data = stream === 'stdout' || stream === 'echo' ? lines : foregroundEscape(look[stream]) + lines + COLOUR_OFF;
    this.written = new Promise((resolve) => term.write(data, resolve));
  }

  /** Whether xterm takes `event`: Tab only while input is live and not after Escape; Escape never (it readies Tab). */
  private takesKey(event: KeyboardEvent): boolean {
    if (event.key === 'Tab') {
      const leave = !this.live || this.leaving;
      this.leaving = false;
      return !leave; // xterm would take Tab as input and keep the focus
    }
    if (!this.live || event.type !== 'keydown' || MODIFIERS.has(event.key)) return true;
    this.leaving = event.key === 'Escape';
    return !this.leaving;
  }

  private label(term: Terminal): void {
    // xterm's own "Terminal input" is untrue while the terminal only shows output.
    term.textarea?.setAttribute('aria-label', this.live ? 'Program input and output' : 'Program output');
  }

  /** Columns to fill the container's width (what @xterm/addon-fit does, without its private API use). */
  private fit(container: HTMLElement): void {
    const { term, look } = this;
    const width = container.clientWidth;
    if (!term || !look || width === 0) return;
    const cols = Math.max(20, Math.floor((width - SCROLLBAR_PX) / cellWidth(`${look.fontSize}px ${look.fontFamily}`)));
    if (cols !== term.cols) term.resize(cols, this.rows);
  }
}

function themeOf(look: TerminalLook, live: boolean): ITheme {
  // The cursor in the background's colour while the terminal only shows output: then it shows none.
  return { background: hex(look.background), foreground: hex(look.foreground), cursor: hex(live ? look.foreground : look.background) };
}

const cellWidths = new Map<string, number>();

/** The width of one cell in `font` (a canvas font: size and family). */
function cellWidth(font: string): number {
  let width = cellWidths.get(font);
  if (width) return width;
  const context = document.createElement('canvas').getContext('2d');
  if (!context) return 8;
  context.font = font;
  width = context.measureText('W'.repeat(50)).width / 50;
  if (!(width > 0)) width = 8;
  cellWidths.set(font, width);
  return width;
}
