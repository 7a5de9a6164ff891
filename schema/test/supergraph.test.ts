import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, supergraphPath } from '../src/index.ts';

describe('the checked-in supergraph', () => {
  it('composes from the subgraphs without errors', () => {
    const result = composeSupergraph();
    expect('errors' in result ? result.errors : []).toEqual([]);
  });

  it('is what composing the subgraphs writes today (run `npm run compose` when this fails)', () => {
    const result = composeSupergraph();
    if ('errors' in result) throw new Error(result.errors.join('\n'));
    expect(readFileSync(supergraphPath, 'utf8')).toBe(result.supergraphSdl);
  });
});
