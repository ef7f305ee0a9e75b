/**
 * @module web/pages/SignIn
 * Sign-in with the admin token. The token goes once, in a POST body, to
 * `/dashboard/api/session`, which answers with an HttpOnly session cookie; the page keeps no copy.
 */
import { type FormEvent, useState } from 'react';
import { ApiError } from '../api/client.js';
import { signIn } from '../api/endpoints.js';

export function SignIn({ onSignedIn, notice }: { onSignedIn: () => void; notice: string | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const input = form.elements.namedItem('token') as HTMLInputElement;
    setBusy(true);
    setError(null);
    try {
      await signIn(input.value);
      input.value = '';
      onSignedIn();
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? 'That admin token is not valid.'
          : err instanceof Error
            ? err.message
            : String(err),
      );
      setBusy(false);
      input.focus();
    }
  };

  return (
    <main id="main" className="signin">
      <form className="signin-card" method="post" action="#" onSubmit={submit} aria-describedby="signin-help">
        <h1>
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          distillguard
        </h1>
        <p id="signin-help" className="muted">
          Sign in with the gateway's admin token. It is exchanged for a session cookie and is not kept by this
          page.
        </p>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <label className="field">
          <span>Admin token</span>
          <input name="token" type="password" autoComplete="current-password" required spellCheck={false} />
        </label>
        {error ? (
          <p className="form-error" role="alert">
            {error}
          </p>
        ) : null}
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
