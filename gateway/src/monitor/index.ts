export { observeGateway, type GatewayObservability } from './observe-gateway.ts';
export { monitorEnv, monitorConfig, type MonitorConfig, type AlertThresholds } from './monitor-env.ts';
export { createMonitor, type Monitor, type SeriesPoint } from './create-monitor.ts';
export { AlertBook, AlertStatus, type Alert } from './alert-book.ts';
export { evaluateRules, AlertRule, type Condition } from './alert-rules.ts';
export { createAlertNotifier, webhookBody } from './alert-notifier.ts';
export { Heartbeats, ServiceStatus, type ServiceHealth } from './heartbeats.ts';
export { parseGauges } from './scrape-gauges.ts';
