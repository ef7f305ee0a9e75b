/**
 * @module web/components/Notice
 * Loading, error and empty states, announced to screen readers.
 */
import type { ReactNode } from 'react';
import { ApiError } from '../api/client.js';

/** Plain words for the admin API's "no findings" answers (503). */
const FRIENDLY: Record<string, string> = {
  detection_unavailable:
    'Detection is not running on this gateway, so there are no findings (campaigns, scores) to show.',
  findings_not_ready: 'Detection is running but has not produced its first findings yet. Try again shortly.',
};

export function Loading({ what }: { what: string }) {
  return (
    <p className="notice" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorNotice({ error, retry }: { error: Error; retry?: () => void }) {
  const friendly = error instanceof ApiError ? FRIENDLY[error.code] : undefined;
  return (
    <div
      className={friendly ? 'notice notice-info' : 'notice notice-error'}
      role={friendly ? 'status' : 'alert'}
    >
      <p>{friendly ?? `Could not load: ${error.message}`}</p>
      {retry ? (
        <button type="button" className="btn" onClick={retry}>
          Retry
        </button>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="notice muted">{children}</p>;
}
