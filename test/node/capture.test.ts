// What the host keeps of a run's output for its report: UTF-8 decoded across chunk boundaries,
// cut at the limit, and every chunk passed to the listeners.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { STDERR, STDOUT } from '../../src/contract/channels.js';
import { OutputCapture } from '../../src/host/capture.js';

const utf8 = new TextEncoder();

describe('OutputCapture', () => {
  it('decodes characters split across chunks, and chunks that end inside a character', () => {
    const text = 'a é, b 🦀; ascii again\nnoch einmal ß';
    const bytes = utf8.encode(text);
    // every way of cutting it in three, so each character is split at each of its bytes
    for (let i = 0; i <= bytes.length; i++) {
      for (let j = i; j <= bytes.length; j += 3) {
        const capture = new OutputCapture(1 << 20, new Map());
        capture.push([[STDOUT, bytes.subarray(0, i)], [STDOUT, bytes.subarray(i, j)], [STDOUT, bytes.subarray(j)]]);
        assert.equal(capture.text(STDOUT), text, `cut at ${i} and ${j}`);
      }
    }
  });

  it('keeps each channel apart, up to the limit, and passes every chunk to its listeners', () => {
    const heard: string[] = [];
    const capture = new OutputCapture(5, new Map([[STDERR, [(b: Uint8Array) => heard.push(new TextDecoder().decode(b))]]]));
    capture.push([[STDOUT, utf8.encode('abc')], [STDERR, utf8.encode('12345678')], [STDOUT, utf8.encode('defg')]]);
    assert.equal(capture.text(STDOUT), 'abcde');
    assert.equal(capture.text(STDERR), '12345');
    assert.deepEqual(heard, ['12345678']);
  });
});
