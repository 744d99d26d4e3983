// The terminal's colours and fonts, from <zero-vm>'s CSS custom properties. xterm.js takes them as
// options, not CSS, so they are read from the computed style of the terminal's container (custom
// properties inherit into the shadow root, so a value set on the element or any ancestor counts).
// Colours become RGB numbers: stderr and notices are coloured by escape sequences, which take
// numbers, not CSS. Fonts are read as the container's own font-family and font-size, which the
// element's stylesheet sets from --zero-vm-mono-font and --zero-vm-font-size (see FONT_CSS), so
// that any CSS length ("1rem", "11pt") arrives in pixels.
import { css, unsafeCSS } from 'lit';

export type Rgb = readonly [number, number, number];

export interface TerminalLook {
  background: Rgb;
  foreground: Rgb;
  stderr: Rgb;
  notice: Rgb;
  fontFamily: string;
  fontSize: number;
}

/** Each colour's custom property and its default (the element's own look). */
const COLOURS = {
  background: ['--zero-vm-background', '#0d1117'],
  foreground: ['--zero-vm-foreground', '#e6edf3'],
  stderr: ['--zero-vm-stderr-color', '#ff7b72'],
  notice: ['--zero-vm-muted-color', '#8b949e'],
} as const;

type Colour = keyof typeof COLOURS;

const MONO_FONT = ['--zero-vm-mono-font', 'ui-monospace, "DejaVu Sans Mono", "Cascadia Mono", Menlo, Consolas, monospace'] as const;
const FONT_SIZE = ['--zero-vm-font-size', '13px'] as const;

/** `var(--name, default)` for a colour, for the element's stylesheet. */
export function colourVar(colour: Colour) {
  const [name, fallback] = COLOURS[colour];
  return unsafeCSS(`var(${name}, ${fallback})`);
}

/** The rule that gives the terminal's container the fonts read below. */
export const FONT_CSS = css`
  font-family: ${unsafeCSS(`var(${MONO_FONT[0]}, ${MONO_FONT[1]})`)};
  font-size: ${unsafeCSS(`var(${FONT_SIZE[0]}, ${FONT_SIZE[1]})`)};
`;

/** The look as `container`'s computed style has it; a colour that does not read (or is not opaque) keeps its default. */
export function readLook(container: Element): TerminalLook {
  const style = getComputedStyle(container);
  const colour = (which: Colour): Rgb => {
    const [name, fallback] = COLOURS[which];
    return rgbOf(style.getPropertyValue(name).trim()) ?? rgbOf(fallback)!; // a default is #rrggbb: it always reads
  };
  const fontSize = parseFloat(style.fontSize);
  return {
    background: colour('background'),
    foreground: colour('foreground'),
    stderr: colour('stderr'),
    notice: colour('notice'),
    // Empty only when the container is not rendered (display: none, or not on the page).
    fontFamily: style.fontFamily || MONO_FONT[1],
    fontSize: fontSize > 0 ? fontSize : parseFloat(FONT_SIZE[1]),
  };
}

export function sameLook(a: TerminalLook, b: TerminalLook): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** `\x1b[38;2;r;g;bm`: the foreground escape for a colour. */
export function foregroundEscape([r, g, b]: Rgb): string {
  return `\x1b[38;2;${r};${g};${b}m`;
}

let painter: CanvasRenderingContext2D | null | undefined;
let invalid: CanvasGradient | undefined;

/**
 * Any CSS colour as RGB, by painting one pixel (as xterm does for theme colours it cannot parse
 * itself): named colours, hsl(), oklch() and the rest. Null when the text is not an opaque colour.
 */
function rgbOf(text: string): Rgb | null {
  const hexDigits = /^#([\da-f]{6})$/i.exec(text)?.[1];
  if (hexDigits) {
    const n = parseInt(hexDigits, 16);
    return [n >> 16, (n >> 8) & 255, n & 255];
  }
  if (text === '') return null;
  if (painter === undefined) {
    const canvas = Object.assign(document.createElement('canvas'), { width: 1, height: 1 });
    painter = canvas.getContext('2d', { willReadFrequently: true });
    if (painter) {
      painter.globalCompositeOperation = 'copy';
      invalid = painter.createLinearGradient(0, 0, 1, 1);
    }
  }
  if (!painter || !invalid) return null;
  // A gradient first: an invalid colour leaves fillStyle unchanged, so it is not a string after.
  painter.fillStyle = invalid;
  painter.fillStyle = text;
  if (typeof painter.fillStyle !== 'string') return null;
  painter.fillRect(0, 0, 1, 1);
  const [r, g, b, a] = painter.getImageData(0, 0, 1, 1).data;
  return a === 255 ? [r, g, b] : null;
}
