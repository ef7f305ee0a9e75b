import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockUpstream, type MockUpstream } from '../../src/upstream/mock/index.js';
import { parseModelList, UpstreamRegistry } from '../../src/upstream/registry.js';

let mock: MockUpstream;
const registries: UpstreamRegistry[] = [];
const make = (...args: ConstructorParameters<typeof UpstreamRegistry>) => {
  const r = new UpstreamRegistry(...args);
  registries.push(r);
  return r;
};

beforeAll(async () => {
  mock = await createMockUpstream({ models: ['mock-a', 'mock-b', 'shared'] });
});
afterAll(async () => {
  await Promise.all(registries.map((r) => r.close()));
  await mock.close();
});

describe('UpstreamRegistry', () => {
  it('routes to the first upstream listing the model, else the first without a list', () => {
    const r = make([
      {
        name: 'openai',
        baseUrl: 'http://127.0.0.1:1/v1',
        timeoutMs: 1000,
        models: ['gpt-4o', 'gpt-4o-mini'],
      },
      { name: 'any', baseUrl: 'http://127.0.0.1:2/v1', timeoutMs: 1000 },
      { name: 'vllm', baseUrl: 'http://127.0.0.1:3/v1', timeoutMs: 1000, models: ['llama', 'gpt-4o'] },
      { name: 'any2', baseUrl: 'http://127.0.0.1:4/v1', timeoutMs: 1000 },
    ]);
    expect(r.route('gpt-4o')?.name).toBe('openai');
    expect(r.route('llama')?.name).toBe('vllm');
    expect(r.route('unknown')?.name).toBe('any');
    expect(r.get('vllm')?.config.models).toEqual(['llama', 'gpt-4o']);
    expect(r.list()).toHaveLength(4);
  });

  it('routes nothing when no upstream serves the model', () => {
    const r = make([
      { name: 'openai', baseUrl: 'http://127.0.0.1:1/v1', timeoutMs: 1000, models: ['gpt-4o'] },
    ]);
    expect(r.route('llama')).toBeUndefined();
  });

  it('lists configured models and fetches list-less upstreams, de-duplicated and cached', async () => {
    let now = 1_000_000;
    const r = make(
      [
        { name: 'cfg', baseUrl: 'http://127.0.0.1:1/v1', timeoutMs: 1000, models: ['gpt-4o', 'shared'] },
        { name: 'mock', baseUrl: mock.url, timeoutMs: 1000 },
      ],
      { now: () => now },
    );
    const before = mock.stats.byPath['/v1/models'] ?? 0;
    const models = await r.models();
    expect(models.map((m) => m.id)).toEqual(['gpt-4o', 'shared', 'mock-a', 'mock-b']);
    expect(models[0]).toEqual({ id: 'gpt-4o', object: 'model', created: 1000, owned_by: 'cfg' });
    await r.models();
    expect(mock.stats.byPath['/v1/models']).toBe(before + 1);
    now += 61_000;
    await r.models();
    expect(mock.stats.byPath['/v1/models']).toBe(before + 2);
  });

  it('tolerates an unreachable or failing upstream', async () => {
    const failing = await createMockUpstream({ errorRate: 1 });
    try {
      const r = make(
        [
          { name: 'cfg', baseUrl: 'http://127.0.0.1:1/v1', timeoutMs: 1000, models: ['gpt-4o'] },
          { name: 'dead', baseUrl: 'http://127.0.0.1:1/v1', timeoutMs: 1000 },
          { name: 'failing', baseUrl: failing.url, timeoutMs: 1000 },
        ],
        { modelsTimeoutMs: 500 },
      );
      expect((await r.models()).map((m) => m.id)).toEqual(['gpt-4o']);
    } finally {
      await failing.close();
    }
  });

  it('parses model lists leniently', () => {
    expect(
      parseModelList({ data: [{ id: 'a', created: 5, owned_by: 'x' }, { nope: 1 }, 'str'] }, 'u'),
    ).toEqual([{ id: 'a', object: 'model', created: 5, owned_by: 'x' }]);
    expect(parseModelList(null, 'u')).toEqual([]);
  });
});
