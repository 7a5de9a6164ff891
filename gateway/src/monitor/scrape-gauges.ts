/** Values of the gauges the monitor reads from another service's /metrics text. */
export interface ScrapedGauges {
  consumerLag: Record<string, number>;
  lowStockLevels: number;
}

const LINE = /^(stockline_event_consumer_lag|stockline_low_stock_levels)(?:\{([^}]*)\})?\s+([-+\d.eE]+|NaN)/;
const label = (labels: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(labels)?.[1] ?? '';

/** Picks consumer lag and low-stock gauges out of Prometheus's text format. */
export function parseGauges(text: string): ScrapedGauges {
  const out: ScrapedGauges = { consumerLag: {}, lowStockLevels: 0 };
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const value = Number(m[3]);
    if (m[1] === 'stockline_low_stock_levels') out.lowStockLevels += value;
    else out.consumerLag[`${label(m[2] ?? '', 'consumer') || 'consumer'}/${label(m[2] ?? '', 'stream')}`] = value;
  }
  return out;
}

/** GET `<url>/metrics` and parse it; null when the service does not answer. */
export async function scrapeGauges(url: string, timeoutMs: number): Promise<ScrapedGauges | null> {
  try {
    const response = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(timeoutMs) });
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    return parseGauges(await response.text());
  } catch {
    return null;
  }
}
