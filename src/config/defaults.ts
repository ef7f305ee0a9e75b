/**
 * @module config/defaults
 * Option objects with defaults: the one rule the stores and buses share for their constructor
 * options (a field left out or set to `undefined` takes its default).
 */

/** `defaults`, with each of its fields that `options` sets (to anything but `undefined`) taken from `options`. */
export function withDefaults<T extends object>(
  defaults: T,
  options: { [K in keyof T]?: T[K] | undefined },
): T {
  const out = { ...defaults };
  for (const key of Object.keys(defaults) as (keyof T)[]) {
    const value = options[key];
    if (value !== undefined) out[key] = value as T[keyof T];
  }
  return out;
}
