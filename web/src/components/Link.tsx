/**
 * @module web/components/Link
 * An anchor that navigates inside the app without a reload (plain clicks only; modified clicks
 * and middle clicks keep the browser's behaviour).
 */
import type { AnchorHTMLAttributes, MouseEvent } from 'react';
import { navigate } from '../app/router.js';

export function Link(props: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const { onClick, href, children, ...rest } = props;
  const click = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <a href={href} {...rest} onClick={click}>
      {children}
    </a>
  );
}
