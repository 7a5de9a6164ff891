/**
 * Configuration handed to the GraphiQL page as `window.__STOCKLINE__`.
 * Mirrors `StocklinePageConfig` in gateway/graphiql/src/config.ts.
 */
export interface GraphiqlPageConfig {
  /** Headers pre-filled in the GraphiQL headers editor. */
  defaultHeaders: Record<string, string>;
}

/**
 * Serialises a value as JSON that is safe inside an inline `<script>`:
 * `<` cannot close the script (`</script>`) or open a comment (`<!--`),
 * and U+2028/U+2029 cannot break older JavaScript parsers.
 */
export function serializeForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/**
 * Inserts `<script>window.__STOCKLINE__ = …</script>` as the first child of
 * `<head>`, so it runs before the (deferred) module script that reads it.
 *
 * @throws if the document has no `<head>`: that means a broken build, and a
 * page silently missing its configuration would be harder to diagnose.
 */
export function injectPageConfig(html: string, config: GraphiqlPageConfig): string {
  const tag = `<script>window.__STOCKLINE__ = ${serializeForScript(config)};</script>`;
  const head = /<head(\s[^>]*)?>/i;
  if (!head.test(html)) throw new Error('GraphiQL index.html has no <head> element');
  // A replacer function, not a string: `$&`, `$'`… in a header value must stay literal.
  return html.replace(head, (open) => `${open}\n    ${tag}`);
}
