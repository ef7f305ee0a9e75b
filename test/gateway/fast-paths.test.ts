import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/gateway/ids.js';
import { usageOfAnswer } from '../../src/gateway/metering.js';

describe('uuidv7', () => {
  it('is a version-7, variant-10 UUID carrying the millisecond timestamp', () => {
    const ms = Date.UTC(2026, 10, 29, 8, 0, 0);
    const id = uuidv7(ms);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBeGreaterThanOrEqual(ms);
  });
  it('sorts by arrival, within one millisecond too, and never repeats', () => {
    const ids = Array.from({ length: 5000 }, () => uuidv7(1_000));
    for (let i = 1; i < ids.length; i++) expect(ids[i]! > ids[i - 1]!).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(uuidv7(2_000_000_000_000) > ids[ids.length - 1]!).toBe(true);
  });
});

const answer = (text: string) => Buffer.from(text);

describe('usageOfAnswer', () => {
  it('reads a trailing top-level usage object', () => {
    const body = answer(
      JSON.stringify({
        choices: [{ message: { content: 'hi' } }],
        usage: { prompt_tokens: 3, completion_tokens: 4 },
      }),
    );
    expect(usageOfAnswer(body)).toEqual({ prompt_tokens: 3, completion_tokens: 4 });
  });
  it('tolerates whitespace and nested details', () => {
    const body = answer(
      '{"choices":[],\n  "usage" : {"prompt_tokens":1,"completion_tokens_details":{"reasoning_tokens":2}}\n}\n',
    );
    expect(usageOfAnswer(body)).toEqual({
      prompt_tokens: 1,
      completion_tokens_details: { reasoning_tokens: 2 },
    });
  });
  it('is not fooled by "usage" inside the generated text', () => {
    const body = answer(
      JSON.stringify({
        usage: { prompt_tokens: 9, completion_tokens: 9 },
        choices: [{ message: { content: 'see "usage": {"prompt_tokens": 1} }' } }],
      }),
    );
    expect(usageOfAnswer(body)).toEqual({ prompt_tokens: 9, completion_tokens: 9 });
  });
  it('ignores a nested usage key that is not the root object’s', () => {
    const body = answer(
      JSON.stringify({ usage: { prompt_tokens: 5 }, data: { usage: { prompt_tokens: 1 } } }),
    );
    expect(usageOfAnswer(body)).toEqual({ prompt_tokens: 5 });
    expect(usageOfAnswer(answer(JSON.stringify({ data: { usage: { prompt_tokens: 1 } } })))).toBeUndefined();
  });
  it('gives undefined for an answer without usage or that is not JSON', () => {
    expect(usageOfAnswer(answer('{"choices":[]}'))).toBeUndefined();
    expect(usageOfAnswer(answer('not json'))).toBeUndefined();
    expect(usageOfAnswer(answer('{"usage":{"prompt_tokens":1'))).toBeUndefined();
  });
});
