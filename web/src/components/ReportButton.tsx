/**
 * @module web/components/ReportButton
 * Downloads the self-contained evidence report for a campaign or an account, or says plainly
 * why it cannot (for example a gateway that does not serve reports answers 404).
 */
import { useState } from 'react';
import { fetchReport } from '../api/endpoints.js';

export function ReportButton({ kind, id }: { kind: 'campaigns' | 'accounts'; id: string }) {
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setMessage(null);
    const result = await fetchReport(kind, id);
    setBusy(false);
    if (!result.ok) {
      setMessage(result.message);
      return;
    }
    const url = URL.createObjectURL(result.blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = result.filename;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
    setMessage(`Downloaded ${result.filename}.`);
  };

  return (
    <div className="report-button">
      <button type="button" className="btn" onClick={download} disabled={busy}>
        {busy ? 'Preparing report…' : 'Download evidence report'}
      </button>
      <span className="report-message" role="status" aria-live="polite">
        {message}
      </span>
    </div>
  );
}
