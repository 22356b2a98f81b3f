/**
 * SettingsInterpreter: turns the flat key/value settings that every config scanner
 * produces (a YAML tree, a .properties file, a .env file, an XML bean, a Kubernetes
 * env list…) into connection findings. Format scanners only parse; what a key *means*
 * is decided here, once, from the words in the key path:
 *
 *   spring.datasource.druid.url   → group spring.datasource.druid, role url
 *   DB_HOST / DB_PASSWORD         → group DB, roles host / password
 *   spring.kafka.bootstrap-servers→ group spring.kafka, role host-list, kind kafka
 *
 * A group with a locator (url, host or host list) becomes one finding per endpoint;
 * its siblings (port, user, password, database, driver) fill in the rest.
 */
import {
  looksLikeConnectionString, maskConnectionString, parseConnectionString, parseHostList, parseHostPort,
  type Endpoint, type ParsedConnection,
} from './connection-string.js';
import { COMMAND_LINE_ENV, type CommandRole, customKindOfSegment, customProductsActive, defaultPort, EMBEDDED_KINDS, HTTP_BASED_KINDS, KEY_WORD_KINDS, kindFromDriver, kindFromImage, kindOfDomain, ONLY_PORTS, PORT_KINDS, REGISTRY_KINDS, RELATIONAL_KINDS } from './catalog/index.js';
import { resourceName, type Finding, type Kind, type ValueSource } from './result-model.js';
import type { Setting } from './scanner.js';
import { hostVerdict, isLocalHost, isPlausibleHostText, resolvesOnlyInRepository } from './hosts.js';
import { credentialKind, isCommonWeakValue, isCredentialMarker, isPlaceholderSecret, WEAK_PASSWORD_KIND, isTemplateCredential, shannonEntropy, type SecretCandidate } from './secrets/detect.js';
import { hasUnresolvedLookup, referencesOwnServer, resolveValue, weakestSource, type Definitions, type ResolvedValue } from './values.js';
import { nameWords } from './text.js';


export interface InterpretOptions {
  profile: string | null;
  /** Kind for groups that name none (e.g. every section of `my.cnf` is MySQL). */
  defaultKind?: Kind;
  /** Whether plain http(s) URLs in endpoint-like keys are findings (off for build files such as pom.xml). */
  httpEndpoints?: boolean;
  appHint?: string;
  /** Values of keys defined elsewhere in the app, for `${key}` references (the same document's keys are always used). */
  definitions?: ReadonlyMap<string, string>;
  /**
   * Code, where a string is as often an identifier as a host: a bare word (`bookmarks`,
   * `user_secret_id`) is not taken for a host; only names with a dot, IPs and localhost are.
   * And an address that is only a program variable (`connect(mongoUri)`) names nothing to inventory.
   */
  strictHosts?: boolean;
}

type Role = 'url' | 'host' | 'hostList' | 'port' | 'username' | 'password' | 'database' | 'driver';

/** Key suffixes (as tokens) → role. Longest suffixes are tried first. */
const ROLE_SUFFIXES: Array<[string[], Role]> = ([
  [['jdbc', 'url'], 'url'], [['url'], 'url'], [['uri'], 'url'], [['uris'], 'hostList'], [['urls'], 'hostList'],
  [['dsn'], 'url'], [['data', 'source'], 'url'], [['datasource'], 'url'], [['connection', 'string'], 'url'], [['connectionstring'], 'url'], [['conn', 'str'], 'url'],
  [['endpoint'], 'url'], [['endpoints'], 'hostList'],
  // OpenID Connect: the identity provider an API validates tokens against (ASP.NET JwtBearer `Authority`, `issuer`).
  [['authority'], 'url'], [['issuer'], 'url'], [['broker'], 'url'], [['default', 'zone'], 'hostList'],
  [['bootstrap', 'servers'], 'hostList'], [['bootstrap', 'server'], 'hostList'], [['servers'], 'hostList'],
  [['brokers'], 'hostList'], [['broker', 'list'], 'hostList'], [['nodes'], 'hostList'],
  // A cluster's seed nodes: Cassandra's and ScyllaDB's `seeds`, Temporal's `POSTGRES_SEEDS`/`ES_SEEDS`.
  [['seeds'], 'hostList'],
  [['addresses'], 'hostList'], [['hosts'], 'hostList'], [['server', 'addr'], 'hostList'],
  [['server', 'addrs'], 'hostList'], [['server', 'address'], 'hostList'], [['name', 'server'], 'hostList'],
  [['namesrv', 'addr'], 'hostList'], [['namesrv'], 'hostList'], [['quorum'], 'hostList'],
  [['connect', 'string'], 'hostList'], [['cluster', 'nodes'], 'hostList'], [['contact', 'points'], 'hostList'],
  [['server', 'lists'], 'hostList'], [['server', 'list'], 'hostList'], [['address', 'list'], 'hostList'],
  // Django `CACHES` `LOCATION`: the cache server (a URL for Redis, `host:port` for memcached).
  [['location'], 'url'],
  [['meta'], 'url'], [['node'], 'url'], [['api'], 'url'],
  // .NET `baseUrls: { apiBase: … }`, `*ApiBase`: an API's base address (a bare `webBase` is the site's own).
  [['api', 'base'], 'url'], [['gateway'], 'url'], [['webhook'], 'url'],
  [['host'], 'host'], [['hostname'], 'host'], [['host', 'name'], 'host'], [['server'], 'host'], [['addr'], 'host'], [['address'], 'host'],
  [['ip'], 'host'], [['connection'], 'host'], [['port'], 'port'], [['ports'], 'port'],
  [['user'], 'username'], [['username'], 'username'], [['user', 'name'], 'username'], [['uid'], 'username'],
  [['login'], 'username'], [['user', 'id'], 'username'],
  [['password'], 'password'], [['passwd'], 'password'], [['pwd'], 'password'], [['pass'], 'password'],
  [['secret', 'key'], 'password'], [['access', 'key', 'secret'], 'password'], [['access', 'secret'], 'password'],
  [['secret', 'access', 'key'], 'password'], [['requirepass'], 'password'], [['masterauth'], 'password'],
  [['database'], 'database'], [['db'], 'database'], [['dbname'], 'database'], [['db', 'name'], 'database'],
  [['database', 'name'], 'database'], [['schema'], 'database'], [['virtual', 'host'], 'database'],
  [['vhost'], 'database'], [['service', 'name'], 'database'], [['sid'], 'database'], [['bucket'], 'database'],
  [['bucket', 'name'], 'database'], [['initial', 'catalog'], 'database'],
  [['driver', 'class', 'name'], 'driver'], [['driver', 'class'], 'driver'], [['driver'], 'driver'],
  [['engine'], 'driver'], [['vendor'], 'driver'], [['adapter'], 'driver'], [['dialect'], 'driver'], [['provider', 'name'], 'driver'], [['provider'], 'driver'], [['client'], 'driver'], [['type'], 'driver'], [['backend'], 'driver'],
] as Array<[string[], Role]>).sort((a, b) => b[0].length - a[0].length);

/** Roles whose key also says which kind it is. */
const ROLE_KIND_HINTS: Array<[string[], Kind]> = [
  [['bootstrap', 'servers'], 'kafka'], [['bootstrap', 'server'], 'kafka'], [['broker', 'list'], 'kafka'],
  [['namesrv', 'addr'], 'rocketmq'], [['namesrv'], 'rocketmq'], [['name', 'server'], 'rocketmq'],
];

/** Groups that describe the application's own listener or server-side settings, not a connection. */
const SELF_TOKENS = new Set(['bind', 'listen', 'listeners', 'advertised', 'mysqld', 'management', 'logging', 'executor', 'kestrel',
  // Lists of who may reach the app, not what it reaches: Django `ALLOWED_HOSTS`, a webhook's `valid_origin_ips`,
  // `trusted_proxies`, allow/deny lists.
  'allowed', 'allowlist', 'whitelist', 'trusted', 'denylist', 'blacklist', 'blocklist', 'origin', 'origins']);

/** Key words that name a remote API endpoint even when its value has no scheme. */
const ENDPOINT_ROLE_WORDS = ['endpoint', 'api', 'gateway'];

/** Words of a call that turns a document into another form: HTML, Markdown, a PDF, an e-mail's inlined HTML. */
const DOCUMENT_WORDS = new Set(['html', 'xhtml', 'markdown', 'md', 'dtext', 'pdf', 'premailer', 'sanitize', 'linkify']);

/**
 * A base URL given to such a call (Danbooru's `DText.from_html(html, base_url: …)`, WeasyPrint's `HTML(string=…,
 * base_url=…)`, `Premailer(html, base_url=…)`): it resolves the document's relative links, and nothing is requested
 * from it.
 */
function resolvesDocumentLinks(path: readonly string[], item: Classified): boolean {
  const key = nameWords(item.setting.path[item.setting.path.length - 1] ?? '');
  if (key.length !== 2 || key[0] !== 'base' || (key[1] !== 'url' && key[1] !== 'uri')) return false;
  const site = path.find((segment) => /@\d+$/.test(segment));
  return site !== undefined && nameWords(site.replace(/@\d+$/, '')).some((w) => DOCUMENT_WORDS.has(w));
}

/**
 * First words of a key namespace that configures the app's own listener (Spring `server.*`, `SERVER_PORT`, Ory's
 * `serve.public`, ASP.NET Core's `ASPNETCORE_URLS` and the generic host's `DOTNET_URLS`).
 */
const SELF_ROOTS = new Set(['server', 'serve', 'http', 'https', 'grpc', 'web', 'app', 'application', 'metrics', 'debug', 'pprof', 'admin', 'listen', 'aspnetcore', 'dotnet']);

/** Registries where an `ip`/`port` key is the address this app registers itself under, not the registry's. */

/** Keys whose http(s) values are links for humans or schemas, not endpoints the app calls. */
const NON_ENDPOINT_TOKENS = new Set([
  'schema', 'schemas', 'xmlns', 'xsi', 'namespace', 'homepage', 'home', 'repository', 'repo', 'bugs', 'license',
  'licence', 'doc', 'docs', 'documentation', 'website', 'site', 'issues',
  'help', 'privacy', 'terms', 'scm', 'author', 'funding', 'changelog', 'wiki', 'download', 'contact',
  // Addresses the browser is sent to or the app is reached at: OAuth callbacks, redirects, a payment's return page,
  // its own URL and front end, the origins it lets in.
  'callback', 'redirect', 'return', 'frontend', 'cors', 'origin', 'origins',
  // Where the app's own pages and static files are served, put in e-mails and pages (`assetBaseUrl`,
  // `NEXT_PUBLIC_WEBAPP_URL`): links for a browser (LABELLING: frontend-only asset links are not connections).
  'asset', 'assets', 'webapp',
  // The servers an API's own OpenAPI document lists (drf-spectacular `SERVERS`, springdoc, Swagger): where it is served.
  'openapi', 'swagger', 'spectacular', 'springdoc',
  // An RFC 7807 problem `type` URI names a kind of error in a response (Zalando Problem, JHipster's `PROBLEM_BASE_URL`);
  // nothing fetches it.
  'problem',
]);

/**
 * Key words of a picture's address (`logoUrl`, `avatar_url`), put in an `<img>`: only in the key itself, since a
 * group named for pictures holds the services that make them (`ai-model-pic-draw.apiHost`, `image-service.url`).
 */
const PICTURE_TOKENS = new Set(['logo', 'icon', 'image', 'avatar', 'favicon', 'pic', 'picture', 'photo']);


function endsWith(tokens: string[], suffix: string[]): boolean {
  if (suffix.length > tokens.length) return false;
  return suffix.every((t, i) => tokens[tokens.length - suffix.length + i] === t);
}

interface Classified {
  setting: Setting;
  role: Role | null;
  group: string[];
  roleTokens: string[];
  resolved: ResolvedValue;
  /** Set by a client's documented environment variable (`PGHOST`). */
  clientEnvironment?: true;
}

/** A key segment's words and the role its ending names, cached: code and config repeat the same keys thousands of times. */
interface SegmentRole {
  tokens: string[];
  /** The role-naming words the segment ends with, and their role. */
  ending: readonly [string[], Role] | undefined;
}

const SEGMENT_ROLES = new Map<string, SegmentRole>();

