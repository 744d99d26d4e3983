// The playground page's app: it lists the examples of index.json or takes an uploaded .wasm, runs
// the chosen program with the edited arguments, stdin, environment and limits (refusing fields that
// do not read), and renders the report; a list that cannot be loaded is an error. dict asks the
// page's dictionary through a call channel, and calc reads what is typed (real key presses).
import { setViewport } from '@web/test-runner-commands';
import type { Manifest } from '../../src/contract/manifest.js';
import type { Report } from '../../src/contract/report.js';
import type { ZeroVmElement } from '../../src/elements/zero-vm.js';
import { formatArgs, parseArgs } from '../../src/playground/args.js';
import type { CallsView } from '../../src/playground/calls-view.js';
import { DICTIONARY } from '../../src/playground/page-functions.js';
import '../../src/playground/playground-app.js';
import type { PlaygroundApp } from '../../src/playground/playground-app.js';
import type { ReportView } from '../../src/playground/report-view.js';
import type { RunForm } from '../../src/playground/run-form.js';
import { assert, assertEqual } from './assert.js';
import { describeElement, focused, inShadow, mount, nextEvent, press, stop, typeKeys, until } from './dom.js';

// The test runner serves the repo root, so the programs are under /public/.
const PROGRAMS = '/public/programs/';
const GREEN = 'rgb(218, 251, 225)';
const RED = 'rgb(255, 235, 233)';

interface Example {
  name: string;
}

function playground(programs = PROGRAMS): PlaygroundApp {
  const app = document.createElement('zerovm-playground');
  app.setAttribute('programs', programs);
  return mount(app);
}

/** Waits for the example list, then picks `name` the way a user does: by clicking it. */
async function choose(app: PlaygroundApp, name: string): Promise<void> {
  const button = await until(() => app.shadowRoot!.querySelector<HTMLButtonElement>(`[data-example="${name}"]`), `example ${name}`);
  button.click();
  await app.updateComplete;
  assertEqual(button.getAttribute('aria-pressed'), 'true', `${name} pressed`);
}

function form(app: PlaygroundApp): RunForm {
  return inShadow<RunForm>(app, 'zerovm-run-form');
}

/** A field of the run form: #args, #stdin, #env, #timeout, #memory. */
function formField(app: PlaygroundApp, selector: string): HTMLInputElement | HTMLTextAreaElement {
  return inShadow<HTMLInputElement | HTMLTextAreaElement>(form(app), selector);
}

/** Types into a field: sets its value and fires input, as a keyboard would. */
async function type(app: PlaygroundApp, selector: string, value: string): Promise<void> {
  const field = formField(app, selector);
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await app.updateComplete;
  await form(app).updateComplete;
}

function clickRun(app: PlaygroundApp): void {
  inShadow<HTMLButtonElement>(form(app), 'button[type="submit"]').click();
}

/** Clicks the playground's Run button; resolves with the report once the report table shows it. */
async function runFromForm(app: PlaygroundApp): Promise<{ report: Report; view: ReportView; manifest: Manifest }> {
  const started = nextEvent<Manifest>(app, 'vm-start');
  const exited = nextEvent<Report>(app, 'vm-exit');
  clickRun(app);
  const manifest = (await started).detail;
  const report = (await exited).detail;
  await app.updateComplete;
  const view = inShadow<ReportView>(app, 'zerovm-report');
  await view.updateComplete;
  return { report, view, manifest };
}

function field(view: ReportView, name: string): string {
  return inShadow(view, `.summary [data-field="${name}"] td`).textContent!.trim();
}

function channel(view: ReportView, path: string, name: string): string {
  return inShadow(view, `.channels [data-channel="${path}"] [data-field="${name}"]`).textContent!.trim();
}

function background(view: ReportView, name: string): string {
  return getComputedStyle(inShadow(view, `.summary [data-field="${name}"] .badge`)).backgroundColor;
}

