/**
 * @module report/evidence-view
 * One shape for the subject of an evidence report, whether it is a campaign or an account:
 * identity, verdict, score, volumes, event-time range and reasons split into signals and links.
 */
import type { EvidenceInput } from './evidence-input.js';
import type { CampaignFinding, Reason, Verdict } from './findings.js';

export interface SubjectView {
  kind: 'campaign' | 'account';
  id: string;
  verdict: Verdict;
  score: number;
  requests: number;
  outputTokens: number;
  inputTokens: number | null;
  keys: string[];
  orgs: string[];
  firstSeenAt: string | null;
  lastSeenAt: string | null;
  firstFlaggedAt: string | null;
  reasons: Reason[];
  /** The campaign the subject is (or belongs to), if any. */
  campaign: CampaignFinding | null;
}

export const isLink = (r: Reason) => r.signal.startsWith('link.');

export function subjectView(input: EvidenceInput): SubjectView {
  const s = input.subject;
  if (s.kind === 'campaign') {
    const c = s.campaign;
    return {
      kind: 'campaign',
      id: c.id,
      verdict: c.verdict,
      score: c.score,
      requests: c.requests,
      outputTokens: c.output_tokens,
      inputTokens: null,
      keys: c.keys,
      orgs: c.orgs ?? [...new Set(s.members.map((m) => m.org))].sort(),
      firstSeenAt: c.first_seen_at ?? null,
      lastSeenAt: c.last_seen_at ?? null,
      firstFlaggedAt: c.first_flagged_at ?? null,
      reasons: c.reasons,
      campaign: c,
    };
  }
  const a = s.account;
  const stored = input.keys.find((k) => k.key === a.key);
  return {
    kind: 'account',
    id: a.key,
    verdict: a.verdict,
    score: a.score,
    requests: a.requests,
    outputTokens: a.output_tokens,
    inputTokens: a.input_tokens ?? null,
    keys: [a.key],
    orgs: [a.org],
    firstSeenAt: stored ? new Date(stored.firstTs).toISOString() : null,
    lastSeenAt: stored ? new Date(stored.lastTs).toISOString() : null,
    firstFlaggedAt: a.first_flagged_at,
    reasons: a.reasons,
    campaign: s.campaign,
  };
}

/** The linking evidence: the campaign's link reasons (an account shows its campaign's). */
export function linkReasons(view: SubjectView): Reason[] {
  return (view.campaign?.reasons ?? []).filter(isLink);
}
