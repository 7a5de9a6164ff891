import { ServiceStatus, type ServiceHealth } from './heartbeats.ts';
import type { WindowStats } from './metric-window.ts';
import type { AlertThresholds } from './monitor-env.ts';

export enum AlertRule {
  ServiceDown = 'ServiceDown',
  HighErrorRatio = 'HighErrorRatio',
  HighLatencyP99 = 'HighLatencyP99',
  ConsumerLag = 'ConsumerLag',
  WebSocketHeartbeatFailures = 'WebSocketHeartbeatFailures',
  LowStock = 'LowStock',
}

/** One condition that holds right now; its `key` identifies it while it lasts. */
export interface Condition {
  key: string;
  rule: AlertRule;
  severity: 'critical' | 'warning';
  summary: string;
  labels: Record<string, string>;
}

export interface RuleInput {
  services: ServiceHealth[];
  /** The last minute at the gateway (null until a minute of samples exists). */
  window: WindowStats | null;
  /** consumer/stream → events behind, from every service's /metrics. */
  consumerLag: Record<string, number>;
  /** service → stock levels below their reorder point. */
  lowStock: Record<string, number>;
}

/** Too few requests make a ratio meaningless (1 failure of 2 is not an outage). */
export const MIN_REQUESTS_FOR_RATIO = 20;

/** Every alert condition that holds, given the latest checks and the last minute's numbers. */
export function evaluateRules(input: RuleInput, t: AlertThresholds): Condition[] {
  const out: Condition[] = [];
  for (const s of input.services) {
    if (s.status === ServiceStatus.Down) {
      out.push({ key: `ServiceDown:${s.name}`, rule: AlertRule.ServiceDown, severity: 'critical', summary: `${s.name} has failed ${s.misses} readiness checks in a row (${s.lastError ?? 'no answer'})`, labels: { service: s.name } });
    }
  }
  const w = input.window;
  if (w && w.requests >= MIN_REQUESTS_FOR_RATIO && w.errorRatio > t.errorRatio) {
    out.push({ key: 'HighErrorRatio', rule: AlertRule.HighErrorRatio, severity: 'critical', summary: `${(w.errorRatio * 100).toFixed(1)}% of requests failed over the last minute (threshold ${(t.errorRatio * 100).toFixed(1)}%)`, labels: { service: 'gateway' } });
  }
  if (w && w.p99Ms !== null && w.p99Ms > t.p99Ms) {
    out.push({ key: 'HighLatencyP99', rule: AlertRule.HighLatencyP99, severity: 'warning', summary: `p99 latency ${w.p99Ms} ms over the last minute (threshold ${t.p99Ms} ms)`, labels: { service: 'gateway' } });
  }
  if (w && w.wsHeartbeatFailures > t.wsHeartbeatFailures) {
    out.push({ key: 'WebSocketHeartbeatFailures', rule: AlertRule.WebSocketHeartbeatFailures, severity: 'warning', summary: `${w.wsHeartbeatFailures} WebSocket clients missed their heartbeat in the last minute`, labels: { service: 'gateway' } });
  }
  for (const [consumer, lag] of Object.entries(input.consumerLag)) {
    if (lag > t.consumerLag) out.push({ key: `ConsumerLag:${consumer}`, rule: AlertRule.ConsumerLag, severity: 'warning', summary: `${consumer} is ${lag} events behind (threshold ${t.consumerLag})`, labels: { consumer } });
  }
  for (const [service, levels] of Object.entries(input.lowStock)) {
    if (levels > 0) out.push({ key: `LowStock:${service}`, rule: AlertRule.LowStock, severity: 'warning', summary: `${levels} stock levels are below their reorder point`, labels: { service } });
  }
  return out;
}
