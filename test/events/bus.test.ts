import { describe, expect, it } from 'vitest';
import { InProcessBus, Topic } from '../../src/events/bus.js';
import { makeEvent } from '../store/helpers.js';

describe('Topic', () => {
  it('fans out synchronously to every subscriber, in order', () => {
    const t = new Topic<number>('t');
    const got: string[] = [];
    t.subscribe((v) => got.push(`a${v}`));
    t.subscribe((v) => got.push(`b${v}`));
    t.publish(1);
    expect(got).toEqual(['a1', 'b1']);
  });

  it('isolates a throwing subscriber from the others and from the publisher', () => {
    const errors: unknown[] = [];
    const t = new Topic<number>('t', { onError: (e) => errors.push(e) });
    const got: number[] = [];
    t.subscribe(() => {
      throw new Error('boom');
    });
    t.subscribe((v) => got.push(v));
    expect(() => t.publish(7)).not.toThrow();
    expect(got).toEqual([7]);
    expect(errors).toHaveLength(1);
  });

  it('survives a throwing error reporter', () => {
    const t = new Topic<number>('t', {
      onError: () => {
        throw new Error('reporter');
      },
    });
    t.subscribe(() => {
      throw new Error('boom');
    });
    expect(() => t.publish(1)).not.toThrow();
  });

  it('unsubscribes one registration only, and unsubscribing mid-publish affects the next publish', () => {
    const t = new Topic<number>('t');
    const got: number[] = [];
    const h = (v: number) => got.push(v);
    const off1 = t.subscribe(h);
    t.subscribe(h);
    let offSelf = () => {};
    offSelf = t.subscribe(() => offSelf());
    t.publish(1);
    off1();
    off1();
    t.publish(2);
    expect(got).toEqual([1, 1, 2]);
    expect(t.subscribers).toBe(1);
  });

  it('drops publishes and subscriptions after close', () => {
    const t = new Topic<number>('t');
    const got: number[] = [];
    t.subscribe((v) => got.push(v));
    t.close();
    t.publish(1);
    t.subscribe((v) => got.push(v));
    expect(got).toEqual([]);
    expect(t.subscribers).toBe(0);
  });
});

describe('InProcessBus', () => {
  it('delivers request events and closes', async () => {
    const bus = new InProcessBus({ onError: () => {} });
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('bad subscriber');
    });
    const off = bus.subscribe((e) => seen.push(e.id));
    const e = makeEvent();
    bus.publish(e);
    off();
    bus.publish(makeEvent());
    expect(seen).toEqual([e.id]);
    await bus.close();
    expect(bus.subscribers).toBe(0);
  });
});
