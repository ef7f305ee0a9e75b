/**
 * @module dashboard/guard
 * Brute-force guard for the sign-in endpoint: counts failed attempts per client address in a
 * fixed window and refuses further attempts once the budget is spent.
 */

export interface SignInGuardOptions {
  /** Failed attempts allowed per address per window. */
  maxFailures?: number;
  windowMs?: number;
  now?: () => number;
}

export const SIGN_IN_GUARD_DEFAULTS = {
  maxFailures: 10,
  windowMs: 60_000,
  now: Date.now,
} satisfies Required<SignInGuardOptions>;

/** Most addresses tracked; beyond it the table is cleared (fails open, never grows without bound). */
const MAX_TRACKED = 10_000;

export class SignInGuard {
  readonly #failures = new Map<string, { count: number; resetAt: number }>();
  readonly #opts: Required<SignInGuardOptions>;

  constructor(options: SignInGuardOptions = {}) {
    this.#opts = { ...SIGN_IN_GUARD_DEFAULTS, ...options };
  }

  blocked(address: string): boolean {
    const entry = this.#failures.get(address);
    if (!entry) return false;
    if (entry.resetAt <= this.#opts.now()) {
      this.#failures.delete(address);
      return false;
    }
    return entry.count >= this.#opts.maxFailures;
  }

  fail(address: string): void {
    const now = this.#opts.now();
    const entry = this.#failures.get(address);
    if (entry && entry.resetAt > now) {
      this.#failures.set(address, { count: entry.count + 1, resetAt: entry.resetAt });
      return;
    }
    if (this.#failures.size >= MAX_TRACKED) this.#failures.clear();
    this.#failures.set(address, { count: 1, resetAt: now + this.#opts.windowMs });
  }

  succeed(address: string): void {
    this.#failures.delete(address);
  }
}
