/**
 * @module report/sections-facts
 * The evidence report's opening and its facts: the summary, volumes and event-time ranges (from
 * the findings and from the store), the activity charts, the traffic profile and, for a
 * campaign, its member keys.
 */
import { barChart } from './charts.js';
import type { EvidenceInput, EvidenceOptions, KeyFacts } from './evidence-input.js';
import type { SubjectView } from './evidence-view.js';
import { fixed, isoMs, isoOr, num, pct, shortIso, span, tallyTable, verdictBadge } from './format.js';
import { html, type Markup } from './markup.js';

export function headerSection(input: EvidenceInput, v: SubjectView): Markup {
  const what = v.kind === 'campaign' ? `campaign ${v.id}` : `account (key) ${v.id}`;
  const range =
    v.firstSeenAt && v.lastSeenAt
      ? `${shortIso(v.firstSeenAt)} → ${shortIso(v.lastSeenAt)}`
      : 'not recorded in the findings';
  return html`<header><h1>Evidence report: ${what}</h1>
<p class="muted">Findings generated at ${input.findingsGeneratedAt} (engine event time) from ${input.findingsSource}; report created ${input.createdAt}; engine ${input.engine?.version ?? 'version not recorded'}.</p>
<div class="summary">
<div>Verdict<b>${verdictBadge(v.verdict)}</b></div>
<div>Score<b>${fixed(v.score)}</b></div>
<div>Requests<b>${num(v.requests)}</b></div>
<div>Output tokens<b>${num(v.outputTokens)}</b></div>
<div>${v.kind === 'campaign' ? 'Member keys' : 'Organization'}<b>${v.kind === 'campaign' ? num(v.keys.length) : (v.orgs[0] ?? '—')}</b></div>
<div>${v.kind === 'campaign' ? 'Organizations' : 'Campaign'}<b>${v.kind === 'campaign' ? num(v.orgs.length) : (v.campaign?.id ?? 'none')}</b></div>
<div>First flagged<b class="time">${v.firstFlaggedAt ? shortIso(v.firstFlaggedAt) : 'never'}</b></div>
<div>Event-time range<b class="time">${range}</b></div>
</div></header>`;
}

function storedTotals(keys: readonly KeyFacts[]) {
  const t = { requests: 0, input: 0, output: 0, errors: 0, limited: 0, first: Infinity, last: -Infinity };
  for (const k of keys) {
    t.requests += k.requests;
    t.input += k.inputTokens;
    t.output += k.outputTokens;
    t.errors += k.errors;
    t.limited += k.limited;
    t.first = Math.min(t.first, k.firstTs);
    t.last = Math.max(t.last, k.lastTs);
  }
  return t;
}

function volumesTable(input: EvidenceInput, v: SubjectView): Markup {
  const t = storedTotals(input.keys);
  const storedRow =
    input.keys.length > 0
      ? html`<tr><td>Stored events (${num(input.keys.length)} of ${num(v.keys.length)} keys)</td><td class="num">${num(t.requests)}</td><td class="num">${num(t.input)}</td><td class="num">${num(t.output)}</td><td>${isoMs(t.first)}</td><td>${isoMs(t.last)}</td><td>${span(t.first, t.last)}</td></tr>`
      : html`<tr><td>Stored events</td><td colspan="6">The store holds no events for ${v.kind === 'campaign' ? 'these keys' : 'this key'} (for example, findings from a log analysed without a gateway).</td></tr>`;
  const fFirst = v.firstSeenAt ? Date.parse(v.firstSeenAt) : null;
  const fLast = v.lastSeenAt ? Date.parse(v.lastSeenAt) : null;
  return html`<table><thead><tr><th>Source</th><th class="num">Requests</th><th class="num">Input tokens</th><th class="num">Output tokens</th><th>First event</th><th>Last event</th><th>Span</th></tr></thead><tbody>
<tr><td>Engine findings</td><td class="num">${num(v.requests)}</td><td class="num">${v.inputTokens === null ? '—' : num(v.inputTokens)}</td><td class="num">${num(v.outputTokens)}</td><td>${isoOr(v.firstSeenAt)}</td><td>${isoOr(v.lastSeenAt)}</td><td>${fFirst !== null && fLast !== null ? span(fFirst, fLast) : '—'}</td></tr>
${storedRow}</tbody></table>
${input.keys.length > 0 ? html`<p>Stored requests refused or failed: ${num(t.errors)} errors, ${num(t.limited)} refused by a limit. Output/input token ratio: ${t.input > 0 ? `${fixed(t.output / t.input, 1)}×` : '—'}.</p>` : html``}`;
}

