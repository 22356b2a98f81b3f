/**
 * What an SRE or a capacity team names a resource by, matched against what code wrote: a kind (`redis`), a host,
 * `host:port`, a URL or JDBC URL, a CIDR (`10.20.0.0/16`), a wildcard (`*.rds.aliyuncs.com`). Names that mean the
 * same host are equal: `localhost`, `127.0.0.1` and `::1`; a Kubernetes service's DNS name and its shorter forms
 * (`redis-cart.shop.svc.cluster.local` answers to `redis-cart.shop` and `redis-cart`); and any
 * aliases a hosts mapping gives (an IP and the DNS names it serves).
 */
import { isOneOf, KNOWN_KINDS, resourceName, type Kind } from './result-model.js';
import { parseConnectionString, parseHostPort } from './connection-string.js';
import { canonicalHost, namedWithinRepository } from './hosts.js';

export interface ResourceKey {
  kind: Kind;
  host: string | null;
  port: number | null;
  database: string | null;
}

/**
 * The repository a resource belongs to when its name means something only there (src/hosts.ts: `redis` in three
 * repositories' Compose files is three Redis instances), null when the name is the same resource everywhere.
 */
export function identifiedWithin(c: { repo: string; host: string | null; local: boolean }): string | null {
  return namedWithinRepository(c.host, c.local) ? c.repo : null;
}

/** A resource's identity as reports, exports and the graph name it: `kind://host:port/db`, and `(repo)` after a repository-local name. */
export function resourceId(r: ResourceKey, within: string | null): string {
  return within ? `${resourceName(r)} (${within})` : resourceName(r);
}

/** Hosts known under several names: each name maps to every other (built from a hosts file or CSV). */
export type HostAliases = ReadonlyMap<string, ReadonlySet<string>>;

const LOOPBACK = ['localhost', '127.0.0.1', '::1', '0:0:0:0:0:0:0:1'];

/** Every name a host is known by: itself, loopback spellings, a Kubernetes service's shorter and longer forms, mapped aliases. */
export function hostNames(host: string, aliases: HostAliases = new Map()): Set<string> {
  const h = canonicalHost(host);
  const out = new Set([h]);
  if (LOOPBACK.includes(h)) for (const l of LOOPBACK) out.add(l);
  // A Kubernetes service's DNS name also answers to its shorter forms (`x.ns.svc.cluster.local` → `x.ns`, `x`).
  const k8s = /^([a-z0-9-]+)\.([a-z0-9-]+)\.svc(?:\.cluster\.local)?$/.exec(h);
  if (k8s) for (const n of [k8s[1]!, `${k8s[1]}.${k8s[2]}`, `${k8s[1]}.${k8s[2]}.svc`, `${k8s[1]}.${k8s[2]}.svc.cluster.local`]) out.add(n);
  for (const name of [...out]) for (const alias of aliases.get(name) ?? []) out.add(alias);
  return out;
}

function ipv4(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!;
}

export interface TargetMatcher {
  /** How the target was read, for messages: `kind`, `cidr`, `wildcard`, `url`, `host`. */
  form: string;
  matches(r: ResourceKey): boolean;
}

/** Longest target read at all: a JDBC URL with its parameters or an Oracle descriptor fits; a request's megabyte does not. */
const MAX_TARGET_LENGTH = 4096;
/** Longest wildcard: a DNS name is at most 253 characters. */
const MAX_WILDCARD_LENGTH = 255;

/**
 * Whether `text` matches a wildcard (`*` any run, `?` one character). Greedy, and on a mismatch it only goes back
 * to the latest `*`, so each text position is retried at most once per pattern position: O(|pattern|·|text|) at
 * worst. A RegExp of `.*` runs backtracks exponentially on `*a*a*a…x`, and a request would hold the server.
 */
function wildcardMatches(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1; // position of the latest `*` in pattern
  let starText = 0; // where in text that `*`'s run currently ends
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      starText = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++starText;
    } else {
      return false;
    }
  }
  while (pattern[p] === '*') p++;
  return p === pattern.length;
}

/** Reads what a user typed into a matcher; a malformed CIDR is an error, anything else is at worst a host name. */
export function parseTarget(spec: string, aliases: HostAliases = new Map()): TargetMatcher {
  if (spec.length > MAX_TARGET_LENGTH) throw new Error(`${spec.slice(0, 40)}…: a target is at most ${MAX_TARGET_LENGTH} characters`);
  const text = spec.trim();
  const lower = text.toLowerCase();
  if (isOneOf(KNOWN_KINDS, lower) || /^x-[a-z0-9][a-z0-9-]*$/.test(lower)) return { form: 'kind', matches: (r) => r.kind === lower };
  const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text);
  if (cidr) {
    const base = ipv4(cidr[1]!);
    const bits = Number(cidr[2]);
    if (base === null || bits > 32) throw new Error(`${spec}: not a CIDR range (a.b.c.d/0-32)`);
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    return {
      form: 'cidr',
      matches: (r) => r.host !== null && [...hostNames(r.host, aliases)].some((h) => { const ip = ipv4(h); return ip !== null && ((ip & mask) >>> 0) === ((base & mask) >>> 0); }),
    };
  }
  if (/[*?]/.test(text)) {
    const [hostGlob, port] = text.split(/:(?=\d+$)/);
    if (hostGlob!.length > MAX_WILDCARD_LENGTH) throw new Error(`${spec.slice(0, 40)}…: a wildcard is at most ${MAX_WILDCARD_LENGTH} characters (a host name is at most 253)`);
    const pattern = hostGlob!.toLowerCase();
    return { form: 'wildcard', matches: (r) => r.host !== null && (!port || r.port === Number(port)) && [...hostNames(r.host, aliases)].some((h) => wildcardMatches(pattern, h)) };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(text) && (text.includes('://') || /^jdbc:/i.test(text))) {
    const parsed = parseConnectionString(text);
    const endpoints = (parsed?.endpoints ?? []).filter((e) => e.host !== null);
    if (endpoints.length > 0) {
      return {
        form: 'url',
        matches: (r) => r.host !== null && endpoints.some((e) => {
          const names = hostNames(e.host!, aliases);
          return [...hostNames(r.host!, aliases)].some((h) => names.has(h)) && (e.port === null || r.port === null || e.port === r.port)
            && (!parsed!.database || !r.database || parsed!.database === r.database);
        }),
      };
    }
  }
  const e = parseHostPort(text);
  const names = hostNames(e.host ?? text, aliases);
  return {
    form: 'host',
    matches: (r) => r.host !== null && [...hostNames(r.host, aliases)].some((h) => names.has(h)) && (e.port === null || r.port === e.port),
  };
}

