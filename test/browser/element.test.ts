// <zero-vm> in a real page: output in its terminal (as text, never markup), its status line,
// vm-start/vm-exit, Stop, the src/args/stdin/timeout/memory attributes, the manifest property,
// autorun, truncation notices, keyboard focus and screen readers; its style hooks (CSS custom
// properties, ::part()) and that custom-elements.json lists its real attributes and parts.
import type { Manifest } from '../../src/contract/manifest.js';
import type { Report } from '../../src/contract/report.js';
import '../../src/elements/zero-vm.js';
import type { ZeroVmElement } from '../../src/elements/zero-vm.js';
import { executeServerCommand } from '@web/test-runner-commands';
import { assert, assertEqual } from './assert.js';
import { describeElement, focused, inShadow, mount, nextEvent, press, stop, stylesheet, until } from './dom.js';

const PROGRAMS = '/public/programs';
const SPIN = '/test/fixtures/spin.wasm';

function button(name: string): HTMLButtonElement {
  const element = document.createElement('button');
  element.textContent = name;
  return element;
}

function zeroVm(attributes: Record<string, string>): ZeroVmElement {
  const element = document.createElement('zero-vm');
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  return element;
}

async function statusOf(element: ZeroVmElement): Promise<{ text: string; status: string; colour: string }> {
  await element.updateComplete;
  const line = inShadow(element, '.status');
  return { text: line.textContent ?? '', status: line.dataset.status ?? '', colour: getComputedStyle(line).color };
}

/** What the guest wrote, as xterm shows it: lines without trailing blanks, no final newlines. */
function onScreen(text: string): string {
  return text.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
}

afterEach(stop);

describe('<zero-vm> output', () => {
  it("shows the guest's output in its terminal", async () => {
    const element = mount(zeroVm({ src: `${PROGRAMS}/hello.wasm`, args: 'terminal' }));
    const report = await element.run();
    assertEqual(report.stdout, 'Hello, terminal!\n', 'report stdout');
    assertEqual(element.output, 'Hello, terminal!\n', 'output');
    assertEqual(await element.terminalText(), 'Hello, terminal!', 'terminal text');
  });

  it('shows output that looks like HTML as text, never as markup', async () => {
    const evil = '<b>html</b> <img src=x onerror="window.__zerovmPwned = true">\n';
    const element = mount(zeroVm({ src: `${PROGRAMS}/cat.wasm`, args: '-', stdin: evil }));
    const report = await element.run();
    assertEqual(report.stdout, evil, 'report stdout');
    assertEqual(await element.terminalText(), onScreen(evil), 'terminal text');
    assertEqual(element.shadowRoot!.querySelectorAll('b, img').length, 0, 'elements made from guest output');
    assertEqual(document.querySelectorAll('b, img').length, 0, 'elements in the document');
    assertEqual((window as { __zerovmPwned?: boolean }).__zerovmPwned, undefined, 'handler ran');
  });

  it('shows stdout and stderr interleaved as they came', async () => {
    const element = mount(zeroVm({ src: `${PROGRAMS}/exitcode.wasm`, args: '3' }));
    const report = await element.run();
    assertEqual(report.stderr, 'exitcode: exit status 3\n', 'report stderr');
    const screen = await element.terminalText();
    assert(screen.includes('exiting with 3') && screen.includes('exitcode: exit status 3'), `terminal: ${screen}`);
  });
});