function activityBlock(input: EvidenceInput): Markup {
  const a = input.activity;
  if (!a) return html`<p>No stored events to chart.</p>`;
  const c = input.coverage;
  const partial =
    c.scanned < c.stored
      ? html`<p class="note">The charts, traffic profile and samples cover the ${num(c.scanned)} most recent of ${num(c.stored)} stored events (${isoMs(c.firstScannedTs)} → ${isoMs(c.lastScannedTs)}); the read budget is ${num(c.maxEvents)} events per report.</p>`
      : html``;
  return html`<h3>Activity per ${a.unit} (UTC, event time)</h3>${partial}
${barChart(a, (b) => b.requests, 'Requests')}
${barChart(a, (b) => b.outputTokens, 'Output tokens')}`;
}

function trafficBlock(input: EvidenceInput): Markup {
  const t = input.traffic;
  if (!t) return html``;
  const n = input.coverage.scanned;
  return html`<h3>Traffic profile (${num(n)} events read)</h3>
<table><tbody>
<tr><th>Single-turn requests</th><td class="num">${num(t.singleTurn)}</td><td class="num">${pct(t.singleTurn, n)}</td></tr>
<tr><th>Chain-of-thought elicitation</th><td class="num">${num(t.cot)}</td><td class="num">${pct(t.cot, n)}</td></tr>
<tr><th>Grading / rubric prompts</th><td class="num">${num(t.grading)}</td><td class="num">${pct(t.grading, n)}</td></tr>
<tr><th>Requests with images</th><td class="num">${num(t.withImages)}</td><td class="num">${pct(t.withImages, n)}</td></tr>
<tr><th>Requests asking for logprobs</th><td class="num">${num(t.logprobs)}</td><td class="num">${pct(t.logprobs, n)}</td></tr>
<tr><th>Median max_tokens asked for</th><td class="num" colspan="2">${t.medianMaxTokens === null ? '—' : num(t.medianMaxTokens)}</td></tr>
<tr><th>Distinct IP addresses / client fingerprints</th><td class="num" colspan="2">${num(t.distinctIps)} / ${num(t.distinctFingerprints)}</td></tr>
</tbody></table>
${tallyTable('Model', t.models, n)}${tallyTable('Endpoint', t.endpoints, n)}${tallyTable('Network (/24 or /64)', t.subnets, n)}${tallyTable('User agent', t.userAgents, n)}`;
}

function membersBlock(input: EvidenceInput, options: Required<EvidenceOptions>): Markup {
  const s = input.subject;
  if (s.kind !== 'campaign') return html``;
  const byKey = new Map(s.members.map((m) => [m.key, m]));
  const shown = s.campaign.keys.slice(0, options.maxMembers);
  const rest = s.campaign.keys.length - shown.length;
  return html`<h3>Member keys (${num(s.campaign.keys.length)})</h3>
<table><thead><tr><th>Key</th><th>Org</th><th>Verdict</th><th class="num">Score</th><th class="num">Requests</th><th class="num">Output tokens</th><th>First flagged</th><th>Strongest reason</th></tr></thead><tbody>${shown.map(
    (key) => {
      const m = byKey.get(key);
      if (!m)
        return html`<tr><td><code>${key}</code></td><td colspan="7">No account finding for this key.</td></tr>`;
      const top = m.reasons.find((r) => r.signal !== 'campaign');
      return html`<tr><td><code>${m.key}</code></td><td><code>${m.org}</code></td><td>${verdictBadge(m.verdict)}</td><td class="num">${fixed(m.score)}</td><td class="num">${num(m.requests)}</td><td class="num">${num(m.output_tokens)}</td><td>${isoOr(m.first_flagged_at)}</td><td>${top ? html`<code>${top.signal}</code> ${fixed(top.score)}: ${top.detail}` : '—'}</td></tr>`;
    },
  )}</tbody></table>${rest > 0 ? html`<p>…and ${num(rest)} more keys, not listed.</p>` : html``}`;
}

export function factsSection(
  input: EvidenceInput,
  v: SubjectView,
  options: Required<EvidenceOptions>,
): Markup {
  return html`<section class="first" id="facts"><h2>1. Facts</h2>
<p>All times are event times (when each request arrived), in UTC. The engine's figures come from the findings; the store's from every stored request of ${v.kind === 'campaign' ? 'the member keys' : 'the key'}.</p>
${volumesTable(input, v)}${activityBlock(input)}${trafficBlock(input)}${membersBlock(input, options)}</section>`;
}
