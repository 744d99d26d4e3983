// The playground's volumes: notes runs with the volume notes mounted at /data (stdin given up
// front, or typed), each run that changes its list commits a version, and the panel beside the
// report shows the commit, the files and the versions, a file's text, and rolls back; what was
// committed is there for a new playground on the page (IndexedDB). A test that reloads the page
// is test/node/volumes-crash.test.ts.
import type { Manifest } from '../../src/contract/manifest.js';
import type { Report } from '../../src/contract/report.js';
import type { ZeroVmElement } from '../../src/elements/zero-vm.js';
import '../../src/playground/playground-app.js';
import type { PlaygroundApp } from '../../src/playground/playground-app.js';
import type { RunForm } from '../../src/playground/run-form.js';
import type { VolumeView } from '../../src/playground/volume-view.js';
import { assert, assertEqual } from './assert.js';
import { inShadow, mount, nextEvent, press, stop, typeKeys, until } from './dom.js';

const PROGRAMS = '/public/programs/';
// IndexedDB outlives a test run in the same profile: each test has volumes of its own.
const run = Math.random().toString(36).slice(2, 8);
let tests = 0;
const freshPrefix = () => `pg-${run}-${++tests}-`;

function playground(prefix: string): PlaygroundApp {
  const app = document.createElement('zerovm-playground');
  app.setAttribute('programs', PROGRAMS);
  app.setAttribute('volume-prefix', prefix);
  return mount(app);
}

/** A playground showing notes, chosen by a click. */
async function notes(prefix: string): Promise<PlaygroundApp> {
  const app = playground(prefix);
  const button = await until(() => app.shadowRoot!.querySelector<HTMLButtonElement>('[data-example="notes"]'), 'the notes example');
  button.click();
  await app.updateComplete;
  return app;
}

function form(app: PlaygroundApp): RunForm {
  return inShadow<RunForm>(app, 'zerovm-run-form');
}

/** Runs with `stdin` typed into the stdin field; resolves with the manifest and the report. */
async function runWith(app: PlaygroundApp, stdin: string): Promise<{ manifest: Manifest; report: Report }> {
  const field = inShadow<HTMLTextAreaElement>(form(app), '#stdin');
  field.value = stdin;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  await app.updateComplete;
  await form(app).updateComplete;
  const started = nextEvent<Manifest>(app, 'vm-start');
  const exited = nextEvent<Report>(app, 'vm-exit');
  inShadow<HTMLButtonElement>(form(app), 'button[type="submit"]').click();
  return { manifest: (await started).detail, report: (await exited).detail };
}

function panel(app: PlaygroundApp): VolumeView {
  return inShadow<VolumeView>(app, 'zerovm-volume');
}

function rows(view: VolumeView, table: string): HTMLTableRowElement[] {
  return [...view.shadowRoot!.querySelectorAll<HTMLTableRowElement>(`table.${table} tbody tr`)];
}

/** Waits until the panel lists exactly `versions` (newest first), and returns them as shown. */
async function versionsShown(view: VolumeView, versions: number[]): Promise<HTMLTableRowElement[]> {
  return until(() => {
    const shown = rows(view, 'versions');
    return JSON.stringify(shown.map((r) => Number(r.dataset.version))) === JSON.stringify(versions) && shown;
  }, `versions ${versions.join(', ')} in the panel`);
}

/** The last commit as the panel shows it: its caption and each field by name. */
function commitShown(view: VolumeView): Record<string, string> {
  const table = inShadow(view, 'table.commit');
  const fields = Object.fromEntries(rows(view, 'commit').map((r) => [r.dataset.field!, r.querySelector('td')!.textContent!.replace(/\s+/g, ' ').trim()]));
  return { caption: table.querySelector('caption')!.textContent!.trim(), ...fields };
}

function filesShown(view: VolumeView): [string, string][] {
  return rows(view, 'files').map((r) => [r.dataset.path!, r.querySelector('[data-field="size"]')!.textContent!.trim()]);
}

/** Clicks `path` in the file list and waits for its text at `version`. */
async function viewFile(view: VolumeView, path: string, version: number): Promise<string> {
  inShadow<HTMLButtonElement>(view, `tr[data-path="${path}"] button`).click();
  return fileText(view, path, version);
}

