/**
 * @module web/components/Fact
 * One labelled entry of a `<dl className="facts">` summary list (term and description).
 */
import type { ReactNode } from 'react';

export function Fact(props: { label: string; wide?: boolean; mono?: boolean; children: ReactNode }) {
  return (
    <div className={props.wide ? 'wide' : undefined}>
      <dt>{props.label}</dt>
      <dd className={props.mono ? 'mono' : undefined}>{props.children}</dd>
    </div>
  );
}
