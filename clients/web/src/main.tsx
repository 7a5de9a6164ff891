import { useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider, useMutation, useQuery, useSubscription } from 'urql';
import { createAppClient, type AppClient, type ConnectionState } from './client.ts';
import { readPageConfig } from './config.ts';
import { OnHandChart } from './chart.tsx';
import { ItemRow, LevelChip, MovementList, OrderList } from './components.tsx';
import {
  ADJUST_STOCK, BOARD, ITEM_INSIGHTS, ITEM_PAGE, LOW_STOCK, ORDER_STATUS_CHANGED, SEARCH, STOCK_CHANGED, VIEWER,
  type BoardData, type ItemInsightsData, type ItemPageData, type SearchData,
} from './documents.ts';
import './app.css';

const TOKEN_KEY = 'stockline.token';
const config = readPageConfig();

function SignIn({ onToken, error }: { onToken: (t: string) => void; error?: string }) {
  const [value, setValue] = useState('');
  return (
    <main className="signin">
      <h1>Stockline</h1>
      <p>Sign in with a token from your identity provider or an API key (<code>slk_…</code>).</p>
      {error ? <p className="error" role="alert">{error}</p> : null}
      {config.devToken ? (
        <button type="button" data-testid="use-dev-token" onClick={() => onToken(config.devToken!)}>Use the development token</button>
      ) : null}
      <form onSubmit={(e) => { e.preventDefault(); if (value.trim()) onToken(value.trim().replace(/^Bearer\s+/i, '')); }}>
        <label htmlFor="token">Token or API key</label>
        <textarea id="token" name="token" rows={3} value={value} onChange={(e) => setValue(e.target.value)} spellCheck={false} autoComplete="off" />
        <button type="submit">Sign in</button>
      </form>
    </main>
  );
}

