import { describe, expect, it } from 'vitest';
import { requestHash } from '../src/index.ts';

describe('requestHash', () => {
  it('is the same for the same input whatever the key order, and ignores the idempotency key', () => {
    expect(requestHash({ a: 1, b: [1, { c: 2, d: 3 }], idempotencyKey: 'x' })).toBe(requestHash({ b: [1, { d: 3, c: 2 }], a: 1, idempotencyKey: 'y' }));
  });

  it('differs when any value differs, including null against a value', () => {
    expect(requestHash({ a: 1 })).not.toBe(requestHash({ a: 2 }));
    expect(requestHash({ a: null })).not.toBe(requestHash({ a: 0 }));
    expect(requestHash({ a: [1, 2] })).not.toBe(requestHash({ a: [2, 1] }));
  });

  it('tells apart inputs that differ only in how array elements split, in a date, or in array against object', () => {
    expect(requestHash({ a: [1, 23] })).not.toBe(requestHash({ a: [12, 3] }));
    expect(requestHash({ ab: 1, c: 2 })).not.toBe(requestHash({ a: 1, bc: 2 }));
    expect(requestHash({ at: new Date('2026-01-01T00:00:00Z') })).not.toBe(requestHash({ at: new Date('2026-01-02T00:00:00Z') }));
    expect(requestHash({ at: new Date('2026-01-01T00:00:00Z') })).toBe(requestHash({ at: '2026-01-01T00:00:00.000Z' }));
    expect(requestHash({ a: [1] })).not.toBe(requestHash({ a: { 0: 1 } }));
  });

  it('treats an absent field and an undefined one alike, but not a null one', () => {
    expect(requestHash({ a: 1, b: undefined })).toBe(requestHash({ a: 1 }));
    expect(requestHash({ a: 1, b: null })).not.toBe(requestHash({ a: 1 }));
  });

  it('stays the same across releases, so a retry after a deploy still matches its stored key', () => {
    const input = { itemId: 'i-1', delta: -2, reason: 'DAMAGED', lines: [{ q: 1 }, { q: 23 }], at: new Date('2026-01-02T03:04:05.000Z'), note: null, idempotencyKey: 'k' };
    expect(requestHash(input)).toBe('10a3121075bc92c2d5147fe229ac89326bd95a1b98133288671dd2377ebaeb0b');
  });
});

