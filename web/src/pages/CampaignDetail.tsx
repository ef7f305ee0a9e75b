/**
 * @module web/pages/CampaignDetail
 * One campaign: the graph of its linked accounts with edges labelled by their evidence, the
 * same links as a table, combined volume and timeline, the members, and a bulk action on all.
 */
import { useMemo } from 'react';
import { getAccount, getCampaign, recentEvents } from '../api/endpoints.js';
import { evidenceLabel, linkReasons } from '../api/normalize.js';
import type { AccountRow, CampaignDetail as Detail, EventView } from '../api/types.js';
import { hrefOf, navigate } from '../app/router.js';
import { ActionBar } from '../components/ActionBar.js';
import { ScoreBar, VerdictBadge } from '../components/Badges.js';
import { CampaignGraph, type GraphEdge, type GraphNode } from '../components/CampaignGraph.js';
import { Fact } from '../components/Fact.js';
import { Link } from '../components/Link.js';
import { Empty, ErrorNotice, Loading } from '../components/Notice.js';
import { ReasonList } from '../components/ReasonList.js';
import { ReportButton } from '../components/ReportButton.js';
import { TableHead } from '../components/TableHead.js';
import { TimeChart } from '../components/TimeChart.js';
import { compact, ratio, when } from '../lib/format.js';
import { bucketize } from '../lib/series.js';
import { useAsync } from '../lib/useAsync.js';

/** Members whose detail and events are fetched for the table and the combined timeline. */
const MEMBER_DETAILS = 60;
const TIMELINE_MEMBERS = 30;
const EVENTS_PER_MEMBER = 300;

async function pool<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return out;
}

async function loadCampaign(id: string, signal: AbortSignal): Promise<Detail> {
  const d = await getCampaign(id, signal);
  if (d.members.length > 0) return d;
  const keys = d.campaign.keys.slice(0, MEMBER_DETAILS);
  const members = await pool(keys, 6, async (k) => {
    try {
      return (await getAccount(k, signal)).row;
    } catch {
      return null;
    }
  });
  return { ...d, members: members.filter((m): m is AccountRow => m !== null) };
}

async function loadTimeline(keys: readonly string[], signal: AbortSignal): Promise<EventView[]> {
  const lists = await pool(keys.slice(0, TIMELINE_MEMBERS), 4, (k) =>
    recentEvents({ key: k, max: EVENTS_PER_MEMBER }, signal).catch(() => [] as EventView[]),
  );
  return lists.flat();
}

function short(key: string): string {
  return key.length > 14 ? `${key.slice(0, 6)}…${key.slice(-5)}` : key;
}

function graphOf(d: Detail): { nodes: GraphNode[]; edges: GraphEdge[]; pairwise: boolean } {
  const verdicts = new Map(d.members.map((m) => [m.key, m.verdict ?? 'unknown']));
  const nodes: GraphNode[] = d.campaign.keys.map((k) => ({
    id: k,
    label: short(k),
    verdict: verdicts.get(k) ?? 'unknown',
  }));
  const known = new Set(d.campaign.keys);
  if (d.links.length > 0) {
    const edges = d.links
      .filter((l) => known.has(l.a) && known.has(l.b))
      .map((l, i) => ({
        id: `e${i}`,
        source: l.a,
        target: l.b,
        label: l.kinds.join(' · '),
        weight: l.weight,
      }));
    return { nodes, edges, pairwise: true };
  }
  const hubId = `campaign:${d.campaign.id}`;
  const label = [...new Set(linkReasons(d.campaign.reasons).map((r) => evidenceLabel(r.signal)))].join(' · ');
  const edges = d.campaign.keys.map((k, i) => ({
    id: `h${i}`,
    source: hubId,
    target: k,
    label,
    weight: null,
  }));
  return {
    nodes: [{ id: hubId, label: d.campaign.id, verdict: d.campaign.verdict, hub: true }, ...nodes],
    edges,
    pairwise: false,
  };
}

