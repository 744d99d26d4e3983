// <zerovm-run-form>: the playground's run settings (arguments, stdin, environment, timeout, memory)
// and its one Run button. The settings come in as a property and go out as `settings-change`
// events; Run reads them, and either fires `run-request` with what the run takes, or names each
// field that does not read (next to it, and focused) and fires nothing.
import { css, html, LitElement, nothing } from 'lit';
import { property, state } from 'lit/decorators.js';
import { DEFAULT_LIMITS } from '../host/defaults.js';
import { parseArgs } from './args.js';
import { FIELD_LABELS, type FieldError, type RunInputs, type RunSettings, readSettings, type SettingsField } from './settings.js';

const PLACEHOLDERS: Record<SettingsField, string> = {
  args: 'none; quote an argument that holds spaces',
  stdin: '',
  env: 'NAME=value, one a line',
  timeout: `default ${DEFAULT_LIMITS.timeout / 1000}s`,
  memory: `default ${DEFAULT_LIMITS.memory / 2 ** 20}MiB`,
};

export class RunForm extends LitElement {
  static override styles = css`
    :host {
      display: block;
    }
    form {
      display: grid;
      gap: 0.35rem;
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
      border: 1px solid var(--zp-line, #d8dee4);
      border-radius: 6px;
      background: #fff;
      color: inherit;
      min-width: 0;
    }
    input:focus,
    textarea:focus {
      outline: 2px solid var(--zp-accent, #0969da);
      outline-offset: -1px;
    }
    [aria-invalid='true'] {
      border-color: #cf222e;
    }
    textarea {
      resize: vertical;
      min-height: 2.5rem;
    }
    .limits {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr));
      gap: 0 1rem;
    }
    .limits > div {
      display: grid;
      gap: 0.35rem;
      align-content: start;
    }
    .field-error {
      margin: 0;
      font-size: 0.8rem;
      color: #a40e26;
      overflow-wrap: anywhere;
    }
    .actions {
      display: flex;
      align-items: center;
      gap: 0.75rem;
      margin-top: 0.5rem;
      flex-wrap: wrap;
    }
    button {
      font: inherit;
      font-weight: 600;
      padding: 0.35rem 1.4rem;
      border-radius: 6px;
      border: 1px solid #1f883d;
      background: #1f883d;
      color: #fff;
      cursor: pointer;
    }
    button:hover {
      background: #1a7f37;
    }
    button:focus-visible {
      outline: 2px solid var(--zp-accent, #0969da);
      outline-offset: 1px;
    }
    .argv {
      font-size: 0.8rem;
      color: var(--zp-muted, #59636e);
      overflow-wrap: anywhere;
    }
    code {
      font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
    }
  `;

  @property({ attribute: false }) settings: RunSettings = { args: '', stdin: '', env: '', timeout: '', memory: '' };
  /** argv[0], shown before the arguments. */
  @property() argv0 = 'program';

  /** Set by a Run that found bad fields; from then on, errors follow the fields as they are edited. */
  @state() private showErrors = false;

  protected override render() {
    const read = readSettings(this.settings);
    const errors = this.showErrors && !read.ok ? read.errors : [];
    const argv = [this.argv0, ...parseArgs(this.settings.args)];
    return html`
      <form @submit=${this.onSubmit} @keydown=${this.onKeydown}>
        ${this.field('args', errors)}
        ${this.field('stdin', errors, 5)}
        ${this.field('env', errors, 2)}
        <div class="limits">
          <div>${this.field('timeout', errors)}</div>
          <div>${this.field('memory', errors)}</div>
        </div>
        <div class="actions">
          <button type="submit">Run</button>
          <span class="argv">argv <code>${JSON.stringify(argv)}</code> · Ctrl+Enter runs</span>
        </div>
      </form>
    `;
  }

  /** A labelled input (a textarea with `rows`), marked invalid and described by its error if it has one. */
  private field(name: SettingsField, errors: FieldError[], rows = 0) {
    const error = errors.find((e) => e.field === name);
    const invalid = error ? 'true' : 'false';
    const describedBy = error ? `${name}-error` : nothing;
    const input = rows
      ? html`<textarea id=${name} name=${name} rows=${rows} spellcheck="false" placeholder=${PLACEHOLDERS[name]}
          aria-invalid=${invalid} aria-describedby=${describedBy} .value=${this.settings[name]} @input=${this.onInput}></textarea>`
      : html`<input id=${name} name=${name} autocomplete="off" spellcheck="false" placeholder=${PLACEHOLDERS[name]}
          aria-invalid=${invalid} aria-describedby=${describedBy} .value=${this.settings[name]} @input=${this.onInput} />`;
    return html`
      <label for=${name}>${FIELD_LABELS[name]}</label>
      ${input}
      ${error ? html`<p class="field-error" id=${`${name}-error`}>${FIELD_LABELS[name]}: ${error.message}</p>` : nothing}
    `;
  }

  private onInput(event: Event): void {
    const field = event.target as HTMLInputElement | HTMLTextAreaElement;
    const settings: RunSettings = { ...this.settings, [field.name as SettingsField]: field.value };
    this.dispatchEvent(new CustomEvent<RunSettings>('settings-change', { detail: settings }));
  }

  private async onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    // What the fields hold now: an edit made just before Run may not have come back down as settings yet.
    const form = event.currentTarget as HTMLFormElement;
    const settings = { ...this.settings };
    for (const name of Object.keys(settings) as SettingsField[]) {
      settings[name] = (form.elements.namedItem(name) as HTMLInputElement | HTMLTextAreaElement).value;
    }
    const read = readSettings(settings);
    this.showErrors = !read.ok;
    if (read.ok) {
      this.dispatchEvent(new CustomEvent<RunInputs>('run-request', { detail: read.inputs }));
      return;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }

  private onKeydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      (event.currentTarget as HTMLFormElement).requestSubmit();
    }
  }
}

if (!customElements.get('zerovm-run-form')) customElements.define('zerovm-run-form', RunForm);

declare global {
  interface HTMLElementTagNameMap {
    'zerovm-run-form': RunForm;
  }
  interface HTMLElementEventMap {
    'settings-change': CustomEvent<RunSettings>;
    'run-request': CustomEvent<RunInputs>;
  }
}
