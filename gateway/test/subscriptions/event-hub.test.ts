import { describe, expect, it } from 'vitest';
import { Topic, type DomainEvent } from '@stockline/events';
import { EventHub } from '../../src/subscriptions/event-hub.ts';
import type { StreamReader } from '../../src/subscriptions/event-feed.ts';

/** A gap-free in-memory log with the reader's contract; `readDelayMs` makes catch-up reads race appends. */
function memoryLog({ readDelayMs = 0 } = {}) {
  const events: DomainEvent[] = [];
  const waiters = new Set<() => void>();
  let subscriptions = 0;
  const append = (n = 1) => {
    for (let i = 0; i < n; i++) {
      const seq = events.length + 1;
      events.push({ id: `e${seq}`, stream: 'inventory', tenantId: 't', seq, pos: seq, type: Topic.StockChanged, occurredAt: new Date().toISOString(), payload: { n: seq } });
    }
    waiters.forEach((w) => w());
  };
  const reader: StreamReader = {
    head: async () => events.length,
    async *subscribe({ after, signal }) {
      subscriptions += 1;
      let last = after;
      while (!signal.aborted) {
        if (readDelayMs) await new Promise((r) => setTimeout(r, readDelayMs));
        while (last < events.length && !signal.aborted) yield events[last++];
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            signal.removeEventListener('abort', wake);
            resolve();
          };
          waiters.add(wake);
          signal.addEventListener('abort', wake);
        });
      }
    },
  };
  return { reader, append, subscriptions: () => subscriptions };
}

async function take(iterator: AsyncIterator<DomainEvent>, n: number): Promise<number[]> {
  const seqs: number[] = [];
  while (seqs.length < n) seqs.push((await iterator.next()).value.seq);
  return seqs;
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('EventHub', () => {
  it('reads each (stream, tenant) once however many subscribers listen, and stops when the last leaves', async () => {
    const log = memoryLog();
    const hub = new EventHub({ reader: log.reader });
    const subscribers = Array.from({ length: 50 }, () => hub.open({ stream: 'inventory', tenantId: 't' }));
    await waitUntil(() => hub.listenerCount === 50);
    log.append(3);
    for (const s of subscribers) expect(await take(s, 3)).toEqual([1, 2, 3]);
    expect(log.subscriptions()).toBe(1);
    expect(hub.feedCount).toBe(1);
    await Promise.all(subscribers.map((s) => s.return!()));
    expect(hub.feedCount).toBe(0);
    expect(hub.listenerCount).toBe(0);
  });

  it('serves a recent cursor from the feed without reading the log again', async () => {
    const log = memoryLog();
    const hub = new EventHub({ reader: log.reader });
    const live = hub.open({ stream: 'inventory', tenantId: 't' });
    await waitUntil(() => hub.listenerCount === 1);
    log.append(5);
    await take(live, 5);
    const resumed = hub.open({ stream: 'inventory', tenantId: 't', after: 2 });
    log.append(2);
    expect(await take(resumed, 5)).toEqual([3, 4, 5, 6, 7]);
    expect(log.subscriptions()).toBe(1);
    await live.return!();
    await resumed.return!();
  });

  it('catches up an old cursor from the log and joins the feed with no gap and no duplicate while events keep coming', async () => {
    const log = memoryLog({ readDelayMs: 2 });
    log.append(40);
    const hub = new EventHub({ reader: log.reader, bufferSize: 10 });
    const live = hub.open({ stream: 'inventory', tenantId: 't' });
    await waitUntil(() => hub.listenerCount === 1);
    const resumed = hub.open({ stream: 'inventory', tenantId: 't', after: 5 });
    const appending = (async () => {
      for (let i = 0; i < 20; i++) {
        log.append();
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const seqs = await take(resumed, 55);
    await appending;
    expect(seqs).toEqual(range(6, 60));
    expect(await take(live, 20)).toEqual(range(41, 60));
    await live.return!();
    await resumed.return!();
    expect(hub.feedCount).toBe(0);
  });

  it('ends the iterator with the log\'s error when a cursor cannot be resumed', async () => {
    const log = memoryLog();
    const expired = Object.assign(new Error('expired'), { code: 'CURSOR_EXPIRED' });
    const reader: StreamReader = {
      head: log.reader.head,
      subscribe: (options) =>
        options.after < 3
          ? (async function* () {
              throw expired;
            })()
          : log.reader.subscribe(options),
    };
    log.append(5);
    const hub = new EventHub({ reader });
    const resumed = hub.open({ stream: 'inventory', tenantId: 't', after: 1 });
    await expect(resumed.next()).rejects.toBe(expired);
    await resumed.return!();
    expect(hub.feedCount).toBe(0);
  });
});

async function waitUntil(check: () => boolean) {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
}
