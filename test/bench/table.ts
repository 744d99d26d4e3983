// The results as a plain-text table: a row per metric, our figure, each peer's with ours/peer,
// and the goal beside it.
import { type Figure, METRICS, meetsGoal, type Section, ratio } from '../../demos/bench/metrics.js';

function num(v: number): string {
  if (!Number.isFinite(v)) return '—';
  const a = Math.abs(v);
  const digits = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 3;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function figure(f: Figure | null | undefined): string {
  if (f == null) return 'n/a';
  if (typeof f === 'number') return num(f);
  return f.first === undefined ? `${num(f.p50)} / ${num(f.p99)}` : `${num(f.first)}; ${num(f.p50)} / ${num(f.p99)}`;
}

function pad(cells: string[][]): string {
  const widths = cells[0].map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()).join('\n');
}

export function formatSection(section: Section): string {
  const [ours, ...peers] = section.runtimes;
  const header = ['', ours, ...peers.flatMap((p) => [p, section.ratio ?? 'ours/peer']), 'goal'];
  const rows = section.metrics.map((m) => {
    const info = METRICS[m.id];
    const f = m.values[ours];
    const unit = typeof f === 'object' && f !== null ? `${info.unit}, ${f.first === undefined ? '' : 'first; warm '}p50 / p99` : info.unit;
    const goal = info.goal ? `${info.goal.text} ${{ true: '✓', false: '✗', undefined: '' }[String(meetsGoal(m.id, m.values[ours]))]}` : '';
    return [
      `${info.title} (${unit})`,
      figure(m.values[ours]),
      ...peers.flatMap((p) => {
        const r = ratio(m.values[ours], m.values[p]);
        return [figure(m.values[p]), r == null ? '' : `${num(r)}×`];
      }),
      goal.trim(),
    ];
  });
  const notes = [...(section.notes ?? []), ...section.metrics.flatMap((m) => (m.notes ?? []).map((n) => `${m.id}: ${n}`))];
  const uniqueNotes = [...new Set(notes)];
  return [`== ${section.env}`, pad([header, ...rows]), ...uniqueNotes.map((n) => `  · ${n}`)].join('\n');
}