function Members({ d }: { d: Detail }) {
  const rows = new Map(d.members.map((m) => [m.key, m]));
  return (
    <div className="table-wrap">
      <table className="table compact-table">
        <caption>
          {d.campaign.keys.length} member keys
          {d.campaign.keys.length > MEMBER_DETAILS ? ` (details for the first ${MEMBER_DETAILS})` : ''}
        </caption>
        <TableHead
          columns={[
            'Key',
            'Score',
            'Verdict',
            { label: 'Requests', num: true },
            { label: 'Output tokens', num: true },
            { label: 'Harvest ratio', num: true },
            'Org',
          ]}
        />
        <tbody>
          {d.campaign.keys.map((k) => {
            const m = rows.get(k);
            return (
              <tr key={k}>
                <td>
                  <Link className="mono" href={hrefOf({ name: 'account', key: k })}>
                    {k}
                  </Link>
                </td>
                <td>
                  <ScoreBar value={m?.score ?? null} />
                </td>
                <td>
                  <VerdictBadge verdict={m?.verdict ?? null} />
                </td>
                <td className="num">{compact(m?.requests)}</td>
                <td className="num">{compact(m?.outputTokens)}</td>
                <td className="num">{ratio(m?.harvestRatio)}</td>
                <td className="mono">{m?.org ?? '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function LinksTable({ d }: { d: Detail }) {
  if (d.links.length === 0) {
    const reasons = linkReasons(d.campaign.reasons);
    return (
      <>
        <p className="muted small">
          The engine reports the linking evidence for the campaign as a whole, not per pair of accounts; the
          graph joins every member to the campaign.
        </p>
        {reasons.length > 0 ? (
          <ReasonList reasons={reasons} />
        ) : (
          <Empty>No linking evidence was reported.</Empty>
        )}
      </>
    );
  }
  return (
    <div className="table-wrap scroll-y">
      <table className="table compact-table">
        <caption>Links between accounts</caption>
        <TableHead columns={['Account', 'Account', 'Evidence', { label: 'Weight', num: true }]} />
        <tbody>
          {d.links.slice(0, 200).map((l) => (
            <tr key={`${l.a}-${l.b}`}>
              <td className="mono">{l.a}</td>
              <td className="mono">{l.b}</td>
              <td>{l.kinds.join(', ')}</td>
              <td className="num">{l.weight === null ? '—' : l.weight.toFixed(2)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Timeline({ keys, theme }: { keys: readonly string[]; theme: string }) {
  const events = useAsync((s) => loadTimeline(keys, s), [keys]);
  const { series } = useMemo(() => bucketize(events.data ?? []), [events.data]);
  if (events.error) return <ErrorNotice error={events.error} retry={events.reload} />;
  if (!events.data) return <Loading what="timeline" />;
  if (series.x.length === 0) return <Empty>No recorded request for these keys.</Empty>;
  return (
    <>
      <TimeChart
        theme={theme}
        label="Combined requests and tokens of the campaign's members"
        x={series.x}
        series={[
          { label: 'Requests', values: series.requests, color: '--c-requests' },
          { label: 'Tokens', values: series.tokens, color: '--c-tokens', scale: 'y2' },
        ]}
        height={200}
      />
      <p className="muted small">
        From the {EVENTS_PER_MEMBER} most recent events of {Math.min(keys.length, TIMELINE_MEMBERS)} member
        keys.
      </p>
    </>
  );
}

export function CampaignDetail({ id, theme }: { id: string; theme: string }) {
  const detail = useAsync((s) => loadCampaign(id, s), [id]);
  const graph = useMemo(() => (detail.data ? graphOf(detail.data) : null), [detail.data]);

  if (detail.error) return <ErrorNotice error={detail.error} retry={detail.reload} />;
  if (!detail.data || !graph) return <Loading what={`campaign ${id}`} />;
  const d = detail.data;
  const c = d.campaign;

  return (
    <>
      <div className="page-head">
        <div>
          <p className="crumbs">
            <Link href={hrefOf({ name: 'campaigns' })}>Campaigns</Link> /
          </p>
          <h1>
            Campaign <span className="mono">{c.id}</span>
          </h1>
        </div>
        <ReportButton kind="campaigns" id={c.id} />
      </div>
      <dl className="facts">
        <Fact label="Score">
          <ScoreBar value={c.score} />
        </Fact>
        <Fact label="Verdict">
          <VerdictBadge verdict={c.verdict} />
        </Fact>
        <Fact label="Keys">{compact(c.keys.length)}</Fact>
        <Fact label="Orgs">{c.orgs.length > 0 ? compact(c.orgs.length) : '—'}</Fact>
        <Fact label="Requests">{compact(c.requests)}</Fact>
        <Fact label="Output tokens">{compact(c.outputTokens)}</Fact>
        <Fact label="Active (UTC)" wide>
          {when(c.firstSeenAt)} → {when(c.lastSeenAt)}
        </Fact>
        <Fact label="First flagged">{when(c.firstFlaggedAt)}</Fact>
      </dl>
      <section className="card" aria-labelledby="bulk-h">
        <h2 id="bulk-h">Bulk action on all {c.keys.length} keys</h2>
        <ActionBar
          targets={c.keys.map((k) => ({ scope: 'key' as const, id: k }))}
          targetLabel={`all ${c.keys.length} keys of campaign ${c.id}`}
          context={`campaign ${c.id}`}
          onDone={detail.reload}
        />
      </section>
      <div className="grid-graph">
        <section className="card" aria-labelledby="graph-h">
          <h2 id="graph-h">Linked accounts</h2>
          <CampaignGraph
            nodes={graph.nodes}
            edges={graph.edges}
            theme={theme}
            label={`Graph of ${c.keys.length} linked accounts${graph.pairwise ? ` and ${graph.edges.length} links` : ''}. The tables on this page list the same accounts and evidence.`}
            onOpen={(k) => navigate(hrefOf({ name: 'account', key: k }))}
          />
          <p className="muted small">Click an account to open it. Edge labels name the linking evidence.</p>
        </section>
        <section className="card" aria-labelledby="why-h">
          <h2 id="why-h">Why these accounts are linked</h2>
          <LinksTable d={d} />
          <h3>All campaign signals</h3>
          <ReasonList reasons={c.reasons} />
        </section>
      </div>
      <section className="card" aria-labelledby="vol-h">
        <h2 id="vol-h">Combined volume and timeline</h2>
        <Timeline keys={c.keys} theme={theme} />
      </section>
      <section className="card" aria-labelledby="mem-h">
        <h2 id="mem-h">Members</h2>
        {c.keys.length === 0 ? <Empty>No member.</Empty> : <Members d={d} />}
      </section>
    </>
  );
}
