// <zerovm-playground>: pick one of the example programs or upload a .wasm of your own, edit its
// arguments, stdin, environment and limits, run it in a <zero-vm>, and read the Report the run
// ends in. An interactive example (calc) with an empty stdin reads what is typed in the terminal;
// every program may ask the page's functions through their call channels (dict asks
// /dev/call/dict), and the page shows what each answered. An example with a volume (notes) runs
// with it mounted, and the volume is shown beside the report: files, versions, roll back.
//
//   <zerovm-playground programs="programs/" volume-prefix=""></zerovm-playground>
//
// `programs` is the directory holding index.json and the .wasm files, relative to the page (the
// test runner serves the repo root, where they live under /public/programs/). `volume-prefix`
// goes before each example's volume name (tests use their own volumes).
import { html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { ChannelSpec, Manifest } from '../contract/manifest.js';
import type { Report } from '../contract/report.js';
import { programName } from '../contract/program-name.js';
import type { CallHandler } from '../host/live.js';
import { capabilities } from '../host/plan.js';
import { Volumes } from '../host/volumes/api.js';
import { IdbVolumeStore } from '../host/volumes/idb-store.js';
import '../elements/zero-vm.js';
import type { ZeroVmElement } from '../elements/zero-vm.js';
import { formatBytes } from '../elements/format.js';
import { formatArgs } from './args.js';
import './calls-view.js';
import { type Example, loadExamples, programUrl } from './examples.js';
import { type Calls, PAGE_FUNCTIONS, withCall } from './page-functions.js';
import { playgroundStyles } from './playground-styles.js';
import './report-view.js';
import './run-form.js';
import type { RunInputs, RunSettings } from './settings.js';
import './volume-view.js';

/** The program being shown: an example from index.json, or a file the user uploaded. */
interface Chosen {
  name: string;
  description: string;
  program: string | Uint8Array;
  example?: Example;
}

const decoder = new TextDecoder();

export class PlaygroundApp extends LitElement {
  static override styles = playgroundStyles;

  /** The directory of index.json and the programs, relative to the page. */
  @property() programs = 'programs/';
  /** Put before each example's volume name: the volume `notes` is `${volumePrefix}notes`. */
  @property({ attribute: 'volume-prefix' }) volumePrefix = '';

  @state() private examples: Example[] | null = null;
  @state() private loadError = '';
  @state() private chosen: Chosen | null = null;
  @state() private settings: RunSettings = { args: '', stdin: '', env: '', timeout: '', memory: '' };
  @state() private running = false;
  @state() private report: Report | null = null;
  /** What each page function answered in the last run, by channel path. */
  @state() private calls: Record<string, Calls> = {};

  @query('zero-vm') private vm!: ZeroVmElement | null;

  /** Whether a VM can wait here (blocked or suspended): for live input and page functions. */
  private canWait = ((can) => can.share || can.suspend)(capabilities());
  /** The run the page functions answer for: calls from an older one are not counted. */
  private runId = 0;
  /** The page's volumes: the IndexedDB the runs commit to, opened when first read. */
  private volumes = new Volumes(() => (this.volumeStore ??= new IdbVolumeStore()));
  private volumeStore: IdbVolumeStore | undefined;

  /**
   * The manifest a run of the chosen program with `inputs` uses: with a live stdin when the
   * program is interactive and no stdin is given, and the page functions' call channels.
   */
  manifest(inputs: RunInputs): Manifest | null {
    const chosen = this.chosen;
    if (!chosen) return null;
    const manifest: Manifest = { program: chosen.program, args: [this.argv0(chosen), ...inputs.args] };
    if (inputs.stdin !== '') manifest.stdin = inputs.stdin;
    if (Object.keys(inputs.env).length > 0) manifest.env = inputs.env;
    if (Object.keys(inputs.limits).length > 0) manifest.limits = inputs.limits;
    const volume = this.volume(chosen);
    if (volume) manifest.mounts = [{ guest: volume.guest, volume: volume.name }];
    const channels: ChannelSpec[] = this.canWait ? PAGE_FUNCTIONS.map((f) => ({ path: f.path })) : [];
    if (this.interactive(chosen, inputs)) channels.unshift({ path: '/dev/stdin', source: 'live' });
    if (channels.length > 0) manifest.channels = channels;
    return manifest;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('programs')) void this.load(this.programs);
  }

  protected override render() {
    return html`
      <div class="layout">
        <nav aria-label="Programs">
          <h2>Examples</h2>
          ${this.renderList()}
          <h2 class="upload">Your own</h2>
          <label for="upload">A WASI preview1 <code>.wasm</code> command</label>
          <input id="upload" type="file" accept=".wasm,application/wasm" @change=${this.onUpload} />
          <p class="isolation">
            ${globalThis.crossOriginIsolated
              ? 'Cross-origin isolated: realtime sleeps really wait.'
              : 'Not cross-origin isolated: realtime sleeps return at once.'}
          </p>
        </nav>
        <section class="main">${this.renderMain()}</section>
      </div>
    `;
  }

  private renderList() {
    if (!this.examples) return this.loadError ? nothing : html`<p class="placeholder">Loading…</p>`;
    return html`<ul>
      ${this.examples.map(
        (example) => html`<li>
          <button
            type="button"
            data-example=${example.name}
            aria-pressed=${example === this.chosen?.example ? 'true' : 'false'}
            @click=${() => this.chooseExample(example)}
          >
            <span class="name">${example.name}</span>
            <span class="description">${example.description}</span>
          </button>
        </li>`,
      )}
    </ul>`;
  }

  private renderMain() {
    const chosen = this.chosen;
    if (!chosen) {
      if (this.loadError) {
        return html`<p class="error" role="alert">The example programs could not be loaded. ${this.loadError}</p>`;
      }
      if (!this.examples) return nothing;
      return html`<p class="error" role="alert">The example list is empty.</p>`;
    }
    return html`
      <header class="program">
        <h2><span class="name">${chosen.name}</span></h2>
        <p>${chosen.description}</p>
        ${chosen.example?.interactive && this.canWait
          ? html`<p class="hint">
              With standard input left empty, it reads what you type in the terminal: Enter sends a line, Ctrl-D ends
              the input, Ctrl-C stops it; Escape then Tab leaves the terminal.
            </p>`
          : nothing}
      </header>
      <zerovm-run-form
        .settings=${this.settings}
        argv0=${this.argv0(chosen)}
        @settings-change=${this.onSettingsChange}
        @run-request=${this.onRunRequest}
      ></zerovm-run-form>
      ${keyed(
        chosen,
        // A fresh element per program: a clean terminal, and leaving a program ends its run.
        html`<zero-vm rows="12" @vm-start=${this.onVmStart} @vm-exit=${this.onVmExit} @vm-error=${this.onVmError}></zero-vm>`,
      )}
      <section class="calls">
        <h3>Page functions</h3>
        <zerovm-calls .calls=${this.calls} ?offered=${this.canWait}></zerovm-calls>
      </section>
      <div class="results">
        <section class="report" aria-live="polite">
          <h3>Report</h3>
          ${this.report
            ? html`<zerovm-report .report=${this.report}></zerovm-report>`
            : html`<p class="placeholder">${this.running ? 'Running…' : 'Run the program to see its report.'}</p>`}
        </section>
        ${this.renderVolume(chosen)}
      </div>
    `;
  }

  private renderVolume(chosen: Chosen) {
    const volume = this.volume(chosen);
    if (!volume) return nothing;
    return html`<section class="volume">
      <h3>Volume</h3>
      <zerovm-volume
        .volumes=${this.volumes}
        name=${volume.name}
        guest=${volume.guest}
        .commit=${this.report?.volumes?.[volume.name] ?? null}
      ></zerovm-volume>
    </section>`;
  }

  /** The volume the chosen example mounts, its name prefixed; null when it mounts none. */
  private volume(chosen: Chosen): { name: string; guest: string } | null {
    const volume = chosen.example?.volume;
    return volume ? { name: `${this.volumePrefix}${volume.name}`, guest: volume.guest } : null;
  }

  /** Whether a run reads the keyboard: an interactive example (or an upload) given no stdin, where a VM can wait. */
  private interactive(chosen: Chosen, inputs: RunInputs): boolean {
    return this.canWait && inputs.stdin === '' && (chosen.example?.interactive ?? true);
  }

  /** The page functions for run `run`, counting their calls while it is the latest. */
  private pageFunctions(run: number): Record<string, CallHandler> {
    return Object.fromEntries(
      PAGE_FUNCTIONS.map((f) => [
        f.path,
        (bytes: Uint8Array) => {
          const request = decoder.decode(bytes);
          const reply = f.answer(request);
          if (run === this.runId) this.calls = { ...this.calls, [f.path]: withCall(this.calls[f.path], { request, reply }) };
          return reply;
        },
      ]),
    );
  }

  private argv0(chosen: Chosen): string {
    return programName(chosen.example?.file ?? chosen.name);
  }

  private async load(base: string): Promise<void> {
    this.examples = null;
    this.loadError = '';
    try {
      const examples = await loadExamples(base);
      if (base !== this.programs) return; // a newer load has started
      this.examples = examples;
      const uploaded = this.chosen && !this.chosen.example;
      if (examples[0] && !uploaded) this.chooseExample(examples[0]);
    } catch (e) {
      if (base !== this.programs) return;
      this.loadError = e instanceof Error ? e.message : String(e);
    }
  }

  private chooseExample(example: Example): void {
    if (example === this.chosen?.example) return;
    const program = programUrl(this.programs, example.file);
    this.choose({ name: example.name, description: example.description, program, example }, formatArgs(example.args), example.stdin);
  }

  private async onUpload(event: Event): Promise<void> {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    if (input.files?.[0] !== file) return; // another file was chosen meanwhile
    this.choose({ name: file.name, description: `Your program, ${formatBytes(bytes.length)}.`, program: bytes }, '', '');
  }

  /** Shows `chosen` with its own arguments and stdin; the environment and limits stay as set. */
  private choose(chosen: Chosen, args: string, stdin: string): void {
    this.chosen = chosen;
    this.settings = { ...this.settings, args, stdin };
    this.report = null;
    this.running = false;
    this.calls = {};
  }

  private onSettingsChange(event: CustomEvent<RunSettings>): void {
    this.settings = event.detail;
  }

  private async onRunRequest(event: CustomEvent<RunInputs>): Promise<void> {
    const { chosen, vm } = this;
    const manifest = this.manifest(event.detail);
    if (!chosen || !manifest || !vm) return;
    vm.manifest = manifest; // what this run uses, as checked just now
    vm.channels = this.pageFunctions(++this.runId);
    this.calls = {};
    try {
      const run = vm.run();
      // Run was pressed to type into the program: the keys go to the terminal.
      if (this.interactive(chosen, event.detail)) vm.focus();
      await run;
    } catch {
      // The worker itself failed: <zero-vm>'s status line says why.
      this.running = false;
    }
  }

  // Events from an element that has just been replaced (another program was chosen) are ignored.
  private onVmStart(event: Event): void {
    if (event.target !== this.vm) return;
    this.report = null;
    this.running = true;
  }

  private onVmExit(event: CustomEvent<Report>): void {
    if (event.target !== this.vm) return;
    this.report = event.detail;
    this.running = false;
  }

  /** No report will come (the element shows why in its status line): stop saying "Running…". */
  private onVmError(event: CustomEvent<string>): void {
    if (event.target !== this.vm) return;
    this.running = false;
  }
}

if (!customElements.get('zerovm-playground')) customElements.define('zerovm-playground', PlaygroundApp);

declare global {
  interface HTMLElementTagNameMap {
    'zerovm-playground': PlaygroundApp;
  }
}
