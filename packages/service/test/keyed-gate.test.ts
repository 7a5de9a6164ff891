import { describe, expect, it } from 'vitest';
import { KeyedGate } from '../src/keyed-gate.ts';

/** A call that stays inside the gate until `finish` is called. */
function held() {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return { done, finish };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedGate', () => {
  it('lets perKey callers of one key through at once and the others in arrival order', async () => {
    const gate = new KeyedGate({ perKey: 2 });
    const started: number[] = [];
    const calls = Array.from({ length: 5 }, () => held());
    const runs = calls.map((call, i) => gate.run(['a'], async () => (started.push(i), await call.done, i)));
    await tick();
    expect(started).toEqual([0, 1]);
    calls[1]!.finish();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    calls[0]!.finish();
    calls[2]!.finish();
    await tick();
    expect(started).toEqual([0, 1, 2, 3, 4]);
    calls[3]!.finish();
    calls[4]!.finish();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(gate.busyKeys).toBe(0);
  });

  it('does not hold callers of another key behind a busy one', async () => {
    const gate = new KeyedGate({ perKey: 1 });
    const blocker = held();
    const busy = gate.run(['hot'], () => blocker.done);
    const queued = gate.run(['hot'], async () => 'queued');
    expect(await gate.run(['cold'], async () => 'cold')).toBe('cold');
    blocker.finish();
    expect(await queued).toBe('queued');
    await busy;
  });

  it('refuses a caller beyond maxQueued with SERVICE_UNAVAILABLE and never runs it', async () => {
    const gate = new KeyedGate({ perKey: 1, maxQueued: 2, noun: 'stock level' });
    const blocker = held();
    const ran: string[] = [];
    const first = gate.run(['a'], () => blocker.done);
    const waiting = [gate.run(['a'], async () => void ran.push('w1')), gate.run(['a'], async () => void ran.push('w2'))];
    const refused = gate.run(['a'], async () => void ran.push('refused'));
    await expect(refused).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' }, message: expect.stringContaining('stock level') });
    blocker.finish();
    await Promise.all([first, ...waiting]);
    expect(ran).toEqual(['w1', 'w2']);
    expect(gate.busyKeys).toBe(0);
  });

  it('refuses a caller that waited maxWaitMs, never runs it, and forgets the key once everyone left', async () => {
    const gate = new KeyedGate({ perKey: 1, maxWaitMs: 30 });
    const blocker = held();
    let ran = false;
    const first = gate.run(['a'], () => blocker.done);
    await expect(gate.run(['a'], async () => void (ran = true))).rejects.toMatchObject({ extensions: { code: 'SERVICE_UNAVAILABLE' } });
    expect(ran).toBe(false);
    expect(gate.busyKeys).toBe(1);
    blocker.finish();
    await first;
    expect(gate.busyKeys).toBe(0);
    expect(await gate.run(['a'], async () => 'again')).toBe('again');
  });

  it('takes several keys in sorted order, so callers naming them in opposite orders both finish', async () => {
    const gate = new KeyedGate({ perKey: 1, maxWaitMs: 1_000 });
    const order: string[] = [];
    const slow = (name: string) => async () => {
      order.push(`${name} in`);
      await tick();
      order.push(`${name} out`);
    };
    await Promise.all([gate.run(['b', 'a'], slow('x')), gate.run(['a', 'b'], slow('y'))]);
    expect(order).toEqual(['x in', 'x out', 'y in', 'y out']);
  });

  it('releases its keys when the call throws', async () => {
    const gate = new KeyedGate({ perKey: 1 });
    await expect(gate.run(['a', 'b'], async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    expect(gate.busyKeys).toBe(0);
    expect(await gate.run(['a'], async () => 'next')).toBe('next');
  });

  it('lets a call naming more than maxKeys keys through without waiting', async () => {
    const gate = new KeyedGate({ perKey: 1, maxKeys: 2 });
    const blocker = held();
    const busy = gate.run(['a'], () => blocker.done);
    expect(await gate.run(['a', 'b', 'c'], async () => 'bulk')).toBe('bulk');
    blocker.finish();
    await busy;
  });
});
