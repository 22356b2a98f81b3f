/**
 * Lookups derived once from the product catalog (./products.ts), in the shapes the
 * interpreter, the connection-string parser, the scanners and the keyword filter use.
 * Nothing here names a product: add or change one in its record.
 */
import type { Kind } from '../result-model.js';
import { nameWords } from '../text.js';
import { PRODUCTS, type KeyWord, type Product } from './products.js';

export { PRODUCTS, type Product } from './products.js';
import type { CommandLineClient, ProductClients } from './products.js';
export type { CommandLineClient, CommandRole } from './products.js';
import type { CommandRole } from './products.js';

const records = Object.entries(PRODUCTS) as Array<[Kind, Product]>;

/** The port a client of the kind uses when none is written. */
export const DEFAULT_PORTS: Partial<Record<Kind, number>> = Object.fromEntries(
  records.filter(([, p]) => p.port !== undefined).map(([k, p]) => [k, p.port!]),
);

/** URL scheme (lower case, before `://`) → kind. `tcp`/`ssl` are ambiguous and need a hint. */
export const SCHEME_KINDS: Record<string, Kind> = Object.fromEntries(records.flatMap(([k, p]) => (p.schemes ?? []).map((s) => [s, k])));

/**
 * Words in configuration keys that name a kind, in catalog order (the first product whose word a
 * key segment holds wins). Matched against whole tokens of a key (so `es` does not fire inside
 * `resources`), substring words also inside a segment (`mysqlDataSource`, `redisTemplate`).
 */
export const KEY_WORD_KINDS: ReadonlyArray<readonly [word: string, kind: Kind, substring: boolean]> = records.flatMap(
  ([k, p]) => (p.keyWords ?? []).map(([word, substring]: KeyWord) => [word, k, substring] as const),
);

/** Driver needles, longest first: the most specific name wins (`mariadb` over `mysql`, `postgres` over `pg`). */
const DRIVER_NEEDLES: ReadonlyArray<readonly [needle: string, kind: Kind]> = records
  .flatMap(([k, p]) => (p.drivers ?? []).map((d) => [d, k] as const))
  .sort((a, b) => b[0].length - a[0].length);

/** Ports that name a kind on their own, used only when nothing else in the source does. */
export const PORT_KINDS: Record<number, Kind> = Object.fromEntries(records.flatMap(([k, p]) => (p.portNames ?? []).map((port) => [port, k])));

/** Kinds served only on known ports (catalog `onlyPorts`). */
export const ONLY_PORTS: Partial<Record<Kind, ReadonlySet<number>>> = Object.fromEntries(
  records.filter(([, p]) => p.onlyPorts !== undefined).map(([k, p]) => [k, new Set(p.onlyPorts)]),
);

/** Databases inside the app's own process (SQLite, H2): connections with no host, never a shared resource. */
export const EMBEDDED_KINDS: ReadonlySet<Kind> = new Set<Kind>(['sqlite', 'h2']);

const ACTIVE_STORAGE_KINDS = new Map<string, Kind>(records.flatMap(([k, p]) => (p.activeStorage ?? []).map((name) => [name, k] as const)));

/** The object store a Rails Active Storage service name stands for (`S3`, `AzureStorage`), or null (`Disk`, `Mirror`). */
export function kindOfActiveStorageService(name: string): Kind | null {
  return ACTIVE_STORAGE_KINDS.get(name) ?? null;
}

/** Engines that speak MySQL's wire protocol: a `jdbc:mysql://` URL under a key naming one is that engine. */
export const MYSQL_PROTOCOL_KINDS: ReadonlySet<Kind> = new Set(records.filter(([, p]) => p.mysqlProtocol === true).map(([k]) => k));

/** Relational engines: a `database` kind is refined to one of these when a clue says which. */
export const RELATIONAL_KINDS: ReadonlySet<Kind> = new Set(records.filter(([, p]) => p.family === 'relational').map(([k]) => k));

