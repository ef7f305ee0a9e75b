/**
 * @module web/app/App
 * The shell: session check, sign-in, navigation, theme toggle and the page for the current route.
 * Focus moves to the main heading region on navigation, for keyboard and screen-reader users.
 */
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { setUnauthorizedListener } from '../api/client.js';
import { getSession, signOut } from '../api/endpoints.js';
import { Link } from '../components/Link.js';
import { Loading } from '../components/Notice.js';
import { type ThemeChoice, useTheme } from '../lib/theme.js';
import { AccountDetail } from '../pages/AccountDetail.js';
import { Accounts } from '../pages/Accounts.js';
import { Campaigns } from '../pages/Campaigns.js';
import { Overview } from '../pages/Overview.js';
import { SignIn } from '../pages/SignIn.js';
import { hrefOf, type Route, useLocation } from './router.js';

/** The campaign page carries the graph library; load it on first use. */
const CampaignDetail = lazy(() =>
  import('../pages/CampaignDetail.js').then((m) => ({ default: m.CampaignDetail })),
);

type Auth = 'checking' | 'signed-in' | 'signed-out';

const TITLES: Record<Route['name'], string> = {
  overview: 'Overview',
  accounts: 'Accounts',
  account: 'Account',
  campaigns: 'Campaigns',
  campaign: 'Campaign',
  notfound: 'Not found',
};

const NAV: ReadonlyArray<{ route: Route; label: string; match: Array<Route['name']> }> = [
  { route: { name: 'overview' }, label: 'Overview', match: ['overview'] },
  { route: { name: 'accounts' }, label: 'Accounts', match: ['accounts', 'account'] },
  { route: { name: 'campaigns' }, label: 'Campaigns', match: ['campaigns', 'campaign'] },
];

function ThemeSelect({ choice, setChoice }: { choice: ThemeChoice; setChoice: (c: ThemeChoice) => void }) {
  return (
    <label className="theme-select">
      <span className="visually-hidden">Theme</span>
      <select value={choice} onChange={(e) => setChoice(e.target.value as ThemeChoice)} aria-label="Theme">
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}

function Page({ route, search, theme }: { route: Route; search: URLSearchParams; theme: string }) {
  switch (route.name) {
    case 'overview':
      return <Overview theme={theme} />;
    case 'accounts':
      return <Accounts search={search} />;
    case 'account':
      return <AccountDetail key={route.key} keyId={route.key} theme={theme} />;
    case 'campaigns':
      return <Campaigns />;
    case 'campaign':
      return (
        <Suspense fallback={<Loading what="campaign view" />}>
          <CampaignDetail key={route.id} id={route.id} theme={theme} />
        </Suspense>
      );
    default:
      return (
        <>
          <h1>Page not found</h1>
          <p>
            <Link href={hrefOf({ name: 'overview' })}>Back to the overview</Link>
          </p>
        </>
      );
  }
}

export function App() {
  const [auth, setAuth] = useState<Auth>('checking');
  const [notice, setNotice] = useState<string | null>(null);
  const { choice, theme, setChoice } = useTheme();
  const { route, search, pathname } = useLocation();
  const main = useRef<HTMLElement>(null);
  const first = useRef(true);

  useEffect(() => {
    setUnauthorizedListener(() => {
      setNotice('Your session has ended. Sign in again.');
      setAuth('signed-out');
    });
    getSession().then(
      (s) => setAuth(s.authenticated ? 'signed-in' : 'signed-out'),
      () => setAuth('signed-out'),
    );
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation (path change), not only on route kind.
  useEffect(() => {
    document.title = `${TITLES[route.name]} · distillguard`;
    if (first.current) {
      first.current = false;
      return;
    }
    main.current?.focus();
  }, [route.name, pathname]);

  if (auth === 'checking') return <Loading what="session" />;
  if (auth === 'signed-out')
    return (
      <SignIn
        notice={notice}
        onSignedIn={() => {
          setNotice(null);
          setAuth('signed-in');
        }}
      />
    );

  const logout = async () => {
    await signOut().catch(() => undefined);
    setNotice('You are signed out.');
    setAuth('signed-out');
  };

  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <Link href={hrefOf({ name: 'overview' })} className="brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          distillguard
        </Link>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.label}>
                <Link href={hrefOf(n.route)} aria-current={n.match.includes(route.name) ? 'page' : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-end">
          <ThemeSelect choice={choice} setChoice={setChoice} />
          <button type="button" className="btn" onClick={logout}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" ref={main} tabIndex={-1}>
        <Page route={route} search={search} theme={theme} />
      </main>
    </>
  );
}