describe('<zero-vm> status and events', () => {
  it("shows the report's status and exit code in its status line, a non-zero exit in red", async () => {
    const element = mount(zeroVm({ src: `${PROGRAMS}/exitcode.wasm`, args: '3' }));
    assertEqual((await statusOf(element)).text, 'ready', 'status before a run');
    const report = await element.run();
    assertEqual(report.status, 'ok', 'status');
    assertEqual(report.exitCode, 3, 'exit code');
    const line = await statusOf(element);
    assertEqual(line.status, 'ok', 'data-status');
    assert(line.text.startsWith('ok · exit 3 · '), `status line: ${line.text}`);
    assertEqual(line.colour, 'rgb(255, 123, 114)', 'status colour, exit 3');
    assert(element.lastReport === report, 'lastReport is the report');

    element.args = '0';
    await element.run();
    const zero = await statusOf(element);
    assert(zero.text.startsWith('ok · exit 0 · '), `status line: ${zero.text}`);
    assertEqual(zero.colour, 'rgb(63, 185, 80)', 'status colour, exit 0');
  });

  it('fires vm-start with the manifest and vm-exit with the report, bubbling out of the element', async () => {
    const element = zeroVm({ src: `${PROGRAMS}/hello.wasm` });
    const started = nextEvent(document.body, 'vm-start');
    const exited = nextEvent<Report>(document.body, 'vm-exit');
    mount(element);
    const report = await element.run();
    const start = await started;
    const exit = await exited;
    assert(start.target === element, 'vm-start comes from the element');
    // No stdin attribute: the keyboard is its stdin, declared live.
    assertEqual(start.detail, { program: `${PROGRAMS}/hello.wasm`, args: ['hello'], channels: [{ path: '/dev/stdin', source: 'live' }] }, 'vm-start manifest');
    assert(exit.target === element, 'vm-exit comes from the element');
    assert(exit.detail === report, 'vm-exit carries the report run() resolved with');
    assertEqual(exit.detail.stdout, 'Hello, world!\n', 'stdout');
  });

  it('shows why a run was refused', async () => {
    const element = mount(zeroVm({ src: `${PROGRAMS}/no-such-program.wasm` }));
    const report = await element.run();
    assertEqual(report.status, 'invalid', 'status');
    const line = await statusOf(element);
    assertEqual(line.text, 'invalid', 'status line');
    assertEqual(inShadow(element, '.message').textContent, report.message, 'message');
    assert(report.message.includes('404'), report.message);
  });

  it('Stop kills an endless program, and Run works again after it', async () => {
    const element = mount(zeroVm({ src: SPIN }));
    await element.updateComplete;
    const stopButton = inShadow<HTMLButtonElement>(element, 'button.stop');
    assert(stopButton.disabled, 'Stop is disabled before a run');
    const started = nextEvent(element, 'vm-start');
    const exited = nextEvent<Report>(element, 'vm-exit');
    inShadow<HTMLButtonElement>(element, 'button.run').click();
    await started;
    const running = await statusOf(element);
    assertEqual(running.status, 'running', 'status while running');
    assert(!stopButton.disabled, 'Stop is enabled while running');
    assert(inShadow<HTMLButtonElement>(element, 'button.run').disabled, 'Run is disabled while running');
    stopButton.click();
    const report = (await exited).detail;
    assertEqual(report.status, 'killed', 'status');
    assertEqual(report.exitCode, null, 'exit code');
    const line = await statusOf(element);
    assertEqual(line.status, 'killed', 'data-status');
    assert(line.text.startsWith('killed'), `status line: ${line.text}`);
    assert(stopButton.disabled, 'Stop is disabled after the run');

    element.src = `${PROGRAMS}/hello.wasm`;
    const next = await element.run();
    assertEqual(next.status, 'ok', 'the next run');
    assertEqual(await element.terminalText(), 'Hello, world!', 'terminal after the next run');
  });
});

describe('<zero-vm> inputs', () => {
  it('passes the args and stdin attributes to the program', async () => {
    const element = mount(zeroVm({ src: `${PROGRAMS}/cat.wasm`, args: '-', stdin: 'piped in\nsecond line\n' }));
    const report = await element.run();
    assertEqual(report.stdout, 'piped in\nsecond line\n', 'stdout');
    assertEqual(await element.terminalText(), 'piped in\nsecond line', 'terminal text');
  });

  it('splits args on whitespace, after argv[0] taken from the file name', async () => {
    const element = mount(zeroVm({ src: `${PROGRAMS}/env.wasm`, args: '  one\ttwo   three ' }));
    const report = await element.run();
    assert(report.stdout.startsWith('argc=4\nargv[0]=env\nargv[1]=one\nargv[2]=two\nargv[3]=three\n'), report.stdout);
  });

  it('runs a whole manifest set as a property, which wins over the attributes', async () => {
    const element = mount(zeroVm({ src: `${PROGRAMS}/hello.wasm`, args: 'ignored' }));
    element.manifest = { program: `${PROGRAMS}/env.wasm`, args: ['env', 'with space'], env: { GREETING: 'hi' } };
    const report = await element.run();
    assertEqual(report.stdout, 'argc=2\nargv[0]=env\nargv[1]=with space\nGREETING=hi\n', 'stdout');
  });
});

