import { readFileSync } from 'node:fs';
import { Engine } from './src/detect/engine.js';
import { parseLogLine } from './src/events/logline.js';
const [log, labelsPath] = process.argv.slice(2);
const labels = JSON.parse(readFileSync(labelsPath!, 'utf8'));
const e = new Engine();
for (const line of readFileSync(log!, 'utf8').split('\n')) {
  if (!line) continue;
  const r = parseLogLine(line);
  if (r.ok) e.ingest(r.event);
}
const maxEdge = new Map<string, number>();
const orig = console.error;
console.error = (...a: unknown[]) => {
  if (a[0] === 'EDGE') {
    const [, x, y, s] = a as [string, string, string, string];
    for (const k of [x, y]) maxEdge.set(k, Math.max(maxEdge.get(k) ?? 0, Number(s)));
  } else orig(...a);
};
e.evaluate();
const keys = (e as unknown as { keys: Map<string, { own: { score: number }; inherit: unknown; p: { n: number } }> }).keys;
const f = e.findings();
for (const a of f.accounts) {
  const st = keys.get(a.key)!;
  const lab = labels.keys[a.key] ?? {};
  if (a.verdict !== 'benign' && st.inherit && st.own.score < 0.3)
    console.log([lab.attack ? 'ATT' : 'BEN', lab.persona, st.own.score.toFixed(3), st.p.n, 'maxEdge', (maxEdge.get(a.key) ?? 0).toFixed(3)].join(' '));
}
