// The benchmark page: runs the browser suite live and draws each metric as it completes.
// With ?auto it starts at once and leaves its results (a section per set of runtimes compared)
// on window.__bench for `npm run bench`.
import { css, html, LitElement } from 'lit';
import { chart } from './chart.js';
import { type MetricId, METRICS, meetsGoal, type Section } from './metrics.js';
import { runBrowserSuite } from './suite.js';

export interface BenchState {
  done: boolean;
  sections?: Section[];
  error?: string;
}

declare global {
  interface Window {
    __bench: BenchState;
  }
}

const params = new URLSearchParams(location.search);

class BenchApp extends LitElement {
  static override properties = {
    sections: { state: true },
    status: { state: true },
    running: { state: true },
  };
  static override styles = css`
    button { font: inherit; padding: .35rem 1rem; }
    .status { color: #56606b; margin: .5rem 0 1rem; min-height: 1.4em; }
    section { margin: 1.25rem 0; }
    h2 { font-size: 1rem; margin: 0 0 .25rem; }
    .goal { font-weight: normal; color: #d2452d; font-size: .9em; }
    .met { color: #1f8a4c; }
    ul { color: #56606b; font-size: .85em; margin: .25rem 0; }
  `;

  sections: Section[] = [];
  status = '';
  running = false;

  override connectedCallback(): void {
    super.connectedCallback();
    window.__bench = { done: false };
    if (params.has('auto')) void this.start();
  }

  async start(): Promise<void> {
    this.running = true;
    this.sections = [];
    window.__bench = { done: false };
    try {
      const sections = await runBrowserSuite({
        quick: params.has('quick'),
        only: params.get('only')?.split(',') as MetricId[] | undefined,
        onProgress: (m) => {
          this.status = m;
          console.log(`[bench] ${m}`);
        },
        // A section's first metric adds it, the next ones replace it (a copy: lit redraws on a new object).
        onMetric: (_m, s) => {
          const shown = { ...s, metrics: [...s.metrics] };
          const i = this.sections.findIndex((x) => x.env === s.env);
          this.sections = i < 0 ? [...this.sections, shown] : this.sections.map((x, j) => (j === i ? shown : x));
        },
      });
      this.sections = sections;
      this.status = 'done';
      window.__bench = { done: true, sections };
    } catch (e) {
      this.status = `failed: ${(e as Error).message}`;
      window.__bench = { done: true, error: String((e as Error).stack ?? e) };
    } finally {
      this.running = false;
    }
  }

  override render() {
    return html`
      <button ?disabled=${this.running} @click=${() => this.start()}>${this.running ? 'Running…' : 'Run benchmarks'}</button>
      <div class="status">${this.status}</div>
      ${this.sections.map((s) => this.renderSection(s))}
    `;
  }

  private renderSection(s: Section) {
    return html`
      <p>${s.env} · ${s.runtimes.join(' · ')}</p>
      ${s.metrics.map((m) => {
        const info = METRICS[m.id];
        const met = meetsGoal(m.id, m.values[s.runtimes[0]]);
        return html`<section>
          <h2>${info.title}
            ${info.goal ? html`<span class="goal ${met ? 'met' : ''}">goal ${info.goal.text}${met === undefined ? '' : met ? ' ✓' : ' ✗'}</span>` : null}</h2>
          ${chart(m, s.runtimes)}
          ${m.notes?.length ? html`<ul>${m.notes.map((n) => html`<li>${n}</li>`)}</ul>` : null}
        </section>`;
      })}
      ${s.notes?.length ? html`<ul>${s.notes.map((n) => html`<li>${n}</li>`)}</ul>` : null}
    `;
  }
}

customElements.define('bench-app', BenchApp);