describe('<zero-vm> autorun', () => {
  it('runs once on its own when autorun is set, and not again when moved', async () => {
    const element = zeroVm({ src: `${PROGRAMS}/hello.wasm`, args: 'auto', autorun: '' });
    let starts = 0;
    element.addEventListener('vm-start', () => starts++);
    const exited = nextEvent<Report>(element, 'vm-exit');
    mount(element);
    const report = (await exited).detail;
    assertEqual(report.stdout, 'Hello, auto!\n', 'stdout');
    assertEqual(await element.terminalText(), 'Hello, auto!', 'terminal text');
    // Moving the element disconnects and reconnects it; re-rendering updates it: neither reruns.
    const box = mount(document.createElement('div'));
    box.append(element);
    element.rows = 8;
    await element.updateComplete;
    assertEqual(starts, 1, 'runs started');
    assert(element.lastReport === report, 'the last report is the autorun one');
  });

  it('does not run without autorun', async () => {
    const element = zeroVm({ src: `${PROGRAMS}/hello.wasm` });
    let starts = 0;
    element.addEventListener('vm-start', () => starts++);
    mount(element);
    await element.updateComplete;
    assertEqual(starts, 0, 'runs started');
    assertEqual((await statusOf(element)).text, 'ready', 'status line');
    assertEqual(element.lastReport, null, 'last report');
  });
});

describe('<zero-vm> limits', () => {
  it("maps the timeout and memory attributes into the manifest's limits", async () => {
    const element = mount(zeroVm({ src: SPIN, timeout: '300ms', memory: '64MiB' }));
    const started = nextEvent<{ limits?: unknown }>(element, 'vm-start');
    const running = element.run();
    assertEqual((await started).detail.limits, { timeout: 300, memory: 64 * 1024 * 1024 }, 'limits');
    assertEqual((await running).status, 'timeout', 'an endless program, with timeout="300ms"');

    element.src = `${PROGRAMS}/hello.wasm`;
    element.timeout = '5s';
    element.memory = '64KiB';
    const small = await element.run();
    assertEqual(small.status, 'invalid', 'hello, with memory="64KiB"');
    assert(small.message.includes('limits.memory allows (65536)'), small.message);
  });

  for (const [attribute, value] of [['timeout', 'soon'], ['memory', 'lots'], ['timeout', '0s']] as const) {
    it(`names a bad ${attribute} attribute (${value}) in its status line and starts no run`, async () => {
      const element = mount(zeroVm({ src: `${PROGRAMS}/hello.wasm`, [attribute]: value }));
      let starts = 0;
      element.addEventListener('vm-start', () => starts++);
      const line = await statusOf(element);
      assertEqual(line.text, `error · bad ${attribute} attribute`, 'status line');
      assertEqual(line.status, 'error', 'data-status');
      const message = inShadow(element, '.message').textContent!;
      assert(message.startsWith(`${attribute} attribute: `) && message.includes(`"${value}"`), message);
      assert(inShadow<HTMLButtonElement>(element, 'button.run').disabled, 'Run is disabled');

      const refused = await element.run().then(() => null, (e: Error) => e);
      assert(refused?.message.startsWith(`${attribute} attribute: `), `run() rejects: ${refused?.message}`);
      assertEqual(starts, 0, 'runs started');
      assertEqual(element.lastReport, null, 'last report');

      element.removeAttribute(attribute);
      assertEqual((await statusOf(element)).text, 'ready', 'status once the attribute is gone');
      assertEqual((await element.run()).stdout, 'Hello, world!\n', 'stdout of the next run');
    });
  }
});

