export { createPubSub, type PubSub } from './create-pub-sub.ts';
export { Topic, type DomainEvent, encodeCursor, decodeCursor } from './domain-event.ts';
export { OutboxRelay, toDomainEvent, type OutboxRelayOptions } from './outbox-relay.ts';
export { readEventsAfter } from './read-events-after.ts';
export { channelFor } from './channel.ts';
export { appendOutboxEvents, type NewEvent, type OutboxWriter } from './append-outbox-events.ts';
