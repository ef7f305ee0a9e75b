/**
 * @module report/summary
 * The terminal summary of a findings document: verdict counts, campaigns, top accounts and the
 * reasons that fired most, as plain aligned text tables (no colours, safe to pipe), and the
 * kinds of evidence most lines of the log lacked.
 */
import { MISSING_HEADING, missingEvidence } from './coverage.js';
import {
  type AccountFinding,
  type CampaignFinding,
  type Findings,
  VERDICT_RANK,
  type Verdict,
} from './findings.js';

export interface SummaryOptions {
  /** Rows per table. */
  top: number;
  /** Width of the reason column. */
  reasonWidth: number;
}

export const SUMMARY_DEFAULTS: SummaryOptions = { top: 10, reasonWidth: 70 };

/** Renders rows as a text table with a header and left-aligned columns (numbers right-aligned). */
export function table(header: string[], rows: Array<Array<string | number>>): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'number' ? fmt(c) : c)))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => isNumeric(r[i])));
  const line = (r: string[]) =>
    r
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

/** A number, or a number already formatted (`score(0.5)`): right-aligned in its column. */
function isNumeric(cell: string | number | undefined): boolean {
  return typeof cell === 'number' || (cell !== undefined && /^-?[\d,]+(\.\d+)?$/.test(cell));
}

/** A score in [0,1] as the tables show it: always two decimals, so 1 reads as 1.00. */
export const score = (s: number): string => s.toFixed(2);

function fmt(n: number): string {
  if (Number.isInteger(n)) return n.toLocaleString('en-US');
  return n.toFixed(2);
}

const clip = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s);

function topReason(r: AccountFinding['reasons'] | CampaignFinding['reasons'], w: number): string {
  const best = [...r].sort((a, b) => b.score - a.score)[0];
  return best ? clip(`${best.signal}: ${best.detail}`, w) : '';
}

export function formatSummary(f: Findings, o: Partial<SummaryOptions> = {}): string {
  const opt = { ...SUMMARY_DEFAULTS, ...o };
  const counts: Record<Verdict, number> = { benign: 0, suspicious: 0, distillation: 0 };
  for (const a of f.accounts) counts[a.verdict]++;
  const out: string[] = [];
  out.push(
    `${f.input.lines.toLocaleString('en-US')} lines (${f.input.bad_lines} bad` +
      `${f.input.duplicates ? `, ${f.input.duplicates.toLocaleString('en-US')} duplicates skipped` : ''}), ` +
      `${f.accounts.length} keys: ` +
      `${counts.distillation} distillation, ${counts.suspicious} suspicious, ${counts.benign} benign; ` +
      `${f.campaigns.length} campaigns`,
  );
  if (f.input.read_error !== undefined)
    out.push(`The input ended early (${f.input.read_error}): these findings cover only the lines read.`);
  const missing = missingEvidence(f.input);
  if (missing.length > 0) out.push('', MISSING_HEADING, ...missing.map((m) => `  - ${m}`));
  const campaigns = [...f.campaigns].sort(
    (a, b) => VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict] || b.score - a.score,
  );
  if (campaigns.length > 0) {
    out.push('', 'Campaigns');
    out.push(
      table(
        ['id', 'verdict', 'score', 'keys', 'requests', 'output tokens', 'top reason'],
        campaigns
          .slice(0, opt.top)
          .map((c) => [
            c.id,
            c.verdict,
            score(c.score),
            c.keys.length,
            c.requests,
            c.output_tokens,
            topReason(c.reasons, opt.reasonWidth),
          ]),
      ),
    );
  }
  const accounts = [...f.accounts].sort(
    (a, b) =>
      VERDICT_RANK[b.verdict] - VERDICT_RANK[a.verdict] || b.score - a.score || b.requests - a.requests,
  );
  out.push('', 'Top accounts');
  out.push(
    table(
      ['key', 'org', 'verdict', 'score', 'requests', 'campaign', 'top reason'],
      accounts
        .slice(0, opt.top)
        .map((a) => [
          a.key,
          a.org,
          a.verdict,
          score(a.score),
          a.requests,
          a.campaign ?? '',
          topReason(a.reasons, opt.reasonWidth),
        ]),
    ),
  );
  const reasons = new Map<string, number>();
  for (const a of f.accounts) {
    if (a.verdict === 'benign') continue;
    for (const r of a.reasons) reasons.set(r.signal, (reasons.get(r.signal) ?? 0) + 1);
  }
  if (reasons.size > 0) {
    out.push('', 'Reasons on flagged accounts');
    out.push(table(['signal', 'accounts'], [...reasons].sort((a, b) => b[1] - a[1]).slice(0, opt.top * 2)));
  }
  return out.join('\n');
}