describe('<zero-vm> output while the guest computes', () => {
  it('shows what the guest printed before it ends: Stop then reports it killed, with that output', async () => {
    const element = mount(zeroVm({}));
    // A generous timeout: if output only arrived at the end, the terminal would stay empty until then.
    element.manifest = { program: '/test/hostile/printloop.wasm', limits: { timeout: 60_000 } };
    const running = element.run();
    await until(() => element.output.includes('looping forever\n'), 'the line in the terminal');
    assert((await element.terminalText()).includes('looping forever'), 'xterm shows it');
    element.stop();
    const report = await running;
    assertEqual([report.status, report.stdout], ['killed', 'looping forever\n'], 'the report');
  });
});

describe('<zero-vm> attributes removed', () => {
  it('reads a removed args or src attribute as an empty one, and a removed stdin as no stdin: the keyboard', async () => {
    const element = mount(zeroVm({ src: `${PROGRAMS}/cat.wasm`, args: '-', stdin: 'typed\n' }));
    assertEqual((await element.run()).stdout, 'typed\n', 'with the attributes');
    element.removeAttribute('args');
    element.removeAttribute('stdin');
    const started = nextEvent<Manifest>(element, 'vm-start');
    const running = element.run();
    assertEqual((await started).detail.channels, [{ path: '/dev/stdin', source: 'live' }], 'stdin from the keyboard');
    element.focus();
    await press('Control+D');
    const report = await running;
    assertEqual([report.status, report.stdout], ['ok', ''], 'without them: cat reads until Ctrl-D');
    element.removeAttribute('src');
    const none = await element.run();
    assertEqual(none.status, 'invalid', 'without src');
    assert(none.message.startsWith('manifest.program'), none.message);
  });
});

describe('<zero-vm> truncated output', () => {
  it('says in the terminal, dim, where each output channel was cut', async () => {
    const element = mount(zeroVm({}));
    // exitcode writes "exiting with 3\n" to stdout and "exitcode: exit status 3\n" to stderr
    element.manifest = { program: `${PROGRAMS}/exitcode.wasm`, args: ['exitcode', '3'], limits: { output: 10 } };
    const report = await element.run();
    for (const path of ['/dev/stdout', '/dev/stderr']) {
      assert(report.channels.find((c) => c.path === path)?.truncated, `the report says ${path} was truncated`);
    }
    assertEqual(report.stdout, 'exiting wi', 'stdout kept');
    const screen = (await element.terminalText()).split('\n');
    assertEqual(screen.slice(-2), ['[stdout truncated after 10 of 15 bytes]', '[stderr truncated after 10 of 24 bytes]'], 'the last lines');
    assert(!element.output.includes('truncated'), `the notice is not the guest's output: ${element.output}`);
    const notice = await until(
      () => [...element.shadowRoot!.querySelectorAll('.xterm-rows span')].find((s) => s.textContent!.startsWith('[stdout truncated')),
      'the notice on screen',
    );
    assertEqual(getComputedStyle(notice).color, 'rgb(139, 148, 158)', "the notice's colour");
  });

  it('shows no notice when nothing was cut', async () => {
    const element = mount(zeroVm({ src: `${PROGRAMS}/exitcode.wasm`, args: '3' }));
    const report = await element.run();
    assert(report.channels.every((c) => !c.truncated), 'nothing truncated');
    assert(!(await element.terminalText()).includes('truncated'), 'no notice');
  });
});

