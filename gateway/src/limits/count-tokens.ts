import { Lexer, Source, TokenKind } from 'graphql';

/**
 * Tokens in a GraphQL document, counted with graphql-js's own lexer, stopping at `stopAfter`.
 * A document the lexer cannot read counts what it read so far (parsing reports the syntax error).
 */
export function countTokens(query: string, stopAfter = Number.POSITIVE_INFINITY): number {
  const lexer = new Lexer(new Source(query));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++count >= stopAfter) break;
    }
  } catch {
    // a syntax error: parse() reports it properly
  }
  return count;
}
