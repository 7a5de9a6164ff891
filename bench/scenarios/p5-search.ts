import { gqlBody } from '../lib/graphql.ts';
import { reindexSearch } from '../../subgraphs/inventory/src/search/reindex-search.ts';
import { SearchDocumentsRepository } from '../../subgraphs/inventory/src/search/search-documents.repository.ts';
import type { Scenario } from '../lib/types.ts';

const COLORS = ['Red', 'Blue', 'Green', 'Yellow', 'Black', 'White', 'Silver', 'Orange', 'Purple', 'Pink', 'Grey', 'Brown', 'Cyan', 'Olive', 'Navy', 'Teal'];
const MATERIALS = ['Steel', 'Brass', 'Nylon', 'Copper', 'Oak', 'Walnut', 'Rubber', 'Glass', 'Ceramic', 'Carbon'];
const NOUNS = [
  'Widget', 'Gadget', 'Bolt', 'Hinge', 'Bracket', 'Cable', 'Lamp', 'Valve', 'Spring', 'Washer', 'Pulley', 'Clamp', 'Hook', 'Latch',
  'Socket', 'Switch', 'Filter', 'Gasket', 'Nozzle', 'Bearing', 'Sprocket', 'Coupler', 'Anchor', 'Rivet', 'Shim', 'Spacer', 'Bushing',
  'Caster', 'Handle', 'Knob', 'Lever', 'Pin', 'Plug', 'Seal', 'Strap', 'Tube', 'Wheel', 'Panel', 'Frame', 'Cover',
];
const QUERIES = [
  { text: 'widgt blu', kind: 'typo', like: '%widgt%' },
  { text: 'gadg', kind: 'prefix', like: '%gadg%' },
];

const SEARCH = `query($q: String!) { searchItems(query: $q, first: 20) { totalCount hits { score item { id sku name } } categoryFacets { value count } } }`;

/**
 * P5: searchItems over 1,000,000 items of one tenant (100,000 with --quick), typo and prefix
 * queries alternating, through the gateway; against `ILIKE '%term%'` on the same table in the
 * same run (a page of 20 and the count, as searchItems answers).
 */
export const scenario: Scenario = {
  id: 'P5',
  title: 'searchItems (typo and prefix) on 1,000,000 items vs ILIKE on the same table',
  async run(ctx) {
    const { tenant } = await ctx.fixture();
    const total = ctx.mode === 'quick' ? 100_000 : 1_000_000;
    const load = await ctx.timeOnce('load: items', 'item', total, async () => {
      for (let from = 1; from <= total; from += 100_000) {
        await ctx.pool.query(
          `INSERT INTO inventory.items (tenant_id, sku, name, description)
           SELECT $1, 'P5-' || lpad(g::text, 7, '0'),
                  ($2::text[])[1 + g % 16] || ' ' || ($3::text[])[1 + (g / 16) % 10] || ' ' || ($4::text[])[1 + (g / 160) % 40],
                  'Bench part ' || g || ' for the ' || lower(($4::text[])[1 + g % 40]) || ' range'
           FROM generate_series($5::int, $6::int) g`,
          [tenant, COLORS, MATERIALS, NOUNS, from, Math.min(total, from + 99_999)],
        );
      }
      await reindexSearch({ documents: new SearchDocumentsRepository(ctx.pool), index: null });
      await ctx.pool.query('ANALYZE inventory.items');
      await ctx.pool.query('ANALYZE inventory.search_lexicon');
    });
    ctx.log(`P5: ${total} items loaded and the lexicon built in ${load.durationS.toFixed(1)} s`);

    const ours = await ctx.load({ name: 'searchItems: ours', body: (n) => gqlBody(SEARCH, { q: QUERIES[n % QUERIES.length].text }), connections: 4 });
    const ilike = await ctx.sqlLoad({
      name: "ILIKE '%term%': raw SQL",
      concurrency: 4,
      run: async (client, n) => {
        const { like } = QUERIES[n % QUERIES.length];
        await client.query(`SELECT id, sku, name FROM inventory.items WHERE tenant_id = $1 AND archived_at IS NULL AND (name ILIKE $2 OR sku ILIKE $2) ORDER BY sku LIMIT 20`, [tenant, like]);
        await client.query(`SELECT count(*) FROM inventory.items WHERE tenant_id = $1 AND archived_at IS NULL AND (name ILIKE $2 OR sku ILIKE $2)`, [tenant, like]);
      },
    });
    const sample = await ctx.gql(SEARCH, { q: 'widgt blu' });
    const widgets = sample.searchItems.totalCount;
    return {
      measurements: [ours, ilike],
      comparisons: [
        { label: 'searchItems p99 (goal < 50 ms)', ours: ours.name, baseline: null, goal: { text: 'p99 < 50 ms', p99BelowMs: 50, zeroErrors: true } },
        { label: 'searchItems vs ILIKE, throughput', ours: ours.name, baseline: ilike.name, goal: { text: '≥ 1× ILIKE', minRatio: 1 } },
      ],
      notes: [
        `${total} items: "<color> <material> <noun>" from ${COLORS.length} × ${MATERIALS.length} × ${NOUNS.length} words; "widgt blu" matches ${widgets} items (Blue or Widget), "gadg" every Gadget.`,
        'searchItems goes through the gateway (auth, federation, JSON) and returns ranked hits, totalCount and category facets; the ILIKE baseline is two SQL statements on a pooled connection, unranked.',
        'ILIKE finds nothing for the typo "widgt" (no typo tolerance): the comparison is of cost, not of answers.',
        'Ratio: throughput of ours / throughput of ILIKE, measured side by side in this run.',
      ],
    };
  },
};
