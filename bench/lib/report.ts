/**
 * @module bench/lib/report
 * Renders benchmark results: the console tables (engine per scenario, engine vs baselines,
 * FPR per benign persona, recall per attack persona) and the self-contained HTML report.
 */
import { table } from '../../src/report/summary.js';
import { type DetectorAgg, type Row, type TtdRow, ttdByPersona } from './aggregate.js';
import { f1, fpr, precision, type RunScore, recall } from './score.js';
import { barChart, COLORS, esc, lineChart, stripPlot } from './svg.js';

const pct = (x: number, digits = 1) => (Number.isNaN(x) ? '–' : `${(x * 100).toFixed(digits)}%`);
const num = (x: number, digits = 3) => (Number.isNaN(x) ? '–' : x.toFixed(digits));

export function engineTable(rows: Row[]): string {
  return table(
    [
      'scenario',
      'runs',
      'keys',
      'attack',
      'P@susp',
      'R@susp',
      'FPR@susp',
      'P@dist',
      'R@dist',
      'FPR@dist',
      'AUC',
      'purity',
      'coverage',
      'camp.found',
      'TTD med',
      'TTD<5%',
    ],
    rows.map((r) => [
      r.name,
      r.runs,
      r.keys,
      r.attackKeys,
      pct(precision(r.engine.suspicious)),
      pct(recall(r.engine.suspicious)),
      pct(fpr(r.engine.suspicious), 2),
      pct(precision(r.engine.distillation)),
      pct(recall(r.engine.distillation)),
      pct(fpr(r.engine.distillation), 2),
      num(r.engine.auc),
      pct(r.purity),
      pct(r.coverage),
      `${r.detected[0]}/${r.detected[1]}`,
      pct(r.ttdMedian),
      `${r.ttdUnder5[0]}/${r.ttdUnder5[1]}`,
    ]),
  );
}

/** Time to detection per attack persona (`ttdByPersona`), medians over its campaigns. */
export function ttdTable(rows: TtdRow[]): string {
  const n = (x: number) =>
    Number.isNaN(x) ? '–' : x < 10 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US');
  return table(
    [
      'persona',
      'campaigns',
      'found',
      'TTD<5%',
      'TTD med',
      'requests at 5%',
      'per key at 5%',
      'requests to 1st flag',
    ],
    rows.map((r) => [
      r.persona,
      r.campaigns,
      r.found,
      r.under5,
      pct(r.medianShare),
      n(r.medianAt5),
      n(r.medianPerKeyAt5),
      n(r.medianBefore),
    ]),
  );
}

const brief = (d: DetectorAgg) =>
  `F1 ${num(f1(d.suspicious), 2)} R ${pct(recall(d.suspicious), 0)} FPR ${pct(fpr(d.suspicious), 1)} AUC ${num(d.auc, 2)}`;

export function baselineTable(rows: Row[]): string {
  const names = Object.keys(rows[0]?.baselines ?? {});
  return table(
    ['scenario', 'engine', ...names, 'engine beats all (F1 and AUC)'],
    rows.map((r) => [
      r.name,
      brief(r.engine),
      ...names.map((n) => brief(r.baselines[n]!)),
      beatsBaselines(r) ? 'yes' : 'NO',
    ]),
  );
}

/** The engine beats every baseline on F1 at ≥ suspicious and on ROC-AUC. */
export function beatsBaselines(r: Row): boolean {
  return Object.values(r.baselines).every(
    (b) => f1(r.engine.suspicious) > f1(b.suspicious) && (Number.isNaN(b.auc) || r.engine.auc > b.auc),
  );
}

export function personaTable(row: Row, attack: boolean): string {
  const src = attack ? row.engine.attackByPersona : row.engine.benignByPersona;
  const names = Object.keys(row.baselines);
  return table(
    ['persona', 'keys', attack ? 'recall engine' : 'FPR engine', ...names.map((n) => `${n}`)],
    Object.entries(src)
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([p, [hit, total]]) => [
        p,
        total,
        pct(hit / total, 2),
        ...names.map((n) => {
          const b = (attack ? row.baselines[n]!.attackByPersona : row.baselines[n]!.benignByPersona)[p] ?? [
            0, 1,
          ];
          return pct(b[0] / b[1], 2);
        }),
      ]),
  );
}

