/** Roles from the contract, plus `service` for calls between subgraphs (never issued to users). */
export enum Role {
  Viewer = 'viewer',
  Clerk = 'clerk',
  Admin = 'admin',
  Service = 'service',
}
