import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

/** Parses one log line in a fresh process; says whether gpt-tokenizer got loaded, and the event's tokens. */
function parseInFreshProcess(line: object): { loaded: boolean; tokens: number[] } {
  const script = `
    import { createRequire } from 'node:module';
    const { parseLogLine } = await import('./src/events/logline.ts');
    const r = parseLogLine(${JSON.stringify(JSON.stringify(line))});
    const loaded = Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('gpt-tokenizer'));
    console.log(JSON.stringify({ loaded, tokens: r.ok ? [r.event.prompt.tokens, r.event.output.tokens] : [] }));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as { loaded: boolean; tokens: number[] };
}

describe('token counting', () => {
  const request = { model: 'm', messages: [{ role: 'user', content: 'hello there, tokenizer' }] };
  const answer = { choices: [{ message: { role: 'assistant', content: 'general kenobi' } }] };

  it('does not load gpt-tokenizer to parse lines that carry usage', () => {
    const usage = { prompt_tokens: 7, completion_tokens: 3 };
    const got = parseInFreshProcess({ ts: 1, key: 'k', request, response: { ...answer, usage } });
    expect(got).toEqual({ loaded: false, tokens: [7, 3] });
  });

  it('loads it and counts when a line has no usage', () => {
    const got = parseInFreshProcess({ ts: 1, key: 'k', request, response: answer });
    expect(got.loaded).toBe(true);
    expect(got.tokens[0]).toBeGreaterThan(0);
    expect(got.tokens[1]).toBeGreaterThan(0);
  });

  it('withoutLoading stops a count that would load the library, and counts once it is loaded', () => {
    const script = `
      import { createRequire } from 'node:module';
      const { countTokens, withoutLoading } = await import('./src/events/tokens.ts');
      const isLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('gpt-tokenizer'));
      const refused = withoutLoading(() => countTokens('hello there'));
      const plain = withoutLoading(() => 42);
      const loadedBefore = isLoaded();
      let thrown = null;
      try { withoutLoading(() => { throw new Error('other'); }); } catch (err) { thrown = err.message; }
      const direct = countTokens('hello there');
      const after = withoutLoading(() => countTokens('hello there'));
      console.log(JSON.stringify({ refused, plain, loadedBefore, thrown, direct, after }));
    `;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(got).toMatchObject({ refused: null, plain: 42, loadedBefore: false, thrown: 'other' });
    expect(got.direct).toBeGreaterThan(0);
    expect(got.after).toBe(got.direct);
  });

  it('is reached only through events/tokens (one copy of the library per process)', () => {
    const src = join(ROOT, 'src');
    const files = readdirSync(src, { recursive: true, encoding: 'utf8' }).filter(
      (f) => f.endsWith('.ts') && f !== join('events', 'tokens.ts'),
    );
    const importing = files.filter((f) =>
      /from 'gpt-tokenizer'|import\('gpt-tokenizer'\)/.test(readFileSync(join(src, f), 'utf8')),
    );
    expect(importing).toEqual([]);
  });
});
