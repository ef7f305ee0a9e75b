/**
 * @module web/pages/Overview
 * Requests, tokens and flagged accounts over time (live over SSE), and the top campaigns and
 * accounts by score with their reasons.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { listAccounts, listCampaigns, recentEvents } from '../api/endpoints.js';
import { decisionOf } from '../api/normalize.js';
import { type StreamStatus, useAdminStream } from '../api/stream.js';
import type { AccountRow, CampaignView } from '../api/types.js';
import { hrefOf } from '../app/router.js';
import { ScoreBar, VerdictBadge } from '../components/Badges.js';
import { Link } from '../components/Link.js';
import { Empty, ErrorNotice, Loading } from '../components/Notice.js';
import { ReasonList } from '../components/ReasonList.js';
import { TimeChart } from '../components/TimeChart.js';
import { compact, when } from '../lib/format.js';
import { appendLive, bucketize, cumulativeFlagged, type Series } from '../lib/series.js';
import { useAsync } from '../lib/useAsync.js';

/** Accounts with verdict suspicious or distillation, counted by the server. */
async function countFlagged(signal: AbortSignal): Promise<number | null> {
  const q = { offset: 0, limit: 1, sort: 'score', order: 'desc', org: '', q: '' } as const;
  const [s, d] = await Promise.all([
    listAccounts({ ...q, verdict: 'suspicious' }, signal),
    listAccounts({ ...q, verdict: 'distillation' }, signal),
  ]);
  return s.total === null || d.total === null ? null : s.total + d.total;
}

/** Events fetched to draw the history; live requests are added on top. */
const HISTORY_EVENTS = 5000;
/** Rows fetched for the top accounts and the flagged-over-time curve. */
const TOP_ROWS = 1000;

function StreamBadge({ status }: { status: StreamStatus }) {
  const text = status === 'live' ? 'Live' : status === 'connecting' ? 'Connecting…' : 'Offline';
  return (
    <span className={`stream stream-${status}`} role="status">
      <span className="stream-dot" aria-hidden="true" /> {text}
    </span>
  );
}

function Tile({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="tile">
      <div className="tile-label">{label}</div>
      <div className="tile-value">{value}</div>
      {hint ? <div className="tile-hint">{hint}</div> : null}
    </div>
  );
}

function TopCampaigns({ campaigns }: { campaigns: readonly CampaignView[] }) {
  const top = [...campaigns].sort((a, b) => b.score - a.score).slice(0, 5);
  if (top.length === 0) return <Empty>No campaign found so far.</Empty>;
  return (
    <ol className="top-list">
      {top.map((c) => (
        <li key={c.id} className="top-item">
          <div className="top-head">
            <Link href={hrefOf({ name: 'campaign', id: c.id })} className="strong">
              Campaign {c.id}
            </Link>
            <VerdictBadge verdict={c.verdict} />
            <ScoreBar value={c.score} />
          </div>
          <div className="muted small">
            {c.keys.length} keys · {compact(c.requests)} requests · {compact(c.outputTokens)} output tokens
          </div>
          <ReasonList reasons={c.reasons} limit={2} />
        </li>
      ))}
    </ol>
  );
}

function TopAccounts({ rows }: { rows: readonly AccountRow[] }) {
  const top = rows.filter((r) => r.score !== null && r.score > 0).slice(0, 6);
  if (top.length === 0) return <Empty>No account has been scored yet.</Empty>;
  return (
    <ol className="top-list">
      {top.map((r) => (
        <li key={r.key} className="top-item">
          <div className="top-head">
            <Link href={hrefOf({ name: 'account', key: r.key })} className="strong mono">
              {r.key}
            </Link>
            <VerdictBadge verdict={r.verdict} />
            <ScoreBar value={r.score} />
          </div>
          <div className="muted small">
            org {r.org} · {compact(r.requests)} requests · {compact(r.outputTokens)} output tokens
            {r.campaign ? ` · campaign ${r.campaign}` : ''}
          </div>
          <ReasonList reasons={r.reasons} limit={2} />
        </li>
      ))}
    </ol>
  );
}

