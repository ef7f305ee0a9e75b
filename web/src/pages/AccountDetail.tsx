/**
 * @module web/pages/AccountDetail
 * One account (key): verdict and signals with their reasons, activity timeline, sample prompts
 * (or a clear note that prompts are not stored), limits and usage, decision history, and the
 * enforcement actions.
 */
import { useMemo, useState } from 'react';
import { getAccount, recentEvents } from '../api/endpoints.js';
import type { AccountDetail as Detail, EventView } from '../api/types.js';
import { hrefOf } from '../app/router.js';
import { ActionBar } from '../components/ActionBar.js';
import { ActionBadge, ScoreBar, VerdictBadge } from '../components/Badges.js';
import { Fact } from '../components/Fact.js';
import { Link } from '../components/Link.js';
import { Empty, ErrorNotice, Loading } from '../components/Notice.js';
import { ReasonList } from '../components/ReasonList.js';
import { ReportButton } from '../components/ReportButton.js';
import { TableHead } from '../components/TableHead.js';
import { TimeChart } from '../components/TimeChart.js';
import { compact, ratio, shortHash, when } from '../lib/format.js';
import { bucketize } from '../lib/series.js';
import { useAsync } from '../lib/useAsync.js';

const TIMELINE_EVENTS = 2000;

function Facts({ d }: { d: Detail }) {
  const r = d.row;
  return (
    <dl className="facts">
      <Fact label="Score">
        <ScoreBar value={r.score} />
      </Fact>
      <Fact label="Verdict">
        <VerdictBadge verdict={r.verdict} />
      </Fact>
      <Fact label="In force">
        <ActionBadge action={d.effective?.action ?? null} shadow={d.effective?.shadow ?? false} />
      </Fact>
      <Fact label="Requests">{compact(r.requests)}</Fact>
      <Fact label="Output tokens">{compact(r.outputTokens)}</Fact>
      <Fact label="Harvest ratio">{ratio(r.harvestRatio)}</Fact>
      <Fact label="Org" mono>
        {r.orgName && r.orgName !== r.org ? `${r.orgName} (${r.org})` : r.org}
      </Fact>
      <Fact label="Campaign">
        {r.campaign ? (
          <Link className="mono" href={hrefOf({ name: 'campaign', id: r.campaign })}>
            {r.campaign}
          </Link>
        ) : (
          '—'
        )}
      </Fact>
      <Fact label="First flagged">{when(r.firstFlaggedAt)}</Fact>
    </dl>
  );
}

