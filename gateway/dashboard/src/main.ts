import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './style.css';
import { LOW_STOCK, OVERVIEW, query, type Overview } from './api.ts';

const REFRESH_MS = 2_000;
const $ = (id: string) => document.getElementById(id)!;

/** The admin token: from the page's #token=… fragment (kept out of logs), else asked for once. */
function readToken(): string | null {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem('stockline.token', fromHash);
    history.replaceState(null, '', location.pathname);
  }
  return sessionStorage.getItem('stockline.token');
}

interface Chart { plot: uPlot; el: HTMLElement }
const charts = new Map<string, Chart>();

/** Creates or updates a time-series chart (x: seconds since epoch). */
function draw(id: string, series: { label: string; stroke: string }[], data: uPlot.AlignedData) {
  const el = $(id);
  const width = Math.max(280, el.clientWidth);
  let chart = charts.get(id);
  if (!chart) {
    const plot = new uPlot(
      { width, height: 160, series: [{}, ...series.map((s) => ({ ...s, width: 2, points: { show: false } }))], axes: [{}, { size: 50 }], legend: { show: true } },
      data,
      el,
    );
    chart = { plot, el };
    charts.set(id, chart);
  } else {
    chart.plot.setData(data);
    if (Math.abs(chart.plot.width - width) > 4) chart.plot.setSize({ width, height: 160 });
  }
  el.dataset.points = String(data[0].length);
}

function render({ services, alerts, series }: Overview) {
  $('services').replaceChildren(
    ...services.map((s) => {
      const li = document.createElement('li');
      li.className = s.status;
      li.dataset.service = s.name;
      li.dataset.status = s.status;
      li.title = s.lastError ?? `${s.lastLatencyMs ?? '?'} ms`;
      li.textContent = `${s.name} ${s.status}`;
      return li;
    }),
  );
  $('alerts').replaceChildren(
    ...(alerts.length
      ? alerts.map((a) => {
          const li = document.createElement('li');
          li.className = a.status;
          li.textContent = `${new Date(a.startsAt).toLocaleTimeString()} ${a.status} ${a.rule}: ${a.summary}`;
          return li;
        })
      : [Object.assign(document.createElement('li'), { textContent: 'No alerts.' })]),
  );
  const x = series.map((p) => Date.parse(p.at) / 1000);
  draw('chart-rate', [{ label: 'req/s', stroke: '#2f6fdf' }], [x, series.map((p) => p.requestRate)]);
  draw('chart-latency', [{ label: 'p99 ms', stroke: '#c2571a' }], [x, series.map((p) => p.p99Ms)]);
  draw('chart-errors', [{ label: 'errors %', stroke: '#c0262d' }], [x, series.map((p) => p.errorRatio * 100)]);
  draw('chart-subscriptions', [{ label: 'subscriptions', stroke: '#7b3fc4' }, { label: 'sockets', stroke: '#2aa198' }], [x, series.map((p) => p.subscriptions), series.map((p) => p.websocketConnections)]);
  draw('chart-lag', [{ label: 'max lag (events)', stroke: '#6b7a12' }], [x, series.map((p) => p.consumerLag)]);
}

interface LowStockData { items: { nodes: { sku: string; name: string; stockLevels: { available: number; reorderPoint: number | null; location: { code: string } }[] }[] } }

/** Horizontal bars (SVG): available against reorder point, per low level. */
function renderLowStock({ items }: LowStockData) {
  const rows = items.nodes.flatMap((i) => i.stockLevels.filter((l) => l.reorderPoint !== null && l.available < l.reorderPoint).map((l) => ({ label: `${i.sku} @ ${l.location.code}`, available: l.available, reorderPoint: l.reorderPoint! })));
  const box = $('low-stock');
  if (!rows.length) return void (box.textContent = 'Nothing below its reorder point.');
  const max = Math.max(...rows.map((r) => r.reorderPoint), 1);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '100%');
  svg.setAttribute('height', String(rows.length * 22 + 4));
  rows.forEach((r, i) => {
    const bar = document.createElementNS(ns, 'rect');
    bar.setAttribute('class', 'bar');
    bar.setAttribute('x', '180');
    bar.setAttribute('y', String(i * 22 + 4));
    bar.setAttribute('height', '16');
    bar.setAttribute('width', `${Math.max(1, (r.available / max) * 400)}`);
    const text = document.createElementNS(ns, 'text');
    text.setAttribute('class', 'bar-label');
    text.setAttribute('x', '0');
    text.setAttribute('y', String(i * 22 + 16));
    text.textContent = `${r.label}: ${r.available}/${r.reorderPoint}`;
    svg.append(bar, text);
  });
  box.replaceChildren(svg);
}

async function refresh(token: string) {
  try {
    render(await query<Overview>('/admin/graphql', token, OVERVIEW));
    $('error').hidden = true;
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`;
    document.body.dataset.ready = 'true';
  } catch (error) {
    $('error').hidden = false;
    $('error').textContent = (error as Error).message;
  }
  query<LowStockData>('/graphql', token, LOW_STOCK).then(renderLowStock, (error: Error) => ($('low-stock').textContent = error.message));
}

const token = readToken();
if (!token) {
  const form = $('login') as HTMLFormElement;
  form.hidden = false;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem('stockline.token', ($('token') as HTMLInputElement).value.trim());
    location.reload();
  });
} else {
  void refresh(token);
  setInterval(() => void refresh(token), REFRESH_MS);
}
