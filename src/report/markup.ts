/**
 * @module report/markup
 * Safe HTML building for the evidence report: the `html` tagged template escapes every
 * interpolated value unless it is `Markup` produced by `html` itself (or `trusted`, for constant
 * strings written in this folder). Strings taken from data can therefore never inject markup.
 */

/** A fragment of HTML known to be safe (built by `html` from escaped parts). */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Escapes text for use in element content and in double- or single-quoted attribute values. */
export function escapeText(s: string): string {
  return s.replace(/[&<>"'`]/g, (c) => ENTITIES[c] ?? c);
}

export type Interpolation = Markup | string | number | boolean | null | undefined | readonly Interpolation[];

function render(v: Interpolation): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof Markup) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeText(String(v));
}

/** Tagged template: the literal parts are trusted, every interpolation is escaped (arrays joined). */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Markup {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new Markup(out);
}

/** Marks a constant written in this codebase (CSS, an SVG path built from numbers) as safe. Never pass data. */
export const trusted = (s: string): Markup => new Markup(s);

/** Joins fragments with a separator. */
export function join(parts: readonly Markup[], sep = ''): Markup {
  return new Markup(parts.map((p) => p.value).join(escapeText(sep)));
}
