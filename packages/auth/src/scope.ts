import { Role } from './role.ts';

/** What a caller may do. The names follow Shopify's access scopes (`read_inventory`, `write_orders`). */
export enum Scope {
  ReadInventory = 'read_inventory',
  WriteInventory = 'write_inventory',
  ReadOrders = 'read_orders',
  WriteOrders = 'write_orders',
  ReadAnalytics = 'read_analytics',
  ReadMedia = 'read_media',
  WriteMedia = 'write_media',
  Admin = 'admin',
}

/** Every scope, in the contract's order. */
export const ALL_SCOPES: readonly Scope[] = Object.values(Scope);

const READ = [Scope.ReadInventory, Scope.ReadOrders, Scope.ReadAnalytics, Scope.ReadMedia];

/** The roles are bundles of scopes (the contract's access section): viewer reads, clerk also writes stock and orders, admin has all. */
export const ROLE_SCOPES: Readonly<Record<Role, readonly Scope[]>> = {
  [Role.Viewer]: READ,
  [Role.Clerk]: [...READ, Scope.WriteInventory, Scope.WriteOrders],
  [Role.Admin]: ALL_SCOPES,
  // A service token acts between services on internal endpoints; it carries no user scope.
  [Role.Service]: [],
};

const KNOWN = new Set<string>(ALL_SCOPES);

/** True when `value` is one of the scope names. */
export const isScope = (value: unknown): value is Scope => typeof value === 'string' && KNOWN.has(value);

/** The union of the roles' bundles, in the contract's order. */
export function scopesOfRoles(roles: readonly string[]): Scope[] {
  const held = new Set(roles.flatMap((r) => ROLE_SCOPES[r as Role] ?? []));
  return ALL_SCOPES.filter((s) => held.has(s));
}
