/**
 * @module report/sections-evidence
 * The evidence itself: each signal with its numbers, the linking evidence, sample prompt
 * skeletons (raw prompts only when stored and requested) and how the score was reached.
 */
import { GENERIC } from '../detect/scoring.js';
import type { EvidenceInput, EvidenceOptions } from './evidence-input.js';
import { isLink, linkReasons, type SubjectView } from './evidence-view.js';
import type { Reason } from './findings.js';
import { fixed, num, signed, verdictBadge } from './format.js';
import { html, type Markup } from './markup.js';
import type { ScoreExplanation } from './score-explain.js';

function reasonsTable(reasons: readonly Reason[]): Markup {
  return html`<table><thead><tr><th>Signal</th><th class="num">Score (0–1)</th><th>What was measured</th></tr></thead><tbody>${reasons.map(
    (r) =>
      html`<tr><td><code>${r.signal}</code></td><td class="num">${fixed(r.score)}</td><td>${r.detail}</td></tr>`,
  )}</tbody></table>`;
}

export function signalsSection(v: SubjectView): Markup {
  const signals = v.reasons.filter((r) => !isLink(r));
  const scope =
    v.kind === 'campaign'
      ? 'Signals are computed on the combined traffic of all member keys, as if one client sent it.'
      : "Signals are computed on this key's own traffic.";
  return html`<section id="signals"><h2>2. Signals</h2><p>${scope} Each score is in [0, 1]; the detail states the numbers behind it.</p>
${signals.length > 0 ? reasonsTable(signals) : html`<p>No signal reached 0.1: the engine found no evidence of harvesting in this traffic.</p>`}</section>`;
}

export function linksSection(v: SubjectView): Markup {
  const links = linkReasons(v);
  const c = v.campaign;
  let intro: Markup;
  if (v.kind === 'campaign')
    intro = html`<p>The engine links two keys when their combined evidence (noisy-OR of the kinds below, each weighted by how rare the shared item is across organizations) reaches the strong-edge threshold; a campaign is a connected group of strongly linked keys. ${num(v.keys.length)} keys in ${num(v.orgs.length)} organization(s) are linked here.</p>`;
  else if (c)
    intro = html`<p>This key is a member of campaign <code>${c.id}</code> (${num(c.keys.length)} keys, ${verdictBadge(c.verdict)}, score ${fixed(c.score)}). The campaign's linking evidence:</p>`;
  else intro = html`<p>The engine did not link this key to any other key: it is not part of a campaign.</p>`;
  return html`<section id="links"><h2>3. Linking evidence</h2>${intro}${links.length > 0 ? reasonsTable(links) : c ? html`<p>The findings list no linking reasons for the campaign.</p>` : html``}</section>`;
}

function sampleRows(input: EvidenceInput, showRaw: boolean): Markup {
  const total = input.coverage.scanned;
  return html`<table><thead><tr><th>#</th><th>Skeleton / frame hash</th><th class="num">Requests</th><th class="num">Keys</th><th>Domain</th><th>Flags</th><th>Skeleton</th></tr></thead><tbody>${input.samples.map(
    (s, i) => {
      const flags = [s.cot ? 'CoT' : '', s.grading ? 'grading' : ''].filter(Boolean).join(', ') || '—';
      const row = html`<tr><td class="num">${i + 1}</td><td><code>${s.skeletonHash}</code><br><small><code>${s.frameHash}</code></small></td><td class="num">${num(s.count)}${total > 0 ? html`<br><small>${((100 * s.count) / total).toFixed(1)}%</small>` : html``}</td><td class="num">${num(s.keys)}</td><td>${s.domain}</td><td>${flags}</td><td>${s.skeleton === null ? html`<small>text not stored</small>` : html`<code>${s.skeleton}</code>`}</td></tr>`;
      if (!showRaw || s.raw === null) return row;
      return html`${row}<tr><td></td><td colspan="6"><small>Raw prompt (last user message), included on request:</small><pre>${s.raw}</pre></td></tr>`;
    },
  )}</tbody></table>`;
}

export function samplesSection(input: EvidenceInput, options: Required<EvidenceOptions>): Markup {
  const showRaw = options.includePrompts && input.promptsStored;
  let note: Markup;
  if (input.samples.length === 0)
    note = html`<p>No stored events, so no prompt skeletons are available for this report.</p>`;
  else if (!input.promptsStored)
    note = html`<p class="note">Prompt text is not stored (<code>store_prompts</code> is off): prompts are identified by the hash of their template skeleton only. Identical hashes mean identical templates.</p>`;
  else if (showRaw)
    note = html`<p class="note">Raw prompts are included because they were explicitly requested. Handle this report as containing customer data.</p>`;
  else
    note = html`<p>Skeletons replace numbers, names, quoted strings, URLs, e-mail addresses and code with placeholders (‹num›, ‹name›, …); raw prompts are not included${options.includePrompts ? '' : ' (they can be, on explicit request)'}.</p>`;
  const missing =
    options.includePrompts && !input.promptsStored && input.samples.length > 0
      ? html`<p>Raw prompts were requested, but none are stored.</p>`
      : html``;
  return html`<section id="samples"><h2>4. Sample prompt skeletons</h2><p>The most frequent prompt templates among the events read (last user message of each request).</p>${note}${missing}${input.samples.length > 0 ? sampleRows(input, showRaw) : html``}</section>`;
}