describe('<zero-vm> accessibility', () => {
  it('lets Tab and Shift+Tab move focus through the terminal and out of it (real key presses)', async () => {
    const before = mount(button('before'));
    const element = mount(zeroVm({ src: `${PROGRAMS}/hello.wasm` }));
    const after = mount(button('after'));
    await element.run();
    const run = inShadow(element, 'button.run');
    const terminal = inShadow(element, 'textarea.xterm-helper-textarea');
    before.focus();
    // Stop is disabled once the run is over, so Tab goes from Run straight to the terminal.
    const steps: [boolean, Element][] = [[false, run], [false, terminal], [false, after], [true, terminal], [true, run], [true, before]];
    for (const [shift, expected] of steps) {
      await press(shift ? 'Shift+Tab' : 'Tab');
      assert(focused() === expected, `after ${shift ? 'Shift+Tab' : 'Tab'}: expected ${describeElement(expected)}, focus on ${describeElement(focused())}`);
    }
    assertEqual(element.output, 'Hello, world!\n', 'output after the key presses');
  });

  it('gives screen readers the output of every run: rows to read and a live region', async () => {
    const element = mount(zeroVm({ src: `${PROGRAMS}/primes.wasm`, args: '-v 100' }));
    const tree = () => element.shadowRoot!.querySelector('[role="list"]')?.textContent ?? '';
    const live = () => element.shadowRoot!.querySelector('[aria-live]')?.textContent ?? '';
    await element.run(); // 26 lines: more than xterm's live region announces
    await until(() => tree().includes('25 primes up to 100'), 'the last line in the accessibility tree');
    await until(() => live().includes('2\n3\n5\n') && live().includes('Too much output'), 'the primes in the live region, then its limit');

    element.src = `${PROGRAMS}/hello.wasm`;
    element.args = 'reader';
    await element.run();
    await until(() => tree().includes('Hello, reader!'), 'the next run in the accessibility tree');
    await until(() => live().includes('Hello, reader!'), 'the next run in the live region');
    assert(!live().includes('2\n3\n5\n') && !live().includes('Too much output'), `the live region holds only this run: ${live()}`);
    assertEqual(inShadow(element, 'textarea').getAttribute('aria-label'), 'Program output', "the terminal's name");
  });
});

