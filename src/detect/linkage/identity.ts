/**
 * @module detect/linkage/identity
 * Product identity, as counter-evidence to content links.
 *
 * Independent products built for the same job phrase their users' requests alike: two
 * copywriting apps both send "Write a blog post about … for …", two tutoring apps both relay
 * "Is my answer of 42 right?". Shared templates and near-duplicate prompts between them are
 * common phrasing, not one operator. What tells them apart is that each sends its own system
 * prompt: a prompt on most of the key's requests that few orgs use (not a stock "You are a helpful
 * assistant", not an open-source framework's prompt). A harvesting script sends the same system
 * prompt (or none) from all its keys.
 *
 * So between two keys of which one has an own system prompt that the other does not mostly send
 * (two products, or a product and a key that is not it), content evidence (template,
 * near-duplicate prompts, similar behaviour) counts at `distinctProducts` of its weight (graph.ts). Infrastructure
 * evidence (subnet, fingerprint, `meta`, org, timing) is unchanged, and where two keys also share
 * a rare /24 and a rare client fingerprint the discount does not apply: different system prompts
 * from one rented network and one client are a disguise, not two products (graph.ts). The cost,
 * stated plainly: an operator who gives every key its own invented system prompt AND its own
 * network must be linked through timing and behaviour alone, as a residential-proxy crowd
 * already is (the `own-prompts` scenario measures it, docs/benchmark.md).
 */
import { type Population, rarity } from '../population.js';
import { type AccountProfile, NO_SYSTEM } from '../profile.js';
import { MIN_REQUESTS, modal } from './shape.js';

const NO_STOCK: ReadonlySet<string> = new Set();

/** Share of a key's requests its modal system prompt must cover to be the key's own. */
export const OWN_PROMPT_SHARE = 0.5;

/**
 * The key's own system prompt: its modal system prompt when it covers `OWN_PROMPT_SHARE` of at
 * least `MIN_REQUESTS` requests, is not a stock prompt (`stock`: ids from linkage/stock.ts) and
 * is rare (used by at most a quarter of the common limit of orgs, rarity 1); otherwise null.
 */
export function ownSystemPrompt(
  p: AccountProfile,
  pop: Population,
  stock: ReadonlySet<string> = NO_STOCK,
): string | null {
  if (p.n < MIN_REQUESTS) return null;
  const top = modal(p, 'systems');
  if (!top || top.id === NO_SYSTEM || top.share < OWN_PROMPT_SHARE || stock.has(top.id)) return null;
  return rarity(pop.systemOrgs.get(top.id) ?? 1, pop) >= 1 ? top.id : null;
}

/** Own and mostly sent system prompts, read once per key per pass (a pass asks ~30,000 pairs). */
export class PassIdentity {
  private readonly own: (string | null | undefined)[];
  private readonly sent: (string | null | undefined)[];

  constructor(
    private readonly profiles: readonly AccountProfile[],
    private readonly pop: Population,
    private readonly stock: ReadonlySet<string> = NO_STOCK,
  ) {
    this.own = new Array(profiles.length);
    this.sent = new Array(profiles.length);
  }

  of(i: number): string | null {
    let v = this.own[i];
    if (v === undefined) {
      v = ownSystemPrompt(this.profiles[i]!, this.pop, this.stock);
      this.own[i] = v;
    }
    return v;
  }

  /**
   * True when one of keys `a` and `b` has an own system prompt that the other does not mostly
   * send: two products, or a product and a key that is not it. Keys of one script send one
   * system prompt (or none) alike, so neither side of their pairs differs.
   */
  distinct(a: number, b: number): boolean {
    const x = this.of(a);
    if (x !== null && this.mostlySent(b) !== x) return true;
    const y = this.of(b);
    return y !== null && this.mostlySent(a) !== y;
  }

  /** Key `i`'s modal system prompt when it covers at least `OWN_PROMPT_SHARE` of its requests, else null. */
  private mostlySent(i: number): string | null {
    let v = this.sent[i];
    if (v === undefined) {
      v = mostlySent(this.profiles[i]!);
      this.sent[i] = v;
    }
    return v;
  }
}

/** The key's modal system prompt when it covers at least `OWN_PROMPT_SHARE` of its requests, else null. */
function mostlySent(p: AccountProfile): string | null {
  const top = modal(p, 'systems');
  return top !== null && top.share >= OWN_PROMPT_SHARE ? top.id : null;
}
