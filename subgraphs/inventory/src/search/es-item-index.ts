import type { Client } from '@elastic/elasticsearch';
import { ITEM_INDEX_MAPPINGS, ITEM_INDEX_SETTINGS } from './es-mappings.ts';
import type { SearchDocument } from './search-documents.repository.ts';

/** Documents per bulk request during a full reindex. */
export const REINDEX_BATCH = 1_000;

/**
 * The items index behind its alias. Writes and searches go through the alias; a full reindex
 * builds a new concrete index `<alias>-<timestamp>`, then moves the alias to it in one atomic
 * `_aliases` call and deletes the old one, so searches never see a missing or half-built index.
 */
export class EsItemIndex {
  constructor(
    private readonly client: Client,
    readonly alias: string,
  ) {}

  /** Creates a first index behind the alias when there is none; true when it did (the caller then fills it). */
  async ensure(): Promise<boolean> {
    if (await this.client.indices.existsAlias({ name: this.alias })) return false;
    await this.createIndex(this.alias, true);
    return true;
  }

  /**
   * Indexes documents in one bulk request, each with external version `version` (`external_gte`):
   * a write older than what the index holds is refused by Elasticsearch (409), which is the
   * expected outcome of a replay or a slower replica, and is not an error. Other failures throw.
   */
  async bulkIndex(docs: { doc: SearchDocument; version: number }[], index = this.alias): Promise<void> {
    if (docs.length === 0) return;
    const operations = docs.flatMap(({ doc, version }) => [
      { index: { _index: index, _id: doc.itemId, version, version_type: 'external_gte' as const } },
      doc,
    ]);
    const response = await this.client.bulk({ operations, refresh: false });
    if (!response.errors) return;
    const failed = response.items.map((i) => i.index).filter((i) => i?.error && i.status !== 409);
    if (failed.length) throw new Error(`Elasticsearch refused ${failed.length} document(s): ${JSON.stringify(failed[0]?.error)}`);
  }

  /**
   * Builds a new index from `pages` (every document, version `version`), then swaps the alias to
   * it atomically and deletes the indices it replaced. Returns the new index's name.
   */
  async rebuild(pages: AsyncIterable<SearchDocument[]>, version: number): Promise<string> {
    const name = `${this.alias}-${Date.now()}`;
    await this.createIndex(name, false);
    for await (const page of pages) await this.bulkIndex(page.map((doc) => ({ doc, version })), name);
    await this.client.indices.refresh({ index: name });
    const previous = await this.currentIndices();
    await this.client.indices.updateAliases({
      actions: [...previous.map((index) => ({ remove: { index, alias: this.alias } })), { add: { index: name, alias: this.alias, is_write_index: true } }],
    });
    if (previous.length) await this.client.indices.delete({ index: previous });
    return name;
  }

  /** The concrete indices behind the alias. */
  async currentIndices(): Promise<string[]> {
    if (!(await this.client.indices.existsAlias({ name: this.alias }))) return [];
    return Object.keys(await this.client.indices.getAlias({ name: this.alias }));
  }

  private async createIndex(name: string, withAlias: boolean): Promise<void> {
    await this.client.indices.create({
      index: withAlias ? `${this.alias}-${Date.now()}` : name,
      settings: ITEM_INDEX_SETTINGS,
      mappings: ITEM_INDEX_MAPPINGS,
      ...(withAlias ? { aliases: { [this.alias]: { is_write_index: true } } } : {}),
    });
  }
}
