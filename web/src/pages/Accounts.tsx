/**
 * @module web/pages/Accounts
 * The accounts table: server-side paged, sorted and filtered (stays fast at 100,000 accounts,
 * since the browser only ever holds one page). The view state lives in the URL query.
 */
import { type ReactNode, useEffect, useState } from 'react';
import { listAccounts } from '../api/endpoints.js';
import type { AccountsQuery, SortKey, Verdict } from '../api/types.js';
import { hrefOf, navigate } from '../app/router.js';
import { ScoreBar, VerdictBadge } from '../components/Badges.js';
import { Link } from '../components/Link.js';
import { Empty, ErrorNotice } from '../components/Notice.js';
import { compact, ratio } from '../lib/format.js';
import { useAsync, useDebounced } from '../lib/useAsync.js';

const SORTS: readonly SortKey[] = [
  'score',
  'requests',
  'output_tokens',
  'input_tokens',
  'last_seen',
  'key',
  'verdict',
  'harvest_ratio',
  'campaign',
  'org',
];
const PAGE_SIZES = [25, 50, 100] as const;

export function queryFromSearch(search: URLSearchParams): AccountsQuery {
  const sort = search.get('sort') as SortKey | null;
  const verdict = search.get('verdict');
  const limit = Number(search.get('limit'));
  return {
    offset: Math.max(0, Number(search.get('offset')) || 0),
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : 50,
    sort: sort && SORTS.includes(sort) ? sort : 'score',
    order: search.get('order') === 'asc' ? 'asc' : 'desc',
    verdict: verdict === 'benign' || verdict === 'suspicious' || verdict === 'distillation' ? verdict : '',
    org: search.get('org') ?? '',
    q: search.get('q') ?? '',
  };
}