/** Words that make `pass` a run over data: `first pass`, `second pass`, `two pass`, `multi pass`. */
const PASS_COUNTS = new Set(['first', 'second', 'third', 'last', 'final', 'one', 'two', 'single', 'multi', 'double', 'next', 'each']);

function segmentRole(segment: string): SegmentRole {
  const cached = SEGMENT_ROLES.get(segment);
  if (cached) return cached;
  const tokens = nameWords(segment);
  let ending = ROLE_SUFFIXES.find(([suffix]) => endsWith(tokens, suffix));
  // `firstPass`, `two_pass`, `finalPass`: one run over the data (an encoder's, a compiler's), not a password.
  if (ending?.[0].length === 1 && ending[0][0] === 'pass' && PASS_COUNTS.has(tokens[tokens.length - 2] ?? '')) ending = undefined;
  const answer: SegmentRole = { tokens, ending };
  // Bounded like SEGMENT_KINDS: a generated file of unique keys must not grow the cache without end.
  if (SEGMENT_ROLES.size < 100_000) SEGMENT_ROLES.set(segment, answer);
  return answer;
}

/** The settings roles of a client's documented environment variables (catalog `commandLine.env`). */
const CLIENT_ENV_ROLES: Partial<Record<CommandRole, Role>> = { host: 'host', server: 'host', port: 'port', username: 'username', password: 'password', database: 'database' };

function classify(setting: Setting, definitions: Definitions): Classified {
  const last = setting.path[setting.path.length - 1] ?? '';
  const { tokens, ending } = segmentRole(last);
  const parent = setting.path.slice(0, -1);
  const resolved = resolveValue(setting.value, definitions);
  // A product client's documented environment variable (libpq's `PGHOST`, `PGPASSWORD`; MySQL's `MYSQL_PWD`), written
  // as one word: its role in a group of that product, as a CI step's or a container's environment sets it.
  const client = COMMAND_LINE_ENV.get(last);
  const clientRole = client ? CLIENT_ENV_ROLES[client.role] : undefined;
  if (client && clientRole) return { setting, role: clientRole, group: [...parent, client.kind], roleTokens: [clientRole], resolved, clientEnvironment: true };
  if (ending) {
    const [suffix, role] = ending;
    const prefix = tokens.slice(0, tokens.length - suffix.length);
    const group = prefix.length > 0 ? [...parent, prefix.join('_')] : parent;
    // `DATABASE=postgres://…`: the value is a connection string, whatever role the key suggests.
    const isUrlValue = role !== 'url' && role !== 'hostList' && resolved.text !== null && looksLikeConnectionString(resolved.text);
    return { setting, role: isUrlValue ? 'url' : role, group, roleTokens: suffix, resolved };
  }
  // A value that is a connection string on its own is a url whatever its key says.
  if (resolved.text !== null && looksLikeConnectionString(resolved.text)) {
    return { setting, role: 'url', group: setting.path, roleTokens: [], resolved };
  }
  // An http(s) URL under a key that says so somewhere in its name (`CatalogUrlHC`, `urlForHealth`), or one
  // entry of a map of endpoints named by its last word (`urls: { basket: http://basket-api }`, .NET `urls__basket`,
  // `baseServiceUri: { internalIdentity: … }`, `service-urls: { billing: … }`).
  if (resolved.text !== null && /^https?:\/\/[^/\s$]/i.test(resolved.text)) {
    const parentTokens = nameWords(parent[parent.length - 1] ?? '');
    if (tokens.some((t) => t === 'url' || t === 'uri' || t === 'urls' || t === 'endpoint') || namesEndpointMap(parentTokens)) {
      return { setting, role: 'url', group: setting.path, roleTokens: [], resolved };
    }
  }
  // A product's key holding addresses: `"Redis": "cache1:6379,ssl=true"`, `Redis.Configuration: "10.0.0.1:6379"`.
  // Only an explicit host:port or an IP counts, so `kafka.topic: order.events` is not a broker.
  const named = kindFromPath(setting.path);
  // `<db2.version>11.5.9.0</db2.version>`: a version number, however much it looks like an IP address.
  const isVersion = endsWith(tokens, ['version']) || endsWith(tokens, ['ver']);
  // StackExchange.Redis's `Configuration` (ASP.NET's RedisCacheOptions, ABP's `Redis:Configuration`), or any value in
  // its configuration-string form (`redis,password=…`, `cache:6380,ssl=true,abortConnect=false`), is its connection
  // string, where a bare service name (`redis`) is a host as well.
  const redisConfiguration = named === 'redis' && resolved.text !== null && /^[a-z][\w.-]*([,:]|$)/i.test(resolved.text)
    && (endsWith(tokens, ['configuration']) || /,\s*(password|user|ssl|abortConnect|defaultDatabase|connectTimeout|syncTimeout|allowAdmin|connectRetry)=/i.test(resolved.text));
  if (named && named !== 'database' && !isVersion && resolved.text !== null) {
    if (redisConfiguration || /^(\[[0-9a-f:]+\]|[\w.-]+):\d{1,5}([,;]|$)|^\d{1,3}(\.\d{1,3}){3}([,;:]|$)/i.test(resolved.text)) {
      return { setting, role: 'hostList', group: setting.path, roleTokens: [], resolved };
    }
    // `S3_LOCAL_STACK=http://127.0.0.1:4566`, `ELASTICSEARCH=http://es:9200`: a product's key holding an address with a
    // port is that product's endpoint, as a connection string would be (a URL with no port is as often a console's
    // page; `aliyun.oss.callback` is the app's own address the product calls).
    if (/^https?:\/\/[^/\s$:]+:\d{1,5}(\/|$)/i.test(resolved.text) && isHttpEndpointKey(setting.path)) {
      return { setting, role: 'url', group: setting.path, roleTokens: [], resolved };
    }
  }
  return { setting, role: null, group: parent, roleTokens: [], resolved };
}

/**
 * A map of the services an app calls, by its key: `urls`, `endpoints`, `services`, or a URL word after words that
 * say whose (`baseServiceUri`, `serviceUrls`, `apiEndpoints`). Not a map of links named by their
 * subject (`VULNERABILITY_URLS`, `domainUrl: { pc, app }`).
 */
function namesEndpointMap(parentTokens: string[]): boolean {
  const last = parentTokens[parentTokens.length - 1] ?? '';
  if (parentTokens.length === 1) return /^(urls|uris|endpoints|services)$/.test(last);
  const whose = parentTokens.slice(0, -1);
  return /^(urls|uris|url|uri|endpoints)$/.test(last) && whose.some((t) => SERVICE_WORDS.has(t)) && whose.every((t) => SERVICE_WORDS.has(t) || t === 'base');
}

/** Words that say a map's URLs are services the app calls (`baseUrls` alone also holds the site's own `webBase`). */
const SERVICE_WORDS = new Set(['service', 'services', 'api', 'apis', 'backend', 'backends', 'internal', 'upstream', 'upstreams']);

/** The kind a key path names, innermost segment first; generic words ('db', 'datasource') only if nothing specific. */
export function kindFromPath(path: string[]): Kind | null {
  let generic: Kind | null = null;
  for (let i = path.length - 1; i >= 0; i--) {
    const kind = segmentKind(path[i]!);
    if (kind === 'database') generic ??= kind;
    else if (kind !== null) return kind;
  }
  return generic;
}

/**
 * The kind one key segment names: the first catalog word it holds, else a project product's word. Built-in
 * products win, so a repository's config cannot relabel `redisTemplate` as its own kind.
 */
function segmentKind(segment: string): Kind | null {
  const builtIn = builtInSegmentKind(segment);
  if ((builtIn === null || builtIn === 'database') && customProductsActive()) {
    return customKindOfSegment(nameWords(segment), segment.toLowerCase().replace(/[^a-z0-9]/g, '')) ?? builtIn;
  }
  return builtIn;
}

/** The catalog kind of a key segment, cached: code and config repeat segments. */
function builtInSegmentKind(segment: string): Kind | null {
  const cached = SEGMENT_KINDS.get(segment);
  if (cached !== undefined) return cached;
  const tokens = nameWords(segment);
  const squashed = segment.toLowerCase().replace(/[^a-z0-9]/g, '');
  let found: Kind | null = null;
  for (const [word, kind, substring] of KEY_WORD_KINDS) {
    if (!(tokens.includes(word) || (substring && squashed.includes(word)))) continue;
    if (kind !== 'database') { found = kind; break; }
    found ??= kind;
  }
  if (SEGMENT_KINDS.size < 100_000) SEGMENT_KINDS.set(segment, found);
  return found;
}

const SEGMENT_KINDS = new Map<string, Kind | null>();

interface Group {
  key: string;
  path: string[];
  items: Classified[];
}

function groupKey(path: string[]): string {
  return path.map((p) => p.toLowerCase()).join('\u0000');
}



function firstOfRole(items: Classified[], role: Role): Classified | undefined {
  return items.find((i) => i.role === role);
}

interface GroupContext {
  definitions: Definitions;
  /** Secrets found while interpreting (passwords inside URLs and option lists). */
  secrets: SecretCandidate[];
  /** Which connection a password key belongs to, for the secrets report. */
  passwordResource: Map<Classified, string>;
  /** Keys that other values of the document reference as `${key}`. */
  referenced: ReadonlySet<string>;
  group: Group;
  ancestors: Group[];
  children: Group[];
}

/** A sibling value, looked up in the group, then credential sub-groups (`auth:`), then enclosing groups. */
function lookup(ctx: GroupContext, role: Role): Classified | undefined {
  const own = firstOfRole(ctx.group.items, role);
  if (own) return own;
  for (const child of ctx.children) {
    const last = nameWords(child.path[child.path.length - 1] ?? '');
    if (last.some((t) => ['auth', 'credentials', 'credential', 'security', 'login', 'account'].includes(t))) {
      const hit = firstOfRole(child.items, role);
      if (hit) return hit;
    }
  }
  if (role === 'port' || role === 'database') return undefined; // a port or database belongs to its own locator
  for (const ancestor of ctx.ancestors) {
    const hasOwnLocator = ancestor.items.some((i) => i.role === 'url' || i.role === 'host' || i.role === 'hostList');
    if (hasOwnLocator) continue;
    const hit = firstOfRole(ancestor.items, role);
    if (hit) return hit;
  }
  return undefined;
}

interface PasswordState {
  has: boolean;
  hardcoded: boolean;
}

function passwordState(fromUrl: string | null, urlSource: ValueSource, sibling: Classified | undefined, definitions?: Definitions): PasswordState {
  if (fromUrl !== null && fromUrl !== '') {
    const r = resolveValue(fromUrl, definitions);
    return { has: true, hardcoded: r.source !== 'placeholder' && r.text !== null && urlSource !== 'placeholder' };
  }
  if (!sibling) return { has: false, hardcoded: false };
  const r = sibling.resolved;
  if (r.source === 'placeholder') return { has: true, hardcoded: false };
  if (r.text === null || r.text === '') return { has: r.source === 'env-default', hardcoded: false };
  return { has: true, hardcoded: true };
}

function textOf(c: Classified | undefined): string | null {
  if (!c || c.resolved.text === null) return null;
  const t = c.resolved.text.trim();
  return t === '' || hasUnresolvedLookup(t) ? null : t;
}

/** Words before `_ADDR` that name the app's own server, not another service it dials. */
const OWN_ADDRESS_WORDS = new Set(['server', 'http', 'https', 'grpc', 'metrics', 'pprof', 'debug', 'admin', 'health', 'local', 'public', 'external', 'remote', 'host', 'ip', 'mail', 'email', 'from']);

/**
 * `CART_SERVICE_ADDR=cart:7070`, `AD_ADDR=ad:9555`: another service's address (gRPC or HTTP) by the environment
 * naming idiom of Go and gRPC services — a key ending in ADDR/ADDRESS after a service's name, a name and an explicit
 * port as its value. Never the app's own listener (`LISTEN_ADDR`, `HTTP_ADDR=:8080`, `SERVER_ADDR`).
 */
