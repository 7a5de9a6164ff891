import { E_TIMEOUT, Semaphore, withTimeout } from 'async-mutex';
import { ServiceUnavailableError } from '@stockline/errors';

export interface KeyedGateOptions {
  /** Callers of one key let through at once: one holding the database's row lock, one waiting on it. */
  perKey?: number;
  /** Callers of one key that may wait here; one more is refused at once. */
  maxQueued?: number;
  /** How long a caller waits here, for all its keys together, before it is refused. */
  maxWaitMs?: number;
  /** Calls naming more keys than this pass without waiting (bulk calls: the database's locks order them). */
  maxKeys?: number;
  /** What the refusal calls a key ("stock level", "order counter"). */
  noun?: string;
}

interface Lane {
  semaphore: Semaphore;
  /** Callers holding or waiting for this key; the lane goes when it drops to 0. */
  users: number;
}

/**
 * Callers that would wait on the same database row lock wait here instead, in the process, holding no
 * pooled connection: `perKey` of them at a time reach the database, the rest queue in arrival order.
 * Without it, one hot row (a stock level everyone adjusts) takes every connection of the pool while its
 * callers wait for the row, and callers of every other row time out waiting for a connection.
 *
 * The database's locks stay the truth: the gate is per process, so with several replicas each lets its own
 * `perKey` through. A refusal (queue full, or `maxWaitMs` passed) is SERVICE_UNAVAILABLE before anything
 * was written, so a retry with the same idempotency key is safe. Keys are taken in sorted order, so two
 * callers naming the same keys cannot hold one each and wait for the other.
 */
export class KeyedGate {
  private readonly lanes = new Map<string, Lane>();
  private readonly perKey: number;
  private readonly maxQueued: number;
  private readonly maxWaitMs: number;
  private readonly maxKeys: number;
  private readonly noun: string;

  constructor({ perKey = 2, maxQueued = 2_000, maxWaitMs = 10_000, maxKeys = 16, noun = 'row' }: KeyedGateOptions = {}) {
    this.perKey = perKey;
    this.maxQueued = maxQueued;
    this.maxWaitMs = maxWaitMs;
    this.maxKeys = maxKeys;
    this.noun = noun;
  }

  /** Runs `fn` once every key in `keys` lets it through. */
  async run<T>(keys: readonly string[], fn: () => Promise<T>): Promise<T> {
    const unique = [...new Set(keys)].sort();
    if (unique.length === 0 || unique.length > this.maxKeys) return fn();
    const deadline = Date.now() + this.maxWaitMs;
    const exits: (() => void)[] = [];
    try {
      for (const key of unique) exits.push(await this.enter(key, deadline));
      return await fn();
    } finally {
      for (const exit of exits.reverse()) exit();
    }
  }

  /** How many keys have callers holding or waiting (for metrics and tests). */
  get busyKeys(): number {
    return this.lanes.size;
  }

  private async enter(key: string, deadline: number): Promise<() => void> {
    let lane = this.lanes.get(key);
    if (!lane) this.lanes.set(key, (lane = { semaphore: new Semaphore(this.perKey), users: 0 }));
    if (lane.users >= this.perKey + this.maxQueued) {
      throw new ServiceUnavailableError(`This ${this.noun} has ${lane.users} changes in progress or waiting; retry later with the same idempotencyKey.`);
    }
    lane.users++;
    const entered = lane;
    try {
      const [, release] = await withTimeout(entered.semaphore, Math.max(1, deadline - Date.now()), E_TIMEOUT).acquire();
      return () => {
        release();
        this.leave(key, entered);
      };
    } catch (error) {
      this.leave(key, entered);
      if (error !== E_TIMEOUT) throw error;
      throw new ServiceUnavailableError(`This ${this.noun} stayed busy for ${this.maxWaitMs} ms with other changes; retry later with the same idempotencyKey.`);
    }
  }

  private leave(key: string, lane: Lane): void {
    lane.users--;
    if (lane.users === 0 && this.lanes.get(key) === lane) this.lanes.delete(key);
  }
}