async function fileText(view: VolumeView, path: string, version: number): Promise<string> {
  const figure = await until(() => {
    const found = view.shadowRoot!.querySelector(`figure[data-path="${path}"]`);
    return found?.querySelector('figcaption')!.textContent!.includes(`at version ${version},`) && found;
  }, `${path} at version ${version}`);
  return figure.querySelector('pre')!.textContent!;
}

const etagOf = (row: HTMLTableRowElement) => row.querySelector('[data-field="etag"] code')!.getAttribute('title');

/** notes with milk and eggs added (version 1), then milk done (version 2). */
async function twoVersions(prefix: string): Promise<PlaygroundApp> {
  const app = await notes(prefix);
  assertEqual((await runWith(app, 'add milk\nadd eggs\nquit\n')).report.volumes?.[`${prefix}notes`]?.versionAfter, 1, 'version after the first run');
  assertEqual((await runWith(app, 'done 1\nquit\n')).report.volumes?.[`${prefix}notes`]?.versionAfter, 2, 'version after the second run');
  return app;
}

afterEach(stop);

describe('the playground: volumes', () => {
  it('runs notes with its volume mounted: each run that changes the list is a version, shown beside the report', async () => {
    const prefix = freshPrefix();
    const name = `${prefix}notes`;
    const app = await notes(prefix);
    const view = panel(app);
    const intro = inShadow(view, 'p').textContent!.replace(/\s+/g, ' ');
    assert(intro.includes(`The volume ${name}, mounted at /data`), `the volume named: ${intro}`);
    await until(() => view.shadowRoot!.textContent!.includes('No versions yet'), 'an empty volume');

    const first = await runWith(app, 'add milk\nadd eggs\nlist\nquit\n');
    assertEqual(first.manifest.mounts, [{ guest: '/data', volume: name }], 'the mount');
    assertEqual([first.report.status, first.report.exitCode], ['ok', 0], 'status and exit code');
    assertEqual(first.report.stdout, 'notes: 0 notes in /data/notes.txt; type help for the commands\nnotes> added 1: milk\nnotes> added 2: eggs\nnotes> 1. [ ] milk\n2. [ ] eggs\nnotes> bye\n', 'stdout');
    const committed = first.report.volumes?.[name];
    assertEqual([committed?.outcome, committed?.versionBefore, committed?.versionAfter, committed?.filesChanged], ['committed', 0, 1, 1], 'the commit in the report');
    const [v1] = await versionsShown(view, [1]);
    assertEqual(v1!.querySelector('[data-field="files"]')!.textContent, '1', 'files at version 1');
    assertEqual(v1!.querySelector('[data-field="bytes"]')!.textContent, '18', 'bytes at version 1');
    assertEqual(etagOf(v1!), committed!.etagAfter, 'etag of version 1');
    assertEqual(filesShown(view), [['notes.txt', '18 B']], 'files');
    const shown = commitShown(view);
    assertEqual([shown.caption, shown.outcome, shown.versions, shown.filesChanged], ['Last commit: the run', 'committed', '0 → 1', '1'], 'the commit shown');

    const second = await runWith(app, 'done 1\nlist\nquit\n');
    assert(second.report.stdout.includes('notes: 2 notes in /data/notes.txt'), second.report.stdout);
    assert(second.report.stdout.includes('1. [x] milk\n2. [ ] eggs\n'), second.report.stdout);
    await versionsShown(view, [2, 1]);
    assertEqual(commitShown(view).versions, '1 → 2', 'versions of the second commit');
    assertEqual(await viewFile(view, 'notes.txt', 2), '[x] milk\n[ ] eggs\n', 'notes.txt at version 2');
  });

  it('rolls back to an earlier version: a new version with its contents, the file shown as it was', async () => {
    const prefix = freshPrefix();
    const app = await twoVersions(prefix);
    const view = panel(app);
    const v1 = etagOf((await versionsShown(view, [2, 1]))[1]!);
    assertEqual(await viewFile(view, 'notes.txt', 2), '[x] milk\n[ ] eggs\n', 'notes.txt before the roll back');
    assertEqual(view.shadowRoot!.querySelectorAll('table.versions tr[data-version="2"] button').length, 0, 'a roll back offered to the newest version');

    inShadow<HTMLButtonElement>(view, 'button[data-restore="1"]').click();
    const [v3] = await versionsShown(view, [3, 2, 1]);
    assertEqual(etagOf(v3!), v1, 'version 3 holds what version 1 held');
    assertEqual(await fileText(view, 'notes.txt', 3), '[ ] milk\n[ ] eggs\n', 'notes.txt after the roll back');
    const shown = commitShown(view);
    assertEqual([shown.caption, shown.outcome, shown.versions], ['Last commit: roll back to version 1', 'committed', '2 → 3'], 'the roll back shown');

    const after = await runWith(app, 'list\nquit\n');
    assert(after.report.stdout.includes('1. [ ] milk\n2. [ ] eggs\n'), `the next run reads the rolled-back list: ${after.report.stdout}`);
  });

  it('keeps the volume for a new playground on the page (IndexedDB)', async () => {
    const prefix = freshPrefix();
    (await twoVersions(prefix)).remove();
    const app = await notes(prefix);
    const view = panel(app);
    await versionsShown(view, [2, 1]);
    assertEqual(await viewFile(view, 'notes.txt', 2), '[x] milk\n[ ] eggs\n', 'notes.txt in the new playground');
    const { report } = await runWith(app, 'list\nquit\n');
    assert(report.stdout.includes('1. [x] milk\n2. [ ] eggs\n'), report.stdout);
    assertEqual(commitShown(view).versions, '2 → 2', 'a run that changed nothing makes no version');
  });

  it('runs notes interactively: typed commands, committed when it quits; a stopped run is rolled back', async () => {
    const prefix = freshPrefix();
    const name = `${prefix}notes`;
    const app = await notes(prefix);
    const vm = inShadow<ZeroVmElement>(app, 'zero-vm');
    const view = panel(app);

    const stopped = nextEvent<Report>(app, 'vm-exit');
    inShadow<HTMLButtonElement>(form(app), 'button[type="submit"]').click();
    await until(() => vm.output.endsWith('notes> '), 'the prompt');
    await typeKeys('add bread');
    await press('Enter');
    await until(() => vm.output.endsWith('added 1: bread\nnotes> '), 'the answer');
    inShadow<HTMLButtonElement>(vm, 'button.stop').click();
    const killed = (await stopped).detail;
    assertEqual([killed.status, killed.volumes?.[name]?.outcome], ['killed', 'rolled-back'], 'a stopped run');
    await until(() => view.shadowRoot!.querySelector('table.commit [data-field="message"]'), 'why it was rolled back');
    assertEqual(commitShown(view).outcome, 'rolled-back', 'the outcome shown');
    assertEqual(rows(view, 'versions').length, 0, 'versions after a stopped run');

    const exited = nextEvent<Report>(app, 'vm-exit');
    inShadow<HTMLButtonElement>(form(app), 'button[type="submit"]').click();
    await until(() => vm.output.endsWith('notes> '), 'the prompt');
    await typeKeys('add bread');
    await press('Enter');
    await until(() => vm.output.endsWith('added 1: bread\nnotes> '), 'the answer');
    await typeKeys('quit');
    await press('Enter');
    const report = (await exited).detail;
    assertEqual([report.status, report.exitCode, report.volumes?.[name]?.outcome], ['ok', 0, 'committed'], 'status, exit code, outcome');
    await versionsShown(view, [1]);
    assertEqual(await viewFile(view, 'notes.txt', 1), '[ ] bread\n', 'notes.txt');
  });

  it("shows a file's contents as text, never as markup", async () => {
    const app = await notes(freshPrefix());
    const note = '<img src=x onerror="window.injected = 1"><b>bold</b>';
    await runWith(app, `add ${note}\nquit\n`);
    const view = panel(app);
    await versionsShown(view, [1]);
    assertEqual(await viewFile(view, 'notes.txt', 1), `[ ] ${note}\n`, 'notes.txt');
    assertEqual(view.shadowRoot!.querySelectorAll('img, b').length, 0, 'elements made from the file');
  });
});
