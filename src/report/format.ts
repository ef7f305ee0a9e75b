/**
 * @module report/format
 * Number, time and verdict formatting shared by the evidence report's sections.
 */
import type { Verdict } from './findings.js';
import { html, type Markup } from './markup.js';

export const num = (n: number) => n.toLocaleString('en-US');
export const fixed = (n: number, d = 2) => (Number.isFinite(n) ? n.toFixed(d) : '—');
/** A signed figure with a true minus sign, e.g. `+1.620`, `−0.460`. */
export const signed = (n: number, d = 3) => `${n < 0 ? '−' : '+'}${fixed(Math.abs(n), d)}`;
export const pct = (part: number, whole: number) =>
  whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : '—';
export const isoMs = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? '—' : new Date(ms).toISOString();
export const isoOr = (s: string | null | undefined) => s ?? '—';
/** `2026-03-02 14:05 UTC` from an ISO time (the input itself when it does not parse). */
export function shortIso(s: string): string {
  const ms = Date.parse(s);
  return Number.isFinite(ms) ? `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC` : s;
}

export function verdictBadge(v: Verdict): Markup {
  return html`<span class="verdict-${v}">${v}</span>`;
}

/** Duration between two ISO times or epoch ms, e.g. `3 d 4 h`, `42 min`. */
export function span(from: number, to: number): string {
  const ms = Math.max(0, to - from);
  const min = Math.round(ms / 60_000);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${min % 60} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}

/** Renders `[value, count]` rows as a two-column table with shares of `total`. */
export function tallyTable(caption: string, rows: Array<[string, number]>, total: number): Markup {
  if (rows.length === 0) return html``;
  return html`<table><thead><tr><th>${caption}</th><th class="num">Requests</th><th class="num">Share</th></tr></thead><tbody>${rows.map(
    ([v, c]) =>
      html`<tr><td><code>${v}</code></td><td class="num">${num(c)}</td><td class="num">${pct(c, total)}</td></tr>`,
  )}</tbody></table>`;
}
