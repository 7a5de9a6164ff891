import { DateTimeScalar } from '@stockline/service';
import type { Viewer } from '@stockline/auth';
import type { AuditEntryRecord } from '../domain/records.ts';
import { Mutation } from './mutation.ts';
import { Query } from './query.ts';

export const resolvers = {
  DateTime: DateTimeScalar,
  Query,
  Mutation,
  Viewer: {
    id: (v: Viewer) => v.userId,
    tenant: (v: Viewer) => v.tenantId,
  },
  AuditEntry: {
    details: (e: AuditEntryRecord) => JSON.stringify(e.details),
  },
};
