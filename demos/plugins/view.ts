// What the plugins demo draws: the chain (a checkbox and the limits of each plugin) and a card per
// step of the last run (its output and its report). Lit text bindings throughout, so nothing a
// plugin says (output, error, logs) can become markup.
import { html, nothing, type TemplateResult } from 'lit';
import { formatBytes, formatMs } from '../../src/elements/format.js';
import type { Report } from '../../src/index.js';
import { outcome, type StepState } from './chain.js';
import type { Step } from './steps.js';

function limitsText(limits: Step['limits']): string {
  return `timeout ${formatMs(limits.timeout)} · memory ${formatBytes(limits.memory)} · output ${formatBytes(limits.output)}`;
}

/** The chain as a list to switch steps on and off. */
export function chainList(steps: readonly Step[], enabled: readonly boolean[], toggle: (index: number, on: boolean) => void): TemplateResult {
  return html`${steps.map(
    (step, i) => html`<li data-step=${step.name}>
      <label>
        <input type="checkbox" .checked=${enabled[i]} @change=${(e: Event) => toggle(i, (e.target as HTMLInputElement).checked)}>
        <b>${step.name}</b>
      </label>
      <span class="about">${step.about}</span>
      <span class="limits">${limitsText(step.limits)}</span>
    </li>`,
  )}`;
}

/** One card per step of the run, in chain order. `now` drives the running step's elapsed time. */
export function cards(run: readonly { step: Step; state: StepState }[], now: number): TemplateResult {
  return html`${run.map(({ step, state }) => html`<article class="card" data-step=${step.name} data-state=${state.state}>
    <h3>${step.name} <code>${step.function}()</code> ${badge(state)}</h3>
    ${body(state, now)}
  </article>`)}`;
}

function badge(state: StepState): TemplateResult {
  const text = outcome(state);
  return html`<span class="badge" data-outcome=${text}>${text}</span>`;
}

function body(state: StepState, now: number): TemplateResult | typeof nothing {
  switch (state.state) {
    case 'waiting':
      return html`<p class="note">Not run (yet).</p>`;
    case 'running':
      // Counts up while the plugin runs in its worker: the page itself is never blocked.
      return html`<p class="note">Running… <span class="elapsed">${formatMs(now - state.started)}</span></p>`;
    case 'ok':
      return html`<pre class="output">${state.output}</pre>${report(state.report)}`;
    case 'failed':
      return html`<p class="error">${stopped(state.report)}: ${state.error}. ${state.report.status === 'killed' ? 'The chain stopped here.' : 'Skipped: its input went on to the next step unchanged.'}</p>${report(state.report)}`;
  }
}

/** Who ended a failed call, in words. */
function stopped(report: Report): string {
  switch (report.status) {
    case 'timeout':
      return 'Stopped by its timeout';
    case 'killed':
      return 'Stopped by you';
    case 'trap':
      return 'Stopped by a trap or a limit';
    case 'invalid':
      return 'Refused';
    case 'ok':
      return 'The plugin failed';
  }
}

function report(report: Report): TemplateResult {
  const plugin = report.plugin;
  const rows: [string, string][] = [
    ['status', report.status],
    ['message', report.message || '—'],
    ['run', formatMs(report.timings.runMs)],
    // 0 when the worker was ended mid-call (a timeout, a stop): its memory was never read.
    ['memory', report.memoryPeakBytes > 0 ? formatBytes(report.memoryPeakBytes) : '—'],
    ['output', plugin ? formatBytes(plugin.outputBytes) : ''],
  ];
  return html`<table class="report">
      ${rows.map(([field, value]) => html`<tr data-field=${field}><th>${field}</th><td>${value}</td></tr>`)}
    </table>
    ${plugin && plugin.logs.length > 0
      ? html`<ul class="logs">${plugin.logs.map((log) => html`<li data-level=${log.level}><span>${log.level}</span> ${log.message}</li>`)}</ul>`
      : nothing}
    <details><summary>Report (JSON)</summary><pre>${JSON.stringify(report, null, 2)}</pre></details>`;
}
