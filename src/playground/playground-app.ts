// <zerovm-playground>: pick one of the example programs or upload a .wasm of your own, edit its
// arguments, stdin, environment and limits, run it in a <zero-vm>, and read the Report the run
// ends in.
//
//   <zerovm-playground programs="programs/"></zerovm-playground>
//
// `programs` is the directory holding index.json and the .wasm files, relative to the page (the
// test runner serves the repo root, where they live under /public/programs/).
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import type { Manifest } from '../contract/manifest.js';
import type { Report } from '../contract/report.js';
import { programName } from '../contract/program-name.js';
import '../elements/zero-vm.js';
import type { ZeroVmElement } from '../elements/zero-vm.js';
import { formatBytes } from '../elements/format.js';
import { formatArgs } from './args.js';
import { type Example, loadExamples, programUrl } from './examples.js';
import './report-view.js';
import './run-form.js';
import type { RunInputs, RunSettings } from './settings.js';

/** The program being shown: an example from index.json, or a file the user uploaded. */
interface Chosen {
  name: string;
  description: string;
  program: string | Uint8Array;
  example?: Example;
}

export class PlaygroundApp extends LitElement {
  static override styles = css`
    :host {
      display: block;
      color: var(--zp-text, #1f2328);
      --zp-muted: #59636e;
      --zp-line: #d8dee4;
      --zp-accent: #0969da;
    }
    .layout {
      display: grid;
      grid-template-columns: 16rem minmax(0, 1fr);
      gap: 1.5rem;
      align-items: start;
    }
    @media (max-width: 50rem) {
      .layout {
        grid-template-columns: minmax(0, 1fr);
      }
      /* Names only, side by side: the chosen example's description is shown next to its form. */
      nav ul {
        grid-template-columns: repeat(auto-fill, minmax(7rem, 1fr));
      }
      nav .description {
        display: none;
      }
    }
    h2,
    h3 {
      margin: 0 0 0.35rem;
      font-size: 1rem;
    }
    nav h2 {
      font-size: 0.8rem;
      text-transform: uppercase;
      letter-spacing: 0.06em;
      color: var(--zp-muted);
    }
    nav h2.upload {
      margin-top: 1rem;
    }
    nav ul {
      list-style: none;
      margin: 0;
      padding: 0;
      display: grid;
      gap: 0.25rem;
    }
    nav button {
      display: block;
      width: 100%;
      text-align: left;
      font: inherit;
      padding: 0.45rem 0.6rem;
      border: 1px solid transparent;
      border-radius: 6px;
      background: none;
      color: inherit;
      cursor: pointer;
    }
    nav button:hover {
      background: #f6f8fa;
    }
    nav button[aria-pressed='true'] {
      background: #ddf4ff;
      border-color: #54aeff;
    }
    nav button:focus-visible,
    nav input:focus-visible {
      outline: 2px solid var(--zp-accent);
      outline-offset: 1px;
    }
    nav label {
      display: block;
      font-size: 0.85rem;
      margin-bottom: 0.25rem;
    }
    nav input[type='file'] {
      max-width: 100%;
      font-size: 0.8rem;
    }
    .name {
      font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
      font-weight: 600;
    }
    .description {
      display: block;
      font-size: 0.8rem;
      color: var(--zp-muted);
    }
    .isolation {
      margin: 1rem 0 0;
      font-size: 0.8rem;
      color: var(--zp-muted);
    }
    .program h2 {
      font-size: 1.2rem;
    }
    .program p {
      margin: 0 0 0.75rem;
      color: var(--zp-muted);
    }
    zerovm-run-form {
      margin-bottom: 1rem;
    }
    zero-vm {
      margin-bottom: 1.25rem;
    }
    /* The form's Run is the one Run: it checks the fields first; the element keeps Stop. */
    zero-vm::part(run-button) {
      display: none;
    }
    .placeholder {
      color: var(--zp-muted);
    }
    .error {
      padding: 0.6rem 0.8rem;
      border: 1px solid #ff818266;
      border-radius: 6px;
      background: #ffebe9;
      color: #a40e26;
      overflow-wrap: anywhere;
    }
  `;

  /** The directory of index.json and the programs, relative to the page. */
  @property() programs = 'programs/';

  @state() private examples: Example[] | null = null;
  @state() private loadError = '';
  @state() private chosen: Chosen | null = null;
  @state() private settings: RunSettings = { args: '', stdin: '', env: '', timeout: '', memory: '' };
  @state() private running = false;
  @state() private report: Report | null = null;

  @query('zero-vm') private vm!: ZeroVmElement | null;

  /** The manifest a run of the chosen program with `inputs` uses. */
  manifest(inputs: RunInputs): Manifest | null {
    const chosen = this.chosen;
    if (!chosen) return null;
    const manifest: Manifest = { program: chosen.program, args: [this.argv0(chosen), ...inputs.args] };
    if (inputs.stdin !== '') manifest.stdin = inputs.stdin;
    if (Object.keys(inputs.env).length > 0) manifest.env = inputs.env;
    if (Object.keys(inputs.limits).length > 0) manifest.limits = inputs.limits;
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
      <section class="report" aria-live="polite">
        <h3>Report</h3>
        ${this.report
          ? html`<zerovm-report .report=${this.report}></zerovm-report>`
          : html`<p class="placeholder">${this.running ? 'Running…' : 'Run the program to see its report.'}</p>`}
      </section>
    `;
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
  }

  private onSettingsChange(event: CustomEvent<RunSettings>): void {
    this.settings = event.detail;
  }

  private async onRunRequest(event: CustomEvent<RunInputs>): Promise<void> {
    const manifest = this.manifest(event.detail);
    const vm = this.vm;
    if (!manifest || !vm) return;
    vm.manifest = manifest; // what this run uses, as checked just now
    try {
      await vm.run();
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
