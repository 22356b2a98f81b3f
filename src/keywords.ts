/**
 * KeywordFilter: a cheap test that decides whether a file is worth parsing. One
 * case-insensitive regular expression; short words (s3, oss, mse, sls, emq) only match
 * as whole tokens, so `class` and `loss` do not count as hits.
 */
import { PRODUCT_FILTER_WORDS } from './catalog/index.js';
import { escapeRegExp, literalAlternation } from './text.js';

/**
 * The default pre-filter: every product's filter words (src/catalog), then words that name a connection
 * without naming a product — a `.env` or values file may say only DB_HOST=… or a broker list — words of
 * credentials a file may hold alone (`"Token": "…"`, `jwt.secret`, SQL's `IDENTIFIED BY`), and the key that names a Spring app.
 */
export const DEFAULT_KEYWORDS: readonly string[] = [...new Set([
  ...PRODUCT_FILTER_WORDS,
  'dataworks', 'mse', 'host', 'password', 'passwd', 'broker', 'bootstrap', 'server-addr', '_addr',
  'connectionstring', 'connection_string', 'endpoint', 'uri', 'url', 'socketaddress',
  'secret', 'token', 'apikey', 'api_key', 'api-key', 'accesskey', 'access_key', 'identified', 'application.name',
])];

export interface KeywordFilter {
  keywords: readonly string[];
  test(text: string): boolean;
}

/**
 * `spec` edits the default list: `foo,bar` replaces it, `+foo,-oss` adds and removes.
 */
export function resolveKeywords(spec: string | undefined, base: readonly string[] = DEFAULT_KEYWORDS): string[] {
  if (!spec || spec.trim() === '') return [...base];
  const items = spec.split(',').map((s) => s.trim()).filter(Boolean);
  const isEdit = items.every((i) => i.startsWith('+') || i.startsWith('-'));
  const set = new Set(isEdit ? base : []);
  for (const item of items) {
    if (item.startsWith('-')) set.delete(item.slice(1).toLowerCase());
    else set.add(item.replace(/^\+/, '').toLowerCase());
  }
  return [...set];
}

export function createKeywordFilter(keywords: readonly string[]): KeywordFilter {
  if (keywords.length === 0) return { keywords, test: () => true };
  const whole = (k: string) => k.length <= 3 && /^[a-z0-9]+$/i.test(k);
  const parts = [
    literalAlternation(keywords.filter((k) => !whole(k)).map((k) => k.toLowerCase())),
    ...keywords.filter(whole).map((k) => `(?<![a-z0-9])${escapeRegExp(k)}(?![a-z0-9])`),
  ].filter(Boolean);
  const re = new RegExp(parts.join('|'), 'i');
  return { keywords, test: (text) => re.test(text) };
}