/** Every button shown in `root` and the shadow roots inside it. */
function shownButtons(root: ShadowRoot | Document): HTMLButtonElement[] {
  const found: HTMLButtonElement[] = [];
  for (const element of root.querySelectorAll('*')) {
    if (element instanceof HTMLButtonElement && element.getClientRects().length > 0) found.push(element);
    if (element.shadowRoot) found.push(...shownButtons(element.shadowRoot));
  }
  return found;
}

afterEach(stop);

describe('the playground', () => {
  it('lists the examples of index.json and shows the first one', async () => {
    const examples = (await (await fetch(`${PROGRAMS}index.json`)).json()) as Example[];
    const app = playground();
    const buttons = await until(() => {
      const found = app.shadowRoot!.querySelectorAll<HTMLButtonElement>('[data-example]');
      return found.length > 0 && [...found];
    }, 'the example list');
    assertEqual(buttons.map((b) => b.dataset.example), examples.map((e) => e.name), 'examples listed');
    assertEqual(buttons[0]!.getAttribute('aria-pressed'), 'true', 'first example chosen');
    assertEqual(inShadow(app, '.program h2').textContent!.trim(), examples[0]!.name, 'heading');
    assert(app.shadowRoot!.querySelector('zero-vm'), 'a <zero-vm> for the example');
  });

  it('runs wc on the given stdin and shows its output and report, the raw JSON collapsed', async () => {
    const app = playground();
    await choose(app, 'wc');
    assertEqual(formField(app, '#stdin').value, 'one two three\nfour five\nsix\n', "wc's example stdin");
    const stdin = 'alpha beta\ngamma\n';
    await type(app, '#stdin', stdin);
    const { report, view } = await runFromForm(app);

    assertEqual(report.status, 'ok', 'status');
    assertEqual(report.stdout, '      2       3      17\n', 'stdout');
    const vm = inShadow<ZeroVmElement>(app, 'zero-vm');
    assertEqual(await vm.terminalText(), '      2       3      17', 'terminal text');

    assertEqual(field(view, 'status'), 'ok', 'status cell');
    assertEqual(field(view, 'exitCode'), '0', 'exit code cell');
    for (const name of ['compileMs', 'instantiateMs', 'runMs']) assert(/^\d+(\.\d+)? m?s$/.test(field(view, name)), `${name}: ${field(view, name)}`);
    assert(/^\d+(\.\d+)? (B|KiB|MiB)$/.test(field(view, 'memoryPeakBytes')), `memory peak: ${field(view, 'memoryPeakBytes')}`);
    assertEqual(channel(view, '/dev/stdin', 'readBytes'), String(stdin.length), 'stdin bytes read');
    assertEqual(channel(view, '/dev/stdout', 'writeBytes'), String(report.stdout.length), 'stdout bytes written');
    assertEqual(channel(view, '/dev/stdout', 'quotaHit'), 'no', 'stdout quota hit');
    assertEqual(channel(view, '/dev/stdout', 'truncated'), 'no', 'stdout truncated');
    const stdinReport = report.channels.find((c) => c.path === '/dev/stdin')!;
    assertEqual(channel(view, '/dev/stdin', 'reads'), String(stdinReport.reads), 'stdin reads');
    assert(report.etag, 'the report has a run etag (etags are on by default)');
    assertEqual(field(view, 'etag'), report.etag, 'run etag');
    assertEqual(channel(view, '/dev/stdout', 'etag'), report.channels.find((c) => c.path === '/dev/stdout')!.etag, 'stdout etag');

    const details = inShadow<HTMLDetailsElement>(view, 'details');
    assertEqual(details.open, false, 'raw JSON open');
    const json = JSON.parse(inShadow(view, 'pre.json').textContent!) as Report;
    assertEqual(json, report, 'raw JSON');
  });

  it('passes edited arguments, quotes keeping spaces in one', async () => {
    const app = playground();
    await choose(app, 'env');
    assertEqual(formField(app, '#args').value, "a 'b c'", "env's example args, quoted");
    await type(app, '#args', `x "y z" it\\'s`);
    assertEqual(inShadow(form(app), '.argv code').textContent, '["env","x","y z","it\'s"]', 'argv shown');
    const { report, view } = await runFromForm(app);
    assert(report.stdout.startsWith("argc=4\nargv[0]=env\nargv[1]=x\nargv[2]=y z\nargv[3]=it's\n"), report.stdout);
    assertEqual(field(view, 'exitCode'), '0', 'exit code cell');
  });

  it('passes the environment, timeout and memory fields, in units, into the manifest', async () => {
    const app = playground();
    await choose(app, 'env');
    await type(app, '#args', '');
    await type(app, '#env', 'GREETING=hi there\n\nEQUATION=a=b\r\nEMPTY=\n');
    await type(app, '#timeout', '5s');
    await type(app, '#memory', '64MiB');
    const { report, manifest } = await runFromForm(app);
    assertEqual(manifest.env, { GREETING: 'hi there', EQUATION: 'a=b', EMPTY: '' }, 'manifest env');
    assertEqual(manifest.limits, { timeout: 5000, memory: 64 * 1024 * 1024 }, 'manifest limits');
    assertEqual(report.stdout, 'argc=1\nargv[0]=env\nEMPTY=\nEQUATION=a=b\nGREETING=hi there\n', 'stdout');

    await type(app, '#memory', '64KiB'); // less than the program needs to start
    const small = await runFromForm(app);
    assertEqual(small.report.status, 'invalid', 'status with memory 64KiB');
    assert(small.report.message.includes('limits.memory allows (65536)'), small.report.message);
  });

  it('names each field that does not read, focuses the first, and does not run', async () => {
    const app = playground();
    await choose(app, 'env');
    let starts = 0;
    app.addEventListener('vm-start', () => starts++);
    await type(app, '#env', 'GOOD=1\nno equals sign');
    await type(app, '#timeout', 'soon');
    await type(app, '#memory', 'lots');
    clickRun(app);
    await form(app).updateComplete;
    await app.updateComplete;
    assertEqual(starts, 0, 'runs started');
    const errors = [...form(app).shadowRoot!.querySelectorAll('.field-error')].map((e) => e.textContent!.trim());
    assertEqual(errors, [
      'Environment: line 2: expected NAME=value; got "no equals sign"',
      'Timeout: expected a duration above 0, such as 5s or 250ms; got "soon"',
      'Memory: expected a size above 0, such as 64MiB or 512k; got "lots"',
    ], 'errors shown');
    for (const name of ['env', 'timeout', 'memory']) {
      const input = formField(app, `#${name}`);
      assertEqual(input.getAttribute('aria-invalid'), 'true', `${name} aria-invalid`);
      assertEqual(inShadow(form(app), `#${input.getAttribute('aria-describedby')}`).textContent!.split(':')[0], input.labels![0]!.textContent, `${name} described by its error`);
    }
    assert(focused() === formField(app, '#env'), `focus on ${describeElement(focused())}`);
    assertEqual(app.shadowRoot!.querySelector('zerovm-report'), null, 'a report');

    await type(app, '#env', 'GOOD=1');
    await type(app, '#timeout', '0ms');
    await type(app, '#memory', '1GiB');
    assertEqual([...form(app).shadowRoot!.querySelectorAll('.field-error')].map((e) => e.textContent!.split(':')[0]), ['Timeout'], 'errors once edited');
    clickRun(app);
    await form(app).updateComplete;
    assertEqual(starts, 0, 'runs started with a timeout of 0');
    assert(focused() === formField(app, '#timeout'), `focus on ${describeElement(focused())}`);

    await type(app, '#timeout', '');
    const { report } = await runFromForm(app);
    assert(report.stdout.includes('GOOD=1\n'), report.stdout);
    assertEqual(form(app).shadowRoot!.querySelectorAll('.field-error').length, 0, 'errors after a good run');
  });

  it('checks what the fields hold when Run is pressed, even right after an edit', async () => {
    const app = playground();
    await choose(app, 'hello');
    let starts = 0;
    app.addEventListener('vm-start', () => starts++);
    const timeout = formField(app, '#timeout');
    timeout.value = 'soon';
    timeout.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    clickRun(app); // before the edit has come back down to the form as its settings
    assertEqual(starts, 0, 'runs started');
    await until(() => form(app).shadowRoot!.querySelector('.field-error'), 'the error');
    assert(focused() === timeout, `focus on ${describeElement(focused())}`);
  });

  it('runs an uploaded .wasm with the same arguments, stdin and environment fields', async () => {
    const app = playground();
    await choose(app, 'wc');
    const bytes = await (await fetch(`${PROGRAMS}env.wasm`)).arrayBuffer();
    const upload = inShadow<HTMLInputElement>(app, 'input[type="file"]');
    const files = new DataTransfer();
    files.items.add(new File([bytes], 'mine.wasm', { type: 'application/wasm' }));
    upload.files = files.files;
    upload.dispatchEvent(new Event('change', { bubbles: true }));
    await until(() => inShadow(app, '.program h2').textContent!.trim() === 'mine.wasm', 'the uploaded program shown');
    assertEqual(app.shadowRoot!.querySelectorAll('[data-example][aria-pressed="true"]').length, 0, 'examples pressed');
    assertEqual(formField(app, '#stdin').value, '', 'stdin of an upload');
    await type(app, '#args', "one 'two three'");
    await type(app, '#env', 'FROM=upload');
    const { report, manifest } = await runFromForm(app);
    assert(manifest.program instanceof Uint8Array && manifest.program.length === bytes.byteLength, 'the program is the uploaded bytes');
    assertEqual(report.stdout, 'argc=3\nargv[0]=mine\nargv[1]=one\nargv[2]=two three\nFROM=upload\n', 'stdout');
  });

  it('shows a non-zero exit in an error colour, and exit 0 in green', async () => {
    const app = playground();
    await choose(app, 'exitcode');
    await type(app, '#args', '7');
    const failed = await runFromForm(app);
    assertEqual(failed.report.exitCode, 7, 'exit code');
    assertEqual(field(failed.view, 'status'), 'ok', 'status cell');
    assertEqual(field(failed.view, 'exitCode'), '7', 'exit code cell');
    assertEqual(background(failed.view, 'status'), RED, 'status colour, exit 7');
    assertEqual(background(failed.view, 'exitCode'), RED, 'exit code colour, exit 7');
    assertEqual(channel(failed.view, '/dev/stderr', 'writeBytes'), String('exitcode: exit status 7\n'.length), 'stderr bytes');

    await type(app, '#args', '0');
    const ok = await runFromForm(app);
    assertEqual(ok.report.exitCode, 0, 'exit code');
    assertEqual(background(ok.view, 'status'), GREEN, 'status colour, exit 0');
    assertEqual(background(ok.view, 'exitCode'), GREEN, 'exit code colour, exit 0');
  });

  it('has one button named Run: its own, which checks the fields; the element keeps Stop', async () => {
    const app = playground();
    await choose(app, 'hello');
    const names = shownButtons(app.shadowRoot!).map((b) => b.textContent!.trim());
    assertEqual(names.filter((n) => n === 'Run').length, 1, `buttons named Run among ${JSON.stringify(names)}`);
    assertEqual(names.filter((n) => n === 'Stop').length, 1, 'buttons named Stop');
  });

  it('fits a 400 px wide window: the channels table scrolls on its own', async () => {
    await setViewport({ width: 400, height: 800 });
    try {
      const app = playground();
      await choose(app, 'env');
      const { view } = await runFromForm(app);
      const table = inShadow(view, 'table.channels');
      const scroller = table.parentElement!;
      assertEqual(getComputedStyle(scroller).overflowX, 'auto', 'overflow-x of the table box');
      assert(scroller.scrollWidth > scroller.clientWidth, `the table (${scroller.scrollWidth} px) is wider than its box (${scroller.clientWidth} px)`);
      assert(scroller.getBoundingClientRect().right <= 400, `the table box ends at ${scroller.getBoundingClientRect().right} px`);
      assert(document.documentElement.scrollWidth <= 400, `the page is ${document.documentElement.scrollWidth} px wide`);
    } finally {
      await setViewport({ width: 800, height: 600 });
    }
  });

  it('says what cross-origin isolation means for this page, and only what is true', async () => {
    const app = playground();
    await choose(app, 'hello');
    const text = inShadow(app, '.isolation').textContent!.trim();
    assertEqual(text, crossOriginIsolated ? 'Cross-origin isolated: realtime sleeps really wait.' : 'Not cross-origin isolated: realtime sleeps return at once.', 'isolation line');
  });

  it('shows guest output in the report as text, never as markup', async () => {
    const app = playground();
    await choose(app, 'cat');
    await type(app, '#stdin', '<b>bold</b><img src=x>\n');
    const { view } = await runFromForm(app);
    assert(inShadow(view, 'pre.json').textContent!.includes('<b>bold</b><img src=x>'), 'stdout in the JSON');
    assertEqual(view.shadowRoot!.querySelectorAll('b, img').length, 0, 'elements made from guest output');
  });

  it('clears the report when another example is chosen', async () => {
    const app = playground();
    await choose(app, 'hello');
    await runFromForm(app);
    await choose(app, 'sort');
    assertEqual(app.shadowRoot!.querySelector('zerovm-report'), null, 'report after switching');
    assertEqual(await inShadow<ZeroVmElement>(app, 'zero-vm').terminalText(), '', 'terminal after switching');
  });

  it('says so clearly when the example list cannot be loaded', async () => {
    const app = playground('/no/such/programs/');
    const error = await until(() => app.shadowRoot!.querySelector('.error'), 'the error');
    const text = error.textContent!;
    assert(text.includes('could not be loaded') && text.includes('/no/such/programs/index.json') && text.includes('404'), text);
    assertEqual(error.getAttribute('role'), 'alert', 'role');
    assertEqual(app.shadowRoot!.querySelector('zero-vm'), null, 'no <zero-vm> without a program');
  });
});

