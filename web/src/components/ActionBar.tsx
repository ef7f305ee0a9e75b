/**
 * @module web/components/ActionBar
 * The enforcement buttons (flag, throttle, require verification, block, allow, undo) for one
 * key or for every member of a campaign. Each opens the confirmation dialog and posts to
 * `/admin/actions`; bulk actions run a few at a time and report failures by key. The outcome is
 * shown under the buttons.
 */
import { useState } from 'react';
import { type ActionRequest, postAction } from '../api/endpoints.js';
import { ACTION_TEXT, type ActionChoice, ActionDialog, type UiAction } from './ActionDialog.js';

export interface ActionTarget {
  scope: 'key' | 'org';
  id: string;
}

export interface ActionBarProps {
  targets: readonly ActionTarget[];
  /** Shown in the dialog title, e.g. "key k_1" or "all 40 keys of campaign c_1". */
  targetLabel: string;
  /** Prefixed to the reason in the audit trail, e.g. "campaign c_1". */
  context?: string;
  /** Called after an action was applied (to at least one target), e.g. to reload the page's data. */
  onDone: () => void;
}

const ORDER: readonly UiAction[] = ['flag', 'throttle', 'verify', 'block', 'allow', 'undo'];
const CONCURRENCY = 6;

export async function runActions(
  requests: readonly ActionRequest[],
  onProgress: (done: number) => void,
): Promise<Array<{ id: string; error: string }>> {
  const failures: Array<{ id: string; error: string }> = [];
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < requests.length) {
      const req = requests[next++]!;
      try {
        await postAction(req);
      } catch (e) {
        failures.push({ id: req.id, error: e instanceof Error ? e.message : String(e) });
      }
      onProgress(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, requests.length) }, worker));
  return failures;
}

export function ActionBar(props: ActionBarProps) {
  const [pending, setPending] = useState<UiAction | null>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<string | null>(null);

  const confirm = async (action: UiAction, choice: ActionChoice) => {
    const full = props.context ? `${props.context}: ${choice.reason}` : choice.reason;
    const requests: ActionRequest[] = props.targets.map((t) => ({
      scope: t.scope,
      id: t.id,
      action: action === 'undo' ? 'observe' : action,
      reason: action === 'undo' ? `undo: ${full}` : full,
      ...(choice.throttleFactor !== undefined ? { throttle_factor: choice.throttleFactor } : {}),
      ...(choice.expiresAt !== undefined ? { expires_at: choice.expiresAt } : {}),
    }));
    const total = requests.length;
    const failures = await runActions(
      requests,
      (done) => total > 1 && setProgress(`${done} of ${total} done`),
    );
    setProgress(null);
    if (failures.length === total) throw new Error(failures[0]?.error ?? 'The action failed.');
    setPending(null);
    const label = ACTION_TEXT[action].label.toLowerCase();
    setOutcome(
      failures.length === 0
        ? `Done: ${label} applied to ${props.targetLabel}.`
        : `${label} applied to ${total - failures.length} of ${total}; failed for ${failures.map((f) => f.id).join(', ')}.`,
    );
    props.onDone();
  };

  return (
    <>
      <div className="action-bar">
        <fieldset className="action-buttons" disabled={props.targets.length === 0}>
          <legend className="visually-hidden">Actions on {props.targetLabel}</legend>
          {ORDER.map((a) => (
            <button
              key={a}
              type="button"
              className={ACTION_TEXT[a].danger ? 'btn btn-danger' : 'btn'}
              onClick={() => setPending(a)}
              title={ACTION_TEXT[a].effect}
            >
              {ACTION_TEXT[a].label}
            </button>
          ))}
        </fieldset>
        {pending ? (
          <ActionDialog
            action={pending}
            target={props.targetLabel}
            progress={progress}
            onCancel={() => setPending(null)}
            onConfirm={(choice) => confirm(pending, choice)}
          />
        ) : null}
      </div>
      {outcome ? (
        <p className="notice notice-ok" role="status">
          {outcome}
        </p>
      ) : null}
    </>
  );
}
