// A terminal's cooked mode, as a pure class: what the keyboard sends (xterm's onData: typed text,
// "\r" for Enter, "\x7f" for Backspace, control characters, a whole paste at once) goes in; what to
// echo on the screen and what to send to the guest come out. Like a Unix tty in canonical mode:
// typed characters are echoed and held in a line until Enter sends it with "\n"; Backspace erases
// the last character (a whole grapheme, however many bytes and cells); Ctrl-D sends the line as it
// is, or, on an empty line, ends the input (after which only Ctrl-C counts); Ctrl-C interrupts
// (after which nothing does). Other control characters are held and echoed as ^X (as Linux's
// ECHOCTL shows them), so that each can be erased exactly.
// Escape sequences (arrows, Home, function keys, Alt+key) mean nothing in a line: dropped.

export interface Fed {
  /** Text for the screen (xterm's input: "\r\n" ends a line, "\b" moves back). */
  echo: string;
  /** Chunks for the guest, in order: each full line, or what Ctrl-D sent. */
  send: string[];
  /** The input ended (Ctrl-D on an empty line): nothing more will be sent. */
  end: boolean;
  /** Ctrl-C: the program should be stopped. */
  interrupt: boolean;
}

const ENTER = /[\r\n]/;
const ERASE = /[\x7f\b]/;
const EOF = '\x04';
const INTERRUPT = '\x03';
// CSI (with parameters, 7- or 8-bit), SS3, any other ESC-prefixed key, and C1 controls (which
// xterm would obey if they were echoed).
const ESCAPE_SEQUENCE = /(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]|\x1bO.?|\x1b.?|[\x80-\x9f]/gs;
const CONTROL = /[\x00-\x1f]/;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

type State = 'reading' | 'ended' | 'interrupted';

export class LineDiscipline {
  private line = '';
  private state: State = 'reading';

  /** What is typed and not yet sent. */
  get pending(): string {
    return this.line;
  }

  feed(data: string): Fed {
    const fed: Fed = { echo: '', send: [], end: false, interrupt: false };
    for (const { segment } of graphemes.segment(data.replace(ESCAPE_SEQUENCE, ''))) {
      if (this.state === 'interrupted') break;
      if (segment === INTERRUPT) {
        fed.echo += '^C\r\n';
        fed.interrupt = true;
        this.state = 'interrupted';
        this.line = '';
      } else if (this.state === 'ended') {
        continue;
      } else if (ENTER.test(segment)) {
        // "\r\n" (a pasted Windows line end) is one grapheme: one Enter.
        fed.send.push(`${this.line}\n`);
        fed.echo += '\r\n';
        this.line = '';
      } else if (ERASE.test(segment)) {
        fed.echo += this.erase();
      } else if (segment === EOF) {
        if (this.line === '') {
          fed.end = true;
          this.state = 'ended';
        } else {
          fed.send.push(this.line);
          this.line = '';
        }
      } else {
        this.line += segment;
        fed.echo += shown(segment);
      }
    }
    return fed;
  }

  /** Takes the last grapheme off the line; the text that erases it on screen. */
  private erase(): string {
    let last = '';
    for (const { segment } of graphemes.segment(this.line)) last = segment;
    if (last === '') return '';
    this.line = this.line.slice(0, -last.length);
    const cells = cellWidth(shown(last));
    return '\b'.repeat(cells) + ' '.repeat(cells) + '\b'.repeat(cells);
  }
}

/** How a grapheme is echoed: a control character as ^X. */
function shown(segment: string): string {
  return CONTROL.test(segment) ? `^${String.fromCharCode(segment.charCodeAt(0) + 64)}` : segment;
}

// xterm's default width table (Unicode 6, src/common/input/UnicodeV6.ts): East Asian wide and
// fullwidth ranges take two cells, combining marks and format characters none, the rest one.
const WIDE: [number, number][] = [
  [0x1100, 0x115f], [0x2329, 0x232a], [0x2e80, 0x303e], [0x3040, 0xa4cf], [0xac00, 0xd7a3], [0xf900, 0xfaff],
  [0xfe10, 0xfe19], [0xfe30, 0xfe6f], [0xff00, 0xff60], [0xffe0, 0xffe6], [0x20000, 0x2fffd], [0x30000, 0x3fffd],
];
const ZERO_WIDTH = /[\p{Mn}\p{Me}\p{Cf}]/u;

/** The cells `text` takes in xterm. */
export function cellWidth(text: string): number {
  let cells = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (code < 0x20 || (code >= 0x7f && code < 0xa0) || ZERO_WIDTH.test(char)) continue;
    cells += WIDE.some(([from, to]) => code >= from && code <= to) ? 2 : 1;
  }
  return cells;
}
