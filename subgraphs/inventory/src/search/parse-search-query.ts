import { BadUserInputError } from '@stockline/errors';

/** Longest query accepted, in characters (a product search box, not a document). */
export const MAX_QUERY_LENGTH = 200;
/** Words beyond this many are ignored. */
export const MAX_QUERY_WORDS = 8;
/** Longest word kept; longer ones are cut (no product word is this long). */
export const MAX_WORD_LENGTH = 40;

/** A query reduced to what the engines may safely use. */
export interface ParsedQuery {
  /** The query as typed, NFKC-normalized and trimmed; compared with skus. */
  text: string;
  /** Lower-case words of letters and digits only, deduplicated, in order; no syntax of any engine survives. */
  words: string[];
}

// NUL and other C0/C1 controls, and the bidirectional overrides/isolates that make text display
// differently from what it contains ("Trojan Source"). Tab, CR and LF are just spaces.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Bidi_Control}]/u;
const WORD = /[\p{L}\p{N}]+/gu;

/**
 * Checks and normalizes a search query. Throws BAD_USER_INPUT (field "query") for a query over
 * MAX_QUERY_LENGTH characters or with control or bidi characters; anything else parses, and a query
 * with no letters or digits (empty, only punctuation) parses to no words, which matches nothing.
 */
export function parseSearchQuery(query: string): ParsedQuery {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new BadUserInputError(`"query" must be at most ${MAX_QUERY_LENGTH} characters; got ${query.length}`, 'query');
  }
  if (FORBIDDEN.test(query)) {
    throw new BadUserInputError('"query" must not contain control or bidirectional-override characters', 'query');
  }
  const text = query.normalize('NFKC').replace(/\s+/g, ' ').trim();
  const words = [...new Set((text.toLowerCase().match(WORD) ?? []).map((w) => w.slice(0, MAX_WORD_LENGTH)))];
  return { text, words: words.slice(0, MAX_QUERY_WORDS) };
}
