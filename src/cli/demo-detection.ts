/**
 * @module cli/demo-detection
 * The detection half of `distillguard demo`: a newcomer watches a small hydra campaign get caught
 * among normal customers. The simulator builds two days of traffic (benign customers of every
 * kind plus a hydra cluster of keys load-balanced under their limits); each simulated key becomes
 * a real gateway key; the log is replayed through `POST /admin/ingest` — the path an external
 * gateway uses — into the live engine. The demo then prints the campaigns with their reasons and
 * shows the gateway refusing a caught key while a customer's key still works.
 */
import type { App } from '../app.js';
import type { Findings } from '../report/findings.js';
import { formatSummary } from '../report/summary.js';
import { buildScenario, resolveScenario, scenarioLines } from '../sim/index.js';

export interface DetectionDemoResult {
  findings: Findings;
  /** Keys the engine judged distillation. */
  caught: number;
  /** Attack keys in the simulated traffic (ground truth, known only to the demo). */
  attackKeys: number;
  /** Secret of one caught key and of one customer key, to show enforcement. */
  caughtSecret: string | null;
  customerSecret: string | null;
  /** Secret of every gateway key the demo created, by key id (tests use it to check enforcement). */
  secrets: ReadonlyMap<string, string>;
}

export interface DetectionDemoOptions {
  seed?: number;
  days?: number;
  scale?: number;
  /** How long to wait for the engine's verdicts. */
  timeoutMs?: number;
  log?: (line: string) => void;
}

const INGEST_CHUNK = 2000;

/** Replays a simulated hydra scenario into the running app and waits for the engine's findings. */
export async function runDetectionDemo(
  app: App,
  adminToken: string,
  o: DetectionDemoOptions = {},
): Promise<DetectionDemoResult> {
  const log = o.log ?? (() => {});
  const days = o.days ?? 2;
  const built = buildScenario(resolveScenario('hydra'), {
    seed: o.seed ?? 7,
    days,
    scale: o.scale ?? 0.35,
    start: Date.now() - days * 86_400_000,
  });
  const keys = await realKeys(app, built.plans);
  const attack = new Set(built.plans.filter((p) => p.label.attack).map((p) => p.key));
  const clusters = new Set(built.plans.flatMap((p) => (p.label.attack ? [p.label.campaign] : []))).size;
  log(
    `Replaying ${days} days of simulated traffic: ${built.plans.length - attack.size} customer keys and ` +
      `${clusters === 1 ? 'a hydra campaign' : `${clusters} hydra campaigns`} of ${attack.size} keys in all, ` +
      'through POST /admin/ingest…',
  );
  let lines = 0;
  let chunk: string[] = [];
  for (const line of scenarioLines(built)) {
    const real = keys.get(String(line.key));
    if (!real) continue;
    chunk.push(JSON.stringify({ ...line, key: real.id, org: real.org, account: real.account }));
    if (chunk.length >= INGEST_CHUNK) {
      lines += await ingest(app.url, adminToken, chunk);
      chunk = [];
    }
  }
  if (chunk.length > 0) lines += await ingest(app.url, adminToken, chunk);
  log(`${lines.toLocaleString('en')} requests ingested; waiting for the engine…`);

  const findings = await waitForCampaign(app.url, adminToken, lines, o.timeoutMs ?? 30_000);
  const caughtKeys = findings.accounts.filter((a) => a.verdict === 'distillation').map((a) => a.key);
  const byId = new Map([...keys.values()].map((k) => [k.id, k]));
  const caughtAttack = caughtKeys.find((id) => attack.has(byId.get(id)?.sim ?? ''));
  const customer = findings.accounts.find(
    (a) => a.verdict === 'benign' && !attack.has(byId.get(a.key)?.sim ?? ''),
  );
  log(formatSummary(findings, { top: 5 }));
  return {
    findings,
    caught: caughtKeys.length,
    attackKeys: attack.size,
    caughtSecret: caughtAttack ? (byId.get(caughtAttack)?.secret ?? null) : null,
    customerSecret: customer ? (byId.get(customer.key)?.secret ?? null) : null,
    secrets: new Map([...byId].map(([id, k]) => [id, k.secret])),
  };
}

interface RealKey {
  sim: string;
  id: string;
  org: string;
  account: string;
  secret: string;
}

/** One gateway org per simulated org and one gateway key per simulated key. */
async function realKeys(
  app: App,
  plans: ReadonlyArray<{ key: string; org: string; account: string }>,
): Promise<Map<string, RealKey>> {
  const orgs = new Map<string, string>();
  const out = new Map<string, RealKey>();
  for (const plan of plans) {
    let org = orgs.get(plan.org);
    if (!org) {
      org = (await app.tenancy.createOrg(`org-${plan.org}`)).id;
      orgs.set(plan.org, org);
    }
    const { key, secret } = await app.tenancy.createKey({ org });
    out.set(plan.key, { sim: plan.key, id: key.id, org, account: key.accountId, secret });
  }
  return out;
}

async function ingest(url: string, adminToken: string, lines: string[]): Promise<number> {
  const res = await fetch(`${url}/admin/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/x-ndjson' },
    body: `${lines.join('\n')}\n`,
  });
  if (!res.ok) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { accepted: number };
  return body.accepted;
}

/** Polls the admin API until the engine has seen every replayed request and reports a campaign (or time is up). */
async function waitForCampaign(
  url: string,
  adminToken: string,
  lines: number,
  timeoutMs: number,
): Promise<Findings> {
  const deadline = Date.now() + timeoutMs;
  let last: Findings | null = null;
  while (Date.now() < deadline) {
    const res = await fetch(`${url}/admin/findings`, { headers: { authorization: `Bearer ${adminToken}` } });
    if (res.ok) {
      last = (await res.json()) as Findings;
      const caughtUp = last.input.lines >= lines;
      if (caughtUp && last.campaigns.some((c) => c.verdict === 'distillation')) return last;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (last) return last;
  throw new Error('the detection engine produced no findings in time');
}
