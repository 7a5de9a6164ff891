-- Item search on PostgreSQL (docs/search.md). Hand-written: Prisma's schema language cannot say any of it.

-- Trigram similarity for typo tolerance. Installed in "public" so that every schema's queries reach
-- it the same way (the search SQL names it public.similarity / OPERATOR(public.%)).
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

-- The search document: a generated column, so it is current in the very transaction that changes
-- the item (no indexer lag for PostgreSQL search). sku weighs A, name B, description D.
-- 'simple' configuration: no stemming and no stop words (product names, codes, any language).
ALTER TABLE "items" ADD COLUMN "search_document" tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('simple'::regconfig, "sku"), 'A') ||
  setweight(to_tsvector('simple'::regconfig, "name"), 'B') ||
  setweight(to_tsvector('simple'::regconfig, coalesce("description", '')), 'D')
) STORED;
CREATE INDEX "items_search_document" ON "items" USING gin ("search_document");

-- An exact sku, whatever its case, ranks first.
CREATE INDEX "items_search_sku" ON "items" ("tenant_id", lower("sku"));

-- The per-tenant vocabulary that typo'd query words are corrected against (the pg_trgm manual's
-- "text search integration": look similar words up in a small table, then search the big one
-- for the corrected words). Maintained by the search indexer from ItemChanged events; words are
-- only added, and `npm run reindex` rebuilds it.
CREATE TABLE "search_lexicon" (
    "tenant_id" TEXT NOT NULL,
    -- Byte order, so that "words starting with w" is a range of the primary key.
    "word" TEXT COLLATE "C" NOT NULL,

    CONSTRAINT "search_lexicon_pkey" PRIMARY KEY ("tenant_id", "word")
);
CREATE INDEX "search_lexicon_word_trgm" ON "search_lexicon" USING gin ("word" public.gin_trgm_ops);

-- Where each search indexer (lexicon, Elasticsearch) is in the inventory event stream.
CREATE TABLE "search_checkpoints" (
    "name" TEXT NOT NULL,
    "pos" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "search_checkpoints_pkey" PRIMARY KEY ("name")
);

INSERT INTO "search_lexicon" ("tenant_id", "word")
SELECT DISTINCT i."tenant_id", w.word
FROM "items" i, regexp_split_to_table(lower(i."name" || ' ' || coalesce(i."description", '')), '[^[:alpha:]]+') AS w(word)
WHERE length(w.word) BETWEEN 3 AND 40
ON CONFLICT DO NOTHING;
