// The playground page's app: it lists the examples of index.json, runs the chosen one with the
// edited arguments and stdin, and renders the report; a list that cannot be loaded is an error.
import type { Report } from '../../src/contract/report.js';
import type { ZeroVmElement } from '../../src/elements/zero-vm.js';
import { formatArgs, parseArgs } from '../../src/playground/args.js';
import '../../src/playground/playground-app.js';
import type { PlaygroundApp } from '../../src/playground/playground-app.js';
import type { ReportView } from '../../src/playground/report-view.js';
import { assert, assertEqual } from './assert.js';
import { inShadow, mount, nextEvent, stop, until } from './dom.js';

// The test runner serves the repo root, so the programs are under /public/.
const PROGRAMS = '/public/programs/';

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

/** Types into a field: sets its value and fires input, as a keyboard would. */
async function type(app: PlaygroundApp, selector: string, value: string): Promise<void> {
  const field = inShadow<HTMLInputElement | HTMLTextAreaElement>(app, selector);
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await app.updateComplete;
}

/** Clicks the playground's Run button; resolves with the report once the report table shows it. */
async function runFromForm(app: PlaygroundApp): Promise<{ report: Report; view: ReportView }> {
  const exited = nextEvent<Report>(app, 'vm-exit');
  inShadow<HTMLButtonElement>(app, 'form button[type="submit"]').click();
  const report = (await exited).detail;
  await app.updateComplete;
  const view = inShadow<ReportView>(app, 'zerovm-report');
  await view.updateComplete;
  return { report, view };
}

function field(view: ReportView, name: string): string {
  return inShadow(view, `.summary [data-field="${name}"] td`).textContent!.trim();
}

function channel(view: ReportView, path: string, name: string): string {
  return inShadow(view, `.channels [data-channel="${path}"] [data-field="${name}"]`).textContent!.trim();
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

  it('runs wc on the given stdin and shows its output and report', async () => {
    const app = playground();
    await choose(app, 'wc');
    assertEqual(inShadow<HTMLTextAreaElement>(app, '#stdin').value, 'one two three\nfour five\nsix\n', "wc's example stdin");
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
    const stdinReport = report.channels.find((c) => c.path === '/dev/stdin')!;
    assertEqual(channel(view, '/dev/stdin', 'reads'), String(stdinReport.reads), 'stdin reads');
    if (report.etag !== undefined) assertEqual(field(view, 'etag'), report.etag, 'run etag');

    const json = JSON.parse(inShadow(view, 'pre.json').textContent!) as Report;
    assertEqual(json, report, 'raw JSON');
  });

  it('passes edited arguments, quotes keeping spaces in one', async () => {
    const app = playground();
    await choose(app, 'env');
    assertEqual(inShadow<HTMLInputElement>(app, '#args').value, "a 'b c'", "env's example args, quoted");
    await type(app, '#args', `x "y z" it\\'s`);
    assertEqual(inShadow(app, '.argv code').textContent, '["env","x","y z","it\'s"]', 'argv shown');
    const { report, view } = await runFromForm(app);
    assert(report.stdout.startsWith("argc=4\nargv[0]=env\nargv[1]=x\nargv[2]=y z\nargv[3]=it's\n"), report.stdout);
    assertEqual(field(view, 'exitCode'), '0', 'exit code cell');
  });

  it("shows a non-zero exit code, and runs from the element's own Run button too", async () => {
    const app = playground();
    await choose(app, 'exitcode');
    await type(app, '#args', '7');
    const vm = inShadow<ZeroVmElement>(app, 'zero-vm');
    const exited = nextEvent<Report>(app, 'vm-exit');
    inShadow<HTMLButtonElement>(vm, 'button.run').click();
    assertEqual((await exited).detail.exitCode, 7, 'exit code');
    await app.updateComplete;
    const view = inShadow<ReportView>(app, 'zerovm-report');
    await view.updateComplete;
    assertEqual(field(view, 'status'), 'ok', 'status cell');
    assertEqual(field(view, 'exitCode'), '7', 'exit code cell');
    assertEqual(channel(view, '/dev/stderr', 'writeBytes'), String('exitcode: exit status 7\n'.length), 'stderr bytes');
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