/** Kinds whose URLs are http(s) but whose resource is a product of its own. */
export const HTTP_BASED_KINDS: ReadonlySet<Kind> = new Set(records.filter(([, p]) => p.http !== undefined).map(([k]) => k));

/** Products spoken to over HTTP whose default port says which they are (`http://10.0.0.2:9200`). */
export const HTTP_PORT_KINDS: Record<number, Kind> = Object.fromEntries(records.flatMap(([k, p]) => (p.http?.ports ?? []).map((port) => [port, k])));

/** Registries and schedulers apps register with: their `instance` settings describe the app, not a connection. */
export const REGISTRY_KINDS: ReadonlySet<Kind> = new Set(records.filter(([, p]) => p.registry === true).map(([k]) => k));

/** Product words for the keyword pre-filter, in catalog order. */
export const PRODUCT_FILTER_WORDS: readonly string[] = [...new Set(records.flatMap(([, p]) => p.filterWords ?? []))];

const HTTP_CALL_WORDS: Record<'sends' | 'builds' | 'builtWith', ReadonlySet<string>> = {
  sends: new Set(PRODUCTS.http.clients.callWords.sends),
  builds: new Set(PRODUCTS.http.clients.callWords.builds),
  builtWith: new Set(PRODUCTS.http.clients.callWords.builtWith),
};

/**
 * Whether a function named `name` (its own name, no receiver) sends requests, judged by the words
 * of its camelCase or snake_case name: an http(s) URL given to it is an endpoint the app calls. With
 * `builders: false`, a call that only builds a URL (`makeURL`) does not count.
 */
export function sendsRequest(name: string, opts: { builders?: boolean } = {}): boolean {
  let verdict = CALL_VERDICTS.get(name);
  if (verdict === undefined) {
    const words = nameWords(name.replace(/^new /, ''));
    // A test double registers the answer to a request instead of sending one (WebMock's `stub_request`, `nock`, `mockFetch`).
    verdict = words.some((w) => TEST_DOUBLE_WORDS.has(w)) ? 'neither'
      : words.some((w) => HTTP_CALL_WORDS.sends.has(w)) ? 'sends'
      : words.some((w) => HTTP_CALL_WORDS.builds.has(w)) && words.some((w) => HTTP_CALL_WORDS.builtWith.has(w)) ? 'builds' : 'neither';
    // Call names repeat across a code base; the cache is bounded by the names a scan meets.
    if (CALL_VERDICTS.size < 50_000) CALL_VERDICTS.set(name, verdict);
  }
  return verdict === 'sends' || (verdict === 'builds' && opts.builders !== false);
}

const CALL_VERDICTS = new Map<string, 'sends' | 'builds' | 'neither'>();
const TEST_DOUBLE_WORDS = new Set(['stub', 'stubs', 'mock', 'mocks', 'mocked', 'fake', 'nock', 'wiremock']);

/** Calls of HTTP test-double libraries whose names say nothing of a double: WebMock's request matchers (`a_request(:post, url)`). */
const TEST_DOUBLE_CALLS = new Set(['a_request', 'have_requested', 'assert_requested', 'assert_not_requested']);

/**
 * HTTP mocking libraries whose module names say nothing of a double, called as the receiver: `responses.get(url)`
 * and `responses.add(responses.GET, url)` (getsentry/responses), `respx.get(url)` (httpx), `httpretty.register_uri(…)`,
 * `aioresponses`, Go's `httpmock.RegisterResponder(…)`: each registers an answer to a request the code under test makes.
 */
const TEST_DOUBLE_LIBRARIES = new Set(['responses', 'respx', 'httpretty', 'aioresponses', 'httpmock']);

/** Whether any word of a call, receiver included (`MockServerHttpRequest.get`, `wireMock.stubFor`), names a test double. */
export function namesTestDouble(callee: string): boolean {
  const parts = callee.split('.');
  return TEST_DOUBLE_CALLS.has(parts[parts.length - 1]!) || (parts.length > 1 && TEST_DOUBLE_LIBRARIES.has(parts[0]!))
    || nameWords(callee).some((w) => TEST_DOUBLE_WORDS.has(w));
}