/** Longest typed text a suggestion is looked for: nothing in an inventory is a typo of anything longer. */
const MAX_SUGGESTED_LENGTH = 128;
/** Most names compared by edit distance per question, those sharing the most characters with the typed text first. */
const MAX_COMPARED_NAMES = 1000;

/** Edit distance of `a` and `b`, or `limit + 1` as soon as it is known to exceed `limit`. */
function distanceWithin(a: string, b: string, limit: number): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
      rowMin = Math.min(rowMin, row[j]!);
    }
    // A row's minimum never decreases further down, so the distance is already past the limit.
    if (rowMin > limit) return limit + 1;
  }
  return row[b.length]!;
}

/**
 * A lower bound of the edit distance to `typed`: every character of the longer text that the other lacks (counted
 * with repeats) costs an edit, which covers the difference in length too. Counts per UTF-16 unit live in typed
 * arrays, so a name costs a pass over its characters and no allocation; only names within the length window are
 * measured, so no count comes near 65,536.
 */
class DistanceBound {
  private readonly typedCounts = new Uint16Array(65536);
  private readonly seen = new Uint16Array(65536);

  constructor(private readonly typed: string) {
    for (let i = 0; i < typed.length; i++) this.typedCounts[typed.charCodeAt(i)]!++;
  }

  of(name: string): number {
    let shared = 0;
    for (let i = 0; i < name.length; i++) {
      const c = name.charCodeAt(i);
      if (this.seen[c]! < this.typedCounts[c]!) shared++;
      this.seen[c]!++;
    }
    for (let i = 0; i < name.length; i++) this.seen[name.charCodeAt(i)] = 0;
    return Math.max(this.typed.length, name.length) - shared;
  }
}

/**
 * The names closest to what the user typed: those containing it (or contained in it) first, then by edit distance.
 * What a request types is unbounded and an inventory holds many names, so the work is bounded: nothing is
 * suggested for text longer than MAX_SUGGESTED_LENGTH, a name whose distance bound is out of reach is never
 * compared (no suggestion lost), and at most MAX_COMPARED_NAMES names are.
 */
export function nearestNames(typed: string, names: Iterable<string>, count = 5): string[] {
  if (typed.length > MAX_SUGGESTED_LENGTH) return [];
  const t = typed.toLowerCase().replace(/:\d+$/, '');
  const limit = Math.max(3, Math.floor(t.length / 3));
  const bounds = new DistanceBound(t);
  const found: Array<{ n: string; score: number }> = [];
  // Names within reach, by their bound (0…limit): the closest are compared first, in the order given.
  const byBound: Array<Array<{ n: string; lower: string }>> = Array.from({ length: limit + 1 }, () => []);
  for (const n of new Set(names)) {
    const lower = n.toLowerCase();
    if (lower.includes(t) || t.includes(lower)) {
      found.push({ n, score: 0 });
      continue;
    }
    if (Math.abs(lower.length - t.length) > limit) continue; // cheap first: the bound below is at least this
    const bound = bounds.of(lower);
    if (bound <= limit) byBound[bound]!.push({ n, lower });
  }
  for (const c of byBound.flat().slice(0, MAX_COMPARED_NAMES)) {
    const score = distanceWithin(t, c.lower, limit);
    if (score <= limit) found.push({ n: c.n, score });
  }
  return found
    .sort((a, b) => a.score - b.score || (a.n < b.n ? -1 : 1))
    .slice(0, count)
    .map((x) => x.n);
}

/**
 * A hosts mapping: `/etc/hosts` lines (`10.20.1.15 db-1 db-1.acme.internal`) or CSV rows (`10.20.1.15,db-1`);
 * `#` starts a comment. Every name on a line is an alias of every other.
 */
export function parseHostsMapping(text: string): HostAliases {
  const out = new Map<string, Set<string>>();
  for (const raw of text.split(/\r?\n/)) {
    const names = raw.replace(/#.*$/, '').split(/[\s,;]+/).map((n) => n.trim().toLowerCase()).filter(Boolean);
    if (names.length < 2 || /^(ip|host|address)$/.test(names[0]!)) continue;
    for (const n of names) {
      const set = out.get(n) ?? new Set<string>();
      for (const m of names) if (m !== n) set.add(m);
      out.set(n, set);
    }
  }
  return out;
}
