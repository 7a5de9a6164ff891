import { describe, expect, it } from 'vitest';
import { ROLE_SCOPES, Role } from '@stockline/auth';
import { validateNewApiKey } from '../src/domain/api-key-validation.ts';

const now = new Date('2026-01-01T00:00:00Z');
const admin = { scopes: [...ROLE_SCOPES[Role.Admin]] };

describe('validateNewApiKey', () => {
  it('accepts known scopes the creator holds, trimmed name, deduplicated scopes, a future expiry', () => {
    const result = validateNewApiKey(admin, { name: '  Scanner ', scopes: ['read_inventory', 'read_inventory', 'write_inventory'], expiresAt: '2026-02-01T00:00:00Z' }, now);
    expect(result).toEqual({ errors: [], name: 'Scanner', scopes: ['read_inventory', 'write_inventory'], expiresAt: new Date('2026-02-01T00:00:00Z') });
  });

  it('refuses with INVALID_INPUT, each on its field: unknown scope, scope the creator lacks, no scopes, empty name, past expiry', () => {
    const clerkish = { scopes: [...ROLE_SCOPES[Role.Clerk]] };
    const fields = (input: Parameters<typeof validateNewApiKey>[1], creator = admin) =>
      validateNewApiKey(creator, input, now).errors.map((e) => [e.code, e.field]);
    expect(fields({ name: 'k', scopes: ['read_inventory', 'delete_everything'] })).toEqual([['INVALID_INPUT', ['scopes', '1']]]);
    expect(fields({ name: 'k', scopes: ['admin'] }, clerkish)).toEqual([['INVALID_INPUT', ['scopes', '0']]]);
    expect(fields({ name: 'k', scopes: [] })).toEqual([['INVALID_INPUT', ['scopes']]]);
    expect(fields({ name: ' ', scopes: ['admin'] })).toEqual([['INVALID_INPUT', ['name']]]);
    expect(fields({ name: 'k', scopes: ['admin'], expiresAt: now })).toEqual([['INVALID_INPUT', ['expiresAt']]]);
  });
});
