// <zerovm-report>: a run's Report as people read it — outcome (a non-zero exit coloured as a
// failure), timings, memory, per-channel accounting — and the raw JSON beneath it, collapsed.
// Every value goes through a Lit text binding, so nothing a guest wrote (stdout in the JSON, a
// message) can become markup.
import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { ChannelReport, Report } from '../contract/report.js';
import { formatBytes, formatMs } from '../elements/format.js';
import { tableStyles } from './playground-styles.js';

export class ReportView extends LitElement {
  static override styles = [tableStyles, css`
    :host {
      display: block;
      font-size: 14px;
    }
    .summary th {
      width: 11rem;
      font-weight: 500;
      color: var(--zp-muted, #59636e);
    }
    .channels th {
      font-weight: 500;
      color: var(--zp-muted, #59636e);
      white-space: nowrap;
    }
    .channels td.n {
      text-align: right;
      font-variant-numeric: tabular-nums;
    }
    .channels th.n {
      text-align: right;
    }
    .badge[data-outcome='ok'] { background: #dafbe1; color: #116329; }
    .badge[data-outcome='failed'],
    .badge[data-outcome='trap'],
    .badge[data-outcome='invalid'] { background: #ffebe9; color: #a40e26; }
    .badge[data-outcome='timeout'],
    .badge[data-outcome='killed'] { background: #fff8c5; color: #7d4e00; }
    .yes { color: #a40e26; font-weight: 600; }
    details {
      border: 1px solid var(--zp-line, #d8dee4);
      border-radius: 6px;
    }
    summary {
      cursor: pointer;
      padding: 0.4rem 0.6rem;
      font-weight: 600;
    }
    pre {
      margin: 0;
      padding: 0.6rem;
      max-height: 24rem;
      overflow: auto;
      background: #f6f8fa;
      border-top: 1px solid var(--zp-line, #d8dee4);
    }
  `];

  /** The report to show; nothing is rendered while it is null. */
  @property({ attribute: false }) report: Report | null = null;

  protected override render() {
    const r = this.report;
    if (!r) return nothing;
    const withEtags = r.channels.some((c) => c.etag !== undefined);
    return html`
      <table class="summary">
        <caption>Outcome</caption>
        <tbody>
          ${row('status', 'Status', html`<span class="badge" data-outcome=${outcome(r)}>${r.status}</span>`)}
          ${row('exitCode', 'Exit code', r.exitCode === null ? '—' : html`<span class="badge" data-outcome=${outcome(r)}>${r.exitCode}</span>`)}
          ${r.message ? row('message', 'Message', html`<span class="message">${r.message}</span>`) : nothing}
          ${row('compileMs', 'Compile', formatMs(r.timings.compileMs))}
          ${row('instantiateMs', 'Instantiate', formatMs(r.timings.instantiateMs))}
          ${row('runMs', 'Run', formatMs(r.timings.runMs))}
          ${row('memoryPeakBytes', 'Memory peak', html`<span title="${r.memoryPeakBytes} bytes">${formatBytes(r.memoryPeakBytes)}</span>`)}
          ${r.etag !== undefined ? row('etag', 'Run etag', html`<code>${r.etag}</code>`) : nothing}
        </tbody>
      </table>
      ${r.channels.length > 0
        ? html`<div class="scroll"><table class="channels">
            <caption>Channels</caption>
            <thead>
              <tr>
                <th>Channel</th>
                <th class="n">Reads</th>
                <th class="n">Bytes read</th>
                <th class="n">Writes</th>
                <th class="n">Bytes written</th>
                <th>Quota hit</th>
                <th>Truncated</th>
                ${withEtags ? html`<th>Etag</th>` : nothing}
              </tr>
            </thead>
            <tbody>
              ${r.channels.map((c) => channelRow(c, withEtags))}
            </tbody>
          </table></div>`
        : nothing}
      <details>
        <summary>Raw JSON</summary>
        <pre class="json">${JSON.stringify(r, null, 2)}</pre>
      </details>
    `;
  }
}

/** The run's outcome for colour: its status, except that `ok` with a non-zero exit code failed. */
function outcome(r: Report): string {
  return r.status === 'ok' && r.exitCode !== 0 ? 'failed' : r.status;
}

function row(field: string, label: string, value: unknown) {
  return html`<tr data-field=${field}><th scope="row">${label}</th><td>${value}</td></tr>`;
}

function channelRow(c: ChannelReport, withEtags: boolean) {
  return html`<tr data-channel=${c.path}>
    <td><code>${c.path}</code></td>
    <td class="n" data-field="reads">${c.reads}</td>
    <td class="n" data-field="readBytes">${c.readBytes}</td>
    <td class="n" data-field="writes">${c.writes}</td>
    <td class="n" data-field="writeBytes">${c.writeBytes}</td>
    <td data-field="quotaHit" class=${c.quotaHit ? 'yes' : ''}>${c.quotaHit ? 'yes' : 'no'}</td>
    <td data-field="truncated" class=${c.truncated ? 'yes' : ''}>${c.truncated ? 'yes' : 'no'}</td>
    ${withEtags ? html`<td data-field="etag"><code>${c.etag ?? '—'}</code></td>` : nothing}
  </tr>`;
}

if (!customElements.get('zerovm-report')) customElements.define('zerovm-report', ReportView);

declare global {
  interface HTMLElementTagNameMap {
    'zerovm-report': ReportView;
  }
}
