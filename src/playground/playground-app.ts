// <zerovm-playground>: pick one of the example programs, edit its arguments and standard input,
// run it in a <zero-vm>, and read the Report the run ends in.
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
import { formatArgs, parseArgs } from './args.js';
import { type Example, loadExamples, programUrl } from './examples.js';
import './report-view.js';

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
    form button:focus-visible {
      outline: 2px solid var(--zp-accent);
      outline-offset: 1px;
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
    form {
      display: grid;
      gap: 0.35rem;
      margin-bottom: 1rem;
    }
    label {
      font-weight: 600;
      font-size: 0.85rem;
      margin-top: 0.35rem;
    }
    input,
    textarea {
      font: 13px/1.45 ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
      padding: 0.4rem 0.5rem;
      border: 1px solid var(--zp-line);
      border-radius: 6px;
      background: #fff;
      color: inherit;
    }
    input:focus,
    textarea:focus {
      outline: 2px solid var(--zp-accent);
      outline-offset: -1px;
    }
    textarea {
      resize: vertical;
      min-height: 4.5rem;
    }
    .actions {
      display: flex;
      align-items: center;
      gap: 0.75rem;
      margin-top: 0.5rem;
      flex-wrap: wrap;
    }
    .actions button {
      font: inherit;
      font-weight: 600;
      padding: 0.35rem 1.4rem;
      border-radius: 6px;
      border: 1px solid #1f883d;
      background: #1f883d;
      color: #fff;
      cursor: pointer;
    }
    .actions button:hover {
      background: #1a7f37;
    }
    .argv {
      font-size: 0.8rem;
      color: var(--zp-muted);
      overflow-wrap: anywhere;
    }
    code {
      font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
    }
    zero-vm {
      margin-bottom: 1.25rem;
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
  @state() private selected: Example | null = null;
  @state() private argsText = '';
  @state() private stdinText = '';
  @state() private running = false;
  @state() private report: Report | null = null;

  @query('zero-vm') private vm!: ZeroVmElement | null;

  /** The manifest the selected example runs with, as edited. */
  manifest(): Manifest | null {
    const example = this.selected;
    if (!example) return null;
    const manifest: Manifest = {
      program: programUrl(this.programs, example.file),
      args: [programName(example.file), ...parseArgs(this.argsText)],
    };
    if (this.stdinText !== '') manifest.stdin = this.stdinText;
    return manifest;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('programs')) void this.load(this.programs);
  }

  protected override render() {
    return html`
      <div class="layout">
        <nav aria-label="Example programs">
          <h2>Examples</h2>
          ${this.renderList()}
          <p class="isolation">
            ${globalThis.crossOriginIsolated
              ? 'Cross-origin isolated: VMs can block on SharedArrayBuffer.'
              : 'Not cross-origin isolated: VMs block through JSPI where they must.'}
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
            aria-pressed=${example === this.selected ? 'true' : 'false'}
            @click=${() => this.choose(example)}
          >
            <span class="name">${example.name}</span>
            <span class="description">${example.description}</span>
          </button>
        </li>`,
      )}
    </ul>`;
  }

  private renderMain() {
    if (this.loadError) {
      return html`<p class="error" role="alert">The example programs could not be loaded. ${this.loadError}</p>`;
    }
    if (!this.examples) return nothing;
    const example = this.selected;
    if (!example) return html`<p class="error" role="alert">The example list is empty.</p>`;
    const manifest = this.manifest()!;
    return html`
      <header class="program">
        <h2><span class="name">${example.name}</span></h2>
        <p>${example.description}</p>
      </header>
      <form @submit=${this.onSubmit} @keydown=${this.onKeydown}>
        <label for="args">Arguments</label>
        <input id="args" name="args" autocomplete="off" spellcheck="false" placeholder="none; quote an argument that holds spaces" .value=${this.argsText} @input=${this.onArgsInput} />
        <label for="stdin">Standard input</label>
        <textarea id="stdin" name="stdin" rows="5" spellcheck="false" .value=${this.stdinText} @input=${this.onStdinInput}></textarea>
        <div class="actions">
          <button type="submit">Run</button>
          <span class="argv">argv <code>${JSON.stringify(manifest.args)}</code> · Ctrl+Enter runs</span>
        </div>
      </form>
      ${keyed(
        example,
        // A fresh element per example: a clean terminal, and leaving an example ends its run.
        html`<zero-vm .manifest=${manifest} rows="12" @vm-start=${this.onVmStart} @vm-exit=${this.onVmExit} @vm-error=${this.onVmError}></zero-vm>`,
      )}
      <section class="report" aria-live="polite">
        <h3>Report</h3>
        ${this.report
          ? html`<zerovm-report .report=${this.report}></zerovm-report>`
          : html`<p class="placeholder">${this.running ? 'Running…' : 'Run the program to see its report.'}</p>`}
      </section>
    `;
  }

  private async load(base: string): Promise<void> {
    this.examples = null;
    this.loadError = '';
    try {
      const examples = await loadExamples(base);
      if (base !== this.programs) return; // a newer load has started
      this.examples = examples;
      if (examples[0]) this.choose(examples[0]);
    } catch (e) {
      if (base !== this.programs) return;
      this.loadError = e instanceof Error ? e.message : String(e);
    }
  }

  private choose(example: Example): void {
    if (example === this.selected) return;
    this.selected = example;
    this.argsText = formatArgs(example.args);
    this.stdinText = example.stdin;
    this.report = null;
    this.running = false;
  }

  private async onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    await this.updateComplete; // so that the element's manifest holds the latest edits
    try {
      await this.vm?.run();
    } catch {
      // The worker itself failed: <zero-vm>'s status line says why.
      this.running = false;
    }
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      (event.currentTarget as HTMLFormElement).requestSubmit();
    }
  }

  private onArgsInput(event: Event): void {
    this.argsText = (event.target as HTMLInputElement).value;
  }

  private onStdinInput(event: Event): void {
    this.stdinText = (event.target as HTMLTextAreaElement).value;
  }

  // Runs started by the element's own Run button arrive here too; events from an element that
  // has just been replaced (another example was chosen) are ignored.
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
