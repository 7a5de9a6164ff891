import type { ExecutionResult } from 'graphql';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '@stockline/events';
import { PushQueue } from '../../src/subscriptions/push-queue.ts';
import { pumpEvents } from '../../src/subscriptions/pump-events.ts';

const event = (seq: number) => ({ seq, type: 'StockChanged', payload: { seq } }) as unknown as DomainEvent;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pumpEvents', () => {
  it('ends a subscription whose hydration falls behind the stream once more than the limit wait, though its client reads', async () => {
    const events = new PushQueue<DomainEvent>();
    const results = new PushQueue<ExecutionResult>();
    const delivered: number[] = [];
    const reader = (async () => {
      for await (const r of results) delivered.push((r.data as { seq: number }).seq);
    })().catch((error) => error);
    let waitingWhenEnded = 0;
    const pumping = pumpEvents({ events, results, accepts: () => true, hydrate: async (e) => (await pause(20), { data: { seq: e.seq } }), max: 10, maxPending: 10, slow: (waiting) => ((waitingWhenEnded = waiting), results.fail(new Error('SLOW_CONSUMER'))) });
    for (let seq = 1; seq <= 50; seq++) events.push(event(seq));
    await pumping;
    const ended = await reader;
    expect(ended).toBeInstanceOf(Error);
    expect(waitingWhenEnded).toBeGreaterThan(10);
    // It stopped long before hydrating all 50: what waited was bounded, not drained.
    expect(delivered.length).toBeLessThan(10);
    expect(delivered).toEqual(delivered.map((_, i) => i + 1));
  });

  it('delivers every accepted event in order, and ends with the stream, when it keeps up', async () => {
    const events = new PushQueue<DomainEvent>();
    const results = new PushQueue<ExecutionResult>();
    const pumping = pumpEvents({ events, results, accepts: (e) => e.seq % 2 === 0, hydrate: async (e) => ({ data: { seq: e.seq } }), max: 10, slow: () => results.fail(new Error('SLOW_CONSUMER')) });
    const delivered: number[] = [];
    const reader = (async () => {
      for await (const r of results) delivered.push((r.data as { seq: number }).seq);
    })();
    for (let seq = 1; seq <= 40; seq++) {
      events.push(event(seq));
      await pause(1);
    }
    events.end();
    await pumping;
    await reader;
    expect(delivered).toEqual(Array.from({ length: 20 }, (_, i) => (i + 1) * 2));
  });
});
