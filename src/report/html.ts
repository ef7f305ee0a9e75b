/**
 * @module report/html
 * A simple self-contained HTML page of a findings document (`analyze --report`): verdict
 * counts, campaigns with their reasons, and flagged accounts. No scripts, no network; every
 * value is HTML-escaped. The full evidence report comes later.
 */
import { MISSING_HEADING, missingEvidence } from './coverage.js';
import type { AccountFinding, CampaignFinding, Findings, Reason } from './findings.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1d232a}table{border-collapse:collapse;margin:.5rem 0 1.5rem;width:100%}
th,td{border-bottom:1px solid #dde2e6;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f3f5f7}
.distillation{color:#b3261e;font-weight:600}.suspicious{color:#a05a00;font-weight:600}.benign{color:#2e7d32}
ul{margin:0;padding-left:1.1rem}small{color:#5f6b76}code{font-size:12px}`;

const reasonsList = (rs: Reason[]) =>
  `<ul>${rs
    .slice(0, 6)
    .map(
      (r) => `<li><code>${escapeHtml(r.signal)}</code> ${r.score.toFixed(2)} — ${escapeHtml(r.detail)}</li>`,
    )
    .join('')}</ul>`;

const verdict = (v: string) => `<span class="${escapeHtml(v)}">${escapeHtml(v)}</span>`;

function campaignRows(cs: CampaignFinding[]): string {
  return cs
    .map(
      (c) =>
        `<tr><td><code>${escapeHtml(c.id)}</code></td><td>${verdict(c.verdict)}</td><td>${c.score.toFixed(2)}</td><td>${c.keys.length}</td>` +
        `<td>${c.requests}</td><td>${c.output_tokens}</td><td>${escapeHtml(c.first_flagged_at ?? '')}</td><td>${reasonsList(c.reasons)}</td></tr>`,
    )
    .join('');
}

function accountRows(as: AccountFinding[]): string {
  return as
    .map(
      (a) =>
        `<tr><td><code>${escapeHtml(a.key)}</code><br><small>${escapeHtml(a.org)}</small></td><td>${verdict(a.verdict)}</td><td>${a.score.toFixed(2)}</td>` +
        `<td>${a.requests}</td><td>${a.output_tokens}</td><td>${escapeHtml(a.campaign ?? '')}</td><td>${escapeHtml(a.first_flagged_at ?? '')}</td><td>${reasonsList(a.reasons)}</td></tr>`,
    )
    .join('');
}

/** The kinds of evidence most lines lacked (report/coverage.ts), or nothing. */
function missingHtml(f: Findings): string {
  const cut =
    f.input.read_error !== undefined
      ? `<p><strong>The input ended early (${escapeHtml(f.input.read_error)}): these findings cover only the lines read.</strong></p>\n`
      : '';
  const missing = missingEvidence(f.input);
  if (missing.length === 0) return cut;
  return `${cut}<p>${MISSING_HEADING}</p><ul>${missing.map((m) => `<li>${escapeHtml(m)}</li>`).join('')}</ul>\n`;
}

export function renderFindingsHtml(f: Findings, title = 'distillguard findings'): string {
  const flagged = f.accounts.filter((a) => a.verdict !== 'benign').sort((a, b) => b.score - a.score);
  const counts = { distillation: 0, suspicious: 0, benign: 0 };
  for (const a of f.accounts) counts[a.verdict]++;
  const campaigns = [...f.campaigns].sort((a, b) => b.score - a.score);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title><style>${CSS}</style></head><body>
<h1>${escapeHtml(title)}</h1>
<p>Generated ${escapeHtml(f.generated_at)} from ${f.input.lines} lines (${f.input.bad_lines} bad). ${f.accounts.length} keys:
${verdict('distillation')} ${counts.distillation}, ${verdict('suspicious')} ${counts.suspicious}, ${verdict('benign')} ${counts.benign}.
${f.engine ? `Engine ${escapeHtml(f.engine.version)}.` : ''}</p>
${missingHtml(f)}<h2>Campaigns (${campaigns.length})</h2>
<table><tr><th>id</th><th>verdict</th><th>score</th><th>keys</th><th>requests</th><th>output tokens</th><th>first flagged</th><th>reasons</th></tr>${campaignRows(campaigns)}</table>
<h2>Flagged accounts (${flagged.length})</h2>
<table><tr><th>key</th><th>verdict</th><th>score</th><th>requests</th><th>output tokens</th><th>campaign</th><th>first flagged</th><th>reasons</th></tr>${accountRows(flagged)}</table>
${
  (f.input.bad_line_samples ?? []).length > 0
    ? `<h2>Bad lines</h2><ul>${(f.input.bad_line_samples ?? []).map((s) => `<li>line ${s.line}: ${escapeHtml(s.error)}</li>`).join('')}</ul>`
    : ''
}
</body></html>
`;
}
