import { describe, expect, it } from 'vitest';
import { allocate } from '../src/domain/reservation.service.ts';

describe('allocate', () => {
  it('takes the whole quantity from the one location with most available when it can cover it', () => {
    expect(allocate(5, [{ locationId: 'a', available: 5 }, { locationId: 'b', available: 9 }, { locationId: 'c', available: 2 }])).toEqual([{ locationId: 'b', quantity: 5 }]);
    expect(allocate(5, [{ locationId: 'a', available: 5 }])).toEqual([{ locationId: 'a', quantity: 5 }]);
  });

  it('splits across locations, most available first, when none covers the quantity alone', () => {
    expect(allocate(10, [{ locationId: 'a', available: 3 }, { locationId: 'b', available: 6 }, { locationId: 'c', available: 4 }])).toEqual([
      { locationId: 'b', quantity: 6 },
      { locationId: 'c', quantity: 4 },
    ]);
  });

  it('breaks ties between equally stocked locations by location id, whatever the input order', () => {
    expect(allocate(5, [{ locationId: 'b', available: 3 }, { locationId: 'a', available: 3 }])).toEqual([
      { locationId: 'a', quantity: 3 },
      { locationId: 'b', quantity: 2 },
    ]);
    expect(allocate(3, [{ locationId: 'b', available: 3 }, { locationId: 'a', available: 3 }])).toEqual([{ locationId: 'a', quantity: 3 }]);
  });

  it('answers null when all locations together fall short, and never plans from an empty or negative location', () => {
    expect(allocate(8, [{ locationId: 'a', available: 3 }, { locationId: 'b', available: 4 }])).toBeNull();
    expect(allocate(1, [])).toBeNull();
    expect(allocate(1, [{ locationId: 'a', available: 0 }, { locationId: 'b', available: -2 }])).toBeNull();
    expect(allocate(4, [{ locationId: 'z', available: 0 }, { locationId: 'a', available: 2 }, { locationId: 'b', available: 2 }])).toEqual([
      { locationId: 'a', quantity: 2 },
      { locationId: 'b', quantity: 2 },
    ]);
  });
});
