/**
 * @module sim
 * The traffic simulator's public API: build a named scenario for a seed, stream its log lines
 * in event-time order, write them with labels, or drive them live against a gateway.
 */
import { type BuildOptions, type Built, buildScenario } from './build.js';
import { type LineOptions, scenarioLines, totalRequests } from './lines.js';
import { SCENARIOS, type Scenario, scenarioByName } from './scenarios.js';
import type { Labels } from './types.js';
import { openSink, writeLabels } from './writer.js';

export { type BuildOptions, type Built, buildScenario, DEFAULT_START } from './build.js';
export { type LineOptions, logLine, scenarioLines, scenarioRequests, totalRequests } from './lines.js';
export { ATTACK_PERSONAS } from './personas/attack/index.js';
export { BENIGN_PERSONAS } from './personas/benign/index.js';
export { loadRealPrompts, type RealPrompts } from './prompts/index.js';
export { SCENARIOS, type Scenario, scenarioByName } from './scenarios.js';
export type { KeyLabel, Labels } from './types.js';
export { openSink, writeLabels } from './writer.js';

export interface SimulateOptions extends BuildOptions, LineOptions {
  scenario: string;
  /** Log path (`.gz` for gzip, `-` for stdout). */
  out: string;
  /** Labels path (omitted: not written). */
  labels?: string;
  onProgress?: (done: number, total: number) => void;
}

export function resolveScenario(name: string): Scenario {
  const s = scenarioByName(name);
  if (!s) throw new Error(`unknown scenario "${name}"; known: ${SCENARIOS.map((x) => x.name).join(', ')}`);
  return s;
}

/** Simulates a scenario to a log file (+ labels). Returns the labels and the line count. */
export async function simulateToFile(
  o: SimulateOptions,
): Promise<{ labels: Labels; lines: number; built: Built }> {
  const built = buildScenario(resolveScenario(o.scenario), o);
  const total = totalRequests(built);
  const sink = openSink(o.out);
  let n = 0;
  for (const line of scenarioLines(built, o)) {
    await sink.write(JSON.stringify(line));
    if (++n % 5000 === 0) o.onProgress?.(n, total);
  }
  await sink.close();
  o.onProgress?.(n, total);
  if (o.labels) writeLabels(o.labels, built.labels);
  return { labels: built.labels, lines: n, built };
}
