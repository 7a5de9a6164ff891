import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AlertBook, AlertRule, AlertStatus, ServiceStatus, evaluateRules, parseGauges, webhookBody } from '../src/monitor/index.ts';

const RULES = fileURLToPath(new URL('../../ops/prometheus/alerts.yml', import.meta.url));
const thresholds = { errorRatio: 0.05, p99Ms: 2_000, consumerLag: 1_000, wsHeartbeatFailures: 10 };
const service = (name: string, status: ServiceStatus) => ({ name, url: 'http://x', status, misses: status === ServiceStatus.Down ? 3 : 0, lastCheckAt: null, lastLatencyMs: null, lastError: null });
const window = { seconds: 60, requests: 100, requestRate: 100 / 60, errorRatio: 0, p99Ms: 50, wsHeartbeatFailures: 0 };

describe('alert rules', () => {
  it('fires ServiceDown, HighErrorRatio, HighLatencyP99, ConsumerLag, WebSocketHeartbeatFailures and LowStock on their thresholds', () => {
    const fired = evaluateRules(
      { services: [service('orders', ServiceStatus.Down), service('inventory', ServiceStatus.Up)], window: { ...window, errorRatio: 0.2, p99Ms: 2_500, wsHeartbeatFailures: 11 }, consumerLag: { 'search/inventory': 1_001, 'analytics/orders': 3 }, lowStock: { inventory: 2 } },
      thresholds,
    );
    expect(fired.map((c) => c.key).sort()).toEqual(['ConsumerLag:search/inventory', 'HighErrorRatio', 'HighLatencyP99', 'LowStock:inventory', 'ServiceDown:orders', 'WebSocketHeartbeatFailures']);
  });

  it('fires nothing on a healthy minute, nor an error ratio over too few requests', () => {
    expect(evaluateRules({ services: [service('orders', ServiceStatus.Up)], window, consumerLag: {}, lowStock: { inventory: 0 } }, thresholds)).toEqual([]);
    expect(evaluateRules({ services: [], window: { ...window, requests: 3, errorRatio: 1 }, consumerLag: {}, lowStock: {} }, thresholds)).toEqual([]);
  });
});

describe('AlertBook', () => {
  it('fires an alert once while its condition holds and resolves it once', () => {
    const book = new AlertBook();
    const down = { key: 'ServiceDown:orders', rule: AlertRule.ServiceDown, severity: 'critical' as const, summary: 'down', labels: { service: 'orders' } };
    expect(book.update([down]).map((a) => a.status)).toEqual([AlertStatus.Firing]);
    expect(book.update([down])).toEqual([]);
    const resolved = book.update([]);
    expect(resolved.map((a) => [a.key, a.status])).toEqual([['ServiceDown:orders', AlertStatus.Resolved]]);
    expect(book.update([])).toEqual([]);
    expect(book.list({ active: true })).toEqual([]);
    expect(webhookBody(resolved[0]).alerts[0]).toMatchObject({ status: 'resolved', labels: { alertname: 'ServiceDown', service: 'orders' } });
  });
});

describe('parseGauges', () => {
  it('reads consumer lag and low-stock gauges from Prometheus text', () => {
    const text = ['# HELP x', 'stockline_event_consumer_lag{consumer="search",stream="inventory",service="search"} 12', 'stockline_low_stock_levels{service="inventory"} 3', 'other_metric 5'].join('\n');
    expect(parseGauges(text)).toEqual({ consumerLag: { 'search/inventory': 12 }, lowStockLevels: 3 });
  });
});

describe('shipped Prometheus rules', () => {
  it('pass promtool check rules', async () => {
    const { stdout } = await promisify(execFile)('/usr/bin/promtool', ['check', 'rules', RULES]);
    expect(stdout).toMatch(/SUCCESS: \d+ rules found/);
  });
});
