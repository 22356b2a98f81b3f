/**
 * One home for "is this a host we report?": the verdict on a host name as parsed from a value
 * (ok, a placeholder someone left to fill in, not a host at all, a host that is not a resource
 * such as a schema URL's, or a wildcard listen address), whether raw setting text can be a host
 * at all, and whether a host is this machine. Placeholder and noise rules belong here.
 */
import { parse as parseDomain } from 'tldts';

export type HostVerdict = 'ok' | 'placeholder' | 'invalid' | 'non-resource' | 'wildcard';

/** A value left for someone to fill in (`your-db-host`, `<redis-host>`), not an address. */
function isTemplateHost(text: string): boolean {
  // `xx.ai`, `xxx.com`, `xxxx:8080`: a first label of x's is a blank someone left, not a name.
  // `yourendpoint`, `you-endpoint`, `yourbucketurl`: the reader is told to put theirs there; `http://host:9000`
  // names the field to fill in.
  // `dummy.com`, `placeholder:8080`, `example.matomo.cloud`, `fake:3000`: a base a URL parser is given, or a value to replace, never
  // somewhere to connect.
  return /^(your|my|some|enter|insert|replace)[-_.]|^your[a-z]|^you[-_]|^(host|hostname|endpoint|domain|ip)$|^<.*>$|^\[.*\]$|^x{2,}(\.|:|$)|^(dummy|placeholder|example|fake)(\.|:|$)/i.test(text);
}

/** Suffixes private networks use, which no public registry lists: names under them are real where they are used. */
const INTERNAL_SUFFIX = /\.(internal|local|localdomain|localhost|lan|corp|home|intranet|private|consul|svc)$/i;

/**
 * A name of three or more labels whose last is no top-level domain the Public Suffix List knows (`gin.vue.admin`)
 * resolves nowhere outside the network that names it: a resource only if the repository runs a service of that
 * name (src/service-map.ts), a made-up example otherwise. Two labels are Kubernetes' short forms (`redis.cache`,
 * `kafka-0.kafka-headless`: service and namespace, pod and headless service); IPs, internal suffixes and single
 * labels are not judged here.
 */
export function resolvesOnlyInRepository(host: string, opts: { code?: boolean } = {}): boolean {
  // In code, two labels are as often a dotted identifier (Flask's `endpoint="auth.login"`, a logger's `app.db`).
  if (host.split('.').length < (opts.code ? 2 : 3) || /^[\d.]+$/.test(host) || host.includes(':') || INTERNAL_SUFFIX.test(host)) return false;
  const parsed = parseDomain(host, { allowPrivateDomains: true });
  return parsed.isIcann !== true && parsed.isPrivate !== true;
}

/** Hosts of documents, schemas and examples, and the reserved names of RFC 2606 (`.example`, `.invalid`, `.test`): named, never connected to. */
const NON_RESOURCE_HOST = /(^|\.)(w3\.org|json-schema\.org|schemastore\.org|xmlns\.jcp\.org|java\.sun\.com|springframework\.org|maven\.apache\.org|purl\.org|ietf\.org|rfc-editor\.org|example\.(com|org|net)|localhost\.invalid)$|\.(example|invalid|test)$/i;

/** A SQL Server LocalDB instance (`(localdb)\MSSQLLocalDB`): no DNS name, but the address SqlClient is given. */
const LOCALDB = /^\(localdb\)\\[\w.-]+$/i;

/** A host name or IP address as DNS and URLs allow them; anything else came from a misread. */
const VALID_HOST = /^(\[?[0-9a-f:.]+\]?|[a-z0-9]([a-z0-9_.-]*[a-z0-9])?)$/i;

/**
 * `strict` (code, where a string is as often an identifier as a host): a bare word is not a host;
 * only `localhost`, an IP address or a dotted name ending in letters is.
 */
export function hostVerdict(host: string, opts: { strict?: boolean } = {}): HostVerdict {
  if (isTemplateHost(host)) return 'placeholder';
  if (host === '0.0.0.0' || host === '::' || host === '*') return 'wildcard';
  if (LOCALDB.test(host)) return 'ok';
  // `.` (SqlClient's "this machine" left bare, a design-time factory's `UseSqlServer(".")`) has no letter or digit to name anything.
  if (!VALID_HOST.test(host) || !/[0-9a-z]/i.test(host)) return 'invalid';
  if (opts.strict && !(host === 'localhost' || /^[\d.]+$/.test(host) || host.includes(':') || (host.includes('.') && /[a-z]/i.test(host.split('.').pop()!)))) return 'invalid';
  if (NON_RESOURCE_HOST.test(host)) return 'non-resource';
  return 'ok';
}

/** A host worth a row in the inventory (a model's answer, say): a real name or address, strictly. */
export function isReportableHost(host: string): boolean {
  return hostVerdict(host, { strict: true }) === 'ok';
}

/** Whether raw setting text (`db.acme.internal:3306`) can be a host at all, before it is parsed. */
export function isPlausibleHostText(text: string): boolean {
  if (/^(none|null|nil|true|false|default|undefined|changeme|todo|tbd|x+|host|hostname|ip|localhost\.invalid)$/i.test(text)) return false;
  // Template values people leave for others to fill in: your-db-host, <redis-host>, my_host, db.example.com.
  if (isTemplateHost(text)) return false;
  if (/^\d+$/.test(text)) return false;
  if (text === '0.0.0.0' || text === '*' || text === '::') return false;
  return /^(\[[0-9a-f:]+\]|[a-z0-9_][a-z0-9_.-]*)(:\d{1,5})?$/i.test(text);
}

/** A host as names compare: lower case, without the root's final dot or an IPv6 address's brackets. */
export function canonicalHost(host: string): string {
  return host.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
}

/** Suffixes that still name something only inside one deployment: a Kubernetes service short of its cluster's domain, this machine. */
const DEPLOYMENT_SUFFIX = /\.(svc|localhost|localdomain)$/i;

/**
 * Whether a resource's host names something only within the repository (or deploy unit) that writes it, so that two
 * repositories writing it mean two resources: no host at all, loopback or an in-app database (`local`), a single
 * label (`redis`, `db`: a Compose or Kubernetes service), a Kubernetes service name without its cluster suffix
 * (`redis.cache`, `kafka-0.kafka-headless`, `x.ns.svc`), or a made-up domain no public registry lists. IP addresses
 * (private ones too), names under a public suffix and names under an organisation's internal suffixes (`.internal`,
 * `.corp`, `.consul`, `.svc.cluster.local`) are the same resource wherever they are written.
 */
export function namedWithinRepository(host: string | null, local: boolean): boolean {
  if (host === null || local || isLocalHost(host)) return true;
  const h = canonicalHost(host);
  if (/^[\d.]+$/.test(h) || h.includes(':')) return false;
  if (!h.includes('.') || DEPLOYMENT_SUFFIX.test(h)) return true;
  if (INTERNAL_SUFFIX.test(h)) return false;
  const parsed = parseDomain(h, { allowPrivateDomains: true });
  return parsed.isIcann !== true && parsed.isPrivate !== true;
}

/** This machine, under its usual names. */
const LOOPBACK = /^(localhost|localhost\.localdomain|ip6-localhost|127(?:\.\d{1,3}){3}|::1|0:0:0:0:0:0:0:1|host\.docker\.internal)$/i;

export function isLocalHost(host: string | null): boolean {
  return host !== null && (LOOPBACK.test(host) || LOCALDB.test(host));
}

