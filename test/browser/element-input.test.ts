// <zero-vm> as an interactive terminal, by real key presses: calc (a prompt "> ", one answer per
// line, "bye" at the end of its input) reads what is typed. The line discipline (echo, Backspace,
// Enter, Ctrl-D, Ctrl-C, paste), focus (Tab is the guest's while it reads; Escape then Tab leaves),
// which runs are interactive (attributes, a manifest, channels), and a call channel bound through
// the element. Run with and without cross-origin isolation, so the guest waits both ways.
import type { Manifest } from '../../src/contract/manifest.js';
import type { Report } from '../../src/contract/report.js';
import '../../src/elements/zero-vm.js';
import type { ZeroVmElement } from '../../src/elements/zero-vm.js';
import { assert, assertEqual } from './assert.js';
import { describeElement, focused, inShadow, mount, nextEvent, press, stop, typeKeys, until } from './dom.js';

const CALC = '/public/programs/calc.wasm';
const BANNER = 'calc: + - * / % ^ and ( ); type quit or press Ctrl-D to leave';
const LIVE_STDIN = [{ path: '/dev/stdin', source: 'live' as const }];

function zeroVm(attributes: Record<string, string>): ZeroVmElement {
  const element = document.createElement('zero-vm');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return mount(element);
}

function button(name: string): HTMLButtonElement {
  return mount(Object.assign(document.createElement('button'), { textContent: name }));
}

/** Waits until calc has printed its `n`th prompt (and so waits for a line). */
function prompt(element: ZeroVmElement, n: number): Promise<unknown> {
  return until(() => element.output.split('> ').length > n, `prompt ${n}`);
}

/** The terminal's lines after calc's banner, without trailing blanks (the prompt's, or where Backspace erased). */
async function screen(element: ZeroVmElement): Promise<string[]> {
  const lines = (await element.terminalText()).split('\n').map((line) => line.trimEnd());
  return lines.slice(lines.indexOf(BANNER) + 1);
}

/**
 * Pastes `text` into the terminal: a paste event on xterm's textarea, which xterm's own paste
 * handler takes, as it takes a user's. The clipboard's contents are given to the event as its
 * clipboardData (Firefox leaves the clipboardData of a page-made event empty).
 */
function paste(element: ZeroVmElement, text: string): void {
  const clipboardData = new DataTransfer();
  clipboardData.setData('text/plain', text);
  const event = new ClipboardEvent('paste', { bubbles: true, cancelable: true });
  Object.defineProperty(event, 'clipboardData', { value: clipboardData });
  inShadow(element, 'textarea.xterm-helper-textarea').dispatchEvent(event);
}

/** Starts calc in `element` and waits for its first prompt, with the focus in the terminal; `report` is the run's. */
async function startCalc(element: ZeroVmElement): Promise<{ report: Promise<Report> }> {
  const report = element.run();
  await prompt(element, 1);
  element.focus();
  return { report }; // wrapped: an async function returning a promise would wait for it
}

afterEach(stop);

