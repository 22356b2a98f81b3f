/**
 * What an SRE or a capacity team names a resource by, matched against what code wrote: a kind (`redis`), a host,
 * `host:port`, a URL or JDBC URL, a CIDR (`10.20.0.0/16`), a wildcard (`*.rds.aliyuncs.com`). Names that mean the
 * same host are equal: `localhost`, `127.0.0.1` and `::1`; a Kubernetes service's DNS name and its shorter forms
 * (`redis-cart.shop.svc.cluster.local` answers to `redis-cart.shop` and `redis-cart`); and any
 * aliases a hosts mapping gives (an IP and the DNS names it serves).
 */
import { KnownKind, type Kind } from './result-model.js';
import { parseConnectionString, parseHostPort } from './connection-string.js';

export interface ResourceKey {
  kind: Kind;
  host: string | null;
  port: number | null;
  database: string | null;
}

/** Hosts known under several names: each name maps to every other (built from a hosts file or CSV). */
export type HostAliases = ReadonlyMap<string, ReadonlySet<string>>;

const LOOPBACK = ['localhost', '127.0.0.1', '::1', '0:0:0:0:0:0:0:1'];

/** Every name a host is known by: itself, loopback spellings, a Kubernetes service's shorter and longer forms, mapped aliases. */
export function hostNames(host: string, aliases: HostAliases = new Map()): Set<string> {
  const h = host.toLowerCase().replace(/\.$/, '').replace(/^\[|\]$/g, '');
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

/** Reads what a user typed into a matcher; a malformed CIDR is an error, anything else is at worst a host name. */
export function parseTarget(spec: string, aliases: HostAliases = new Map()): TargetMatcher {
  const text = spec.trim();
  const lower = text.toLowerCase();
  if (KnownKind.safeParse(lower).success || /^x-[a-z0-9][a-z0-9-]*$/.test(lower)) return { form: 'kind', matches: (r) => r.kind === lower };
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
    const re = new RegExp(`^${hostGlob!.toLowerCase().replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
    return { form: 'wildcard', matches: (r) => r.host !== null && (!port || r.port === Number(port)) && [...hostNames(r.host, aliases)].some((h) => re.test(h)) };
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

/** Edit distance, for "did you mean" (bounded input: names of hosts and apps). */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length]!;
}

/** The names closest to what the user typed: those containing it first, then by edit distance. */
export function nearestNames(typed: string, names: Iterable<string>, count = 5): string[] {
  const t = typed.toLowerCase().replace(/:\d+$/, '');
  return [...new Set(names)]
    .map((n) => ({ n, score: n.toLowerCase().includes(t) || t.includes(n.toLowerCase()) ? 0 : distance(t, n.toLowerCase()) }))
    .filter((x) => x.score <= Math.max(3, Math.floor(t.length / 3)))
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
