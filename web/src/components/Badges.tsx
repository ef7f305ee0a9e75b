/**
 * @module web/components/Badges
 * Verdict badge and score bar: colour plus text, so meaning never rests on colour alone.
 */

import type { Verdict } from '../api/types.js';
import { score as fmtScore } from '../lib/format.js';

export function VerdictBadge({ verdict }: { verdict: Verdict | null }) {
  const v = verdict ?? 'unknown';
  return <span className={`badge badge-${v}`}>{v}</span>;
}

export function ActionBadge({ action, shadow }: { action: string | null; shadow?: boolean }) {
  if (!action) return <span className="muted">none</span>;
  return (
    <span className={`badge badge-action badge-action-${action}`}>
      {action}
      {shadow ? ' (shadow)' : ''}
    </span>
  );
}

export function ScoreBar({ value }: { value: number | null }) {
  if (value === null) return <span className="muted">—</span>;
  const pct = Math.round(Math.max(0, Math.min(1, value)) * 100);
  const level = value >= 0.8 ? 'high' : value >= 0.5 ? 'mid' : 'low';
  return (
    <span className="score">
      <span className="score-track" aria-hidden="true">
        <span className={`score-fill score-${level}`} style={{ width: `${pct}%` }} />
      </span>
      <span className="score-num">{fmtScore(value)}</span>
    </span>
  );
}