describe(`<zero-vm> interactive (${crossOriginIsolated ? 'isolated: Atomics.wait' : 'not isolated: JSPI'})`, () => {
  it('sends each typed line on Enter, echoed after the prompt; Backspace erases; Ctrl-D ends the input', async () => {
    const element = zeroVm({ src: CALC });
    const started = nextEvent<Manifest>(element, 'vm-start');
    const { report: running } = await startCalc(element);
    assertEqual((await started).detail.channels, LIVE_STDIN, 'no stdin attribute: stdin is declared live');
    await typeKeys('1+2');
    await press('Enter');
    await prompt(element, 2);
    await typeKeys('2*3x');
    await press('Backspace');
    await press('Enter');
    await prompt(element, 3);
    await press('Control+D');
    const report = await running;
    assertEqual([report.status, report.exitCode], ['ok', 0], 'status and exit code');
    assertEqual(report.stdout, `${BANNER}\n> 3\n> 6\n> \nbye\n`, 'stdout');
    assertEqual(await screen(element), ['> 1+2', '3', '> 2*3', '6', '>', 'bye'], 'the screen: prompt, what was typed, answer');
    assertEqual(report.channels.find((c) => c.path === '/dev/stdin')?.readBytes, '1+2\n2*3\n'.length, 'stdin bytes read');
    assert(!element.output.includes('1+2'), `the echo is not the program's output: ${element.output}`);
  });

  it('erases a multi-byte character, and a wide one, whole and on screen', async () => {
    const element = zeroVm({ src: CALC });
    const { report: running } = await startCalc(element);
    // Pasted: xterm takes typed text only from key presses in screen-reader mode, and the test's
    // keyboard has no é or 中 key (it would insert them as text, without one).
    paste(element, '1+1é中');
    await press('Backspace');
    await press('Backspace');
    await typeKeys('+1');
    await press('Enter');
    await prompt(element, 2);
    element.stop();
    assertEqual((await running).stdout, `${BANNER}\n> 3\n> `, 'calc got 1+1+1');
    assertEqual((await screen(element)).slice(0, 2), ['> 1+1+1', '3'], 'nothing left of é and 中 on screen');
  });

  it('sends what is typed without a newline on Ctrl-D, and stops the program on Ctrl-C, shown as ^C', async () => {
    const element = zeroVm({ src: CALC });
    const { report: running } = await startCalc(element);
    await typeKeys('4*');
    await press('Control+D'); // calc gets "4*" and waits for the rest of its line
    await typeKeys('5');
    await press('Enter');
    await prompt(element, 2);
    await press('Control+C');
    const report = await running;
    assertEqual(report.status, 'killed', 'status after Ctrl-C');
    assertEqual(report.stdout, `${BANNER}\n> 20\n> `, 'stdout');
    assertEqual(await screen(element), ['> 4*5', '20', '> ^C'], 'the screen');
    assertEqual(inShadow(element, '.status').dataset.status, 'killed', 'the status line');
  });

  it('sends each full line of a paste and keeps the rest to edit (a paste event, handled by xterm)', async () => {
    const element = zeroVm({ src: CALC });
    const { report: running } = await startCalc(element);
    paste(element, '4*5\n6*7\n');
    await prompt(element, 3);
    paste(element, '8*');
    await typeKeys('9');
    await press('Enter');
    await prompt(element, 4);
    await press('Control+D');
    assertEqual((await running).stdout, `${BANNER}\n> 20\n> 42\n> 72\n> \nbye\n`, 'stdout');
    // Echoed at once, as a terminal echoes type-ahead: both lines, then both answers.
    assertEqual(await screen(element), ['> 4*5', '6*7', '20', '> 42', '> 8*9', '72', '>', 'bye'], 'the screen');
  });

  it('gives a new run none of the keys typed into the one before', async () => {
    const element = zeroVm({ src: CALC });
    const { report: first } = await startCalc(element);
    await typeKeys('9'); // half a line, never sent
    const second = element.run();
    assertEqual((await first).status, 'killed', 'the first run, stopped by the second');
    await prompt(element, 1);
    await typeKeys('1+1');
    await press('Enter');
    await prompt(element, 2);
    await press('Control+D');
    assertEqual((await second).stdout, `${BANNER}\n> 2\n> \nbye\n`, 'the second run got 1+1 alone');
  });
});

