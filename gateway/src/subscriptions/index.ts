export { attachSubscriptions, type AttachSubscriptionsOptions } from './attach-subscriptions.ts';
export { serveSubscriptions, type ServeSubscriptionsOptions, type SubscriptionServer } from './serve-subscriptions.ts';
export { subscriptionsEnv, subscriptionsConfig, type SubscriptionsConfig } from './subscriptions-env.ts';
export { executeThroughGateway } from './execute-through-gateway.ts';
export { createGatewayEventLog, type GatewayEventLogOptions } from './create-gateway-event-log.ts';
export { eventLogReader } from './event-log-reader.ts';
export { CloseCode } from './close-code.ts';
export { EventHub } from './event-hub.ts';
export type { StreamReader } from './event-feed.ts';
