import type { Actor, BaseContext } from '@stockline/service';
import type { ApiKeyService } from './domain/api-key.service.ts';
import type { AuditService } from './domain/audit.service.ts';

export interface AccessServices {
  apiKeys: ApiKeyService;
  audit: AuditService;
}

export interface AccessContext extends BaseContext {
  actor: Actor;
  services: AccessServices;
}

export function buildAccessContext(base: BaseContext, services: AccessServices): AccessContext {
  return { ...base, actor: { tenantId: base.viewer.tenantId, userId: base.viewer.userId }, services };
}
