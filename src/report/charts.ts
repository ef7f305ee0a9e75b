/**
 * @module report/charts
 * Inline SVG bar charts for the evidence report: no script, no font or network dependency,
 * printable in black and white. Coordinates are computed numbers; every text label is escaped.
 */
import type { ActivityBucket, ActivitySeries } from './evidence-input.js';
import { html, type Markup, trusted } from './markup.js';

export interface BarChartOptions {
  width?: number;
  height?: number;
}

export const BAR_CHART_DEFAULTS = { width: 680, height: 150 } satisfies Required<BarChartOptions>;

const PAD = { left: 56, right: 8, top: 10, bottom: 22 };

export function formatBucket(start: number, unit: 'hour' | 'day'): string {
  const iso = new Date(start).toISOString();
  return unit === 'hour' ? `${iso.slice(0, 13)}:00Z` : iso.slice(0, 10);
}

export function compact(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return String(Math.round(n));
}

const fix = (x: number) => Math.round(x * 10) / 10;

/** One bar per bucket; the title states the total and the peak for readers without the image. */
export function barChart(
  series: ActivitySeries,
  value: (b: ActivityBucket) => number,
  label: string,
  options: BarChartOptions = {},
): Markup {
  const { width, height } = { ...BAR_CHART_DEFAULTS, ...options };
  const values = series.buckets.map(value);
  const max = Math.max(1, ...values);
  const total = values.reduce((a, b) => a + b, 0);
  const peakAt = values.indexOf(Math.max(...values));
  const plotW = width - PAD.left - PAD.right;
  const plotH = height - PAD.top - PAD.bottom;
  const step = plotW / Math.max(1, values.length);
  const barW = Math.max(0.5, step * 0.8);
  const rects = values
    .map((v, i) => {
      const h = (v / max) * plotH;
      const x = PAD.left + i * step + (step - barW) / 2;
      return `<rect x="${fix(x)}" y="${fix(PAD.top + plotH - h)}" width="${fix(barW)}" height="${fix(h)}"/>`;
    })
    .join('');
  const first = series.buckets[0];
  const last = series.buckets[series.buckets.length - 1];
  const peak = series.buckets[peakAt];
  const summary = `${label}: ${total.toLocaleString('en-US')} in total over ${values.length} ${series.unit}s${
    peak
      ? `, peak ${values[peakAt]!.toLocaleString('en-US')} at ${formatBucket(peak.start, series.unit)}`
      : ''
  }`;
  const baseY = PAD.top + plotH;
  return html`<figure class="chart"><svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${summary}"><title>${summary}</title>
<line class="axis" x1="${PAD.left}" y1="${baseY}" x2="${width - PAD.right}" y2="${baseY}"/>
<line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${baseY}"/>
<text x="${PAD.left - 4}" y="${PAD.top + 8}" text-anchor="end">${compact(max)}</text>
<text x="${PAD.left - 4}" y="${baseY}" text-anchor="end">0</text>
<g class="bars">${trusted(rects)}</g>
<text x="${PAD.left}" y="${height - 6}">${first ? formatBucket(first.start, series.unit) : ''}</text>
<text x="${width - PAD.right}" y="${height - 6}" text-anchor="end">${last ? formatBucket(last.start, series.unit) : ''}</text>
</svg><figcaption>${summary}</figcaption></figure>`;
}
