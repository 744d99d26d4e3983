// The playground's arguments field, read and written like a shell's words: whitespace separates
// arguments, quotes keep spaces inside one ('b c' or "b c"), a backslash escapes the next
// character. <zero-vm>'s `args` attribute has no quoting; the playground builds argv itself so that
// an example such as env's ["a", "b c"] can be shown and edited faithfully.

/** The arguments in `text`. An unterminated quote runs to the end of the text. */
export function parseArgs(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === quote) quote = null;
      else if (c === '\\' && quote === '"' && i + 1 < text.length) word += text[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const PLAIN = /^[\w@%+=:,./-]+$/;

/** `words` as text that parseArgs() reads back unchanged; plain words stay unquoted. */
export function formatArgs(words: readonly string[]): string {
  return words.map((w) => (PLAIN.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}