export function kindFromDriver(value: string): Kind | null {
  const v = value.toLowerCase();
  for (const [needle, kind] of DRIVER_NEEDLES) if (v.includes(needle)) return kind;
  return null;
}

export function kindFromImage(image: string): Kind | null {
  // registry.example.com:5000/library/mysql:8.0@sha256:… → mysql
  const withoutDigest = image.split('@')[0]!;
  const segments = withoutDigest.split('/');
  const name = segments.pop()!.split(':')[0]!.toLowerCase();
  for (const [kind, p] of records) if (p.image?.test(name)) return kind;
  // `mcr.microsoft.com/mssql/server`: a vendor's registry names the product in the path before a generic last word.
  const parent = segments.pop()?.toLowerCase();
  if (parent) for (const [kind, p] of records) if (p.image?.test(`${parent}-${name}`)) return kind;
  // A project's own build of a product (`piggymetrics-mongodb`, `shop-mysql`) or a registry's mirror of one
  // (`image-mirror-altinity-clickhouse-server`, `docker-redis-cluster`) names it last, in one word or several.
  const words = name.split(/[-_]/);
  for (let start = 1; start < words.length; start++) {
    const suffix = words.slice(start).join('-');
    for (const [kind, p] of records) if (p.image?.test(suffix)) return kind;
  }
  return null;
}

const DOMAIN_KINDS: ReadonlyArray<readonly [RegExp, Kind]> = records.flatMap(([k, p]) => (p.domains ? [[p.domains, k] as const] : []));

/** The product a provider's service domain names (`oss-cn-shenzhen.aliyuncs.com` → oss), or null. */
export function kindOfDomain(host: string): Kind | null {
  return DOMAIN_KINDS.find(([re]) => re.test(host))?.[1] ?? null;
}

export function defaultPort(kind: Kind): number | null {
  return DEFAULT_PORTS[kind] ?? customProducts.find((p) => p.kind === kind)?.port ?? null;
}

/**
 * A product a project declares in its config file (`.cmdb-scan.yml` `connections.kinds`): an in-house message
 * queue, the company's own config centre. Words in key segments name it as catalog key words do (whole tokens
 * of a segment, or a squashed segment equal to the word), ahead of the built-in products.
 */
export interface CustomProduct {
  kind: `x-${string}`;
  /** Lower-case words; `acme-mq` matches the segments `acmeMq`, `acme_mq` and `ACME_MQ`. */
  keyWords: readonly string[];
  port?: number;
  schemes?: readonly string[];
}

let customProducts: readonly CustomProduct[] = [];

/**
 * Runs `fn` with a project's own products known to the lookups below. Scanners are synchronous, so the products
 * are in effect for exactly one file's scan: two repositories scanned in one process never see each other's.
 */
export function withCustomProducts<T>(products: readonly CustomProduct[], fn: () => T): T {
  if (products.length === 0 && customProducts.length === 0) return fn();
  const previous = customProducts;
  customProducts = products;
  try {
    return fn();
  } finally {
    customProducts = previous;
  }
}

/** Whether a project's products are in effect (lookups that cache by key segment must not cache then). */
export function customProductsActive(): boolean {
  return customProducts.length > 0;
}

/** The project product a key segment names: one of its words is a token of the segment, or the whole segment squashed. */
export function customKindOfSegment(tokens: readonly string[], squashed: string): Kind | null {
  for (const p of customProducts) {
    for (const word of p.keyWords) {
      const w = word.replace(/[^a-z0-9]/g, '');
      if (tokens.includes(word) || squashed === w || (w.length >= 5 && squashed.includes(w))) return p.kind;
    }
  }
  return null;
}

