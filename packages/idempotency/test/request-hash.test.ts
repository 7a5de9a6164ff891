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
});
