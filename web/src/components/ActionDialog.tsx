/**
 * @module web/components/ActionDialog
 * Confirmation for an enforcement action: a modal <dialog> (focus is kept inside, Escape
 * cancels) that states what will happen to whom and requires a reason before confirming.
 */
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { Action } from '../api/types.js';

export type UiAction = Action | 'undo';

export const ACTION_TEXT: Record<
  UiAction,
  { label: string; verb: string; effect: string; danger?: boolean }
> = {
  flag: { label: 'Flag', verb: 'Flag', effect: 'Marked for review; traffic is not affected.' },
  throttle: {
    label: 'Throttle',
    verb: 'Throttle',
    effect: 'Rate limits are multiplied by the factor below.',
  },
  verify: {
    label: 'Require verification',
    verb: 'Require verification for',
    effect: 'Requests are refused until the customer completes verification.',
  },
  block: {
    label: 'Block',
    verb: 'Block',
    effect: 'The gateway refuses every request at once.',
    danger: true,
  },
  allow: {
    label: 'Allow',
    verb: 'Allow',
    effect: 'Overrides the engine: no automatic flag, throttle or block.',
  },
  observe: { label: 'Observe', verb: 'Observe', effect: 'Only records; no enforcement.' },
  undo: {
    label: 'Undo',
    verb: 'Undo the last action on',
    effect: 'Returns to observation (no enforcement). The engine may act again later.',
  },
};

export interface ActionChoice {
  reason: string;
  /** For throttle: factor applied to the limits (0 < f < 1). */
  throttleFactor?: number;
  /** Epoch ms after which the action lapses; absent = until changed. */
  expiresAt?: number;
}

/** Durations offered for an action; 0 = until changed. */
export const DURATIONS: ReadonlyArray<{ label: string; ms: number }> = [
  { label: 'Until changed', ms: 0 },
  { label: '1 hour', ms: 3_600_000 },
  { label: '24 hours', ms: 86_400_000 },
  { label: '7 days', ms: 7 * 86_400_000 },
  { label: '30 days', ms: 30 * 86_400_000 },
];

export interface ActionDialogProps {
  action: UiAction;
  /** What the action applies to, e.g. "key k_123" or "all 40 keys of campaign c_1". */
  target: string;
  onCancel: () => void;
  /** Resolves when done; a thrown error is shown in the dialog. */
  onConfirm: (choice: ActionChoice) => Promise<void>;
  progress?: string | null;
}

export function ActionDialog(props: ActionDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const [reason, setReason] = useState('');
  const [factor, setFactor] = useState('0.5');
  const [duration, setDuration] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const titleId = useId();
  const descId = useId();
  const text = ACTION_TEXT[props.action];

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    // The reason is the dialog's first task (showModal focuses the first control otherwise).
    reasonRef.current?.focus();
    return () => d?.close();
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (reason.trim().length < 3) {
      setError('Give a reason (at least 3 characters): it goes into the audit trail.');
      return;
    }
    const f = Number(factor);
    if (props.action === 'throttle' && !(f > 0 && f < 1)) {
      setError('The throttle factor must be between 0 and 1, e.g. 0.5 halves the limits.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await props.onConfirm({
        reason: reason.trim(),
        ...(props.action === 'throttle' ? { throttleFactor: f } : {}),
        ...(duration > 0 && props.action !== 'undo' ? { expiresAt: Date.now() + duration } : {}),
      });
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={titleId}
      aria-describedby={descId}
      onCancel={(e) => {
        e.preventDefault();
        if (!busy) props.onCancel();
      }}
    >
      <form onSubmit={submit} noValidate>
        <h2 id={titleId}>
          {text.verb} {props.target}?
        </h2>
        <p id={descId}>{text.effect}</p>
        {props.action === 'throttle' ? (
          <label className="field">
            <span>Throttle factor (0–1)</span>
            <input
              type="number"
              min="0.05"
              max="0.95"
              step="0.05"
              value={factor}
              onChange={(e) => setFactor(e.target.value)}
            />
          </label>
        ) : null}
        {props.action !== 'undo' ? (
          <label className="field">
            <span>Duration</span>
            <select value={duration} onChange={(e) => setDuration(Number(e.target.value))}>
              {DURATIONS.map((d) => (
                <option key={d.ms} value={d.ms}>
                  {d.label}
                </option>
              ))}
            </select>
          </label>
        ) : null}
        <label className="field">
          <span>
            Reason <span className="muted">(required, recorded in the audit trail)</span>
          </span>
          <textarea
            name="reason"
            required
            aria-required="true"
            aria-invalid={error !== null && reason.trim().length < 3}
            minLength={3}
            rows={3}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              if (error && e.target.value.trim().length >= 3) setError(null);
            }}
            ref={reasonRef}
          />
        </label>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        {props.progress ? (
          <p className="muted" role="status">
            {props.progress}
          </p>
        ) : null}
        <div className="dialog-buttons">
          <button type="button" className="btn" onClick={props.onCancel} disabled={busy}>
            Cancel
          </button>
          <button
            type="submit"
            className={text.danger ? 'btn btn-danger' : 'btn btn-primary'}
            disabled={busy}
          >
            {busy ? 'Working…' : `Confirm: ${text.label.toLowerCase()}`}
          </button>
        </div>
      </form>
    </dialog>
  );
}
