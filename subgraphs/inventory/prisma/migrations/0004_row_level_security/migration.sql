-- Tenant isolation by PostgreSQL row-level security (docs/data.md#tenant-isolation). Hand-written.
-- Request work runs as stockline_app, which cannot bypass it, with the tenant set per transaction
-- (set_config('app.tenant_id', …, true)); migrations, the outbox relay and other all-tenant work run as
-- the owner of these tables (whoever DATABASE_URL names), which row-level security does not restrict
-- (ENABLE without FORCE: see the docs for why).

-- The role is the cluster's, shared by every service and database: made once, by whichever migration
-- gets there first (services migrate their schemas at the same time).
DO $$
BEGIN
  CREATE ROLE stockline_app NOLOGIN NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;

-- The owner's connections switch to it (startup option role=stockline_app, or set_config('role', …)
-- per transaction on embedded PostgreSQL), which needs membership unless the owner is a superuser.
DO $$
BEGIN
  IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    EXECUTE format('GRANT stockline_app TO %I', current_user);
  END IF;
END $$;

GRANT USAGE ON SCHEMA "inventory" TO stockline_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "inventory" TO stockline_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "inventory" TO stockline_app;
REVOKE ALL ON "_migrations" FROM stockline_app;
-- Tables of later migrations get the same grants; their tenant policy they must add themselves (a test
-- fails for any table with a tenant_id column and no policy).
ALTER DEFAULT PRIVILEGES IN SCHEMA "inventory" GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO stockline_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA "inventory" GRANT USAGE, SELECT ON SEQUENCES TO stockline_app;

-- Every table with a tenant: a row is seen, changed and written only by its tenant.

ALTER TABLE "categories" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "categories"
  USING ("tenant_id" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenant_id" = current_setting('app.tenant_id', true));

ALTER TABLE "locations" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "locations"
  USING ("tenant_id" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenant_id" = current_setting('app.tenant_id', true));

ALTER TABLE "items" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "items"
  USING ("tenant_id" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenant_id" = current_setting('app.tenant_id', true));

ALTER TABLE "stock_levels" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "stock_levels"
  USING ("tenant_id" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenant_id" = current_setting('app.tenant_id', true));

ALTER TABLE "stock_movements" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "stock_movements"
  USING ("tenant_id" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenant_id" = current_setting('app.tenant_id', true));

ALTER TABLE "reservations" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "reservations"
  USING ("tenant_id" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenant_id" = current_setting('app.tenant_id', true));

ALTER TABLE "idempotency_keys" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "idempotency_keys"
  USING ("tenant_id" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenant_id" = current_setting('app.tenant_id', true));

ALTER TABLE "tenant_sequences" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "tenant_sequences"
  USING ("tenant_id" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenant_id" = current_setting('app.tenant_id', true));

ALTER TABLE "outbox_events" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "outbox_events"
  USING ("tenant_id" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenant_id" = current_setting('app.tenant_id', true));

ALTER TABLE "search_lexicon" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "tenant_isolation" ON "search_lexicon"
  USING ("tenant_id" = current_setting('app.tenant_id', true))
  WITH CHECK ("tenant_id" = current_setting('app.tenant_id', true));

-- Without a tenant column, so without a policy: "stream_state", "search_checkpoints".
