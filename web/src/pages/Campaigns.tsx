/**
 * @module web/pages/Campaigns
 * Every campaign (linked group of accounts) the engine found, highest score first.
 */
import { listCampaigns } from '../api/endpoints.js';
import { hrefOf } from '../app/router.js';
import { ScoreBar, VerdictBadge } from '../components/Badges.js';
import { Link } from '../components/Link.js';
import { Empty, ErrorNotice, Loading } from '../components/Notice.js';
import { signalName } from '../components/ReasonList.js';
import { TableHead } from '../components/TableHead.js';
import { compact, when } from '../lib/format.js';
import { useAsync } from '../lib/useAsync.js';

export function Campaigns() {
  const campaigns = useAsync((s) => listCampaigns(s), []);
  if (campaigns.error) return <ErrorNotice error={campaigns.error} retry={campaigns.reload} />;
  if (!campaigns.data) return <Loading what="campaigns" />;
  const rows = [...campaigns.data].sort((a, b) => b.score - a.score);
  return (
    <>
      <div className="page-head">
        <h1>Campaigns</h1>
        <span className="muted">{compact(rows.length)} found</span>
      </div>
      {rows.length === 0 ? (
        <Empty>No campaign found: no group of accounts is linked by strong evidence.</Empty>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Campaigns">
            <TableHead
              columns={[
                'Campaign',
                'Score',
                'Verdict',
                { label: 'Keys', num: true },
                { label: 'Requests', num: true },
                { label: 'Output tokens', num: true },
                'First flagged (UTC)',
                'Top evidence',
              ]}
            />
            <tbody>
              {rows.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link className="mono" href={hrefOf({ name: 'campaign', id: c.id })}>
                      {c.id}
                    </Link>
                  </td>
                  <td>
                    <ScoreBar value={c.score} />
                  </td>
                  <td>
                    <VerdictBadge verdict={c.verdict} />
                  </td>
                  <td className="num">{compact(c.keys.length)}</td>
                  <td className="num">{compact(c.requests)}</td>
                  <td className="num">{compact(c.outputTokens)}</td>
                  <td>{when(c.firstFlaggedAt)}</td>
                  <td className="small">{c.reasons[0] ? signalName(c.reasons[0].signal) : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