describe('the playground: live channels', () => {
  it("runs dict: the page's dictionary answers each word through /dev/call/dict, and the page shows its calls", async () => {
    const app = playground();
    await choose(app, 'dict');
    assertEqual(formField(app, '#args').value, 'wasm sandbox zerovm unicorn', "dict's example args");
    const { report, view, manifest } = await runFromForm(app);
    assertEqual(manifest.channels, [{ path: '/dev/call/dict' }], 'the call channel declared');
    assertEqual([report.status, report.exitCode], ['ok', 0], 'status and exit code');
    assertEqual(report.stdout, `wasm: ${DICTIONARY.wasm}\nsandbox: ${DICTIONARY.sandbox}\nzerovm: ${DICTIONARY.zerovm}\nunicorn: (not in the dictionary)\n`, 'stdout');
    assertEqual(channel(view, '/dev/call/dict', 'writes'), '4', 'requests written to the call channel');
    const calls = inShadow<CallsView>(app, 'zerovm-calls');
    await calls.updateComplete;
    const entry = inShadow(calls, '[data-channel="/dev/call/dict"]');
    assertEqual(inShadow(calls, '[data-field="count"]').textContent, '4 calls', 'calls answered');
    assert(entry.textContent!.includes('lookUp(word)'), `the page function named: ${entry.textContent}`);
    const answers = [...entry.querySelectorAll('ol li')].map((li) => li.textContent!.replace(/\s+/g, ' ').trim());
    assertEqual(answers, [`wasm → ${DICTIONARY.wasm}`, `sandbox → ${DICTIONARY.sandbox}`, `zerovm → ${DICTIONARY.zerovm}`, 'unicorn → no entry'], 'each call');
  });

  it('runs calc interactively: Run puts the focus in the terminal, each typed line is answered, Ctrl-D ends it', async () => {
    const app = playground();
    await choose(app, 'calc');
    assertEqual(formField(app, '#stdin').value, '', "calc's stdin: none, so it reads the keyboard");
    const started = nextEvent<Manifest>(app, 'vm-start');
    const exited = nextEvent<Report>(app, 'vm-exit');
    clickRun(app);
    assertEqual((await started).detail.channels?.[0], { path: '/dev/stdin', source: 'live' }, 'stdin declared live');
    const vm = inShadow<ZeroVmElement>(app, 'zero-vm');
    await until(() => vm.output.endsWith('> '), 'the prompt');
    assert(focused() === inShadow(vm, 'textarea.xterm-helper-textarea'), `focus on ${describeElement(focused())}`);
    await typeKeys('6*7');
    await press('Enter');
    await until(() => vm.output.endsWith('42\n> '), 'the answer');
    await press('Control+D');
    const report = (await exited).detail;
    assertEqual([report.status, report.exitCode], ['ok', 0], 'status and exit code');
    assert(report.stdout.endsWith('> 42\n> \nbye\n'), report.stdout);
    const screen = (await vm.terminalText()).split('\n').map((line) => line.trimEnd());
    assertEqual(screen.slice(1), ['> 6*7', '42', '>', 'bye'], 'the terminal');
  });

  it('runs calc on a given stdin without the keyboard', async () => {
    const app = playground();
    await choose(app, 'calc');
    await type(app, '#stdin', '2^8\n');
    const { report, manifest } = await runFromForm(app);
    assertEqual(manifest.channels?.some((c) => c.path === '/dev/stdin'), false, 'no live stdin');
    assert(report.stdout.endsWith('> 256\n> \nbye\n'), report.stdout);
  });
});