/** The three live feeds, held for as long as the user is signed in, whatever page is shown. */
function Live() {
  useSubscription({ query: STOCK_CHANGED, variables: { after: null } });
  useSubscription({ query: ORDER_STATUS_CHANGED, variables: { after: null } });
  useSubscription({ query: LOW_STOCK, variables: { after: null } });
  return null;
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

function Board() {
  const [text, setText] = useState('');
  const query = useDebounced(text.trim(), 200);
  const [board] = useQuery<BoardData>({ query: BOARD });
  const [search] = useQuery<SearchData>({ query: SEARCH, variables: { query }, pause: query === '' });
  const items = query === '' ? board.data?.items.nodes : search.data?.searchItems.hits.map((h) => h.item);
  const error = board.error ?? (query ? search.error : undefined);
  return (
    <div className="board">
      <section className="panel items-panel">
        <input className="search" type="search" placeholder="Search items…" aria-label="Search items" value={text} onChange={(e) => setText(e.target.value)} />
        {error ? <p className="error" role="alert">{error.message}</p> : null}
        {items ? (
          <>
            <p className="muted count">{query ? `${search.data?.searchItems.totalCount ?? 0} matching` : `${board.data?.items.totalCount ?? 0} items`}</p>
            <ul className="items" data-testid="items">{items.map((item) => <ItemRow key={item.id} item={item} />)}</ul>
          </>
        ) : <p className="muted">Loading…</p>}
      </section>
      <section className="panel" data-testid="movements">
        <h2>Recent movements</h2>
        <MovementList movements={board.data?.stockMovements.nodes ?? []} />
      </section>
      <section className="panel" data-testid="orders">
        <h2>Orders</h2>
        <OrderList orders={board.data?.orders.nodes ?? []} />
      </section>
    </div>
  );
}

function AdjustButtons({ itemId, locationId }: { itemId: string; locationId: string }) {
  const [state, adjust] = useMutation(ADJUST_STOCK);
  const run = (delta: number) => adjust({ input: { itemId, locationId, delta, reason: 'CORRECTION', idempotencyKey: crypto.randomUUID?.() } });
  return (
    <span className="adjust">
      <button type="button" aria-label="Remove one" disabled={state.fetching} onClick={() => run(-1)}>−</button>
      <button type="button" aria-label="Add one" disabled={state.fetching} onClick={() => run(1)}>+</button>
      {state.data?.adjustStock.userErrors?.[0] ? <small className="error">{state.data.adjustStock.userErrors[0].code}</small> : null}
    </span>
  );
}

const DAYS = 30;
function ItemPage({ id }: { id: string }) {
  const range = useMemo(() => {
    const to = new Date();
    return { from: new Date(to.getTime() - DAYS * 86_400_000).toISOString(), to: to.toISOString() };
  }, [id]);
  const [page] = useQuery<ItemPageData>({ query: ITEM_PAGE, variables: { id } });
  const [insights] = useQuery<ItemInsightsData>({ query: ITEM_INSIGHTS, variables: { id, ...range } });
  const item = page.data?.item;
  if (page.error && !item) return <p className="error" role="alert">{page.error.message}</p>;
  if (!item) return <p className="muted">{page.fetching ? 'Loading…' : 'No such item.'}</p>;
  const image = insights.data?.item?.media?.[0];
  const analytics = insights.data?.item?.analytics;
  return (
    <article className="item-page" data-item-id={item.id}>
      <p><a href="#/">← Board</a></p>
      <header className="item-head">
        {image ? <img src={image.thumbnailUrl ?? image.url} alt={item.name} width={160} height={160} /> : <div className="no-image" aria-label="No image">{item.sku.slice(0, 3)}</div>}
        <div>
          <h1>{item.name}</h1>
          <p className="muted">{item.sku}{item.category ? ` · ${item.category.name}` : ''}</p>
          {item.description ? <p>{item.description}</p> : null}
          <p className="big" data-testid="item-available">{item.stock.available} <small>available · {item.stock.onHand} on hand · {item.stock.reserved} reserved</small></p>
          <p data-testid="days-of-cover">Days of cover: <b>{analytics?.daysOfCover != null ? analytics.daysOfCover.toFixed(1) : '—'}</b>
            {analytics ? <small className="muted"> ({analytics.averageDailyShipped.toFixed(2)} shipped / day over {DAYS} days)</small> : null}</p>
        </div>
      </header>
      <section className="panel">
        <h2>By location</h2>
        <ul className="levels-list">
          {item.stockLevels.map((l) => <li key={l.id}><LevelChip level={l} /> <span className="muted">{l.onHand} on hand · {l.reserved} reserved{l.reorderPoint != null ? ` · reorder at ${l.reorderPoint}` : ''}</span> <AdjustButtons itemId={item.id} locationId={l.location.id} /></li>)}
        </ul>
      </section>
      <section className="panel">
        <h2>On hand, last {DAYS} days</h2>
        {insights.error && !insights.data?.inventoryTimeseries ? <p className="muted">Analytics unavailable.</p> : <OnHandChart points={insights.data?.inventoryTimeseries ?? []} />}
      </section>
      <section className="panel" data-testid="ledger">
        <h2>Ledger</h2>
        <MovementList movements={item.movements.nodes} showItem={false} />
      </section>
    </article>
  );
}

function useHashRoute(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const on = () => setHash(location.hash);
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function useConnection(app: AppClient): ConnectionState {
  const [state, setState] = useState(app.state());
  useEffect(() => app.onState(setState), [app]);
  return state;
}

function SignedIn({ app, onSignOut }: { app: AppClient; onSignOut: (error?: string) => void }) {
  const [viewer] = useQuery<{ viewer: { id: string; tenant: string; roles: string[] } }>({ query: VIEWER });
  const connection = useConnection(app);
  const route = useHashRoute();
  const unauthenticated = viewer.error?.graphQLErrors.some((e) => e.extensions?.code === 'UNAUTHENTICATED');
  useEffect(() => {
    if (unauthenticated) onSignOut('That token was not accepted. Sign in again.');
  }, [unauthenticated, onSignOut]);
  const itemId = /^#\/item\/(.+)$/.exec(route)?.[1];
  return (
    <>
      <Live />
      <header className="top">
        <a href="#/" className="brand">Stockline</a>
        <span className={`conn ${connection}`} data-testid="connection" data-state={connection}>{connection === 'online' ? 'live' : connection}</span>
        <span className="muted tenant">{viewer.data ? viewer.data.viewer.tenant : ''}</span>
        <button type="button" className="link" onClick={() => onSignOut()}>Sign out</button>
      </header>
      {connection === 'offline' ? <div className="banner" role="status" data-testid="offline-banner">Offline — reconnecting. Changes made meanwhile will appear when the connection is back.</div> : null}
      <main>{itemId ? <ItemPage id={decodeURIComponent(itemId)} /> : <Board />}</main>
    </>
  );
}

function App() {
  const [token, setToken] = useState<string | null>(() => localStorage.getItem(TOKEN_KEY));
  const [error, setError] = useState<string | undefined>();
  const app = useMemo(() => (token ? createAppClient({ token }) : null), [token]);
  useEffect(() => () => app?.dispose(), [app]);
  const signIn = (t: string) => {
    localStorage.setItem(TOKEN_KEY, t);
    setError(undefined);
    setToken(t);
  };
  const signOut = useMemo(() => (message?: string) => {
    localStorage.removeItem(TOKEN_KEY);
    setError(message);
    setToken(null);
  }, []);
  if (!app) return <SignIn onToken={signIn} error={error} />;
  return <Provider value={app.client}><SignedIn app={app} onSignOut={signOut} /></Provider>;
}

createRoot(document.getElementById("root")!).render(<App />);
