/**
 * @module web/components/ReasonList
 * The signals behind a score: name, strength and the engine's explanation with its numbers.
 */
import type { Reason } from '../api/types.js';
import { ScoreBar } from './Badges.js';

export function signalName(signal: string): string {
  return signal.replace(/^link[._]/, 'link: ').replace(/_/g, ' ');
}

export function ReasonList({ reasons, limit }: { reasons: readonly Reason[]; limit?: number }) {
  if (reasons.length === 0) return <p className="muted">No signal fired.</p>;
  const shown = [...reasons].sort((a, b) => b.score - a.score).slice(0, limit ?? reasons.length);
  return (
    <ul className="reasons">
      {shown.map((r) => (
        <li key={`${r.signal}:${r.detail}`}>
          <div className="reason-head">
            <span className="reason-name">{signalName(r.signal)}</span>
            <ScoreBar value={r.score} />
          </div>
          {r.detail && r.detail !== r.signal ? <p className="reason-detail">{r.detail}</p> : null}
        </li>
      ))}
    </ul>
  );
}