describe('the report', () => {
  it('says which output channels were truncated', async () => {
    const view = mount(document.createElement('zerovm-report'));
    const channelReport = { reads: 0, readBytes: 0, writes: 3, writeBytes: 300, quotaHit: false };
    view.report = {
      status: 'ok', exitCode: 0, message: '', stdout: 'x'.repeat(100), stderr: '',
      channels: [{ path: '/dev/stdout', ...channelReport, truncated: true }, { path: '/dev/stderr', ...channelReport, truncated: false }],
      timings: { compileMs: 1, instantiateMs: 1, runMs: 1 }, memoryPeakBytes: 65536,
    };
    await view.updateComplete;
    assertEqual(channel(view, '/dev/stdout', 'truncated'), 'yes', 'stdout truncated');
    assertEqual(channel(view, '/dev/stderr', 'truncated'), 'no', 'stderr truncated');
  });
});

describe('the arguments field', () => {
  it('reads words, quotes and escapes as a shell does', () => {
    assertEqual(parseArgs(''), [], 'empty');
    assertEqual(parseArgs('  a\tb  c '), ['a', 'b', 'c'], 'whitespace');
    assertEqual(parseArgs(`'b c' "d e" f\\ g`), ['b c', 'd e', 'f g'], 'quotes and escapes');
    assertEqual(parseArgs(`"" ''`), ['', ''], 'empty arguments');
    assertEqual(parseArgs(`"say \\"hi\\""`), ['say "hi"'], 'escaped quote');
    assertEqual(parseArgs(`'unterminated x`), ['unterminated x'], 'unterminated quote');
  });

  it('writes arguments that read back unchanged', () => {
    const cases = [['a', 'b c'], ['-n', '1000000'], [''], ["it's", 'x"y', 'back\\slash', 'tab\there', '<b>']];
    for (const words of cases) assertEqual(parseArgs(formatArgs(words)), words, formatArgs(words));
    assertEqual(formatArgs(['a', 'b c']), "a 'b c'", 'plain words stay plain');
  });
});
