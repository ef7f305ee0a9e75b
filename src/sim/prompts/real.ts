/**
 * @module sim/prompts/real
 * Loads real prompt sets from a directory of JSON or JSONL files (`--prompts DIR`). A record
 * gives its prompt through one of the usual fields (`instruction` + `input`, `prompt`,
 * `question`, `text`, `query`); records are sorted into pools by what they look like (math,
 * code, general), so personas can draw realistic prompts. Nothing here is bundled in the repo.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RealPrompts {
  /** Files read and records kept, for the one-line notice. */
  files: string[];
  math: string[];
  code: string[];
  general: string[];
}

type Obj = Record<string, unknown>;
const str = (v: unknown) => (typeof v === 'string' && v.trim().length > 0 ? v.trim() : null);

/** The prompt text of one record, or null when it has none of the known fields. */
export function recordPrompt(r: unknown): string | null {
  if (typeof r !== 'object' || r === null) return null;
  const o = r as Obj;
  const instruction = str(o.instruction);
  if (instruction) {
    const input = str(o.input) ?? str(o.instances) ?? null;
    return input ? `${instruction}\n\n${input}` : instruction;
  }
  return str(o.prompt) ?? str(o.question) ?? str(o.query) ?? str(o.text);
}

function records(text: string, name: string): unknown[] {
  if (name.endsWith('.jsonl')) {
    const out: unknown[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        out.push(JSON.parse(line));
      } catch {
        // a broken record is skipped: prompt sets are inputs, not contracts
      }
    }
    return out;
  }
  const parsed: unknown = JSON.parse(text);
  return Array.isArray(parsed) ? parsed : [];
}

const looksMath = (name: string, p: string) =>
  /gsm|math/i.test(name) || /\b(how many|how much|calculate|total|percent)\b/i.test(p);
const looksCode = (name: string, p: string) =>
  /code/i.test(name) || /\b(function|python|javascript|sql|program|code)\b/i.test(p);

/** Reads every .json/.jsonl file of `dir`; returns null when the folder is missing or has none. */
export function loadRealPrompts(dir: string): RealPrompts | null {
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => n.endsWith('.json') || n.endsWith('.jsonl'))
      .sort();
  } catch {
    return null;
  }
  const out: RealPrompts = { files: [], math: [], code: [], general: [] };
  for (const name of names) {
    let recs: unknown[];
    try {
      recs = records(readFileSync(join(dir, name), 'utf8'), name);
    } catch {
      continue;
    }
    let kept = 0;
    for (const r of recs) {
      const p = recordPrompt(r);
      if (!p || p.length > 6000) continue;
      kept++;
      if (looksMath(name, p)) out.math.push(p);
      else if (looksCode(name, p)) out.code.push(p);
      else out.general.push(p);
    }
    if (kept > 0) out.files.push(`${name} (${kept})`);
  }
  return out.files.length > 0 ? out : null;
}
