// <zerovm-calls>: the page functions the playground offers on call channels, and what each
// answered in the last run: how many calls, and the last few requests with what came of them, so
// that the call channel is seen at work. Requests are the guest's bytes: shown through Lit text
// bindings only, never as markup.
import { css, html, LitElement, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { type Calls, PAGE_FUNCTIONS } from './page-functions.js';

export class CallsView extends LitElement {
  static override styles = css`
    :host {
      display: block;
      font-size: 14px;
    }
    ul {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    code {
      font-family: ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace;
      font-size: 12.5px;
    }
    .count {
      font-weight: 600;
    }
    ol {
      margin: 0.25rem 0 0;
      padding-left: 1.25rem;
      color: var(--zp-muted, #59636e);
      overflow-wrap: anywhere;
    }
    .none {
      color: #a40e26;
    }
  `;

  /** Each page function's calls in the last run, by channel path. */
  @property({ attribute: false }) calls: Record<string, Calls> = {};
  /** Whether the page offers them (it cannot where a VM can neither block nor be suspended). */
  @property({ type: Boolean }) offered = true;

  protected override render() {
    if (!this.offered) {
      return html`<p>This page can neither block nor suspend a VM (not cross-origin isolated, no JSPI), so it offers no page functions.</p>`;
    }
    return html`<ul>
      ${PAGE_FUNCTIONS.map((f) => {
        const calls = this.calls[f.path];
        const count = calls?.count ?? 0;
        return html`<li data-channel=${f.path}>
          <code>${f.path}</code> is answered by <code>${f.signature}</code>, ${f.summary}:
          <span class="count" data-field="count">${count} ${count === 1 ? 'call' : 'calls'}</span> in the last run
          ${calls
            ? html`<ol class="recent" start=${count - calls.recent.length + 1}>
                ${calls.recent.map((c) => html`<li><code>${c.request}</code> → ${c.reply ? html`${c.reply}` : html`<span class="none">no entry</span>`}</li>`)}
              </ol>`
            : nothing}
        </li>`;
      })}
    </ul>`;
  }
}

if (!customElements.get('zerovm-calls')) customElements.define('zerovm-calls', CallsView);

declare global {
  interface HTMLElementTagNameMap {
    'zerovm-calls': CallsView;
  }
}
