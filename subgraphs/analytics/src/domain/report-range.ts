import { BadUserInputError } from '@stockline/errors';
import type { Range } from '../data/analytics-store.ts';

export const DAY_MS = 86_400_000;
/** The longest range a report accepts: five years (and a leap day). */
export const MAX_RANGE_DAYS = 5 * 365 + 2;

/** [from, to) checked: from before to, at most five years apart; BAD_USER_INPUT naming the field otherwise. */
export function reportRange({ from, to }: { from: Date; to: Date }): Range {
  if (!(from instanceof Date) || Number.isNaN(from.getTime())) throw new BadUserInputError('"from" must be an ISO-8601 date-time', 'from');
  if (!(to instanceof Date) || Number.isNaN(to.getTime())) throw new BadUserInputError('"to" must be an ISO-8601 date-time', 'to');
  if (from.getTime() >= to.getTime()) {
    throw new BadUserInputError(`"from" must be before "to"; got from ${from.toISOString()} and to ${to.toISOString()}`, 'from');
  }
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS) {
    throw new BadUserInputError(`The range from "from" to "to" must be at most 5 years; got ${Math.ceil((to.getTime() - from.getTime()) / DAY_MS)} days`, 'to');
  }
  return { from, to };
}

/** Days in the range, fractional (a range of 36 hours is 1.5 days). */
export const daysIn = ({ from, to }: Range) => (to.getTime() - from.getTime()) / DAY_MS;

/** An integer argument within [min, max]; BAD_USER_INPUT naming it otherwise. */
export function boundedInt(value: number | null | undefined, { name, min, max, fallback }: { name: string; min: number; max: number; fallback: number }): number {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max) throw new BadUserInputError(`"${name}" must be an integer from ${min} to ${max}; got ${n}`, name);
  return n;
}