export function Overview({ theme }: { theme: string }) {
  const events = useAsync((s) => recentEvents({ max: HISTORY_EVENTS }, s), []);
  const accounts = useAsync(
    (s) =>
      listAccounts(
        { offset: 0, limit: TOP_ROWS, sort: 'score', order: 'desc', verdict: '', org: '', q: '' },
        s,
      ),
    [],
  );
  const campaigns = useAsync((s) => listCampaigns(s), []);
  const flaggedTotal = useAsync((s) => countFlagged(s), []);

  const initial = useMemo(() => bucketize(events.data ?? []), [events.data]);
  const [series, setSeries] = useState<Series>(initial.series);
  const [live, setLive] = useState<{ requests: number; last: string | null }>({ requests: 0, last: null });
  useEffect(() => setSeries(initial.series), [initial]);

  const refresh = useRef<ReturnType<typeof setTimeout> | null>(null);
  const scheduleRefresh = () => {
    if (refresh.current) return;
    refresh.current = setTimeout(() => {
      refresh.current = null;
      accounts.reload();
      campaigns.reload();
      flaggedTotal.reload();
    }, 3000);
  };
  useEffect(() => () => clearTimeout(refresh.current ?? undefined), []);

  const status = useAdminStream({
    onRequest: (r) => {
      setSeries((s) => appendLive(s, r.ts, r.promptTokens + r.completionTokens, initial.bucketMs));
      setLive((l) => ({ requests: l.requests + 1, last: l.last }));
    },
    onDecision: (raw) => {
      const d = decisionOf(raw);
      setLive((l) => ({ ...l, last: `${d.action} on ${d.scope} ${d.subject} by ${d.source}` }));
      scheduleRefresh();
    },
    onFindings: scheduleRefresh,
  });

  const rows = accounts.data?.items ?? [];
  const flaggedAt = rows.flatMap((r) => (r.firstFlaggedAt ? [Date.parse(r.firstFlaggedAt)] : []));
  const flaggedX = series.x.length > 0 ? series.x : [...flaggedAt].sort((a, b) => a - b).map((t) => t / 1000);
  const flagged = cumulativeFlagged(flaggedX, flaggedAt);
  const totalRequests = series.requests.reduce((a, b) => a + b, 0);
  const totalTokens = series.tokens.reduce((a, b) => a + b, 0);

  return (
    <>
      <div className="page-head">
        <h1>Overview</h1>
        <StreamBadge status={status} />
      </div>
      <div className="tiles">
        <Tile label="Accounts" value={compact(accounts.data?.total ?? rows.length)} />
        <Tile
          label="Flagged accounts"
          value={compact(flaggedTotal.data ?? flaggedAt.length)}
          hint="suspicious or distillation"
        />
        <Tile label="Campaigns" value={compact(campaigns.data?.length ?? null)} />
        <Tile label="Requests shown" value={compact(totalRequests)} hint={`${compact(totalTokens)} tokens`} />
        <Tile label="Live since load" value={compact(live.requests)} hint="requests" />
      </div>
      {live.last ? (
        <p className="notice" role="status" aria-live="polite">
          Latest decision: {live.last}
        </p>
      ) : null}
      <div className="grid-2">
        <section className="card" aria-labelledby="traffic-h">
          <h2 id="traffic-h">Requests and tokens over time</h2>
          {events.error ? <ErrorNotice error={events.error} retry={events.reload} /> : null}
          {events.loading && !events.data ? <Loading what="traffic" /> : null}
          {events.data && series.x.length === 0 ? <Empty>No requests recorded yet.</Empty> : null}
          {series.x.length > 0 ? (
            <TimeChart
              theme={theme}
              label="Requests and tokens per time bucket"
              x={series.x}
              series={[
                { label: 'Requests', values: series.requests, color: '--c-requests' },
                { label: 'Tokens', values: series.tokens, color: '--c-tokens', scale: 'y2' },
              ]}
            />
          ) : null}
          <p className="muted small">
            From the {compact(HISTORY_EVENTS)} most recent events, by event time (UTC), plus live requests.
          </p>
        </section>
        <section className="card" aria-labelledby="flagged-h">
          <h2 id="flagged-h">Flagged accounts over time</h2>
          {accounts.error ? <ErrorNotice error={accounts.error} retry={accounts.reload} /> : null}
          {accounts.loading && !accounts.data ? <Loading what="accounts" /> : null}
          {accounts.data && flaggedAt.length === 0 ? <Empty>No account has been flagged.</Empty> : null}
          {flaggedAt.length > 0 ? (
            <TimeChart
              theme={theme}
              label="Cumulative flagged accounts"
              x={flaggedX}
              series={[{ label: 'Flagged accounts', values: flagged, color: '--c-distillation' }]}
            />
          ) : null}
          <p className="muted small">
            Each of the {compact(TOP_ROWS)} highest-scored accounts counted at its first-flagged event time
            {flaggedAt.length > 0 ? `; first at ${when(Math.min(...flaggedAt))}` : ''}.
          </p>
        </section>
      </div>
      <div className="grid-2">
        <section className="card" aria-labelledby="topc-h">
          <h2 id="topc-h">Top campaigns</h2>
          {campaigns.error ? <ErrorNotice error={campaigns.error} retry={campaigns.reload} /> : null}
          {campaigns.loading && !campaigns.data ? <Loading what="campaigns" /> : null}
          {campaigns.data ? <TopCampaigns campaigns={campaigns.data} /> : null}
        </section>
        <section className="card" aria-labelledby="topa-h">
          <h2 id="topa-h">Top accounts by score</h2>
          {accounts.data ? <TopAccounts rows={rows} /> : null}
        </section>
      </div>
    </>
  );
}