/** The kind a URL scheme names (lower case, before `://`): the catalog's, else a project product's. */
export function kindOfScheme(scheme: string): Kind | null {
  return (Object.hasOwn(SCHEME_KINDS, scheme) ? SCHEME_KINDS[scheme] : undefined) ?? customProducts.find((p) => p.schemes?.includes(scheme))?.kind ?? null;
}

/** Why a project product would collide with the catalog (a key word or scheme a built-in product owns), or null. */
export function customProductCollision(product: CustomProduct): string | null {
  const word = product.keyWords.find((w) => KEY_WORD_KINDS.some(([builtIn]) => builtIn === w.replace(/[^a-z0-9]/g, '') || builtIn === w));
  if (word !== undefined) return `key word "${word}" names the built-in kind ${KEY_WORD_KINDS.find(([b]) => b === word || b === word.replace(/[^a-z0-9]/g, ''))![1]}`;
  const scheme = product.schemes?.find((s) => Object.hasOwn(SCHEME_KINDS, s));
  return scheme !== undefined ? `scheme "${scheme}" names the built-in kind ${SCHEME_KINDS[scheme]}` : null;
}

type CallLanguage = 'python' | 'java' | 'go' | 'javascript' | 'csharp' | 'ruby' | 'php';

/**
 * Positional argument roles of every product's client calls in one language, keyed as that language's scanner
 * names a call. Two products naming the same call differently would make a call mean two things: refused here.
 */
export function clientCalls<L extends CallLanguage>(language: L): Record<string, NonNullable<ProductClients[L]>[string]> {
  const out: Record<string, NonNullable<ProductClients[L]>[string]> = {};
  for (const [kind, p] of records) {
    for (const [call, roles] of Object.entries(p.clients?.[language] ?? {}) as Array<[string, NonNullable<ProductClients[L]>[string]]>) {
      if (call in out && JSON.stringify(out[call]) !== JSON.stringify(roles)) throw new Error(`catalog: ${language} call ${call} has two meanings (${kind})`);
      out[call] = roles;
    }
  }
  return out;
}

/** The word each client call of one language names its call site with (the product's `siteWord`, else its kind). */
export function clientCallWords(language: CallLanguage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [kind, p] of records) for (const call of Object.keys(p.clients?.[language] ?? {})) out[call] ??= p.clients?.siteWord ?? kind;
  return out;
}

/** Module (Python, JavaScript), package (Java) or namespace (C#) patterns → the word a call site is named with, in catalog order. */
export function clientModules(language: 'python' | 'java' | 'csharp' | 'javascript'): Array<[RegExp, string]> {
  return records.flatMap(([kind, p]) => {
    const c = p.clients;
    const re = language === 'python' ? c?.pythonModules : language === 'java' ? c?.javaPackages : language === 'csharp' ? c?.csharpNamespaces : c?.javascriptModules;
    return re ? [[re, p.clients?.siteWord ?? kind] as [RegExp, string]] : [];
  });
}

/** Each command-line client program (`psql`, `redis-cli`) → its product and how it reads its options. A program of two products is refused. */
export const COMMAND_LINE_CLIENTS: ReadonlyMap<string, { kind: Kind; client: CommandLineClient }> = (() => {
  const out = new Map<string, { kind: Kind; client: CommandLineClient }>();
  for (const [kind, p] of records) {
    for (const program of p.commandLine?.programs ?? []) {
      if (out.has(program)) throw new Error(`catalog: command ${program} has two products (${out.get(program)!.kind}, ${kind})`);
      out.set(program, { kind, client: p.commandLine! });
    }
  }
  return out;
})();

/** Each environment variable a product's command-line client reads (`PGPASSWORD`) → the product and what it gives. */
export const COMMAND_LINE_ENV: ReadonlyMap<string, { kind: Kind; role: CommandRole }> = new Map(
  records.flatMap(([kind, p]) => Object.entries(p.commandLine?.env ?? {}).map(([name, role]) => [name, { kind, role }] as const)),
);
