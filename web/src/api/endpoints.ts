/**
 * @module web/api/endpoints
 * Typed calls to the dashboard session endpoints and the admin API (`/admin/*`).
 */
import { ApiError, getJson, request, withQuery } from './client.js';
import {
  accountDetailOf,
  accountRowOf,
  campaignDetailOf,
  campaignOf,
  eventOf,
  itemsOf,
  pageOf,
} from './normalize.js';
import type {
  AccountDetail,
  AccountRow,
  AccountsQuery,
  Action,
  CampaignDetail,
  CampaignView,
  EventView,
  Page,
} from './types.js';

export interface SessionState {
  authenticated: boolean;
  expiresAt: string | null;
}

function sessionOf(body: unknown): SessionState {
  const o = (body ?? {}) as { authenticated?: unknown; expires_at?: unknown };
  return {
    authenticated: o.authenticated === true,
    expiresAt: typeof o.expires_at === 'string' ? o.expires_at : null,
  };
}

export async function getSession(): Promise<SessionState> {
  return sessionOf(await getJson('/dashboard/api/session', { quiet401: true }));
}

export async function signIn(token: string): Promise<SessionState> {
  return sessionOf(
    await getJson('/dashboard/api/session', { method: 'POST', body: { token }, quiet401: true }),
  );
}

export async function signOut(): Promise<void> {
  await request('/dashboard/api/session', { method: 'DELETE', quiet401: true });
}

export async function listAccounts(q: AccountsQuery, signal?: AbortSignal): Promise<Page<AccountRow>> {
  const body = await getJson(
    withQuery('/admin/accounts', {
      offset: q.offset,
      limit: q.limit,
      sort: q.sort,
      order: q.order,
      verdict: q.verdict,
      org: q.org,
      q: q.q,
    }),
    signal ? { signal } : {},
  );
  return pageOf(body, accountRowOf, q.offset, 'accounts');
}

export async function getAccount(key: string, signal?: AbortSignal): Promise<AccountDetail> {
  return accountDetailOf(
    await getJson(`/admin/accounts/${encodeURIComponent(key)}`, signal ? { signal } : {}),
  );
}

export interface EventsQuery {
  key?: string;
  limit?: number;
  cursor?: string | null;
}

export async function listEvents(q: EventsQuery, signal?: AbortSignal): Promise<Page<EventView>> {
  const body = await getJson(
    withQuery('/admin/events', { key: q.key, limit: q.limit ?? 500, cursor: q.cursor }),
    signal ? { signal } : {},
  );
  return pageOf(body, eventOf, 0, 'events');
}

/** Up to `max` most recent events (following cursors), for charts. */
export async function recentEvents(
  q: { key?: string; max: number },
  signal?: AbortSignal,
): Promise<EventView[]> {
  const out: EventView[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<EventView> = await listEvents(
      { ...(q.key ? { key: q.key } : {}), limit: Math.min(1000, q.max - out.length), cursor },
      signal,
    );
    out.push(...page.items);
    if (page.items.length === 0 || page.nextCursor === cursor) break;
    cursor = page.nextCursor;
  } while (cursor && out.length < q.max);
  return out;
}

export async function listCampaigns(signal?: AbortSignal): Promise<CampaignView[]> {
  const body = await getJson('/admin/campaigns', signal ? { signal } : {});
  return itemsOf(body, 'campaigns').map(campaignOf);
}

export async function getCampaign(id: string, signal?: AbortSignal): Promise<CampaignDetail> {
  return campaignDetailOf(
    await getJson(`/admin/campaigns/${encodeURIComponent(id)}`, signal ? { signal } : {}),
  );
}

export interface ActionRequest {
  scope: 'key' | 'org';
  id: string;
  action: Action;
  reason: string;
  throttle_factor?: number;
  /** Epoch ms after which the decision lapses. */
  expires_at?: number;
}

/** Recorded in the audit trail as `admin:dashboard` (the admin API reads `x-admin-user`). */
export const DASHBOARD_ACTOR = 'dashboard';

export async function postAction(body: ActionRequest): Promise<unknown> {
  return getJson('/admin/actions', { method: 'POST', body, headers: { 'x-admin-user': DASHBOARD_ACTOR } });
}

export type ReportResult = { ok: true; blob: Blob; filename: string } | { ok: false; message: string };

/** Fetches an evidence report; a 404 becomes a plain message instead of an error. */
export async function fetchReport(kind: 'campaigns' | 'accounts', id: string): Promise<ReportResult> {
  try {
    const res = await request(`/admin/${kind}/${encodeURIComponent(id)}/report`);
    return { ok: true, blob: await res.blob(), filename: `distillguard-report-${id}.html` };
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) {
      return {
        ok: false,
        message:
          'The evidence report is not available on this gateway (404). Use the distillguard report command instead.',
      };
    }
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
}
