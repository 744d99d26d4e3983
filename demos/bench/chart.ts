// One metric as a horizontal bar chart (plain SVG): a bar per runtime, the p99 as a tick for
// latencies, the goal as a dashed line, and each peer's ratio to ours.
import { svg, type TemplateResult } from 'lit';
import { headline, METRICS, type MetricResult, ratio } from './metrics.js';

const W = 640;
const LABEL = 150;
const ROW = 26;
/** Room right of the longest bar for its figure and ratio ("17.6 ms (p99 23.0) · ours/this 0.018×"). */
const LABEL_ROOM = 250;
const COLORS = ['#2f6fde', '#9aa5b1', '#c8ced6'];

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

export function chart(metric: MetricResult, runtimes: string[]): TemplateResult {
  const info = METRICS[metric.id];
  const figures = runtimes.map((name) => metric.values[name] ?? null);
  const tops = figures.flatMap((f) => (f == null ? [] : [typeof f === 'number' ? f : f.p99]));
  if (info.goal) tops.push(info.goal.value);
  const max = Math.max(...tops, 1e-9) * 1.1;
  const x = (v: number) => LABEL + ((W - LABEL - LABEL_ROOM) * v) / max;
  const height = runtimes.length * ROW + 8;
  const ours = figures[0];
  return svg`<svg viewBox="0 0 ${W} ${height}" width="100%" role="img" aria-label=${info.title}>
    ${runtimes.map((name, i) => {
      const f = figures[i];
      const y = 4 + i * ROW;
      const r = i > 0 ? ratio(ours, f) : null;
      const first = f != null && typeof f !== 'number' && f.first !== undefined ? `first ${formatNumber(f.first)} ${info.unit} · warm ` : '';
      const label = f == null ? 'n/a' : `${first}${formatNumber(headline(f))} ${info.unit}${typeof f === 'number' ? '' : ` (p99 ${formatNumber(f.p99)})`}`;
      return svg`
        <text x="0" y=${y + 16} font-size="13">${name}</text>
        ${f == null ? null : svg`<rect x=${LABEL} y=${y + 3} width=${Math.max(1, x(headline(f)) - LABEL)} height="16" fill=${COLORS[i % COLORS.length]}></rect>`}
        ${f != null && typeof f !== 'number' ? svg`<line x1=${x(f.p99)} x2=${x(f.p99)} y1=${y + 1} y2=${y + 21} stroke="#1d232a" stroke-width="1.5"></line>` : null}
        <text x=${f == null ? LABEL : x(typeof f === 'number' ? f : Math.max(f.p50, f.p99)) + 6} y=${y + 16} font-size="12" fill="#33414e">${label}${r == null ? '' : ` · ours/this ${formatNumber(r)}×`}</text>`;
    })}
    ${info.goal ? svg`<line x1=${x(info.goal.value)} x2=${x(info.goal.value)} y1="0" y2=${height} stroke="#d2452d" stroke-dasharray="4 3"></line>` : null}
  </svg>`;
}
