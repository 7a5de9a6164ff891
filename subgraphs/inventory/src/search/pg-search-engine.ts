import type { Pool } from '@stockline/db';
import type { ItemRecord } from '../domain/records.ts';
import { highlight, escapeHtml, HIGHLIGHT_CLOSE, HIGHLIGHT_OPEN, type HighlightTerms } from './highlight.ts';
import type { EngineResult, SearchEngine, SearchRequest } from './search-engine.ts';
import { searchFilterSql } from './search-filter-sql.ts';

/** Typo corrections looked up per query word. */
export const MAX_CORRECTIONS = 3;
/** Words shorter than this, or with digits (codes, sizes), are matched as typed, never corrected. */
export const MIN_CORRECTED_LENGTH = 3;

/**
 * The ranking blend (docs/search.md), one number per hit, higher first, ties by id:
 *   1000 × (the query is the item's sku, any case)
 * +    n  (how many query words the item matches: all-words matches rank above some-words ones)
 * +  0.6 × ts_rank(sku A 1.0, name B 0.4, description D 0.1; normalized r/(r+1))
 * +  0.4 × trigram similarity(name, query)     (closeness of the whole name; favours "Blue Widget"
 *                                              over "Blue Widget Stand" for "widgt blu")
 * The last two stay below 1, so they only order items within a tier. Rounded to 9 decimals so the
 * cursor can carry it exactly.
 */
const SCORE = `
  (CASE WHEN lower(i.sku) = $4 THEN 1000 ELSE 0 END)
  + (SELECT count(*) FROM unnest(p.groups) g WHERE i.search_document @@ g)
  + round((0.6 * ts_rank('{0.1,0.2,0.4,1.0}', i.search_document, p.q, 32)
         + 0.4 * public.similarity(lower(i.name), $4))::numeric, 9)`;

interface Row {
  id: string;
  tenantId: string;
  sku: string;
  name: string;
  description: string | null;
  categoryId: string | null;
  version: number;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  score: number;
}

/**
 * Search on PostgreSQL: the generated, GIN-indexed `items.search_document` (full text, weighted)
 * for candidates, the per-tenant `search_lexicon` with pg_trgm to correct typo'd words, and one
 * statement that ranks, pages, counts and facets the candidates. Always current: the document is
 * a column of the item, and stock filters read stock_levels at query time.
 */
export class PgSearchEngine implements SearchEngine {
  readonly name = 'postgres';

  constructor(private readonly pool: Pool) {}