/** Persona × scenario matrix of FPR (benign) or recall (attack), engine at ≥ suspicious. */
export function personaMatrix(rows: Row[], attack: boolean): string {
  const personas = [
    ...new Set(
      rows.flatMap((r) => Object.keys(attack ? r.engine.attackByPersona : r.engine.benignByPersona)),
    ),
  ].sort();
  return table(
    [attack ? 'recall' : 'FPR', ...rows.map((r) => r.name)],
    personas.map((p) => [
      p,
      ...rows.map((r) => {
        const v = (attack ? r.engine.attackByPersona : r.engine.benignByPersona)[p];
        return v ? `${pct(v[0] / v[1], 1)} (${v[0]}/${v[1]})` : '';
      }),
    ]),
  );
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;max-width:1200px;color:#1d232a}table{border-collapse:collapse;margin:.5rem 0 1.5rem}
th,td{border-bottom:1px solid #dde2e6;padding:.25rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}th{background:#f3f5f7}
.grid{display:flex;flex-wrap:wrap;gap:12px}.no{color:#b3261e;font-weight:600}code{font-size:12px}`;

function htmlTable(text: string): string {
  const lines = text.split('\n').filter((_l, i) => i !== 1);
  const split = (l: string) => l.split(/\s{2,}/);
  const [head, ...body] = lines;
  return `<table><tr>${split(head ?? '')
    .map((h) => `<th>${esc(h)}</th>`)
    .join('')}</tr>${body
    .map(
      (l) =>
        `<tr>${split(l)
          .map((c) => `<td${c === 'NO' ? ' class="no"' : ''}>${esc(c)}</td>`)
          .join('')}</tr>`,
    )
    .join('')}</table>`;
}

export interface ReportMeta {
  command: string;
  generatedAt: string;
  scenarios: string[];
  seeds: number[];
  dataNote: string;
  engineVersion: string;
}

export function renderHtml(meta: ReportMeta, rows: Row[], overall: Row, runs: RunScore[]): string {
  const byScenario = new Map<string, RunScore[]>();
  for (const r of runs) byScenario.set(r.scenario, [...(byScenario.get(r.scenario) ?? []), r]);
  const rocs = [...byScenario.entries()]
    .filter(([, rs]) => rs.some((r) => r.engine.roc.length > 0))
    .map(([name, rs]) => {
      const r = rs.find((x) => x.engine.roc.length > 0)!;
      return lineChart(`ROC — ${name} (seed ${r.seed})`, [
        { name: `engine AUC ${num(r.engine.auc, 3)}`, points: r.engine.roc, color: COLORS[0] },
        ...Object.entries(r.baselines).map(([n, b], i) => ({
          name: `${n} AUC ${num(b.auc, 3)}`,
          points: b.roc,
          color: COLORS[i + 1],
          dashed: true,
        })),
      ]);
    })
    .join('');
  const std = byScenario.get('standard') ?? runs;
  const groups = new Map<string, { values: number[]; attack: boolean }>();
  for (const r of std)
    for (const [p, vs] of Object.entries(r.engine.scoresByPersona)) {
      const attack = p in r.engine.attackByPersona;
      const g = groups.get(p) ?? { values: [], attack };
      g.values.push(...vs);
      groups.set(p, g);
    }
  const strips = stripPlot(
    `Engine score per persona (${std === runs ? 'all runs' : 'standard mix, all seeds'}); red = attack`,
    [...groups.entries()]
      .sort((a, b) => Number(a[1].attack) - Number(b[1].attack) || a[0].localeCompare(b[0]))
      .map(([name, g]) => ({ name, ...g })),
  );
  const ttdBars = runs
    .flatMap((r) =>
      r.campaigns.ttd.map((t) => ({
        name: `${r.scenario}/${r.seed} ${t.persona}`,
        value: t.share,
        color: t.share < 0.05 ? '#2da44e' : '#d1242f',
      })),
    )
    .sort((a, b) => b.value - a.value);
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>distillguard detection benchmark</title><style>${CSS}</style></head><body>
<h1>distillguard detection benchmark</h1>
<p>Generated ${esc(meta.generatedAt)} by <code>${esc(meta.command)}</code>; engine ${esc(meta.engineVersion)}.<br>
Scenarios: ${meta.scenarios.map((s) => `<code>${esc(s)}</code>`).join(', ')}. Seeds: ${meta.seeds.join(', ')}. ${esc(meta.dataNote)}<br>
Labels are never visible to the engine: each run is simulated to a log, analysed through parseLogLine → Engine → findings, then scored.
Positive = verdict ≥ suspicious (P/R/FPR@susp) or = distillation (@dist). TTD = share of a campaign's requests made before any of its keys was first flagged (1 when never).</p>
<h2>Engine per scenario</h2>${htmlTable(engineTable([...rows, overall]))}
<h2>Engine vs baselines (≥ suspicious)</h2>${htmlTable(baselineTable([...rows, overall]))}
<h2>False-positive rate per benign persona (all runs)</h2>${htmlTable(personaTable(overall, false))}
<h2>Recall per attack persona (all runs)</h2>${htmlTable(personaTable(overall, true))}
<h2>Engine FPR per benign persona and scenario</h2>${htmlTable(personaMatrix(rows, false))}
<h2>Engine recall per attack persona and scenario</h2>${htmlTable(personaMatrix(rows, true))}
<h2>ROC curves</h2><div class="grid">${rocs}</div>
<h2>Score distributions</h2>${strips}
<h2>Time to detection</h2>${htmlTable(ttdTable(ttdByPersona(runs)))}${barChart("Share of each campaign's requests before it was first flagged (green < 5%)", ttdBars, 0.05)}
</body></html>
`;
}