function isServiceAddress(ctx: GroupContext, locator: Classified): boolean {
  if (locator.role !== 'host' || !/^[a-z][a-z0-9.-]*:\d{2,5}$/i.test(locator.resolved.text ?? '')) return false;
  const tokens = [...ctx.group.path.flatMap(nameWords), ...locator.roleTokens];
  const last = tokens[tokens.length - 1];
  if (last !== 'addr' && last !== 'address') return false;
  const before = tokens[tokens.length - 2];
  if (before === undefined || tokens.some((t) => SELF_TOKENS.has(t))) return false;
  // `TRAINER_GRPC_ADDR=trainer-grpc:3000`: a service's name before the protocol word is that service's address;
  // the app's own is `GRPC_ADDR`/`HTTP_ADDR` alone (and listens on `:port`, which this pattern never matches).
  return !OWN_ADDRESS_WORDS.has(before) || (tokens.length >= 3 && !OWN_ADDRESS_WORDS.has(tokens[tokens.length - 3]!));
}

/**
 * `FLAGD_HOST=flagd` beside `FLAGD_PORT=8013`: the same idiom split in two keys — a service's name (one label, as
 * compose and Kubernetes name services) and its port. Not the app's own (`SERVER_HOST`, `HTTP_HOST`, `BIND_HOST`).
 */
function isServiceHost(ctx: GroupContext, locator: Classified): boolean {
  if (locator.role !== 'host' || !/^[a-z][a-z0-9-]*$/i.test(locator.resolved.text ?? '') || isLocalHost(locator.resolved.text)) return false;
  const tokens = [...ctx.group.path.flatMap(nameWords), ...locator.roleTokens];
  if (tokens[tokens.length - 1] !== 'host') return false;
  const before = tokens[tokens.length - 2];
  return before !== undefined && !OWN_ADDRESS_WORDS.has(before) && !tokens.some((t) => SELF_TOKENS.has(t));
}

function groupKind(ctx: GroupContext, roleTokens: string[]): { kind: Kind | null; fromPortOnly: boolean } {
  const pathKind = kindFromPath(ctx.group.path);
  if (pathKind && pathKind !== 'database') return { kind: pathKind, fromPortOnly: false };
  for (const [suffix, kind] of ROLE_KIND_HINTS) if (endsWith(roleTokens, suffix)) return { kind, fromPortOnly: false };
  const driver = textOf(lookup(ctx, 'driver'));
  const driverKind = driver ? kindFromDriver(driver) : null;
  if (driverKind) return { kind: driverKind, fromPortOnly: false };
  return { kind: lookupNameKind(ctx.group.items) ?? pathKind, fromPortOnly: false };
}

/**
 * The product the environment variables a group reads name, when its own keys say none or only "database":
 * `db_host = ENV["PG_HOST"] || "localhost"`, `options[:url] = ENV["ELASTICSEARCH_URL"] || …` — the variable's
 * name is a key someone wrote too. Only when every named variable agrees.
 */
function lookupNameKind(items: readonly Classified[]): Kind | null {
  let found: Kind | null = null;
  for (const item of items) {
    // A lookup with no default names a product but no place; the group's own keys decide that case as before.
    if (item.role === null || item.resolved.text === null) continue;
    for (const m of item.setting.value.matchAll(/\$\{([A-Za-z_][A-Za-z0-9_]*)[:}]/g)) {
      const kind = kindFromPath([m[1]!]);
      if (kind === null || kind === 'database') continue;
      if (found !== null && found !== kind) return null;
      found = kind;
    }
  }
  return found;
}

function refineByPort(kind: Kind | null, port: number | null): { kind: Kind | null; fromPortOnly: boolean } {
  const byPort = port !== null ? PORT_KINDS[port] : undefined;
  // Kutt's `DB_CLIENT=better-sqlite3` beside `DB_HOST`/`DB_PORT=5432`: an embedded engine has no port, so the host and
  // port are there for the server engine the driver may be switched to, the one its port names.
  if (kind !== null && EMBEDDED_KINDS.has(kind) && byPort && RELATIONAL_KINDS.has(byPort)) return { kind: byPort, fromPortOnly: false };
  if (kind !== null && port !== null && ONLY_PORTS[kind] && !ONLY_PORTS[kind]!.has(port)) return { kind: byPort ?? null, fromPortOnly: byPort !== undefined };
  if (kind === 'database' && byPort && RELATIONAL_KINDS.has(byPort)) return { kind: byPort, fromPortOnly: false };
  if (kind === null && byPort) return { kind: byPort, fromPortOnly: true };
  return { kind, fromPortOnly: false };
}

/**
 * A URL for a browser rather than an API: a page fragment (`…/edit#gid=0`), or a picture or static asset
 * (`…/items/[0]/pic/`, `…/logo.png`, a script `…/embed.umd.min.js`). The app hands these to people; it does not call them.
 */