function SamplePrompts({ events }: { events: readonly EventView[] }) {
  const withText = events.filter((e) => e.promptText);
  const samples = [...new Map(withText.map((e) => [e.skeletonHash ?? e.id, e])).values()].slice(0, 5);
  const skeletons = new Map<string, number>();
  for (const e of events)
    if (e.skeletonHash) skeletons.set(e.skeletonHash, (skeletons.get(e.skeletonHash) ?? 0) + 1);
  const topSkeletons = [...skeletons].sort((a, b) => b[1] - a[1]).slice(0, 5);
  return (
    <>
      {samples.length > 0 ? (
        <ul className="prompts">
          {samples.map((e) => (
            <li key={e.id}>
              <div className="muted small">
                {when(e.ts)} · {e.model ?? '—'} · skeleton {shortHash(e.skeletonHash)}
              </div>
              <pre className="prompt-text">{e.promptText}</pre>
            </li>
          ))}
        </ul>
      ) : (
        <p className="notice notice-info">
          <strong>Prompts are not stored on this gateway</strong> (<code>store_prompts</code> is off), so no
          sample prompt can be shown. The signals are computed from features only: token counts, hashes of
          prompt templates and system prompts, and similarity sketches.
        </p>
      )}
      {topSkeletons.length > 0 ? (
        <table className="table compact-table">
          <caption>Most frequent prompt skeletons (hashes) in the recent events</caption>
          <TableHead columns={['Skeleton hash', { label: 'Requests', num: true }]} />
          <tbody>
            {topSkeletons.map(([h, n]) => (
              <tr key={h}>
                <td className="mono">{shortHash(h, 12)}</td>
                <td className="num">{compact(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function Timeline({ events, theme }: { events: readonly EventView[]; theme: string }) {
  const { series } = useMemo(() => bucketize(events), [events]);
  if (events.length === 0) return <Empty>No request recorded for this key.</Empty>;
  const recent = [...events].sort((a, b) => b.ts - a.ts).slice(0, 15);
  return (
    <>
      <TimeChart
        theme={theme}
        label="Requests and tokens of this key over time"
        x={series.x}
        series={[
          { label: 'Requests', values: series.requests, color: '--c-requests' },
          { label: 'Tokens', values: series.tokens, color: '--c-tokens', scale: 'y2' },
        ]}
        height={180}
      />
      <div className="table-wrap">
        <table className="table compact-table">
          <caption>Most recent requests</caption>
          <TableHead
            columns={[
              'Time (UTC)',
              'Model',
              'Endpoint',
              { label: 'Status', num: true },
              { label: 'In', num: true },
              { label: 'Out', num: true },
              'Limited by',
            ]}
          />
          <tbody>
            {recent.map((e) => (
              <tr key={e.id || e.ts}>
                <td>{when(e.ts)}</td>
                <td>{e.model ?? '—'}</td>
                <td>{e.endpoint ?? '—'}</td>
                <td className="num">{e.status ?? '—'}</td>
                <td className="num">{compact(e.promptTokens)}</td>
                <td className="num">{compact(e.completionTokens)}</td>
                <td>{e.limitedBy ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

function Limits({ d }: { d: Detail }) {
  return (
    <>
      <table className="table compact-table">
        <caption>Limits (empty means unlimited)</caption>
        <TableHead columns={['Limit', { label: 'Key', num: true }, { label: 'Org', num: true }]} />
        <tbody>
          {d.limits.map((l) => (
            <tr key={l.name}>
              <th scope="row">{l.name}</th>
              <td className="num">{l.key === null ? '—' : compact(l.key)}</td>
              <td className="num">{l.org === null ? '—' : compact(l.org)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {d.usage.length > 0 ? (
        <dl className="usage">
          {d.usage.map((u) => (
            <div key={u.label}>
              <dt>{u.label}</dt>
              <dd>{u.value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
    </>
  );
}

function History({ d }: { d: Detail }) {
  if (d.decisions.length === 0 && d.audit.length === 0) return <Empty>No decision has been recorded.</Empty>;
  return (
    <>
      {d.decisions.length > 0 ? (
        <div className="table-wrap">
          <table className="table compact-table">
            <caption>Decisions</caption>
            <TableHead columns={['When (UTC)', 'Action', 'Scope', 'By', 'Reasons', 'Expires']} />
            <tbody>
              {d.decisions.map((x) => (
                <tr key={x.id || x.createdAt}>
                  <td>{when(x.createdAt)}</td>
                  <td>
                    <ActionBadge action={x.action} shadow={x.shadow} />
                    {x.throttleFactor !== null ? ` ×${x.throttleFactor}` : ''}
                  </td>
                  <td>{x.scope}</td>
                  <td>{x.source}</td>
                  <td className="small">{x.reasons.join('; ') || '—'}</td>
                  <td>{when(x.expiresAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {d.audit.length > 0 ? (
        <div className="table-wrap">
          <table className="table compact-table">
            <caption>Audit trail</caption>
            <TableHead columns={['When (UTC)', 'Who', 'What', 'Why', 'Before']} />
            <tbody>
              {d.audit.map((a) => (
                <tr key={`${a.at}-${a.who}-${a.what}-${a.why}`}>
                  <td>{when(a.at)}</td>
                  <td>{a.who}</td>
                  <td>{a.what}</td>
                  <td className="small">{a.why || '—'}</td>
                  <td>{a.previous ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}

export function AccountDetail({ keyId, theme }: { keyId: string; theme: string }) {
  const detail = useAsync((s) => getAccount(keyId, s), [keyId]);
  const events = useAsync((s) => recentEvents({ key: keyId, max: TIMELINE_EVENTS }, s), [keyId]);
  const [scope, setScope] = useState<'key' | 'org'>('key');

  if (detail.error) return <ErrorNotice error={detail.error} retry={detail.reload} />;
  if (!detail.data) return <Loading what={`account ${keyId}`} />;
  const d = detail.data;
  const targetLabel = scope === 'key' ? `key ${d.keyId}` : `organization ${d.orgId} (all its keys)`;

  return (
    <>
      <div className="page-head">
        <div>
          <p className="crumbs">
            <Link href={hrefOf({ name: 'accounts' })}>Accounts</Link> /
          </p>
          <h1 className="mono">{d.keyId}</h1>
          {d.revoked ? <span className="badge badge-distillation">revoked</span> : null}
        </div>
        <ReportButton kind="accounts" id={d.keyId} />
      </div>
      <Facts d={d} />
      <section className="card" aria-labelledby="act-h">
        <h2 id="act-h">Actions</h2>
        <fieldset className="scope">
          <legend>Apply to</legend>
          <label>
            <input type="radio" name="scope" checked={scope === 'key'} onChange={() => setScope('key')} />{' '}
            This key
          </label>
          <label>
            <input type="radio" name="scope" checked={scope === 'org'} onChange={() => setScope('org')} /> Its
            whole organization
          </label>
        </fieldset>
        <ActionBar
          targets={[{ scope, id: scope === 'key' ? d.keyId : d.orgId }]}
          targetLabel={targetLabel}
          onDone={detail.reload}
        />
      </section>
      <div className="grid-2">
        <section className="card" aria-labelledby="sig-h">
          <h2 id="sig-h">Signals</h2>
          <ReasonList reasons={d.row.reasons} />
        </section>
        <section className="card" aria-labelledby="lim-h">
          <h2 id="lim-h">Limits and usage</h2>
          <Limits d={d} />
        </section>
      </div>
      <section className="card" aria-labelledby="hist-h">
        <h2 id="hist-h">Decision history</h2>
        <History d={d} />
      </section>
      <section className="card" aria-labelledby="tl-h">
        <h2 id="tl-h">Activity timeline</h2>
        {events.error ? <ErrorNotice error={events.error} retry={events.reload} /> : null}
        {events.loading && !events.data ? <Loading what="activity" /> : null}
        {events.data ? <Timeline events={events.data} theme={theme} /> : null}
      </section>
      <section className="card" aria-labelledby="sp-h">
        <h2 id="sp-h">Sample prompts</h2>
        {events.data ? <SamplePrompts events={events.data} /> : null}
      </section>
    </>
  );
}
