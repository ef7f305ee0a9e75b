import { describe, expect, it } from 'vitest';
import { withDefaults } from '../../src/config/defaults.js';

describe('withDefaults', () => {
  const defaults = { name: 'dg', size: 16, on: true };

  it('takes every field the options set, falsy ones included, and the defaults for the rest', () => {
    expect(withDefaults(defaults, { size: 0, on: false })).toEqual({ name: 'dg', size: 0, on: false });
    expect(withDefaults(defaults, { name: '' })).toEqual({ name: '', size: 16, on: true });
  });

  it('treats undefined as left out, ignores fields the defaults do not have, and leaves both inputs alone', () => {
    const options = { size: undefined, name: 'x', extra: 1 } as { size?: number; name?: string };
    const out = withDefaults(defaults, options);
    expect(out).toEqual({ name: 'x', size: 16, on: true });
    expect(defaults).toEqual({ name: 'dg', size: 16, on: true });
    expect(out).not.toBe(defaults);
  });
});
