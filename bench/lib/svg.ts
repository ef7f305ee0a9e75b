/**
 * @module bench/lib/svg
 * Tiny inline-SVG charts for the self-contained benchmark report: line charts (ROC curves),
 * strip plots (score distributions per persona) and horizontal bars (time to detection).
 * No scripts, no fonts, no network.
 */

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
export const COLORS = [
  '#1f6feb',
  '#d1242f',
  '#2da44e',
  '#bf8700',
  '#8250df',
  '#0a7f84',
  '#cf222e',
  '#6e7781',
];

export interface Series {
  name: string;
  points: Array<[number, number]>;
  color?: string;
  dashed?: boolean;
}

/** A unit-square line chart (both axes 0..1) with a diagonal, e.g. ROC curves. */
export function lineChart(
  title: string,
  series: Series[],
  xLabel = 'false-positive rate',
  yLabel = 'true-positive rate',
): string {
  const W = 320;
  const H = 300;
  const m = { l: 40, r: 10, t: 24, b: 36 };
  const x = (v: number) => m.l + v * (W - m.l - m.r);
  const y = (v: number) => H - m.b - v * (H - m.t - m.b);
  const paths = series
    .map((s, i) => {
      const d = s.points
        .map(([px, py], k) => `${k === 0 ? 'M' : 'L'}${x(px).toFixed(1)},${y(py).toFixed(1)}`)
        .join('');
      const c = s.color ?? COLORS[i % COLORS.length];
      return `<path d="${d}" fill="none" stroke="${c}" stroke-width="1.8"${s.dashed ? ' stroke-dasharray="4 3"' : ''}/>`;
    })
    .join('');
  const legend = series
    .map((s, i) => {
      const c = s.color ?? COLORS[i % COLORS.length];
      return `<text x="${x(0.45)}" y="${y(0.3) + i * 14}" font-size="10" fill="${c}">${esc(s.name)}</text>`;
    })
    .join('');
  const ticks = [0, 0.5, 1]
    .map(
      (t) =>
        `<text x="${x(t)}" y="${H - m.b + 12}" font-size="9" text-anchor="middle">${t}</text><text x="${m.l - 4}" y="${y(t) + 3}" font-size="9" text-anchor="end">${t}</text>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img"><title>${esc(title)}</title>
<text x="${W / 2}" y="14" font-size="12" text-anchor="middle">${esc(title)}</text>
<rect x="${m.l}" y="${m.t}" width="${W - m.l - m.r}" height="${H - m.t - m.b}" fill="none" stroke="#ccc"/>
<path d="M${x(0)},${y(0)}L${x(1)},${y(1)}" stroke="#ddd" stroke-dasharray="2 2"/>${ticks}${paths}${legend}
<text x="${W / 2}" y="${H - 6}" font-size="10" text-anchor="middle">${esc(xLabel)}</text>
<text x="10" y="${H / 2}" font-size="10" text-anchor="middle" transform="rotate(-90 10 ${H / 2})">${esc(yLabel)}</text></svg>`;
}

/** Strip plot: one row per group, a dot per value in [0,1], with deterministic vertical jitter. */
export function stripPlot(
  title: string,
  groups: Array<{ name: string; values: number[]; attack: boolean }>,
  marks: number[] = [],
): string {
  const rowH = 18;
  const W = 640;
  const m = { l: 170, r: 16, t: 24, b: 26 };
  const H = m.t + m.b + groups.length * rowH;
  const x = (v: number) => m.l + Math.max(0, Math.min(1, v)) * (W - m.l - m.r);
  const rows = groups
    .map((g, i) => {
      const cy = m.t + i * rowH + rowH / 2;
      const c = g.attack ? '#d1242f' : '#1f6feb';
      const step = Math.max(1, Math.ceil(g.values.length / 400));
      const dots = g.values
        .filter((_, k) => k % step === 0)
        .map(
          (v, k) =>
            `<circle cx="${x(v).toFixed(1)}" cy="${(cy + (((k * 7919) % 11) - 5)).toFixed(1)}" r="1.8" fill="${c}" fill-opacity="0.45"/>`,
        )
        .join('');
      return `<text x="${m.l - 6}" y="${cy + 3}" font-size="10" text-anchor="end">${esc(g.name)} (${g.values.length})</text>${dots}`;
    })
    .join('');
  const lines = marks
    .map((v) => `<path d="M${x(v)},${m.t}L${x(v)},${H - m.b}" stroke="#999" stroke-dasharray="3 3"/>`)
    .join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => `<text x="${x(t)}" y="${H - 10}" font-size="9" text-anchor="middle">${t}</text>`)
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img"><title>${esc(title)}</title>
<text x="${W / 2}" y="14" font-size="12" text-anchor="middle">${esc(title)}</text>${lines}${rows}${ticks}</svg>`;
}

/** Horizontal bars of values in [0,1] with labels (e.g. share of requests before detection). */
export function barChart(
  title: string,
  bars: Array<{ name: string; value: number; color?: string }>,
  mark?: number,
): string {
  const rowH = 14;
  const W = 640;
  const m = { l: 200, r: 50, t: 24, b: 22 };
  const H = m.t + m.b + bars.length * rowH;
  const x = (v: number) => m.l + Math.max(0, Math.min(1, v)) * (W - m.l - m.r);
  const rows = bars
    .map((b, i) => {
      const y = m.t + i * rowH;
      return `<text x="${m.l - 6}" y="${y + 10}" font-size="9" text-anchor="end">${esc(b.name)}</text><rect x="${m.l}" y="${y + 2}" width="${Math.max(1, x(b.value) - m.l).toFixed(1)}" height="${rowH - 4}" fill="${b.color ?? '#1f6feb'}"/><text x="${x(b.value) + 4}" y="${y + 10}" font-size="9">${(b.value * 100).toFixed(1)}%</text>`;
    })
    .join('');
  const markLine =
    mark === undefined
      ? ''
      : `<path d="M${x(mark)},${m.t}L${x(mark)},${H - m.b}" stroke="#d1242f" stroke-dasharray="3 3"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img"><title>${esc(title)}</title>
<text x="${W / 2}" y="14" font-size="12" text-anchor="middle">${esc(title)}</text>${rows}${markLine}</svg>`;
}

export { esc };
