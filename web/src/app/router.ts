/**
 * @module web/app/router
 * A tiny History-API router under `/dashboard/`: path ↔ route, `navigate`, and `useLocation`.
 * The gateway answers every `/dashboard/...` path with the app, so deep links work.
 */
import { useEffect, useState } from 'react';

export const BASE = '/dashboard';

export type Route =
  | { name: 'overview' }
  | { name: 'accounts' }
  | { name: 'account'; key: string }
  | { name: 'campaigns' }
  | { name: 'campaign'; id: string }
  | { name: 'notfound' };

export function parseRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const [head, id] = parts;
  if (parts.length === 0) return { name: 'overview' };
  if (head === 'accounts' && parts.length === 1) return { name: 'accounts' };
  if (head === 'accounts' && id && parts.length === 2) return { name: 'account', key: id };
  if (head === 'campaigns' && parts.length === 1) return { name: 'campaigns' };
  if (head === 'campaigns' && id && parts.length === 2) return { name: 'campaign', id };
  return { name: 'notfound' };
}

export function hrefOf(route: Route): string {
  switch (route.name) {
    case 'overview':
      return `${BASE}/`;
    case 'accounts':
      return `${BASE}/accounts`;
    case 'account':
      return `${BASE}/accounts/${encodeURIComponent(route.key)}`;
    case 'campaigns':
      return `${BASE}/campaigns`;
    case 'campaign':
      return `${BASE}/campaigns/${encodeURIComponent(route.id)}`;
    default:
      return `${BASE}/`;
  }
}

const LOCATION_EVENT = 'dg:navigate';

export function navigate(href: string, opts: { replace?: boolean } = {}): void {
  if (href === window.location.pathname + window.location.search) return;
  if (opts.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  window.dispatchEvent(new Event(LOCATION_EVENT));
}

export interface LocationState {
  route: Route;
  search: URLSearchParams;
  pathname: string;
}

function current(): LocationState {
  return {
    route: parseRoute(window.location.pathname),
    search: new URLSearchParams(window.location.search),
    pathname: window.location.pathname,
  };
}

export function useLocation(): LocationState {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    window.addEventListener('popstate', update);
    window.addEventListener(LOCATION_EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(LOCATION_EVENT, update);
    };
  }, []);
  return loc;
}