describe('<zero-vm> style hooks', () => {
  // exitcode, cut at 10 bytes: stdout, stderr and a truncation notice in one run.
  const colourful = { program: `${PROGRAMS}/exitcode.wasm`, args: ['exitcode', '3'], limits: { output: 10 } };

  /** What xterm shows: the colour of each kind of text on screen, its background and font. */
  async function lookOf(element: ZeroVmElement) {
    await executeServerCommand('bring-to-front');
    await element.terminalText();
    const rows = inShadow(element, '.xterm-rows');
    const colourOf = async (start: string) => {
      const span = await until(() => [...rows.querySelectorAll('span')].find((s) => s.textContent!.startsWith(start)), `"${start}" on screen`);
      return getComputedStyle(span).color;
    };
    const font = getComputedStyle(rows);
    return {
      background: getComputedStyle(inShadow(element, '.xterm-scrollable-element')).backgroundColor,
      stdout: await colourOf('exiting'),
      stderr: await colourOf('exitcode'),
      notice: await colourOf('[stdout truncated'),
      fontFamily: font.fontFamily.split(',')[0],
      fontSize: font.fontSize,
    };
  }

  it('gives xterm the colours and fonts of its custom properties, from its style attribute or a page stylesheet', async () => {
    mount(stylesheet('.themed { --zero-vm-foreground: #123456; --zero-vm-mono-font: "Zero Test Mono", monospace; }'));
    const plain = mount(zeroVm({}));
    const themed = mount(zeroVm({
      class: 'themed',
      style: '--zero-vm-background: ivory; --zero-vm-stderr-color: green; --zero-vm-muted-color: rgb(1, 2, 3); --zero-vm-font-size: 1.25rem',
    }));
    for (const element of [plain, themed]) {
      element.manifest = colourful;
      await element.run();
    }
    assertEqual(await lookOf(plain), {
      background: 'rgb(13, 17, 23)', stdout: 'rgb(230, 237, 243)', stderr: 'rgb(255, 123, 114)', notice: 'rgb(139, 148, 158)',
      fontFamily: 'ui-monospace', fontSize: '13px',
    }, 'the default look');
    assertEqual(await lookOf(themed), {
      background: 'rgb(255, 255, 240)', stdout: 'rgb(18, 52, 86)', stderr: 'rgb(0, 128, 0)', notice: 'rgb(1, 2, 3)',
      fontFamily: '"Zero Test Mono"', fontSize: '20px',
    }, 'the themed look');
  });

  it("restyles xterm at once when the element's style changes, and at the next run for the page's", async () => {
    const element = mount(zeroVm({}));
    element.manifest = colourful;
    await element.run();
    element.style.setProperty('--zero-vm-background', 'rgb(1, 2, 3)');
    element.style.setProperty('--zero-vm-font-size', '17px');
    await element.updateComplete;
    const changed = await lookOf(element);
    assertEqual([changed.background, changed.fontSize], ['rgb(1, 2, 3)', '17px'], 'background and font size, before any run');

    mount(stylesheet('zero-vm { --zero-vm-foreground: rgb(4, 5, 6); --zero-vm-stderr-color: rgb(7, 8, 9); }'));
    await element.run();
    const next = await lookOf(element);
    assertEqual([next.stdout, next.stderr], ['rgb(4, 5, 6)', 'rgb(7, 8, 9)'], 'stdout and stderr after the next run');
  });

  it('lets the page style each ::part(); custom-elements.json lists the parts and attributes it has', async () => {
    const listed = (await (await fetch('/custom-elements.json')).json()).modules[0].declarations[0] as Record<'cssParts' | 'attributes', { name: string }[]>;
    const [partNames, attributeNames] = [listed.cssParts, listed.attributes].map((list) => list.map((item) => item.name).sort());
    mount(stylesheet([
      ...partNames.map((name) => `zero-vm::part(${name}) { --styled-${name}: yes; }`),
      'zero-vm::part(run-button) { background-color: rgb(10, 20, 30); }',
    ].join('\n')));
    // A bad attribute shows the message part without a run.
    const element = mount(zeroVm({ src: `${PROGRAMS}/hello.wasm`, timeout: 'soon', style: '--zero-vm-error-color: rgb(40, 50, 60)' }));
    await element.updateComplete;
    const parts = [...element.shadowRoot!.querySelectorAll<HTMLElement>('[part]')];
    // The progress bar is there only while a program loads (see '<zero-vm> loading').
    assertEqual([...new Set(parts.flatMap((part) => [...part.part]))].sort(), partNames.filter((name) => name !== 'progress'), 'the parts it has are the ones listed');
    for (const part of parts) {
      for (const name of part.part) {
        assertEqual(getComputedStyle(part).getPropertyValue(`--styled-${name}`), 'yes', `::part(${name}) reaches ${describeElement(part)}`);
      }
    }
    assertEqual(getComputedStyle(inShadow(element, 'button.run')).backgroundColor, 'rgb(10, 20, 30)', "the Run button's background");
    assertEqual([inShadow(element, '.status'), inShadow(element, '.message')].map((e) => getComputedStyle(e).color),
      ['rgb(40, 50, 60)', 'rgb(40, 50, 60)'], 'the status line and the message in --zero-vm-error-color');
    assertEqual([...(element.constructor as typeof ZeroVmElement).observedAttributes].sort(), attributeNames, 'the attributes it observes are the ones listed');
  });
});

describe('<zero-vm> loading', () => {
  it('shows a program\'s fetch as it comes (a progress bar, "fetching N of M"), then runs it', async () => {
    const el = mount(Object.assign(document.createElement('zero-vm'), { src: '/__zerovm_test/slow/public/programs/primes.wasm', args: '10' }));
    const seen = new Set<string>();
    let bar = false;
    const watch = new MutationObserver(() => {
      const status = el.shadowRoot!.querySelector('[part~="status"]')!.textContent!;
      seen.add(status.replace(/[\d.]+ (B|KiB|MiB)/g, 'N'));
      bar ||= el.shadowRoot!.querySelector('progress[part~="progress"]') !== null;
    });
    await el.updateComplete;
    watch.observe(el.shadowRoot!, { subtree: true, childList: true, characterData: true });
    const exit = nextEvent<Report>(el, 'vm-exit');
    void el.run();
    const report = (await exit).detail;
    watch.disconnect();
    assertEqual(report.status, 'ok', 'status');
    assert(seen.has('fetching N of N…'), `the status line said how far the fetch was: ${[...seen].join(' | ')}`);
    assert(bar, 'a progress bar was shown');
    assert(el.shadowRoot!.querySelector('progress') === null, 'no bar once the run has ended');
  });
});
