/**
 * The board's documents against the composed supergraph: a schema change that breaks a query the app sends
 * (a renamed field, a new required argument, a type change) fails here, not in a user's browser.
 */
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { Supergraph } from '@apollo/federation-internals';
import { formatDocument, stringifyDocument } from '@urql/core';
import { parse, validate, type GraphQLSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { OPERATIONS } from '../src/documents.ts';
import { persistedDocuments } from '../vite.config.ts';

const supergraphPath = fileURLToPath(new URL('../../../schema/supergraph.graphql', import.meta.url));
const apiSchema = (sdl: string): GraphQLSchema => Supergraph.build(sdl).apiSchema().toGraphQLJSSchema();

describe('web client documents', () => {
  const schema = apiSchema(readFileSync(supergraphPath, 'utf8'));

  it.each(Object.entries(OPERATIONS))('%s validates against schema/supergraph.graphql as the client sends it', (_name, doc) => {
    const sent = parse(stringifyDocument(formatDocument(doc)));
    expect(validate(schema, sent).map((e) => e.message)).toEqual([]);
  });

  it('fails when a field a document selects leaves the schema', () => {
    const broken = apiSchema(readFileSync(supergraphPath, 'utf8').replace(/\n {2}reorderPoint: Int\n/, '\n  reorderLevel: Int\n'));
    const errors = validate(broken, parse(stringifyDocument(OPERATIONS.BOARD)));
    expect(errors.map((e) => e.message).join('\n')).toMatch(/Cannot query field "reorderPoint" on type "StockLevel"/);
  });

  it('ships a trusted-documents manifest of every operation, keyed by the sha256 the client sends as its APQ hash', () => {
    const manifest = persistedDocuments();
    expect(Object.keys(manifest)).toHaveLength(Object.keys(OPERATIONS).length);
    for (const [hash, text] of Object.entries(manifest)) expect(createHash('sha256').update(text).digest('hex')).toBe(hash);
  });
});
