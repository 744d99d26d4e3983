// <zerovm-volume>: a persistent volume as the playground shows it beside the report — the last
// commit (the run's, from its report, or a roll back's), the newest version's files, every version
// newest first with a way to roll back to it (a new version holding the old contents), and the
// text of a file chosen from the list. It reads the volume again when a run's report comes and
// after a roll back; a read that a newer one overtook is dropped. File contents and paths are
// the guest's bytes: shown through Lit text bindings only, never as markup.
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import type { VolumeReport } from '../contract/report.js';
import { formatBytes } from '../elements/format.js';
import { tableStyles } from './playground-styles.js';
import type { Volumes } from '../host/volumes/api.js';
import type { VolumeVersion } from '../host/volumes/store.js';
import { type FileText, readText, readVolume, SHOWN_BYTES, type VolumeFile, type VolumeState } from './volume-state.js';

/** The last change the panel knows of: the run's commit, or a roll back made here. */
type Change = { by: 'run'; report: VolumeReport } | { by: 'restore'; version: number; report: VolumeReport };

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class VolumeView extends LitElement {
  static override styles = [tableStyles, css`
    :host {
      display: block;
      font-size: 14px;
    }
    p {
      margin: 0 0 0.75rem;
    }
    th {
      font-weight: 500;
      color: var(--zp-muted, #59636e);
      white-space: nowrap;
    }
    .commit th {
      width: 9rem;
    }
    [data-field='at'] {
      white-space: nowrap;
    }
    .n {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    .badge[data-outcome='committed'] { background: #dafbe1; color: #116329; }
    .badge[data-outcome='conflict'] { background: #ffebe9; color: #a40e26; }
    .badge[data-outcome='rolled-back'] { background: #fff8c5; color: #7d4e00; }
    button {
      font: inherit;
      padding: 0.1rem 0.5rem;
      border: 1px solid var(--zp-line, #d8dee4);
      border-radius: 6px;
      background: #f6f8fa;
      color: inherit;
      cursor: pointer;
    }
    button.path {
      font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
      font-size: 12.5px;
      text-align: left;
      overflow-wrap: anywhere;
    }
    button[aria-pressed='true'] {
      background: #ddf4ff;
      border-color: #54aeff;
    }
    button:focus-visible {
      outline: 2px solid var(--zp-accent, #0969da);
      outline-offset: 1px;
    }
    button:disabled {
      cursor: default;
      opacity: 0.6;
    }
    .placeholder {
      color: var(--zp-muted, #59636e);
    }
    .error {
      color: #a40e26;
      overflow-wrap: anywhere;
    }
    figure {
      margin: 0 0 1rem;
      border: 1px solid var(--zp-line, #d8dee4);
      border-radius: 6px;
    }
    figcaption {
      padding: 0.4rem 0.6rem;
      font-weight: 600;
    }
    pre {
      margin: 0;
      padding: 0.6rem;
      max-height: 20rem;
      overflow: auto;
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      background: #f6f8fa;
      border-top: 1px solid var(--zp-line, #d8dee4);
    }
  `];

  /** The volumes API (`vm.volumes`) to read and restore through. */
  @property({ attribute: false }) volumes: Volumes | null = null;
  /** The volume's name. */
  @property() name = '';
  /** Where the program sees it. */
  @property() guest = '';
  /** The volume's entry in the last run's report; null while no run has ended. */
  @property({ attribute: false }) commit: VolumeReport | null = null;

  @state() private contents: VolumeState | null = null;
  /** Why the volume could not be read, or the last roll back failed. */
  @state() private readError = '';
  @state() private restoreError = '';
  @state() private change: Change | null = null;
  /** The file chosen to be shown, and its text at the newest version. */
  @state() private viewing: string | null = null;
  @state() private shown: FileText | null = null;
  /** The version being rolled back to. */
  @state() private restoring: number | null = null;

  private reads = 0;

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('name')) {
      this.contents = null;
      this.viewing = null;
      this.shown = null;
      this.restoreError = '';
    }
    if (changed.has('commit')) this.change = this.commit ? { by: 'run', report: this.commit } : null;
    if (changed.has('volumes') || changed.has('name') || changed.has('commit')) void this.refresh();
  }

  protected override render() {
    return html`
      <p>
        The volume <code>${this.name}</code>, mounted at <code>${this.guest}</code>: what the program leaves there when
        it exits 0 is committed, and kept in this browser (IndexedDB) across runs and page loads.
      </p>
      ${[this.readError, this.restoreError].map((e) => (e ? html`<p class="error" role="alert">${e}</p>` : nothing))}
      ${this.renderChange()}
      ${this.contents ? this.renderContents(this.contents) : html`<p class="placeholder">Loading…</p>`}
    `;
  }

  private renderChange() {
    const change = this.change;
    if (!change) return html`<p class="placeholder">Run the program to see its commit.</p>`;
    const r = change.report;
    return html`<table class="commit">
      <caption>${change.by === 'run' ? 'Last commit: the run' : `Last commit: roll back to version ${change.version}`}</caption>
      <tbody>
        ${row('outcome', 'Outcome', html`<span class="badge" data-outcome=${r.outcome}>${r.outcome}</span>`)}
        ${row('versions', 'Version', `${r.versionBefore} → ${r.versionAfter}`)}
        ${row('etags', 'Etag', html`${etag(r.etagBefore)} → ${etag(r.etagAfter)}`)}
        ${row('filesChanged', 'Files changed', r.filesChanged)}
        ${row('bytesWritten', 'Bytes written', formatBytes(r.bytesWritten))}
        ${r.retries ? row('retries', 'Retries', r.retries) : nothing}
        ${r.message ? row('message', 'Why', html`<span class="message">${r.message}</span>`) : nothing}
      </tbody>
    </table>`;
  }

  private renderContents({ versions, files }: VolumeState) {
    const newest = versions[0];
    if (!newest) return html`<p class="placeholder">No versions yet: the first run that writes under ${this.guest} makes version 1.</p>`;
    return html`
      <div class="scroll"><table class="files">
        <caption>Files at version ${newest.version}</caption>
        <thead><tr><th>Path</th><th class="n">Size</th></tr></thead>
        <tbody>
          ${files.length === 0 ? html`<tr><td colspan="2" class="placeholder">none</td></tr>` : repeat(files, (f) => f.path, (f) => this.fileRow(f))}
        </tbody>
      </table></div>
      ${this.shown ? fileText(this.shown) : nothing}
      <div class="scroll"><table class="versions">
        <caption>Versions, newest first</caption>
        <thead><tr><th class="n">Version</th><th>When</th><th class="n">Files</th><th class="n">Bytes</th><th>Etag</th><th></th></tr></thead>
        <tbody>
          ${repeat(versions, (v) => v.version, (v) => this.versionRow(v, v === newest))}
        </tbody>
      </table></div>
    `;
  }

  private fileRow(f: VolumeFile) {
    const pressed = this.viewing === f.path;
    return html`<tr data-path=${f.path}>
      <td><button type="button" class="path" aria-pressed=${pressed ? 'true' : 'false'} @click=${() => this.view(pressed ? null : f.path)}>${f.path}</button></td>
      <td class="n" data-field="size" title="${f.size} bytes">${formatBytes(f.size)}</td>
    </tr>`;
  }

  private versionRow(v: VolumeVersion, newest: boolean) {
    const when = new Date(v.at);
    return html`<tr data-version=${v.version}>
      <td class="n" data-field="version">${v.version}</td>
      <td data-field="at"><time datetime=${when.toISOString()}>${when.toLocaleString()}</time></td>
      <td class="n" data-field="files">${v.files}</td>
      <td class="n" data-field="bytes">${v.bytes}</td>
      <td data-field="etag">${etag(v.root)}</td>
      <td>
        ${newest
          ? html`<span class="placeholder">newest</span>`
          : html`<button type="button" data-restore=${v.version} ?disabled=${this.restoring !== null} @click=${() => this.restore(v.version)}>
              ${this.restoring === v.version ? 'Rolling back…' : `Roll back to version ${v.version}`}
            </button>`}
      </td>
    </tr>`;
  }

  private view(path: string | null): void {
    this.viewing = path;
    this.shown = null;
    void this.refresh();
  }

  /** Makes `version`'s contents the newest version again, then reads the volume anew. */
  private async restore(version: number): Promise<void> {
    const { volumes, name } = this;
    if (!volumes) return;
    this.restoring = version;
    this.restoreError = '';
    try {
      const report = await volumes.restore(name, version);
      if (name === this.name) this.change = { by: 'restore', version, report };
    } catch (e) {
      if (name === this.name) this.restoreError = `The roll back to version ${version} failed: ${message(e)}`;
    } finally {
      this.restoring = null;
    }
    await this.refresh();
  }

  /** Reads the volume (and the file being viewed, at the newest version); only the latest read lands. */
  private async refresh(): Promise<void> {
    const { volumes, name, viewing } = this;
    if (!volumes || !name) return;
    const read = ++this.reads;
    try {
      const contents = await readVolume(volumes, name);
      const newest = contents.versions[0];
      const shown = viewing !== null && newest ? await readText(volumes, name, viewing, newest.version) : null;
      if (read !== this.reads) return;
      this.contents = contents;
      this.shown = shown;
      this.readError = '';
    } catch (e) {
      if (read === this.reads) this.readError = `The volume could not be read: ${message(e)}`;
    }
  }
}

function row(field: string, label: string, value: unknown) {
  return html`<tr data-field=${field}><th scope="row">${label}</th><td>${value}</td></tr>`;
}

/** A version's etag (its tree's SHA-256): the start of it, the whole in its title. */
function etag(root: string) {
  return html`<code title=${root}>${root.slice(0, 16)}</code>`;
}

function fileText(f: FileText) {
  const cut = f.size > SHOWN_BYTES ? `, the first ${formatBytes(SHOWN_BYTES)} shown` : '';
  return html`<figure class="file" data-path=${f.path}>
    <figcaption><code>${f.path}</code> at version ${f.version}, ${formatBytes(f.size)}${cut}</figcaption>
    <pre class="text">${f.text}</pre>
  </figure>`;
}

if (!customElements.get('zerovm-volume')) customElements.define('zerovm-volume', VolumeView);

declare global {
  interface HTMLElementTagNameMap {
    'zerovm-volume': VolumeView;
  }
}