function searchOf(q: AccountsQuery): string {
  const p = new URLSearchParams();
  if (q.offset) p.set('offset', String(q.offset));
  if (q.limit !== 50) p.set('limit', String(q.limit));
  if (q.sort !== 'score') p.set('sort', q.sort);
  if (q.order !== 'desc') p.set('order', q.order);
  if (q.verdict) p.set('verdict', q.verdict);
  if (q.org) p.set('org', q.org);
  if (q.q) p.set('q', q.q);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/**
 * Columns, and the admin API sort field behind each sortable one. `GET /admin/accounts` sorts
 * every column (src/admin/accounts.ts SORT_FIELDS; verdicts by severity, harvest ratio = output ÷
 * input tokens): sorting one page in the browser would mislead.
 */
const COLUMNS: ReadonlyArray<{ key: SortKey | null; label: string; numeric?: boolean }> = [
  { key: 'key', label: 'Key' },
  { key: 'score', label: 'Score' },
  { key: 'verdict', label: 'Verdict' },
  { key: 'requests', label: 'Requests', numeric: true },
  { key: 'output_tokens', label: 'Output tokens', numeric: true },
  { key: 'harvest_ratio', label: 'Harvest ratio', numeric: true },
  { key: 'campaign', label: 'Campaign' },
  { key: 'org', label: 'Org' },
];

function SortHeader(props: {
  col: (typeof COLUMNS)[number];
  query: AccountsQuery;
  set: (q: AccountsQuery) => void;
}) {
  const { col, query } = props;
  const active = col.key !== null && query.sort === col.key;
  const ariaSort = active ? (query.order === 'asc' ? 'ascending' : 'descending') : 'none';
  let content: ReactNode = col.label;
  if (col.key !== null) {
    const key = col.key;
    const next = active && query.order === 'desc' ? 'asc' : 'desc';
    content = (
      <button
        type="button"
        className="sort-btn"
        onClick={() => props.set({ ...query, sort: key, order: next, offset: 0 })}
      >
        {col.label}
        <span aria-hidden="true" className="sort-arrow">
          {active ? (query.order === 'asc' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    );
  }
  return (
    <th scope="col" aria-sort={col.key !== null ? ariaSort : undefined} className={col.numeric ? 'num' : ''}>
      {content}
    </th>
  );
}

export function Accounts({ search }: { search: URLSearchParams }) {
  const query = queryFromSearch(search);
  const set = (q: AccountsQuery) =>
    navigate(`${hrefOf({ name: 'accounts' })}${searchOf(q)}`, { replace: true });

  const [text, setText] = useState(query.q);
  const [org, setOrg] = useState(query.org);
  const debText = useDebounced(text, 300);
  const debOrg = useDebounced(org, 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: push debounced filter text into the URL.
  useEffect(() => {
    if (debText !== query.q || debOrg !== query.org) set({ ...query, q: debText, org: debOrg, offset: 0 });
  }, [debText, debOrg]);

  const key = searchOf(query);
  const page = useAsync((s) => listAccounts(query, s), [key]);
  const items = page.data?.items ?? [];
  const total = page.data?.total ?? null;
  const hasNext = total !== null ? query.offset + query.limit < total : items.length === query.limit;
  const from = items.length > 0 ? query.offset + 1 : 0;
  const to = query.offset + items.length;

  return (
    <>
      <div className="page-head">
        <h1>Accounts</h1>
        <span className="muted" role="status" aria-live="polite">
          {page.loading
            ? 'Loading…'
            : `${compact(from)}–${compact(to)} of ${total !== null ? compact(total) : 'many'}`}
        </span>
      </div>
      <search>
        <form className="filters" onSubmit={(e) => e.preventDefault()}>
          <label className="field inline">
            <span>Search</span>
            <input
              type="search"
              value={text}
              placeholder="key, account, campaign"
              onChange={(e) => setText(e.target.value)}
            />
          </label>
          <label className="field inline">
            <span>Verdict</span>
            <select
              value={query.verdict}
              onChange={(e) => set({ ...query, verdict: e.target.value as Verdict | '', offset: 0 })}
            >
              <option value="">All</option>
              <option value="distillation">Distillation</option>
              <option value="suspicious">Suspicious</option>
              <option value="benign">Benign</option>
            </select>
          </label>
          <label className="field inline">
            <span>Org</span>
            <input type="text" value={org} placeholder="org id" onChange={(e) => setOrg(e.target.value)} />
          </label>
          <label className="field inline">
            <span>Rows</span>
            <select
              value={query.limit}
              onChange={(e) => set({ ...query, limit: Number(e.target.value), offset: 0 })}
            >
              {PAGE_SIZES.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
        </form>
      </search>
      {page.error ? <ErrorNotice error={page.error} retry={page.reload} /> : null}
      <div className="table-wrap">
        <table className="table" aria-busy={page.loading} aria-label="Accounts">
          <thead>
            <tr>
              {COLUMNS.map((c) => (
                <SortHeader key={c.label} col={c} query={query} set={set} />
              ))}
            </tr>
          </thead>
          <tbody>
            {items.map((r) => (
              <tr key={r.key}>
                <td>
                  <Link className="mono" href={hrefOf({ name: 'account', key: r.key })}>
                    {r.key}
                  </Link>
                  {r.prefix ? <span className="muted small mono"> {r.prefix}</span> : null}
                </td>
                <td>
                  <ScoreBar value={r.score} />
                </td>
                <td>
                  <VerdictBadge verdict={r.verdict} />
                </td>
                <td className="num">{compact(r.requests)}</td>
                <td className="num">{compact(r.outputTokens)}</td>
                <td className="num">{ratio(r.harvestRatio)}</td>
                <td>
                  {r.campaign ? (
                    <Link className="mono" href={hrefOf({ name: 'campaign', id: r.campaign })}>
                      {r.campaign}
                    </Link>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td className="mono" title={r.org}>
                  {r.orgName ?? r.org}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!page.loading && items.length === 0 && !page.error ? (
        <Empty>No account matches these filters.</Empty>
      ) : null}
      <nav className="pager" aria-label="Pages">
        <button
          type="button"
          className="btn"
          disabled={query.offset === 0}
          onClick={() => set({ ...query, offset: Math.max(0, query.offset - query.limit) })}
        >
          ← Previous
        </button>
        <span className="muted">
          Page {Math.floor(query.offset / query.limit) + 1}
          {total !== null ? ` of ${Math.max(1, Math.ceil(total / query.limit))}` : ''}
        </span>
        <button
          type="button"
          className="btn"
          disabled={!hasNext}
          onClick={() => set({ ...query, offset: query.offset + query.limit })}
        >
          Next →
        </button>
      </nav>
    </>
  );
}
