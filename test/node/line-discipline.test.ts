// <zero-vm>'s line discipline, keys in, echo and lines out, with no terminal: what xterm's onData
// gives it (typed text, "\r" for Enter, "\x7f" for Backspace, control characters, a whole paste).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cellWidth, type Fed, LineDiscipline } from '../../src/elements/line-discipline.js';

/** Everything `keys` (one onData call each) make, put together. */
function feed(keys: string[], discipline = new LineDiscipline()): Fed {
  const all: Fed = { echo: '', send: [], end: false, interrupt: false };
  for (const key of keys) {
    const fed = discipline.feed(key);
    all.echo += fed.echo;
    all.send.push(...fed.send);
    all.end ||= fed.end;
    all.interrupt ||= fed.interrupt;
  }
  return all;
}

describe('line discipline', () => {
  it('echoes what is typed and sends the line, with "\\n", on Enter', () => {
    assert.deepEqual(feed(['1', '+', '2', '\r']), { echo: '1+2\r\n', send: ['1+2\n'], end: false, interrupt: false });
    assert.deepEqual(feed(['\r']).send, ['\n'], 'an empty line');
    assert.deepEqual(feed(['a\nb\r\n']).send, ['a\n', 'b\n'], '"\\n" and "\\r\\n" are Enter too');
  });

  it('erases the last character with Backspace (DEL or ^H), on screen by its width', () => {
    assert.deepEqual(feed(['2*3x', '\x7f', '\r']), { echo: '2*3x\b \b\r\n', send: ['2*3\n'], end: false, interrupt: false });
    assert.deepEqual(feed(['ab', '\b', '\r']).send, ['a\n'], '^H');
    assert.deepEqual(feed(['\x7f', 'a', '\r']), { echo: 'a\r\n', send: ['a\n'], end: false, interrupt: false }, 'nothing to erase');
  });

  it('erases a multi-byte character whole: é (2 bytes), 中 (3 bytes, 2 cells), 😀 (a surrogate pair), e + a combining accent', () => {
    const d = new LineDiscipline();
    const fed = feed(['x=é中😀e\u0301', '\x7f', '\x7f', '\x7f', '\x7f'], d);
    assert.equal(d.pending, 'x=', 'the line after four Backspaces');
    assert.equal(fed.echo, 'x=é中😀e\u0301' + '\b \b' + '\b \b' + '\b\b  \b\b' + '\b \b');
    assert.deepEqual(feed(['\r'], d).send, ['x=\n']);
  });

  it('sends the line without a newline on Ctrl-D; on an empty line Ctrl-D ends the input, and only Ctrl-C counts after', () => {
    const d = new LineDiscipline();
    assert.deepEqual(feed(['abc', '\x04'], d), { echo: 'abc', send: ['abc'], end: false, interrupt: false });
    assert.equal(d.pending, '');
    assert.deepEqual(feed(['\x04'], d), { echo: '', send: [], end: true, interrupt: false });
    assert.deepEqual(feed(['more\r', '\x04'], d), { echo: '', send: [], end: false, interrupt: false }, 'after the end');
    assert.deepEqual(feed(['\x03'], d), { echo: '^C\r\n', send: [], end: false, interrupt: true }, 'Ctrl-C after the end');
  });

  it('interrupts on Ctrl-C, showing ^C, dropping the line and whatever follows', () => {
    const d = new LineDiscipline();
    assert.deepEqual(feed(['12', '\x03x\r'], d), { echo: '12^C\r\n', send: [], end: false, interrupt: true });
    assert.deepEqual(feed(['3\r', '\x03'], d), { echo: '', send: [], end: false, interrupt: false }, 'after the interrupt');
  });

  it('sends each full line of a paste and keeps the rest to edit', () => {
    const d = new LineDiscipline();
    assert.deepEqual(feed(['4*5\r6*7\r8*'], d), { echo: '4*5\r\n6*7\r\n8*', send: ['4*5\n', '6*7\n'], end: false, interrupt: false });
    assert.equal(d.pending, '8*');
    assert.deepEqual(feed(['\x7f', '+9\r'], d).send, ['8+9\n']);
  });

  it('keeps other control characters (Tab too) in the line, echoed as ^X and erased whole', () => {
    const d = new LineDiscipline();
    assert.deepEqual(feed(['1+\t2\r'], d), { echo: '1+^I2\r\n', send: ['1+\t2\n'], end: false, interrupt: false });
    assert.deepEqual(feed(['a\x01', '\x7f', '\r'], d), { echo: 'a^A\b\b  \b\b\r\n', send: ['a\n'], end: false, interrupt: false });
  });

  it('drops escape sequences (arrows, Home, function keys, Alt+key) and C1 controls', () => {
    const keys = ['a', '\x1b[A', '\x1b[1;5C', '\x1bOH', '\x1b[15~', '\x1bx', '\x1b', 'b\x9b2Jc', '\r'];
    assert.deepEqual(feed(keys), { echo: 'abc\r\n', send: ['abc\n'], end: false, interrupt: false });
  });

  it('measures cells as xterm does by default: East Asian wide 2, combining 0, emoji 1', () => {
    assert.deepEqual(['a', 'é', '中', 'ｱ', '한', 'e\u0301', '😀', '\u200b', '𠀀'].map(cellWidth), [1, 1, 2, 1, 2, 1, 1, 0, 2]);
  });
});