describe('<zero-vm> interactive: focus', () => {
  it('keeps Tab while the program reads (it is input); Escape then Tab or Shift+Tab leaves; Tab leaves once it ends', async () => {
    const element = zeroVm({ src: CALC });
    const after = button('after');
    const { report: running } = await startCalc(element);
    const terminal = inShadow(element, 'textarea.xterm-helper-textarea');
    assertEqual(terminal.getAttribute('aria-label'), 'Program input and output', "the terminal's name while it takes input");
    const at = (expected: Element, what: string) => assert(focused() === expected, `${what}: focus on ${describeElement(focused())}`);
    await typeKeys('1+');
    await press('Tab');
    at(terminal, 'after Tab');
    await typeKeys('2');
    await press('Enter');
    await prompt(element, 2);
    await press('Escape');
    await press('Tab');
    at(after, 'after Escape, Tab');
    await press('Shift+Tab');
    at(terminal, 'after Shift+Tab');
    await press('Escape');
    await press('Shift+Tab');
    at(inShadow(element, 'button.stop'), 'after Escape, Shift+Tab');
    element.focus();
    await press('Control+D');
    const report = await running;
    assertEqual(report.stdout, `${BANNER}\n> 3\n> \nbye\n`, 'calc got "1+\\t2": the Tab was input');
    assertEqual((await screen(element))[0], '> 1+^I2', 'the Tab echoed as ^I');
    element.focus();
    await press('Tab');
    at(after, 'after Tab once the run is over');
    assertEqual(terminal.getAttribute('aria-label'), 'Program output', "the terminal's name after the run");
  });
});

describe('<zero-vm> interactive: which runs are', () => {
  it('is not with a stdin attribute, even an empty one, nor with noninteractive', async () => {
    const cases: Record<string, string>[] = [{ stdin: '2^10\n' }, { stdin: '' }, { noninteractive: '' }];
    for (const attributes of cases) {
      const element = zeroVm({ src: CALC, ...attributes });
      const started = nextEvent<Manifest>(element, 'vm-start');
      const report = await element.run();
      const what = JSON.stringify(attributes);
      assertEqual((await started).detail.channels, undefined, `${what}: no live channel`);
      assertEqual(report.stdout, `${BANNER}\n> ${attributes.stdin ? '1024\n> ' : ''}\nbye\n`, `${what}: stdout`);
    }
  });

  it('is with interactive, even with a stdin attribute, whose text goes first, as if typed ahead', async () => {
    const element = zeroVm({ src: CALC, stdin: '2^10\n', interactive: '' });
    const running = element.run();
    await prompt(element, 2);
    element.focus();
    await typeKeys('3*3');
    await press('Enter');
    await prompt(element, 3);
    await press('Control+D');
    assertEqual((await running).stdout, `${BANNER}\n> 1024\n> 9\n> \nbye\n`, 'stdout');
    assertEqual((await element.terminalText()).split('\n').slice(0, 5), ['2^10', BANNER, '> 1024', '> 3*3', '9'], 'the typed-ahead line, echoed before the program printed');
  });

  it("runs a manifest as it is: interactive only when it declares /dev/stdin live", async () => {
    const element = zeroVm({});
    const fixed: Manifest = { program: CALC };
    element.manifest = fixed;
    const started = nextEvent<Manifest>(element, 'vm-start');
    const report = await element.run();
    assert((await started).detail === fixed, 'the manifest is not rewritten');
    assertEqual(report.stdout, `${BANNER}\n> \nbye\n`, 'no live stdin: calc reads an empty one');

    element.manifest = { program: CALC, channels: LIVE_STDIN };
    const { report: running } = await startCalc(element);
    await typeKeys('7%4');
    await press('Enter');
    await prompt(element, 2);
    await press('Control+D');
    assertEqual((await running).stdout, `${BANNER}\n> 3\n> \nbye\n`, 'live stdin: the keyboard');
  });

  it('binds its channels property: a call channel answered by a page function', async () => {
    const element = zeroVm({});
    const asked: string[] = [];
    element.manifest = { program: '/public/programs/dict.wasm', args: ['dict', 'zero', 'one'], channels: [{ path: '/dev/call/dict' }] };
    element.channels = {
      '/dev/call/dict': (request) => {
        const word = new TextDecoder().decode(request);
        asked.push(word);
        return word === 'zero' ? 'nothing at all' : '';
      },
    };
    const report = await element.run();
    assertEqual(report.stdout, 'zero: nothing at all\none: (not in the dictionary)\n', 'stdout');
    assertEqual(asked, ['zero', 'one'], 'the page function was asked');
  });
});