function isPageOrAsset(written: string): boolean {
  const url = written.trim();
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)(\?[^#]*)?(#.*)?$/i.exec(url);
  if (!m) return false;
  if (isOAuthScope(url)) return true;
  const [, path = '', , fragment] = m;
  if (fragment !== undefined && fragment.length > 1 && !fragment.startsWith('#/')) return true; // `#/route` is an SPA's, not a page anchor
  return /\.(png|jpe?g|gif|svg|webp|ico|css|woff2?|ttf|js|mjs)$/i.test(path) || /\/(pic|pics|img|images|avatars?|static|assets)\/?$/i.test(path);
}

/** Key words of a proxy's or a rewrite's target: a server the request is passed to, whatever page it serves. */
const PROXY_TARGET_WORDS = new Set(['destination', 'target', 'proxy', 'upstream', 'backend', 'rewrite', 'rewrites']);

/**
 * A provider's documentation (`https://www.twilio.com/docs/api/errors/21211`, `https://developers.facebook.com/…`,
 * `https://docs.python.org/…`) under `path`: a page put in front of a reader. An API host (`api.…`,
 * `docs.googleapis.com`) keeps its calls whatever the path, and so does a proxy's or a rewrite's destination (Vercel
 * serving `/docs` from Mintlify).
 */
function isDocumentationPage(url: string, path: readonly string[]): boolean {
  const m = /^https?:\/\/([^/?#:]+)[^/?#]*(\/[^?#]*)?/i.exec(url);
  if (!m || path.some((segment) => nameWords(segment).some((w) => PROXY_TARGET_WORDS.has(w)))) return false;
  const labels = m[1]!.toLowerCase().split('.');
  if (labels.length < 2 || labels.some((l) => l.startsWith('api') || l.endsWith('apis'))) return false; // docs.googleapis.com is Google Docs' API
  return /^(developers?|docs|documentation)$/.test(labels[0]!) || /^\/(docs?|documentation)\/[^/]/i.test(m[2] ?? '');
}

/**
 * A share or post dialog a browser opens with the page to share (Twitter/X Web Intents `/intent/tweet`, Facebook's
 * `/sharer/sharer.php`, LinkedIn's `/sharing/share-offsite`, Buffer's `/add`, Reddit's `/submit?url=`): the user's
 * browser goes there, the app never calls it.
 */
function isShareIntent(url: string): boolean {
  return /^https?:\/\/[^/]+\/(?:intent\/(?:tweet|post|follow)|sharer(?:\/sharer\.php|\.php)?|sharing\/share-offsite|submit\?url=|add(?:\?|$)|share(?:\?|$))/i.test(url);
}

/**
 * A page of a code host or a social network that an app links to (`GITHUB_URL = 'https://github.com/acme/app'`, a
 * Discord invite, a Twitter profile): shown to users, never requested. A repository's `.git` address is cloned from
 * (a config server's backend), and API hosts (`api.github.com`, `graph.facebook.com`) are not these.
 */
function isSocialPage(url: string): boolean {
  if (isShareIntent(url)) return true;
  const m = /^https?:\/\/(?:www\.)?([a-z0-9.-]+)(\/[^?#]*)?/i.exec(url.trim());
  if (!m) return false;
  const host = m[1]!.toLowerCase();
  const path = (m[2] ?? '').replace(/\/$/, '');
  // An owner's or a repository's page, its releases, issues or a file shown; not a file fetched (`/raw/…`, a release's
  // `/download/`), a clone address (`.git`) or OAuth (`/login/oauth/…`).
  if (/^(github\.com|gitlab\.com|bitbucket\.org)$/.test(host)) {
    return /^\/[\w.-]+(\/[\w.-]+(\/(-\/)?(releases|issues|pulls|discussions|wiki|blob|tree)(\/.*)?)?)?$/.test(path)
      && !/\.git$|\/download\//i.test(path) && !path.startsWith('/login');
  }
  if (/^(twitter\.com|x\.com|instagram\.com|youtube\.com|t\.me)$/.test(host)) return /^\/@?[\w.-]+$/.test(path);
  if (host === 'discord.gg' || host === 'discord.com') return host === 'discord.gg' ? path !== '' : path.startsWith('/invite/');
  if (host === 'linkedin.com') return /^\/(company|in|school)\//.test(path);
  if (host === 'facebook.com') return /^\/[\w.-]+$/.test(path);
  return false;
}

/**
 * An OAuth scope written as a URL, as the providers document them: Google's `https://www.googleapis.com/auth/drive`,
 * the Microsoft identity platform's `https://graph.microsoft.com/.default` or `…/User.Read`. A permission asked for,
 * not an address called.
 */
function isOAuthScope(url: string): boolean {
  return /^https:\/\/www\.googleapis\.com\/auth\/[\w.-]+$/i.test(url) || /^https:\/\/[\w.-]+\/\.default$/i.test(url)
    || /^https:\/\/graph\.microsoft\.com\/[A-Z][A-Za-z]*\.[A-Z][\w.]*$/.test(url);
}

/** Key words of a code host's pages that an API host's address overrules (`cliRepo = "https://api.github.com/repos/…/releases/latest"`). */
const REPOSITORY_PAGE_TOKENS = new Set(['repo', 'repository', 'download']);

function isHttpEndpointKey(path: string[], url = ''): boolean {
  // `external-url`, `public_url`: the address the app itself is reached at (Halo, GitLab, Grafana), not one it calls.
  const last = nameWords(path[path.length - 1] ?? '');
  if (endsWith(last, ['external', 'url']) || endsWith(last, ['public', 'url']) || /^self[_-]?url$/i.test(path[path.length - 1] ?? '') || endsWith(last, ['external'])) return false;
  // Django's and Flask's `MEDIA_URL`/`STATIC_URL` (and `STATIC_URL_PATH`), a `cdn_url`: the prefix of the app's own files
  // in links, served to browsers.
  if (last.length === 2 && (last[0] === 'media' || last[0] === 'static' || last[0] === 'cdn') && last[1] === 'url') return false;
  if (last.join(' ').includes('call back')) return false; // `CallBackUrl`
  // A payment provider's `notify_url`/`notifyUrl` (WeChat Pay, Alipay): the app's own address the provider calls back.
  if (endsWith(last, ['notify', 'url'])) return false;
  // `RootUrl` of an OAuth client an identity server seeds, Grafana's `root_url`: where that app is reached, for redirects.
  if (endsWith(last, ['root', 'url'])) return false;
  // A parcel's or a tracked entry's page a user opens (`tracking_url`, a carriers' table `tracking_carriers.ups.url`):
  // a link shown in a mail or a list, not an API.
  if (endsWith(last, ['tracking', 'url']) || path.some((segment) => { const w = nameWords(segment); return w.includes('tracking') && (w.includes('carriers') || w.includes('carrier')); })) return false;
  // A back end's `frontend_url`/`FRONTEND_BASE_URL`, Django's `SITE_URL`: where its own pages are, put in e-mails and
  // redirects (LABELLING: links the app builds for users).
  // Only as the key's last words: `ADMIN_FRONTEND_GOTRUE_URL` is what the admin front end calls.
  if (endsWith(last, ['frontend', 'url']) || endsWith(last, ['frontend', 'base', 'url']) || (last.length === 2 && last[0] === 'site' && last[1] === 'url')) return false;
  // The base URL an admin or a mailer puts in links (Wagtail's WAGTAILADMIN_BASE_URL, JHipster's jhipster.mail.base-url).
  if (endsWith(last, ['base', 'url']) && (/(admin|mail)$/.test(last[last.length - 3] ?? '')
    || (last.length === 2 && nameWords(path[path.length - 2] ?? '').some((t) => t === 'mail' || t === 'email')))) return false;
  if (last.some((t) => PICTURE_TOKENS.has(t))) return false;
  // A page a browser is sent to: `ui_url` of an identity server's login and settings flows, `KRATOS_BROWSER_URL`,
  // `DISPATCH_UI_URL`. Only as the key's last words: a health-check UI's list of services (`HealthChecksUI__…__Uri`)
  // and a UI's dev proxy (`halo.ui.proxy.endpoint`) name servers that are called.
  if (endsWith(last, ['ui', 'url']) || endsWith(last, ['browser', 'url'])) return false;
  // A person's or a post's page on a site (`profile_url`, `page_url`, Danbooru's and Feedbin's link methods): a link
  // shown to users beside the data read from that site's API, not the API.
  if (endsWith(last, ['profile', 'url']) || endsWith(last, ['page', 'url'])) return false;
  // A page that explains something to a reader (`get_error_ref_url()` returning a provider's error-code reference). Only
  // in the key itself: NestJS's `httpService.axiosRef.get(…)` is a request.
  if (last.includes('ref') || last.includes('reference')) return false;
  // Ocelot's `GlobalConfiguration.BaseUrl`: "the URL Ocelot is running on", the gateway's own address.
  if (path.length >= 2 && /^globalconfiguration$/i.test(path[path.length - 2]!) && /^baseurl$/i.test(path[path.length - 1]!)) return false;
  const apiHost = /^https?:\/\/api\./i.test(url);
  return !path.some((segment) => nameWords(segment).some((t) => NON_ENDPOINT_TOKENS.has(t) && !(apiHost && REPOSITORY_PAGE_TOKENS.has(t))));
}


/**
 * A record that says who wrote something and which version it is (`name`, `version`, `author`, `url` of a plugin
 * class, a setup.py call, a manifest): its `url` is the project's home page, not an endpoint the app calls.
 */
function describesAPackage(group: Group): boolean {
  return group.items.some((i) => /^(author|authors|author_email|maintainer|maintainers|license|licence)$/i.test(i.setting.path[i.setting.path.length - 1] ?? ''));
}

/**
 * A record shown to users as a card, a menu item or a list of links: a plain `url`/`link`/`href`/`homepage`/`website`
 * beside a picture (`logo`, `icon`, `image`…) — a product catalogue in a front end (`{ logo: …, url:
 * "https://aliyun.com/product/sms" }`), a site's social links, a dashboard's tiles. The page is opened by a browser, not
 * called; a key that says what it is for (`token_url`, `api_url`) keeps its meaning.
 */
function describesAnEntryShown(item: Classified, group: Group): boolean {
  // A record is nested under a name; a file's top level (a code scanner's locals: a Python class's `icon()` beside a
  // method's `url = …`) is no record.
  if (item.setting.path.length < 2 || namesCallSite(item.setting.path)) return false; // a call's site (`get@22`) is a request
  const last = item.setting.path[item.setting.path.length - 1] ?? '';
  return /^(url|link|href|homepage|home_page|website|web_site|site)$/i.test(last)
    && group.items.some((i) => i !== item && nameWords(i.setting.path[i.setting.path.length - 1] ?? '').some((t) => PICTURE_TOKENS.has(t)));
}

/** A path through a call's site (`fetch@12`, `Redis@30`): code scanners name the settings a call is given by its line. */
function namesCallSite(path: readonly string[]): boolean {
  return path.some((segment) => /@\d+$/.test(segment));
}

/** An ADO.NET string names its host under a key (`Server=db;…`, `Host=db;…`): a bare word there is a host. */
function namesHostUnderKey(text: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:/i.test(text) && /(?:^|;)\s*(?:server|data source|host)\s*=[^;]+;/i.test(text);
}

/** `namedHost`: the source says the value is a host (a URL with a port, a `Server=` key, a client's address argument), so a bare word counts in code too. */
function emit(
  out: Finding[], opts: InterpretOptions, base: Omit<Finding, 'host' | 'port' | 'line' | 'profile' | 'confidence' | 'appHint'>,
  endpoints: Endpoint[], line: number, confidence: number, namedHost = false, endpointLines?: readonly number[],
): void {
  const list = endpoints.length > 0 ? endpoints : [{ host: null, port: null }];
  // One line per address where the list was written one item per line, and all of them agree.
  const lines = endpointLines !== undefined && endpointLines.length === endpoints.length ? endpointLines : undefined;
  for (const [i, e] of list.entries()) {
    // A host left to fill in (`<redis-host>`) is an unknown address, not a misread one; any other verdict but ok drops it.
    // In code a bare word is a host only inside a URL with a port (`http://openbao:8200`: a compose or Kubernetes
    // service name); `ldap://example` or `http://nonexistent-host` in a test is a word.
    const strict = opts.strictHosts === true && !namedHost;
    let verdict = e.host === null ? null : hostVerdict(e.host, { strict });
    // A bare word in code may be a service the repository runs (`Redis(host="redis")`): the service map decides.
    // So may a name under no known top-level domain (`basket.data` in a compose file, or a made-up `gin.vue.admin`).
    const serviceHost = (strict && verdict === 'invalid' && e.host !== null && /^[a-z][a-z0-9_-]*$/i.test(e.host) && hostVerdict(e.host) === 'ok')
      || (verdict === 'ok' && resolvesOnlyInRepository(e.host!, { code: opts.strictHosts === true }));
    if (serviceHost) verdict = 'ok';
    const template = verdict === 'placeholder';
    if (verdict !== null && verdict !== 'ok' && !template) continue;
    // A host left as an instruction (`yourendpoint`, `<redis-host>`, `https://xx.ai`) is a block no one has filled in,
    // a sample of the settings a backend would need: nothing to inventory (a `${VAR}` lookup is another matter).
    if (template) continue;
    // Nor in code is `"http://" + svcAddr`: a URL built from run-time values names no host to inventory.
    if (base.kind === 'http' && e.host === null && opts.strictHosts) continue;
    const host = template ? null : e.host;
    // An S3-compatible client pointed at a provider's domain (`oss-cn-beijing.aliyuncs.com`) uses that provider; one
    // pointed at a server of the network on MinIO's own port (`http://192.168.28.130:9000`) uses a MinIO server.
    const domain = base.kind === 's3' && host !== null ? kindOfDomain(host) : null;
    const provider = domain ?? (base.kind === 's3' && host !== null && e.port === defaultPort('minio') && !/\.amazonaws\.com$/i.test(host) ? 'minio' : null);
    const finding: Finding = {
      ...base,
      ...(provider !== null ? { kind: provider } : {}),
      ...(template ? { valueSource: 'placeholder' as const } : {}),
      host,
      port: e.port,
      line: lines?.[i] ?? line,
      profile: opts.profile,
      confidence: host === null ? Math.min(confidence, 0.5) : confidence,
    };
    if (opts.appHint !== undefined) finding.appHint = opts.appHint;
    if (serviceHost) finding.serviceHost = true;
    out.push(finding);
  }
}

/** `scheme://user@host:port` of a URL, without path and query: what decides where a connection goes. */
function addressPart(text: string): string {
  const goDsn = /@(tcp6?|unix)\(([^)]*)\)/.exec(text);
  if (goDsn) return goDsn[2]!;
  const m = /^([a-z][a-z0-9+._-]*:(?:[a-z0-9]+:)*\/\/[^/?#]*)/i.exec(text.trim());
  if (!m) return text;
  // user info is not the address: `mysql://${DB_USER}@10.0.0.5` still goes to a literal host
  return m[1]!.replace(/\/\/[^@/]*@/, '//');
}

/** A user or database name that is still an unresolved lookup is unknown, not a name. */
function knownName(value: string | null): string | null {
  return value !== null && (hasUnresolvedLookup(value) || value.includes('<%')) ? null : value;
}


/** Links the password that opens the connections just emitted (from index `from`) to the first of them. */
function linkPassword(
  ctx: GroupContext, out: Finding[], from: number, sibling: Classified | undefined, inline: string | null, line: number, written: string, derived = false,
): void {
  const first = out[from];
  if (!first) return;
  const resource = resourceName(first);
  if (sibling && !ctx.passwordResource.has(sibling)) ctx.passwordResource.set(sibling, resource);
  if (inline !== null && !derived) {
    const r = resolveValue(inline, ctx.definitions);
    if (r.source === 'placeholder' || !r.text || isPlaceholderSecret(r.text) || isTemplateCredential(first.username, r.text)) return;
    // `postgres://app:${DB_PASSWORD}@db/x` with DB_PASSWORD defined elsewhere: the password is reported where it is written.
    if (hasUnresolvedLookup(written) && !written.includes(r.text) && !written.includes(encodeURIComponent(r.text))) return;
    ctx.secrets.push({ line, kind: credentialKind('password', r.text, [first.username]), value: r.text, resource });
  }
}

function fromUrl(ctx: GroupContext, item: Classified, opts: InterpretOptions, out: Finding[], kindIfNone?: Kind): void {
  const { kind: groupHint } = groupKind(ctx, item.roleTokens);
  // `protocols: { grpc: { endpoint: … } }`: where a server (an OpenTelemetry receiver) listens for each protocol.
  const listens = ctx.group.path[ctx.group.path.length - 2] === 'protocols';
  // `exporter: { otlp: { endpoint: ${OTEL_EXPORTER_OTLP_ENDPOINT} } }` in configuration (an OpenTelemetry exporter, an
  // SDK's config file): a block that is an endpoint and little else, where the app sends, its address left to the
  // environment. Not a server's own `protocols`, nor one key of a larger block (a storage disk's `endpoint` beside its
  // bucket and region, a CI job's env), where the block's product decides.
  const endpointLookup = !opts.strictHosts && item.resolved.text === null && item.setting.path[item.setting.path.length - 1] === 'endpoint'
    && ctx.group.items.length <= 2
    && !listens && /^(https?:\/\/)?\$\{/.test(item.setting.value.trim());
  const hint = groupHint ?? kindIfNone ?? (endpointLookup ? 'http' : null);
  const line = item.setting.line;
  // `"connectionString": "SECRET"`: a marker where the address goes, as unknown as a lookup.
  const text = item.resolved.text !== null && !opts.strictHosts && isCredentialMarker(item.resolved.text) ? null : item.resolved.text;
  if (text === null) {
    // The whole url is an unresolved lookup: the app uses something of this kind, where is unknown.
    if (!hint || (opts.strictHosts && hostFromProgramOnly(item.setting.value))) return;
    const pw = passwordState(null, 'literal', lookup(ctx, 'password'));
    emit(out, opts, {
      kind: hint, database: null, username: textOf(lookup(ctx, 'username')), hasPassword: pw.has,
      passwordHardcoded: pw.hardcoded, url: item.setting.value.trim(), valueSource: 'placeholder',
    }, [], line, 0.5);
    return;
  }
  // A data source named by a word (Seata's `datasource: druid`, Spring's pool type) is an implementation, not an address:
  // under such a key only a whole URL counts.
  if (text !== null && (endsWith(item.roleTokens, ['data', 'source']) || endsWith(item.roleTokens, ['datasource'])) && !/^[a-z][a-z0-9+.-]*:/i.test(text.trim())) return;
  // A generic "data source" holding an http(s) URL (`REACT_APP_API_DATA_SOURCE=https://…/graphql`, Apollo's and
  // Grafana's data sources) is an API: its scheme decides, as no database speaks http.
  const parseHint = hint === 'database' && /^https?:\/\//i.test(text) ? null : hint;
  let parsed: ParsedConnection | null = parseConnectionString(text, opts.defaultKind && !parseHint ? opts.defaultKind : parseHint);
  let isAddressOnly = false;
  if (parsed === null && isPlausibleHostText(text) && hint && /[.:]/.test(text)) {
    // `oss.endpoint: oss-cn-hangzhou.aliyuncs.com`: a bare address where a URL could be
    parsed = { kind: hint, endpoints: [parseHostPort(text)], database: null, username: null, password: null };
    isAddressOnly = true;
  } else if (parsed === null && !hint && ENDPOINT_ROLE_WORDS.some((w) => item.roleTokens.includes(w)) && isPlausibleHostText(text)
    && (text.includes('.') || (!opts.strictHosts && endsWith(item.roleTokens, ['endpoint']) && /^[a-z][a-z0-9-]*:\d{2,5}$/i.test(text) && !listens))) {
    // `sms.aliyun.endpoint: dysmsapi.aliyuncs.com`: an API host without a scheme; the port is not said. A service name
    // with its port under `endpoint` in a config file (an OpenTelemetry Collector exporter's `endpoint: jaeger:4317`,
    // gRPC's form); in code a variable named so is reported where a client uses it.
    parsed = { kind: 'http', endpoints: [parseHostPort(text)], database: null, username: null, password: null };
    isAddressOnly = true;
  }
  if (parsed === null || parsed.kind === null) return;
  if (opts.strictHosts && parsed.endpoints.every((e) => e.host === null) && hostFromProgramOnly(item.setting.value)) return;
  // A page whatever product its record names (a catalogue's "AWS S3" card links to the product's site).
  if (/^https?:\/\//i.test(text) && describesAnEntryShown(item, ctx.group)) return;
  let kind: Kind = parsed.kind;
  if (kind === 'http') {
    // A JWT `Issuer` beside the key that signs it names this app as the issuer; an OIDC client's is its provider.
    if (endsWith(item.roleTokens, ['issuer']) && ctx.group.items.some((i) => i !== item && /(secret|signing|key)$/i.test(i.setting.path[i.setting.path.length - 1] ?? ''))) return;
    if (opts.httpEndpoints === false || !isHttpEndpointKey(item.setting.path, text) || isPageOrAsset(text)
      || isDocumentationPage(text, item.setting.path) || describesAPackage(ctx.group)) return;
    // Built on the app's own listening port or context path (`${server.port}`): where the app itself is reached.
    if (referencesOwnServer(item.setting.value, ctx.definitions)) return;
    // A link kept in a setting or a constant; a request a call sends to the same page (a reachability check) stays.
    if (isSocialPage(text) && !namesCallSite(item.setting.path)) return;
    // A provider's service domain names its product whatever key holds it (`aliyun.endpoint: oss-cn-shenzhen.aliyuncs.com`).
    const host = parsed.endpoints[0]?.host;
    kind = (host ? kindOfDomain(host) : null) ?? kind;
  }
  const portSibling = textOf(lookup(ctx, 'port'));
  const endpoints = parsed.endpoints.map((e) =>
    e.port === null && portSibling && /^\d+$/.test(portSibling) ? { ...e, port: Number(portSibling) } : e);
  const pw = passwordState(parsed.password, item.resolved.source, lookup(ctx, 'password'), ctx.definitions);
  const before = out.length;
  emit(out, opts, {
    kind,
    database: knownName(parsed.database) ?? textOf(lookup(ctx, 'database')),
    username: knownName(parsed.username) ?? textOf(lookup(ctx, 'username')),
    hasPassword: pw.has,
    passwordHardcoded: pw.hardcoded,
    url: isAddressOnly ? null : maskConnectionString(text),
    // A placeholder only in the password, path or query leaves the address literal.
    valueSource: resolveValue(addressPart(maskConnectionString(item.setting.value)), ctx.definitions).source,
  }, endpoints, line, isAddressOnly && parsed.kind === 'http' ? 0.6 : 0.9,
  item.setting.address === true || (!isAddressOnly && /^[a-z][a-z0-9+.-]*:(?:[a-z0-9]+:)*\/\/[^/?#]*:\d+$/i.test(addressPart(text))) || namesHostUnderKey(text));
  linkPassword(ctx, out, before, lookup(ctx, 'password'), parsed.password, line, item.setting.value, item.setting.derived);
}

/**
 * A name in code that only the program knows: a variable (`mongoUri`, `_schema_key`), an attribute
 * (`self.host`), or another module's constant (`settings.REDIS_URL`), as opposed to an environment
 * variable or a config key someone can look up (`REDIS_URL`, `spring.redis.host`).
 */
function isProgramName(name: string): boolean {
  if (/^(self|this|cls)\./.test(name)) return true;
  // `MONITOR_KEY`, `ORDER_TOPIC`, `CACHE_PREFIX`: a constant that holds a key or a name, never an address.
  if (/^[A-Z][A-Z0-9_]*_(KEY|KEYS|ID|NAME|TOPIC|QUEUE|PREFIX|SUFFIX|PATH|DIR|FILE|TTL|TIMEOUT|COUNT|SIZE|FIELD|CHANNEL|LOCK)$/.test(name)) return true;
  const envVariable = /^[A-Z][A-Z0-9_]*$/.test(name);
  const configKey = /^[a-z0-9_-]+(\.[a-z0-9_-]+)+$/.test(name) && !/^_*[a-z][A-Za-z0-9_]*\.[A-Z][A-Z0-9_]*$/.test(name);
  return !envVariable && !configKey;
}

/**
 * In code, an address made only of program names names nothing to inventory: `${mongoUri}`,
 * `databend://${user}:${pw}@${host}:${port}`. `${MONGODB_URI}` or `${spring.redis.host}` would name a setting.
 */
function hostFromProgramOnly(raw: string): boolean {
  const address = addressPart(raw).replace(/^[a-z][a-z0-9+._-]*:(?:[a-z0-9]+:)*\/\//i, '');
  const names = [...address.matchAll(/\$\{([^:}]+)\}/g)].map((m) => m[1]!);
  return names.length > 0 && names.every(isProgramName) && address.replace(/\$\{[^}]*\}|[:/]/g, '').trim() === '';
}

function fromComponents(ctx: GroupContext, locator: Classified, opts: InterpretOptions, out: Finding[]): void {
  // `db.host=10.0.0.5` used as `${db.host}` inside a URL elsewhere is a definition; the URL is the connection.
  if (ctx.referenced.has(locator.setting.path.join('.'))) return;
  const portItem = lookup(ctx, 'port');
  const portText = textOf(portItem);
  // A cluster's nodes on one host, one port each: `REDIS_CLUSTER_HOST=localhost` beside `…_PORTS=[7000,7001,7002]`.
  const portList = portText && /^\[?\s*\d{1,5}(\s*,\s*\d{1,5})+\s*\]?$/.test(portText) ? portText.match(/\d+/g)!.map(Number) : null;
  const explicitPort = portText && /^\d{1,5}$/.test(portText) ? Number(portText) : portList?.[0] ?? null;
  let { kind, fromPortOnly } = groupKind(ctx, locator.roleTokens);
  kind ??= opts.defaultKind ?? null;
  // A registry's `ip`, or a lone `address` beside the registry's own list (`adminAddresses` + `address`): where this
  // app registers itself to be called back, not where the registry is.
  if (kind && REGISTRY_KINDS.has(kind) && locator.role === 'host'
    && (endsWith(locator.roleTokens, ['ip']) || [ctx.group, ...ctx.children].some((g) => g.items.some((i) => i !== locator && (i.role === 'hostList' || i.role === 'url'))))) return;
  // No port key: a port written in the address itself (`hosts: [("10.0.0.9", 6379)]`) can still name the kind.
  const inlinePort = explicitPort ?? (() => {
    const m = /:(\d{1,5})(?:[,;\s]|$)/.exec(locator.resolved.text ?? '');
    return m ? Number(m[1]) : null;
  })();
  // A product's own name in the key (`mail.smtp.host` beside `port: 10250`) says which it is whatever the port; an
  // everyday word that also names it (`mail`, `email`) is judged by the port.
  const namedOutright = kind !== null && kind !== 'database' && ctx.group.path.some((segment) => nameWords(segment).includes(kind!));
  const refined = namedOutright ? { kind, fromPortOnly } : refineByPort(kind, inlinePort);
  if (refined.kind !== kind) ({ kind, fromPortOnly } = refined);
  // A service named like a product's image (`EventBusConnection=rabbitmq`, `REDIS_HOST=redis`) is that product:
  // compose and Kubernetes deployments name services after what they run. So is a vague database key's
  // (`DB_HOST=mysql`, a Dockerfile's `ENV DB_HOST=mysql`), with its port written beside it or not
  // (`DEFAULT_BROKERS=kafka:9093`, a listener other than the product's usual port).
  const serviceName = locator.resolved.text?.replace(/:\d{1,5}$/, '') ?? null;
  if ((kind === null || kind === 'database') && serviceName !== null && /^[a-z][a-z0-9-]*$/i.test(serviceName)) {
    // `rabbitmq-test`, `redis-cart`: the product's name, then a qualifier.
    const text = serviceName;
    const named = kindFromImage(text) ?? kindFromImage(text.split(/[-_]/)[0]!);
    if (named !== null && named !== 'http') kind = named;
  }
  // `host = "https://open.feishu.cn"`: a URL under a host key is read as a URL, whatever product the key names.
  if (kind === null && locator.role === 'host' && /^https?:\/\/[^/\s$]/i.test(locator.resolved.text ?? '')) {
    fromUrl(ctx, locator, opts, out);
    return;
  }
  // `register.serverLists: http://admin:9095`, `admin.addresses: http://a:8080/job-admin,http://b:8080/job-admin`: a
  // list key of URLs whose key names no product is a list of HTTP endpoints, each read as a URL.
  if (kind === null && locator.role === 'hostList' && locator.resolved.text !== null) {
    const urls = locator.resolved.text.split(',').map((u) => u.trim()).filter(Boolean);
    // `urls: [http://twitter.com/*/status/*]`: patterns links are matched against (oEmbed providers, allow-lists), not servers.
    if (urls.some((u) => u.includes('*'))) return;
    if (urls.length > 0 && urls.every((u) => /^(?:https?|wss?):\/\/[^/\s$]/i.test(u))) {
      // A WebSocket list (`sync.websocket.urls: ws://admin:9095/websocket`) names HTTP servers the app upgrades to.
      for (const u of urls) fromUrl(ctx, { ...locator, resolved: { ...locator.resolved, text: u } }, opts, out, 'http');
      return;
    }
  }
  if (kind === null && isServiceAddress(ctx, locator)) {
    emit(out, opts, { kind: 'http', database: null, username: null, hasPassword: false, passwordHardcoded: false, url: null, valueSource: locator.resolved.source },
      [parseHostPort(locator.resolved.text!)], locator.setting.line, 0.6);
    return;
  }
  // Ocelot's `DownstreamHostAndPorts: [{ Host, Port }]`: the service a gateway route forwards to.
  const downstream = ctx.group.path.some((segment) => nameWords(segment)[0] === 'downstream');
  if (kind === null && explicitPort !== null && (downstream || isServiceHost(ctx, locator))) {
    emit(out, opts, { kind: 'http', database: null, username: null, hasPassword: false, passwordHardcoded: false, url: null, valueSource: weakestSource([locator.resolved.source, portItem!.resolved.source]) },
      [{ host: locator.resolved.text!, port: explicitPort }], locator.setting.line, 0.6);
    return;
  }
  if (kind === null) return;
  if (kind === 'http') return; // a bare host with no scheme says too little to call it an API

  // Options inside a host list (`password=${X}`) do not make the addresses placeholders.
  const sources: ValueSource[] = [resolveValue(maskConnectionString(locator.setting.value), ctx.definitions).source];
  if (portItem) sources.push(portItem.resolved.source);
  const hostText = locator.resolved.text;
  let endpoints: Endpoint[];
  let listPassword: string | null = null;
  let listDatabase: string | null = null;
  let listUser: string | null = null;
  // `os.getenv("DB_HOST", "")`: an empty default leaves the address to the environment, as no default does.
  const emptyDefault = hostText === '' && locator.resolved.source === 'env-default';
  if (hostText === null || emptyDefault || (locator.role !== 'hostList' && hasUnresolvedLookup(hostText))) {
    if (opts.strictHosts && hostFromProgramOnly(locator.setting.value)) return;
    endpoints = [];
  } else if (locator.role === 'hostList') {
    const list = parseHostList(hostText, kind) ?? (looksLikeConnectionString(hostText) ? parseConnectionString(hostText, kind) : null);
    if (!list) {
      if (!hasUnresolvedLookup(hostText)) return;
      endpoints = []; // `${KAFKA_SERVERS}`: used, address unknown
    } else {
      endpoints = list.endpoints;
      listPassword = list.password;
      listDatabase = list.database;
      listUser = list.username;
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(hostText)) {
    fromUrl(ctx, locator, opts, out);
    return;
  } else {
    // `DB_CONNECTION=sqlite`: the name of an embedded database is a choice of driver; such a database has no host.
    if (!isPlausibleHostText(hostText) || EMBEDDED_KINDS.has(hostText.toLowerCase() as Kind)) return;
    endpoints = [parseHostPort(hostText)];
  }
  endpoints = portList && endpoints.length === 1 && endpoints[0]!.host !== null && endpoints[0]!.port === null
    ? portList.map((port) => ({ host: endpoints[0]!.host, port }))
    : endpoints.map((e) => ({
      host: e.host,
      port: e.port ?? explicitPort ?? (e.host !== null && !e.unknownPort ? defaultPort(kind!) : null),
    }));
  const pw = passwordState(listPassword, 'literal', lookup(ctx, 'password'), ctx.definitions);
  const valueSource = weakestSource(sources);
  const before = out.length;
  emit(out, opts, {
    kind,
    database: listDatabase ?? textOf(lookup(ctx, 'database')),
    username: listUser ?? textOf(lookup(ctx, 'username')),
    hasPassword: pw.has,
    passwordHardcoded: pw.hardcoded,
    url: null,
    valueSource,
  }, endpoints, locator.setting.line, fromPortOnly ? 0.6 : endpoints.length === 0 ? 0.5 : 0.8, locator.setting.address === true,
  locator.role === 'hostList' ? locator.setting.itemLines : undefined);
  linkPassword(ctx, out, before, lookup(ctx, 'password'), listPassword, locator.setting.line, locator.setting.value, locator.setting.derived);
}

/**
 * A database named by its driver alone: one inside the app's process (Django `ENGINE: django.db.backends.sqlite3`
 * with `NAME`, `driver-class-name: org.h2.Driver`), or a framework's server engine with no address written (below):
 * no host to find, so the driver is the connection, reported at the database's line (its file) or the driver's.
 */
function fromEmbeddedDriver(ctx: GroupContext, opts: InterpretOptions, out: Finding[], file?: Classified): void {
  const { driver, kind } = groupDriver(ctx);
  if (!driver || kind === null) return;
  const database = file ?? ctx.group.items.find((i) => i.role === 'database');
  if (!EMBEDDED_KINDS.has(kind)) {
    // Rails' `adapter: postgresql` and Django's `ENGINE: …postgresql` beside a database name and no address: the
    // framework connects to the engine's local default (libpq's socket, MySQL's localhost), so the database
    // block is a connection whose host the environment decides.
    const frameworkKey = nameWords(driver.setting.path[driver.setting.path.length - 1] ?? '').pop();
    if ((frameworkKey !== 'adapter' && frameworkKey !== 'engine') || !database?.resolved.text || !RELATIONAL_KINDS.has(kind)) return;
    if ([...ctx.ancestors, ...ctx.children].some((g) => g.items.some((i) => i.role === 'url' || i.role === 'host' || i.role === 'hostList'))) return;
  }
  emit(out, opts, {
    kind, database: database?.resolved.text ?? null, username: null, hasPassword: false, passwordHardcoded: false, url: null,
    valueSource: weakestSource([driver.resolved.source, ...(database ? [database.resolved.source] : [])]),
  }, [], (database ?? driver).setting.line, 0.7);
}

/**
 * A group's key that chooses a driver (`ENGINE`, `adapter`, `driver`, `dialect`), not a `type` field of a form or a
 * fixture, and the product it names.
 */
function groupDriver(ctx: GroupContext): { driver: Classified | undefined; kind: Kind | null } {
  const driver = ctx.group.items.find((i) => i.role === 'driver' && !endsWith(nameWords(i.setting.path[i.setting.path.length - 1] ?? ''), ['type']));
  return { driver, kind: driver?.resolved.text ? kindFromDriver(driver.resolved.text) : null };
}

/**
 * An embedded engine's "address" that is its file (Gotify's `Database{Dialect: "sqlite3", Connection: "data/gotify.db"}`,
 * `connection: ':memory:'`): the database, not a host.
 */
function isEmbeddedFile(ctx: GroupContext, host: Classified): boolean {
  const { kind } = groupDriver(ctx);
  return kind !== null && EMBEDDED_KINDS.has(kind) && /[/\\]|\.(db|sqlite3?|db3)$|^:memory:$/i.test(host.resolved.text ?? '');
}

/** Last words of a key that holds a file's name. */
const FILE_KEY_WORDS = new Set(['file', 'filename', 'path']);

/** File names SQLite databases are given: `.sqlite`, `.sqlite3`, `.db3` (not `.db` alone, which many stores use). */
const SQLITE_FILE = /\.(sqlite3?|db3)$/i;

/**
 * A database group's file (`komga.database.file: ${config-dir}/database.sqlite`, `tasks-db.path: tasks.sqlite3`): an
 * embedded SQLite database the app opens, named by its file where no driver is written.
 */
function fromDatabaseFile(ctx: GroupContext, opts: InterpretOptions, out: Finding[]): void {
  if (kindFromPath(ctx.group.path) !== 'database') return;
  for (const item of ctx.group.items) {
    const last = nameWords(item.setting.path[item.setting.path.length - 1] ?? '').pop();
    if (!FILE_KEY_WORDS.has(last ?? '')) continue;
    const file = (item.resolved.text ?? item.setting.value).trim();
    if (!SQLITE_FILE.test(file)) continue;
    emit(out, opts, {
      kind: 'sqlite', database: file, username: null, hasPassword: false, passwordHardcoded: false, url: null,
      // The file's name is written even when its folder is a lookup (`${config-dir}/database.sqlite`).
      valueSource: item.resolved.source === 'placeholder' ? 'literal' : item.resolved.source,
    }, [], item.setting.line, 0.7);
  }
}

export interface Interpretation {
  findings: Finding[];
  secrets: SecretCandidate[];
}

/** Key words of settings that hold a credential other than a connection password. */
const SECRET_KEY_SUFFIXES: string[][] = [
  ['secret'], ['token'], ['api', 'key'], ['apikey'], ['app', 'secret'], ['appsecret'], ['client', 'secret'],
  ['private', 'key'], ['access', 'token'], ['auth', 'token'], ['secret', 'key'], ['secret', 'key', 'base'], ['credential'],
  ['credentials'], ['signing', 'key'], ['encrypt', 'key'], ['encryption', 'key'], ['encode', 'key'], ['aes', 'key'], ['crypto', 'key'], ['cipher', 'key'], ['master', 'key'], ['webhook', 'secret'],
  // Microsoft.IdentityModel's name for a token-signing key (`JwtOptions.SecurityKey`, `SymmetricSecurityKey`), and
  // a JWT or HMAC key named for what it signs with (`JWT_KEY`, `hmacKey`).
  ['security', 'key'], ['jwt', 'key'], ['hmac', 'key'],
];

/** Words that make a secret-named key a signing key: its value signs tokens or sessions, however weak. */
const SIGNING_WORDS = new Set(['jwt', 'session', 'signing', 'sign', 'signature', 'hmac', 'cookie', 'csrf', 'token', 'auth']);

const SECRET_REFERENCE_WORDS = new Set([
  'existing', 'name', 'ref', 'path', 'file', 'dir', 'location', 'type', 'enabled', 'mode', 'length', 'ttl', 'expire',
  'expires', 'expiration', 'prefix', 'header', 'algorithm', 'alg', 'store', 'provider', 'version', 'format', 'url',
  'uri', 'endpoint', 'field', 'env', 'arn', 'manager', 'rotation', 'timeout', 'size', 'count', 'issuer',
]);

/**
 * A value that names a secret instead of holding one: it spells its own key (`XXL_JOB_ACCESS_TOKEN =
 * "XXL-JOB-ACCESS-TOKEN"`, a header or field name), is a dotted permission or class name, is a marker a deploy script substitutes
 * (`GOOGLE_API_KEY: GOOGLE_API_KEY_VAL`), or is a camelCase identifier with a secret word in it
 * (`"resetPassword"`, `"forceResetPwd"`: field names in a map).
 */
function namesASecret(value: string, key: string, code: boolean): boolean {
  const v = value.trim();
  const squash = (x: string) => x.toLowerCase().replace(/[^a-z0-9]/g, '');
  const ownKey = squash(key);
  // The key's own words (`AUTH_OPENID_CLIENT_SECRET: client-secret`), or the whole key.
  // One word equal to a one-word key (`password: password`) is the weak value itself, as the settled call has it.
  if ((squash(v) === ownKey && nameWords(key).length > 1) || (squash(v).length >= 6 && ownKey.endsWith(squash(v)) && /[-_ ]/.test(v))) return true;
  // A dotted name: a permission (`accounts.change_account`) or a class path (`authentication.backends.PasswordBackend`).
  if (/^[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/.test(v)) return true;
  if (/^[A-Z][A-Z0-9_]*$/.test(v) && ownKey !== '' && squash(v).includes(ownKey)) return true;
  // Ends with its own key's name (`secret-key: you-secret-key`): a description of what goes there.
  const keyWords = nameWords(key);
  if (keyWords.length >= 2 && /[-_ ]/.test(v) && squash(v).endsWith(keyWords.slice(-2).join(''))) return true;
  const words = nameWords(v);
  // camelCase only: `root_pwd`, `default_token` are weak values people really deploy. And in code only, where maps
  // key fields by such names: a config or `.env` value (`JWT_SECRET=acmeAccessSecret`) is what the app signs with.
  return code && /^[a-z][A-Za-z0-9]*$/.test(v) && /[a-z][A-Z]/.test(v) && words.some((w) => SECRET_WORDS.has(w));
}

/** Words that make a password-named key a rule about passwords (`expirePassword`, `passwordMinLength`), not one. */
const PASSWORD_POLICY_WORDS = new Set([
  'expire', 'expires', 'expired', 'expiration', 'length', 'min', 'max', 'enabled', 'enable', 'policy', 'rule', 'rules',
  'reset', 'forgot', 'forget', 'force', 'strength', 'history', 'hint', 'retry', 'retries', 'lock', 'regex', 'pattern',
  'encoder', 'validate', 'validation', 'required', 'change', 'update', 'show', 'field', 'param',
]);

/** Strings in code that name a field or a type rather than hold a credential. */
const CODE_FIELD_NAMES = new Set([
  'password', 'passwd', 'pwd', 'pass', 'secret', 'token', 'credential', 'credentials', 'string', 'number', 'boolean', 'object',
  'int', 'integer', 'str', 'text', 'varchar',
]);

const SECRET_WORDS = new Set(['password', 'passwd', 'pwd', 'secret', 'token', 'credential', 'credentials', 'apikey']);

/**
 * A value that can only be a generated key: 24+ hex digits (`c8c0ea1c…`, API keys of many vendors), or
 * 20+ characters mixing letters and digits with high entropy. Words, versions and names fall short.
 */
function looksLikeRandomKey(v: string): boolean {
  if (/^[0-9a-f]{24,}$/i.test(v)) return shannonEntropy(v) >= 3.2;
  return /^[A-Za-z0-9+/=_:.-]{20,}$/.test(v) && /\d/.test(v) && /[A-Za-z]/.test(v) && shannonEntropy(v) >= 3.8;
}

/**
 * Passwords of connections and values of secret-named keys, when the file holds their
 * value. Passwords count at any strength (`123456` is exactly what reviewers look for);
 * other secret-named values must look random enough to be a key, not a word or a flag.
 */
function settingSecrets(groups: Iterable<Group>, ctx: { passwordResource: Map<Classified, string>; code: boolean }): SecretCandidate[] {
  const out: SecretCandidate[] = [];
  for (const group of groups) {
    // The user name or key id a password goes with: a password equal to it (`petclinic`/`petclinic`) is weak.
    const names = group.items.filter((x) => x.role === 'username' || isKeyId(nameWords(x.setting.path[x.setting.path.length - 1] ?? '')));
    for (const item of group.items) {
      const r = item.resolved;
      const companions = names.filter((x) => x !== item).map((x) => x.resolved.text);
      if (item.setting.derived || r.source === 'placeholder' || r.text === null || isPlaceholderSecret(r.text) || describesAPassword(r.text)) continue;
      // `password: ${jdbc.password}` resolved from another key, or a lookup whose default is empty (Django's
      // `env.str('SECRET_KEY', '')` filled by another settings module's value): the secret is reported where it is written.
      const written = resolveValue(item.setting.value);
      if (written.source === 'placeholder' || (written.text ?? '').trim() === '') continue;
      const tokens = nameWords(item.setting.path[item.setting.path.length - 1] ?? '');
      if (namesASecret(r.text, item.setting.path[item.setting.path.length - 1] ?? '', ctx.code)) continue;
      // In code a string is as often a name: `DS_USER_PWD = "password"` names a column, `{ password: 'string' }` a type.
      // An environment lookup's default (`ENV.fetch("WEBHOOK_PASSWORD", "password")`) is no name: the app runs with it.
      if (ctx.code && r.source !== 'env-default' && CODE_FIELD_NAMES.has(r.text.trim().toLowerCase())) continue;
      // `expirePassword = false`, `password-policy`: settings about passwords.
      if (item.role === 'password' && tokens.some((t) => PASSWORD_POLICY_WORDS.has(t))) continue;
      // `session['auth_password'] = 1`: a flag, not a password.
      if (item.role === 'password' && /^\d$/.test(r.text.trim())) continue;
      if (item.role === 'password') {
        // `secret-key`, `access-key-secret` hold keys, not passwords, though they open the same connection.
        const kind = tokens.some((t) => /^(password|passwd|pwd|pass)$/.test(t)) ? 'password' : 'generic-secret';
        if (isUiLabel(r.text)) continue;
        out.push({ line: item.setting.line, kind: credentialKind(kind, r.text, companions), value: r.text, resource: ctx.passwordResource.get(item) ?? null });
        continue;
      }
      if (item.role !== null) continue;
      // `ali_public_key`, `dkim_public_key`, `publicKey`, `pubkey`: the half of a key pair that is given out (a payment
      // provider's key to verify its callbacks, a DNS record's), not a credential.
      if (tokens.some((t) => t === 'public' || t === 'pub' || t === 'pubkey')) continue;
      const strong = SECRET_KEY_SUFFIXES.some((suffix) => endsWith(tokens, suffix));
      // A bare `…-key` is a secret only when the value is unmistakably random (`api-v3-key: 32 random chars`).
      const weak = !strong && endsWith(tokens, ['key']) && looksLikeRandomKey(r.text.trim());
      if (!strong && !weak) continue;
      // `existingSecret: payment-db`, `secretName`, `tokenHeader`: names of secrets, not secrets.
      if (tokens.some((t) => SECRET_REFERENCE_WORDS.has(t))) continue;
      const v = r.text.trim();
      // Assembled at run time from expressions (`${encode(consumerSecret)}&${…}`): nothing literal to leak.
      if (v.includes('${')) continue;
      // `DATABASE_CREDENTIALS=dispatch:dispatch`, `BASIC_AUTH_CREDENTIALS=admin:s3cret`: a user and a password.
      const pair = endsWith(tokens, ['credentials']) || endsWith(tokens, ['credential']) ? /^([\w.@-]+):([^\s:]+)$/.exec(v) : null;
      if (pair) {
        if (!isPlaceholderSecret(pair[2]!) && !isTemplateCredential(pair[1], pair[2]!)) {
          out.push({ line: item.setting.line, kind: credentialKind('password', pair[2]!, [pair[1]!, ...companions]), value: pair[2]!, resource: null });
        }
        continue;
      }
      if (/^(https?:)?\/\//.test(v) || /^[\w.-]+\.(pem|key|p12|jks|crt|json)$/i.test(v)) continue;
      // `NOVU_API_KEY=test`, `AWS_SECRET_ACCESS_KEY=test`: a common weak value where a key is configured is what the
      // stack runs with (LABELLING.md's settled call), reported as weak. In configuration, under a key that names its
      // credential (not a seed row's bare `secret` column, nor a setter's dummy in code).
      if (strong && !ctx.code && tokens.length >= 2 && isCommonWeakValue(v)) {
        out.push({ line: item.setting.line, kind: WEAK_PASSWORD_KIND, value: v, resource: null });
        continue;
      }
      // A signing key (`jwt.secret`, `session_secret`, `signing-key`) is a secret whatever it looks like: a weak one
      // in shipped config is worse than a strong one. Other secret-named values must look random enough to be a key.
      const signing = strong && item.setting.path.flatMap(nameWords).some((t) => SIGNING_WORDS.has(t));
      if (signing) {
        // A sentence under a token key is a message (`invalid_reset_token=The reset password token is invalid…`,
        // or the same in Chinese, which has no spaces).
        if (/^(\d+|true|false|yes|no|on|off)$/i.test(v) || v.length < 4 || v.split(/\s+/).length >= 3 || /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(v)) continue;
      } else if (v.length < 10 || /\s/.test(v) || shannonEntropy(v) < 3.3 || !/[\d+/=_!@#$%^&*-]/.test(v) || /^[a-z]+(-[a-z]+)*$/.test(v)) {
        continue;
      }
      out.push({ line: item.setting.line, kind: credentialKind('generic-secret', v, companions), value: v, resource: null });
    }
  }
  return out;
}

/** `access-key-id`, `AWS_ACCESS_KEY_ID`, `accessKey`: the public half of a key pair, the user name of a secret key. */
function isKeyId(tokens: string[]): boolean {
  if (tokens.some((t) => t === 'secret' || t === 'password')) return false;
  return endsWith(tokens, ['key', 'id']) || endsWith(tokens, ['access', 'key']);
}

/** A validation rule's name: the rules a form's `password` field must pass, not its value. */
const VALIDATION_RULES = /^(required|nullable|sometimes|present|filled|string|confirmed|bail|current_password|min|max|between|size|same|different|regex|alpha_num)$/;

/**
 * Text about a password rather than one: a validation rule list (Laravel's `'password' => 'required|string|min:8'`,
 * a lone `'required'`), or a sentence to a user (`'The password you entered is incorrect'`).
 */
function describesAPassword(value: string): boolean {
  const v = value.trim();
  const rules = v.split('|');
  if (rules.every((r) => /^[a-z_]+(:[^|\s]*)?$/.test(r)) && rules.some((r) => VALIDATION_RULES.test(r.replace(/:.*$/, ''))) && (rules.length > 1 || /^(required|nullable|sometimes|confirmed)$/.test(v))) return true;
  return v.split(/\s+/).length >= 4 && /^\p{Lu}[\p{L}' ,.!?-]+$/u.test(v);
}

/** A word in a script without spaces in a password setting is a label (`password: '密码'` in a locale file), not a password. */
function isUiLabel(value: string): boolean {
  return /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(value);
}

/** Interprets one document's settings into connections and the secrets they hold. Pure. */
export function interpretSettings(settings: Setting[], opts: InterpretOptions): Interpretation {
  return interpretWithDefinitions(settings, opts).interpretation;
}

function holdsJsonObject(setting: Setting): boolean {
  const v = setting.value.trim();
  return v.length > 2 && v.length < 65_536 && v.startsWith('{') && v.endsWith('}') && v.includes('"');
}

/**
 * A value that is a JSON object (`SPRING_APPLICATION_JSON='{"spring":{"datasource":{…}}}'`, Spring Boot's documented
 * variable; an installer's `SETUP: >- { "mongo:host": "127.0.0.1", … }` in a CI job) is its settings under the
 * variable's name, nconf's `a:b` keys nested as `:` is elsewhere, each on the line it is written when the JSON spans
 * lines (a block scalar's text starts on the line after its key).
 */
function withJsonExpanded(setting: Setting): Setting[] {
  if (!holdsJsonObject(setting)) return [setting];
  let parsed: unknown;
  try {
    parsed = JSON.parse(setting.value);
  } catch {
    return [setting];
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return [setting];
  const lines = setting.value.split('\n');
  let from = 0;
  const lineOf = (key: string): number => {
    if (lines.length === 1) return setting.line;
    for (let i = from; i < lines.length; i++) {
      if (lines[i]!.includes(JSON.stringify(key))) {
        from = i;
        return setting.line + 1 + i;
      }
    }
    return setting.line;
  };
  const out: Setting[] = [];
  const walk = (node: unknown, path: string[]): void => {
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const at = [...path, ...key.split(':')];
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) walk(value, at);
      else if (out.length < 1_000) out.push({ path: at, value: Array.isArray(value) ? value.map(String).join(',') : String(value ?? ''), line: lineOf(key) });
    }
  };
  walk(parsed, setting.path);
  return out.length > 0 ? out : [setting];
}

/**
 * `interpretSettings`, plus the connections the definitions (code constants other code uses) describe on
 * their own, which it computes anyway for their secrets: a code scanner reports one where no known client
 * used it (src/code/constants.ts).
 */
export function interpretWithDefinitions(written: Setting[], opts: InterpretOptions): { interpretation: Interpretation; definitionFindings: Finding[] } {
  // In configuration only: a JSON string in code is more often a payload (a test's `setConfig("{\"host\": …}")`).
  const settings = opts.strictHosts !== true && written.some(holdsJsonObject) ? written.flatMap(withJsonExpanded) : written;
  const secrets: SecretCandidate[] = [];
  const passwordResource = new Map<Classified, string>();
  const interpreted = interpret(settings.filter((x) => !x.definition), opts, secrets, passwordResource);
  const { groups } = interpreted;
  const ownPorts = opts.strictHosts === true ? new Set<number>() : listenPorts(settings);
  const findings = ownPorts.size === 0 ? interpreted.findings
    // Any product spoken over HTTP: a Eureka server's `defaultZone` at `localhost:${server.port}` is the server itself.
    : interpreted.findings.filter((f) => !((f.kind === 'http' || HTTP_BASED_KINDS.has(f.kind)) && isLocalHost(f.host) && f.port !== null && ownPorts.has(f.port)));
  const definitions = settings.filter((x) => x.definition);
  // A definition's own connection is reported where it is used, but a password written inside it
  // (`const DSN = "app:pw@tcp(…)/db"`) is reported here, where it is written.
  const definitionSecrets: SecretCandidate[] = [];
  const definitionResources = new Map<Classified, string>();
  const fromDefinitions = definitions.length > 0 ? interpret(definitions, opts, definitionSecrets, definitionResources) : { findings: [], groups: [] };
  const all = [
    ...secrets, ...settingSecrets(groups, { passwordResource, code: opts.strictHosts === true }),
    ...definitionSecrets, ...settingSecrets(fromDefinitions.groups, { passwordResource: definitionResources, code: opts.strictHosts === true }),
  ];
  return {
    interpretation: { findings, secrets: opts.appHint === undefined ? all : all.map((c) => ({ ...c, appHint: opts.appHint! })) },
    definitionFindings: fromDefinitions.findings,
  };
}

/** Keys that give the app its own port to listen on: `PORT` (Heroku's, Node's, Rails'), `SERVER_PORT`, Spring's `server.port`. */
const LISTEN_PORT_KEY = /^(port|server[_.-]?port|app[_.-]?port|http[_.-]?port)$/i;

/**
 * The ports a config file gives the app itself to listen on. A loopback URL on one of them in the same file
 * (`PORT=3000` beside `HOST=http://localhost:3000`, the app's own address for links and callbacks) is the app, not a
 * service it calls (LABELLING: the app's own address is not a connection).
 */
function listenPorts(settings: Setting[]): Set<number> {
  const ports = new Set<number>();
  for (const s of settings) {
    const key = s.path.join('.');
    if (LISTEN_PORT_KEY.test(key) && /^\d{2,5}$/.test(s.value.trim())) ports.add(Number(s.value.trim()));
  }
  return ports;
}

function interpret(
  settings: Setting[], opts: InterpretOptions, secrets: SecretCandidate[], passwordResource: Map<Classified, string>,
): { findings: Finding[]; groups: Group[] } {
  const own = new Map<string, string>();
  for (const s of settings) own.set(s.path.join('.'), s.value);
  const definitions: Definitions = (name) => own.get(name) ?? opts.definitions?.get(name);
  const referenced = new Set<string>();
  for (const s of settings) {
    const own = s.path.join('.');
    // Only references that are a part of a larger value (`jdbc:mysql://${db.host}/x`); `${key}` alone is an alias.
    if (/^\s*\$\{[^}]*\}\s*$/.test(s.value)) continue;
    for (const m of s.value.matchAll(/\$\{([^:}\s]+)/g)) if (m[1] !== own) referenced.add(m[1]!);
  }
  // In code, a value that starts from another variable holding a whole URL (`f"{self.url}/{path}"`,
  // `server_metadata_url=CONF_URL`) uses that connection: it is reported once, where the URL is written.
  const urlVariables = new Set<string>();
  if (opts.strictHosts) {
    for (const s of settings) {
      // Cheap test first: only a value with a scheme (or a lookup that may hold one) can be a whole URL.
      if (!s.value.includes('://') && !s.value.includes('${')) continue;
      const r = resolveValue(s.value, definitions);
      // Only a variable whose own name says it holds an address is reported where written (`base_url = …`), or one
      // built from such a constant (`get_token = f"{self.host}/token"`); one named otherwise and holding a literal
      // (`base = "http://…"`) is reported where a client is given it.
      if (r.text !== null && (/^https?:\/\/[^/\s$]/i.test(r.text) || looksLikeConnectionString(r.text)) && (classify(s, definitions).role !== null || s.derived === true)) urlVariables.add(s.path.join('.'));
    }
  }
  const usesUrlVariable = (value: string) => {
    if (!value.includes('${')) return false;
    const m = /^\s*(?:[a-z][a-z0-9+.-]*:\/\/)?\$\{([^:}\s]+)\}/i.exec(value);
    if (m === null) return false;
    if (urlVariables.has(m[1]!)) return true;
    // Another file's constant holding a whole URL (`redis.from_url(settings.RQ_REDIS_URL)`): reported where written.
    const elsewhere = opts.definitions?.get(m[1]!) ?? opts.definitions?.get(m[1]!.split('.').pop()!);
    const r = elsewhere === undefined ? null : resolveValue(elsewhere, definitions).text;
    return r !== null && (/^https?:\/\/[^/\s$]/i.test(r) || looksLikeConnectionString(r));
  };
  const groups = new Map<string, Group>();
  for (const s of opts.strictHosts ? settings : frontendEndpoints(settings)) {
    if (opts.strictHosts && usesUrlVariable(s.value)) continue;
    // `X = env("X", default=…)` read again under another branch: its `${X}` is the environment's X, never this file's
    // own (an earlier generation's) X, which would make every later default the first one.
    const name = s.path[s.path.length - 1]!;
    // (Code only: in a compose file `X=${X}` passes the variable through, and is reported where it is written.)
    const selfLookup = opts.strictHosts === true && s.value.includes(`\${${name}`);
    const c = classify(s, selfLookup ? (n) => (n === name ? opts.definitions?.get(n) : definitions(n)) : definitions);
    const key = groupKey(c.group);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { key, path: c.group, items: [] }));
    g.items.push(c);
  }
  const out: Finding[] = [];
  for (const group of groups.values()) {
    const tokens = group.path.flatMap(nameWords);
    // `logging.logstash.host`: under the app's logging settings, a group named for a product is where logs are shipped.
    const shipsLogs = tokens.every((t) => t === 'logging' || !SELF_TOKENS.has(t)) && group.path.length > 0
      && ![null, 'database'].includes(segmentKind(group.path[group.path.length - 1]!));
    if (tokens.some((t) => SELF_TOKENS.has(t)) && !shipsLogs) continue;
    // `server.port`, `SERVER_ADDRESS`, `http.port`: the app's own listener; but a code call site
    // (`HttpUtil.post@58`, Node's `http` module) is a client call whatever its receiver is named.
    const callSite = namesCallSite(group.path);
    // A `DEFAULT_` prefix names the same setting's default (`DEFAULT_APP_URL = ENV.fetch('APP_URL', …)`).
    const root = tokens[0] === 'default' && tokens.length > 1 ? tokens[1]! : tokens[0];
    // … unless the group names another product after it (`ADMIN_FRONTEND_REDIS_URL`: what the admin front end uses).
    if (!callSite && root !== undefined && SELF_ROOTS.has(root) && [null, 'database', 'http'].includes(kindFromPath(group.path))) continue;
    // `eureka.instance.hostname`: how this app registers itself (while `canal.instance.master.address` is a database).
    if (tokens.includes('instance') && REGISTRY_KINDS.has(kindFromPath(group.path) ?? 'database')) continue;
    const ancestors: Group[] = [];
    for (let n = group.path.length - 1; n >= 1; n--) {
      const a = groups.get(groupKey(group.path.slice(0, n)));
      if (a) ancestors.push(a);
    }
    const children = [...groups.values()].filter((g) =>
      g.path.length === group.path.length + 1 && groupKey(g.path.slice(0, -1)) === group.key);
    // Laravel's `DB_CONNECTION=mysql` beside `DB_HOST=10.0.0.8`: a bare word under `connection` where the group names its
    // host as well is the connection's driver. (Alone, `EventBusConnection=rabbitmq` is a service's name, a host.)
    const hosts = group.items.filter((i) => i.role === 'host');
    if (hosts.length > 1) {
      for (const i of hosts) if (endsWith(i.roleTokens, ['connection']) && /^[a-z][a-z0-9_-]*$/i.test(i.resolved.text ?? '')) i.role = 'driver';
    }
    const ctx: GroupContext = { definitions, secrets, passwordResource, referenced, group, ancestors, children };
    // PHPMailer's `hostname` (the name its Message-ID says, often empty) beside `host`: the one written is the address.
    const host = hosts.find((i) => i.role === 'host' && (i.resolved.text ?? '').trim() !== '') ?? firstOfRole(group.items, 'host');
    // `DATABASE_HOST: localhost` beside `PGHOST: localhost` for psql in one environment: the app's own key says it once.
    if (host?.clientEnvironment && host.resolved.text && [...groups.values()].some((g) => g !== group
      && groupKey(g.path.slice(0, -1)) === groupKey(group.path.slice(0, -1)) && g.items.some((i) => i.role === 'host' && !i.clientEnvironment && i.resolved.text === host.resolved.text))) continue;
    // A url lookup with no value beside a host (Laravel's `'url' => env('DB_URL')` over `'host' => env('DB_HOST', …)`):
    // the host says where; the url would only say "somewhere" again.
    const urls = group.items.filter((i) => i.role === 'url' && !(i.resolved.text === null && host?.resolved.text) && !(callSite && resolvesDocumentLinks(group.path, i)));
    for (const u of urls) fromUrl(ctx, u, opts, out);
    const lists = group.items.filter((i) => i.role === 'hostList');
    for (const l of lists) fromComponents(ctx, l, opts, out);
    const resolvedUrl = urls.some((u) => u.resolved.text !== null);
    if (host && !resolvedUrl && lists.length === 0) {
      if (isEmbeddedFile(ctx, host)) fromEmbeddedDriver(ctx, opts, out, host);
      else {
        fromComponents(ctx, host, opts, out);
        // …and the embedded database the driver picks by default is one of the app's too, where no key names its file
        // (a file is reported where it is named).
        if (EMBEDDED_KINDS.has(groupDriver(ctx).kind ?? 'database')
          && !ctx.group.items.some((i) => FILE_KEY_WORDS.has(nameWords(i.setting.path[i.setting.path.length - 1] ?? '').pop() ?? ''))) fromEmbeddedDriver(ctx, opts, out);
      }
    } else if (!host && urls.length === 0 && lists.length === 0) {
      const before = out.length;
      fromEmbeddedDriver(ctx, opts, out);
      if (out.length === before) fromDatabaseFile(ctx, opts, out);
    }
  }
  return { findings: dedupe(out), groups: [...groups.values()] };
}

/** Build-time variables of front-end tools: Vite `VITE_`, Vue CLI `VUE_APP_`, Create React App `REACT_APP_`, Next.js and Nuxt `…_PUBLIC_`, Expo, Umi. */
const FRONTEND_ENV = /^(VITE|VUE_APP|REACT_APP|NEXT_PUBLIC|NUXT_PUBLIC|EXPO_PUBLIC|UMI_APP)_(\w+)$/i;
/** Last words of such a variable that name the base address of the API the page calls (`VITE_BASE_PATH`, `REACT_APP_API_HOST`). */
const FRONTEND_BASE_WORDS = new Set(['url', 'uri', 'api', 'base', 'host', 'endpoint', 'path', 'server', 'backend', 'gateway']);
/** Words of a front end's own or browser-facing addresses: its public path, a CDN, static assets. */
const FRONTEND_LINK_WORDS = new Set(['public', 'cdn', 'static', 'asset', 'assets', 'img', 'image', 'images', 'ws', 'socket', 'websocket']);
/** Words before `_PORT` that say the port is the back end's (`VITE_SERVER_PORT`), not the dev server's own (`VITE_CLI_PORT`). */
const FRONTEND_BACKEND_PORT_WORDS = new Set(['server', 'api', 'backend', 'proxy', 'target', 'service', 'gateway']);

/**
 * A front end's API base in its build-time environment (`.env.development`, a compose `environment:`): a
 * `VITE_*`/`VUE_APP_*`/`REACT_APP_*`/`NEXT_PUBLIC_*` key ending in URL/API/BASE/HOST/PATH/ENDPOINT whose value
 * is an http(s) URL (or, under HOST, a host name) is read as a `url`; `VITE_BASE_PATH=http://127.0.0.1` with
 * `VITE_SERVER_PORT=8888` beside it is the address `${VITE_BASE_PATH}:${VITE_SERVER_PORT}` the config builds.
 * Relative paths (`VITE_BASE_API=/api`) are routes on the app's own origin, not connections.
 */
function frontendEndpoints(settings: Setting[]): Setting[] {
  if (!settings.some((s) => FRONTEND_ENV.test(s.path[s.path.length - 1] ?? ''))) return settings;
  const parentKey = (s: Setting) => groupKey(s.path.slice(0, -1));
  const bases = new Map<Setting, { prefix: string; words: string[]; url: string }>();
  const ports: Array<{ setting: Setting; prefix: string; words: string[] }> = [];
  for (const s of settings) {
    const m = FRONTEND_ENV.exec(s.path[s.path.length - 1] ?? '');
    if (!m) continue;
    const prefix = m[1]!.toLowerCase();
    const words = nameWords(m[2]!);
    const last = words[words.length - 1];
    const value = s.value.trim();
    if (last === 'port' && /^\d{1,5}$/.test(value) && words.some((w) => FRONTEND_BACKEND_PORT_WORDS.has(w))) ports.push({ setting: s, prefix, words });
    if (last === undefined || !FRONTEND_BASE_WORDS.has(last) || words.some((w) => FRONTEND_LINK_WORDS.has(w))) continue;
    if (/^https?:\/\/[^/\s$]/i.test(value)) bases.set(s, { prefix, words, url: value });
    else if (last === 'host' && /^[a-z0-9.-]+(:\d{1,5})?$/i.test(value) && isPlausibleHostText(value) && (value.includes('.') || /^localhost(:|$)/i.test(value))) bases.set(s, { prefix, words, url: `http://${value}` });
  }
  if (bases.size === 0) return settings;
  // A bare origin without a port (`http://127.0.0.1`) takes the back end's port key beside it: the only one, and
  // when several such origins share the file, the one that shares a word with it (`REACT_APP_API_HOST`, `…_API_PORT`).
  const bareOrigin = (url: string) => /^https?:\/\/[^/?#:]+\/?$/i.test(url);
  const origins = [...bases].filter(([, b]) => bareOrigin(b.url));
  return settings.map((s) => {
    const base = bases.get(s);
    if (!base) return s;
    let url = base.url;
    if (bareOrigin(url)) {
      const candidates = ports.filter((p) => p.prefix === base.prefix && parentKey(p.setting) === parentKey(s));
      const sharing = candidates.filter((p) => p.words.some((w) => w !== 'port' && base.words.includes(w)));
      const port = sharing.length === 1 ? sharing[0] : origins.length === 1 && candidates.length === 1 ? candidates[0] : undefined;
      if (port) url = `${url.replace(/\/$/, '')}:${port.setting.value.trim()}`;
    }
    return { ...s, path: [...s.path, 'url'], value: url };
  });
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = [f.kind, f.host, f.port, f.database, f.line, f.appHint ?? ''].join('|');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Whether a key/value could take part in a connection (a role word, a product word, or a connection string). */
export function mayDescribeConnection(key: string, value: string): boolean {
  const c = classify({ path: [key], value, line: 1 }, () => undefined);
  return c.role !== null || kindFromPath([key]) !== null;
}
