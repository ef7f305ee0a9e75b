/**
 * @module report/sections-record
 * The record around the evidence: decisions and audit trail, the engine's version and
 * configuration, and the plain statement of what this evidence does not show.
 */
import type { EvidenceInput } from './evidence-input.js';
import type { SubjectView } from './evidence-view.js';
import { isoMs, num } from './format.js';
import { html, type Markup } from './markup.js';
import type { ScoreExplanation } from './score-explain.js';

export function decisionsSection(input: EvidenceInput): Markup {
  const d = input.decisions;
  const a = input.audit;
  const decisions =
    d.length === 0
      ? html`<p>No decisions recorded.</p>`
      : html`<table><thead><tr><th>Decided at</th><th>Subject</th><th>Action</th><th>Source</th><th>Mode</th><th>Reasons</th><th>Expires</th></tr></thead><tbody>${d.map(
          (x) =>
            html`<tr><td>${isoMs(x.createdAt)}</td><td>${x.subject.scope} <code>${x.subject.id}</code></td><td>${x.action}${x.throttleFactor ? ` ×${x.throttleFactor}` : ''}</td><td>${x.source}</td><td>${x.shadow ? 'shadow (not enforced)' : 'enforced'}</td><td>${x.reasons.join('; ')}</td><td>${isoMs(x.expiresAt)}</td></tr>`,
        )}</tbody></table>`;
  const audit =
    a.length === 0
      ? html`<p>No audit entries.</p>`
      : html`<table><thead><tr><th>When</th><th>Actor</th><th>Subject</th><th>Action</th><th>Before</th><th>Reason</th></tr></thead><tbody>${a.map(
          (x) =>
            html`<tr><td>${isoMs(x.ts)}</td><td>${x.actor}</td><td>${x.subject.scope} <code>${x.subject.id}</code></td><td>${x.action}</td><td>${x.previousAction ?? '—'}</td><td>${x.reason}</td></tr>`,
        )}</tbody></table>`;
  return html`<section id="decisions"><h2>6. Decisions and audit trail</h2><p>Times here are wall-clock times of the decisions.</p><h3>Decisions (${num(d.length)})</h3>${decisions}<h3>Audit trail (${num(a.length)})</h3>${audit}</section>`;
}

export function engineSection(input: EvidenceInput, x: ScoreExplanation): Markup {
  const e = input.engine;
  const config = e
    ? html`<pre>${JSON.stringify(e.config, null, 2)}</pre>`
    : html`<p>The findings do not record the engine configuration.</p>`;
  return html`<section id="engine"><h2>7. Engine version and configuration</h2>
<p>Engine version: <code>${e?.version ?? 'not recorded'}</code>. The score explanation used ${x.configSource === 'findings' ? 'this configuration' : "this build's defaults"}.</p>${config}</section>`;
}

export function limitsSection(input: EvidenceInput, v: SubjectView, x: ScoreExplanation): Markup {
  const c = input.coverage;
  const items: Markup[] = [
    html`<li><b>Intent.</b> The scores describe patterns in traffic (volumes, templates, timing, parameters). They do not show why the requests were made. Evaluation suites, batch jobs, research and product features can produce similar patterns.</li>`,
    html`<li><b>Identity.</b> Keys, organizations, IP networks and client fingerprints do not identify the people behind them. Shared infrastructure (NAT, cloud egress, VPNs, common SDKs) can make unrelated keys look alike, and one person can hold keys that look unrelated.</li>`,
    html`<li><b>Use of outputs.</b> The report shows what was requested and how much was returned. It does not show that any output was stored, used to train a model, or shared.</li>`,
  ];
  if (v.verdict === 'benign')
    items.push(
      html`<li><b>No flag.</b> The engine's verdict is <code>benign</code>: it did not find enough evidence to flag this ${v.kind}.</li>`,
    );
  if (v.kind === 'account' && !v.campaign)
    items.push(
      html`<li><b>Links.</b> The key is not linked to other keys. That does not show it is unrelated to them, only that the evidence did not reach the linking threshold.</li>`,
    );
  items.push(
    html`<li><b>Signals that were absent.</b> These signals are not among the listed reasons (they scored below 0.1, or were outside the top reasons): ${x.absent.length > 0 ? x.absent.join(', ') : 'none'}.</li>`,
  );
  const sampling =
    c.stored === 0
      ? 'No stored events were available: the activity, traffic profile and prompt samples are missing, and the facts come from the findings alone.'
      : c.scanned < c.stored
        ? `The activity chart, traffic profile and prompt samples come from the ${num(c.scanned)} most recent of ${num(c.stored)} stored events; older events are counted in the totals but not examined.`
        : `The activity chart, traffic profile and prompt samples come from all ${num(c.stored)} stored events.`;
  items.push(
    html`<li><b>Sampling.</b> ${sampling} The engine itself keeps bounded sketches (HyperLogLog counts, top-k lists, MinHash samples), so counts in the signal details are estimates. Traffic this gateway did not see, or that was not stored, is not included.</li>`,
    html`<li><b>Prompts.</b> ${input.promptsStored ? 'Prompt text is stored for some or all events; samples show template skeletons, not complete conversations, and never the model outputs.' : 'Prompt text is not stored, so this report cannot show what was asked, only which templates repeated.'}</li>`,
    html`<li><b>Score reconstruction.</b> Section 5 rebuilds the score from the listed reasons only; the remainder of ${x.remainder.toFixed(3)} in z comes from signals that are not listed. Findings are a snapshot at ${input.findingsGeneratedAt}; later traffic may change them.</li>`,
  );
  return html`<section id="limits"><h2>8. What this evidence does not show</h2><ul class="limits">${items}</ul></section>`;
}
