import { describe, expect, it } from 'vitest';
import { toCsvLine } from '../src/http/to-csv-line.ts';

describe('toCsvLine', () => {
  it('quotes fields with commas, quotes or line breaks, and leaves nulls empty', () => {
    expect(toCsvLine(['a', 'b,c', 'say "hi"', null, 3, -2.5])).toBe('a,"b,c","say ""hi""",,3,-2.5\r\n');
    expect(toCsvLine(['two\nlines'])).toBe('"two\nlines"\r\n');
  });

  it('defuses text a spreadsheet would run as a formula, but not negative numbers', () => {
    expect(toCsvLine(['=HYPERLINK("x")', '+1', '-cmd', '@sum', -3])).toBe(`"'=HYPERLINK(""x"")",'+1,'-cmd,'@sum,-3\r\n`);
  });
});