  async search({ tenantId, query, filter, first, after }: SearchRequest): Promise<EngineResult> {
    const corrections = await this.correct(tenantId, query.words);
    // Each word: what was typed as a prefix, or one of its corrections. Words contain only letters
    // and digits (parseSearchQuery), so quoting them makes a tsquery no input can break out of.
    const groups = query.words.map((w) => [`'${w}':*`, ...(corrections.get(w) ?? []).map((c) => `'${c}'`)].join(' | '));
    const any = groups.map((g) => `(${g})`).join(' | ') || `''`;
    const values: unknown[] = [tenantId, any, groups, query.text.toLowerCase()];
    const param = (value: unknown) => `$${values.push(value)}`;
    const { common, category } = searchFilterSql(filter, param);
    const inCategory = category ?? 'TRUE';
    const keyset = after ? `AND (score < ${param(after.score)}::numeric OR (score = ${param(after.score)}::numeric AND id > ${param(after.id)}::uuid))` : '';
    const sql = `
      WITH p AS (SELECT to_tsquery('simple', $2) AS q, ARRAY(SELECT to_tsquery('simple', g) FROM unnest($3::text[]) g) AS groups),
      c AS MATERIALIZED (
        SELECT i.id, i.tenant_id AS "tenantId", i.sku, i.name, i.description, i.category_id, i.category_id AS "categoryId",
               i.version, i.archived_at AS "archivedAt", i.created_at AS "createdAt", i.updated_at AS "updatedAt", ${SCORE} AS score
        FROM inventory.items i, p
        WHERE i.tenant_id = $1 AND (i.search_document @@ p.q OR lower(i.sku) = $4)
          ${common.map((c) => `AND ${c}`).join(' ')}
      )
      SELECT
        (SELECT count(*)::int FROM c WHERE ${inCategory}) AS total,
        (SELECT coalesce(json_agg(json_build_object('categoryId', f.category_id, 'count', f.n) ORDER BY f.n DESC, f.category_id), '[]')
           FROM (SELECT category_id, count(*)::int AS n FROM c WHERE category_id IS NOT NULL GROUP BY category_id) f) AS facets,
        (SELECT coalesce(json_agg(h ORDER BY h.score DESC, h.id), '[]')
           FROM (SELECT * FROM c WHERE ${inCategory} ${keyset} ORDER BY score DESC, id LIMIT ${param(first + 1)}) h) AS hits`;
    const { rows } = await this.pool.query<{ total: number; facets: EngineResult['categoryCounts']; hits: Row[] }>(sql, values);
    const { total, facets, hits } = rows[0];
    const terms: HighlightTerms = { prefixes: query.words, exact: new Set([...corrections.values()].flat()) };
    return {
      totalCount: total,
      categoryCounts: facets,
      hasNextPage: hits.length > first,
      hits: hits.slice(0, first).map((row) => {
        const item = toItem(row);
        return { itemId: item.id, item, score: Number(row.score), highlights: highlightsOf(item, terms, query.text) };
      }),
    };
  }

  /** Lexicon words similar to each query word the lexicon does not know (as a word or a prefix). */
  private async correct(tenantId: string, words: string[]): Promise<Map<string, string[]>> {
    const candidates = words.filter((w) => w.length >= MIN_CORRECTED_LENGTH && !/\p{N}/u.test(w));
    if (candidates.length === 0) return new Map();
    const { rows } = await this.pool.query<{ word: string; correction: string }>(
      `SELECT q.word, c.word AS correction
       FROM unnest($2::text[]) AS q(word)
       CROSS JOIN LATERAL (
         SELECT l.word FROM inventory.search_lexicon l
         WHERE l.tenant_id = $1 AND l.word OPERATOR(public.%) q.word
         ORDER BY public.similarity(l.word, q.word) DESC, l.word LIMIT $3) c
       WHERE NOT EXISTS (SELECT 1 FROM inventory.search_lexicon k
                         WHERE k.tenant_id = $1 AND k.word >= q.word COLLATE "C" AND k.word < (q.word || chr(1114111)) COLLATE "C")`,
      [tenantId, candidates, MAX_CORRECTIONS],
    );
    const out = new Map<string, string[]>();
    for (const { word, correction } of rows) out.set(word, [...(out.get(word) ?? []), correction]);
    return out;
  }
}

function toItem(row: Row): ItemRecord {
  return {
    id: row.id,
    tenantId: row.tenantId,
    sku: row.sku,
    name: row.name,
    description: row.description,
    categoryId: row.categoryId,
    version: row.version,
    archivedAt: row.archivedAt ? new Date(row.archivedAt) : null,
    createdAt: new Date(row.createdAt),
    updatedAt: new Date(row.updatedAt),
  };
}

/** The sku when it is the query, then the name and description fragments that match. */
export function highlightsOf(item: Pick<ItemRecord, 'sku' | 'name' | 'description'>, terms: HighlightTerms, text: string): string[] {
  const out: string[] = [];
  if (item.sku.toLowerCase() === text.toLowerCase()) out.push(HIGHLIGHT_OPEN + escapeHtml(item.sku) + HIGHLIGHT_CLOSE);
  const name = highlight(item.name, terms);
  if (name) out.push(name);
  const description = item.description ? highlight(item.description, terms) : null;
  if (description) out.push(description);
  return out;
}