function termRows(x: ScoreExplanation): Markup {
  return html`${x.terms.map((t) => {
    const why =
      t.kind === 'link'
        ? 'linking evidence: not a weighted term (it forms the campaign and feeds the coordination signal)'
        : t.kind === 'campaign'
          ? "campaign membership: the key took its campaign's score"
          : t.kind === 'unknown'
            ? 'not in the weight table of this engine config'
            : '';
    return html`<tr><td><code>${t.signal}</code></td><td class="num">${fixed(t.score, 3)}</td><td class="num">${t.weight === null ? '—' : fixed(t.weight, 2)}</td><td class="num">${t.weight === null ? '—' : fixed(t.gate, 3)}</td><td class="num">${t.contribution === null ? '—' : signed(t.contribution)}</td><td>${why}</td></tr>`;
  })}`;
}

export function scoreSection(v: SubjectView, x: ScoreExplanation): Markup {
  const inherited = x.inherited
    ? html`<p class="note">This key's own score was lower than its campaign's; as a strongly linked member it took the campaign's score (${fixed(v.campaign?.score ?? v.score, 3)}). The terms below are the key's own listed signals.</p>`
    : html``;
  return html`<section id="score"><h2>5. How the score was reached</h2>
<p>The engine combines signal scores sᵢ in a logistic model with one weight wᵢ per signal (docs/detection.md):</p>
<pre>z = −bias + support · Σ wᵢ · gᵢ · sᵢ        score = 1 / (1 + e^(−z))
support = min(1, requests / ${fixed(x.minRequests, 0)}) = min(1, ${num(x.requests)} / ${fixed(x.minRequests, 0)}) = ${fixed(x.support, 3)}
gᵢ = ${fixed(x.intentFloor, 2)} + ${fixed(1 - x.intentFloor, 2)} · A for intent signals, A = strongest automation signal listed = ${fixed(x.automation, 3)} → ${fixed(x.intentGate, 3)}
gᵢ = ${fixed(x.intentFloor, 2)} + ${fixed(1 - x.intentFloor, 2)} · I for automation signals, I = strongest intent signal listed = ${fixed(x.intent, 3)} → ${fixed(x.automationGate, 3)}
gᵢ × ${fixed(x.genericFloor, 2)} + ${fixed(1 - x.genericFloor, 2)} · C for the generic intent signals (${[...GENERIC].join(', ')}), C = strongest corroborating signal listed = ${fixed(x.corroboration, 3)} → ${fixed(x.genericGate, 3)}
gᵢ = 1 for other signals (each half of the evidence counts in full only alongside the other)</pre>
${inherited}
<table><thead><tr><th>Reason</th><th class="num">sᵢ</th><th class="num">wᵢ</th><th class="num">gᵢ</th><th class="num">Contribution to z</th><th>Note</th></tr></thead><tbody>
<tr><td>bias</td><td></td><td></td><td></td><td class="num">−${fixed(x.bias, 3)}</td><td>score with no evidence: ${fixed(1 / (1 + Math.exp(x.bias)), 3)}</td></tr>
${termRows(x)}
<tr><th colspan="4">z from the listed reasons</th><th class="num">${signed(x.zListed)}</th><td>score ${fixed(x.scoreListed, 3)}</td></tr>
<tr><th colspan="4">z of the reported score ${fixed(x.reported, 3)}${x.reported >= 0.9995 ? ' (rounded: at least)' : ''}</th><th class="num">${signed(x.zReported)}</th><td>remainder ${signed(x.remainder)}: signals below 0.1 or beyond the listed reasons${x.inherited ? ', and the inherited campaign score' : ''}</td></tr>
</tbody></table>
<p>Verdict rules: <code>suspicious</code> at score ≥ ${fixed(x.thresholds.suspicious, 2)}, <code>distillation</code> at ≥ ${fixed(x.thresholds.distillation, 2)}. This ${v.kind}'s score ${fixed(x.reported, 3)} gives ${verdictBadge(x.verdict)}. Weights and thresholds are from ${x.configSource === 'findings' ? 'the engine configuration recorded in the findings' : 'the engine defaults of this build (the findings carry no engine configuration)'}.</p></section>`;
}
