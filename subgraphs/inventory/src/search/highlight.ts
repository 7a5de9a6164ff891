/** Marks put around matched words; everything else in a fragment is HTML-escaped. */
export const HIGHLIGHT_OPEN = '<em>';
export const HIGHLIGHT_CLOSE = '</em>';
/** Characters of context kept around the first match of a long text. */
export const DEFAULT_FRAGMENT_LENGTH = 120;

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const TOKEN = /[\p{L}\p{N}]+/gu;

/** HTML-escapes text so that it can sit between highlight marks. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Which words to mark: the exact ones (typo corrections) and the prefixes (what was typed). */
export interface HighlightTerms {
  exact: ReadonlySet<string>;
  prefixes: readonly string[];
}

function matches(token: string, { exact, prefixes }: HighlightTerms): boolean {
  const t = token.toLowerCase();
  return exact.has(t) || prefixes.some((p) => t.startsWith(p));
}

/**
 * One fragment of `text` with every matching word wrapped in `<em>…</em>` and the rest
 * HTML-escaped, or null when no word matches. Texts longer than `fragmentLength` are cut around
 * the first match, with "…" where they were cut.
 */
export function highlight(text: string, terms: HighlightTerms, fragmentLength = DEFAULT_FRAGMENT_LENGTH): string | null {
  const spans: [number, number][] = [];
  for (const m of text.matchAll(TOKEN)) if (matches(m[0], terms)) spans.push([m.index!, m.index! + m[0].length]);
  if (spans.length === 0) return null;
  let start = 0;
  let end = text.length;
  if (text.length > fragmentLength) {
    start = Math.max(0, spans[0][0] - Math.floor(fragmentLength / 3));
    end = Math.min(text.length, start + fragmentLength);
  }
  let out = start > 0 ? '…' : '';
  let at = start;
  for (const [from, to] of spans) {
    if (from < start || to > end) continue;
    out += escapeHtml(text.slice(at, from)) + HIGHLIGHT_OPEN + escapeHtml(text.slice(from, to)) + HIGHLIGHT_CLOSE;
    at = to;
  }
  return out + escapeHtml(text.slice(at, end)) + (end < text.length ? '…' : '');
}
