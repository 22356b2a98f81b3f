/**
 * `cmdb-scan unused --cmdb FILE`: the CMDB's own list of resources (CSV with a header, or JSON: an array of
 * objects or `{resources: [...]}`) against what scanned code references. Columns are found by their usual names
 * in CMDB exports (host, hostname, ip, address, fqdn; port; kind, type, class, ci_class; name, ci_name; owner,
 * owned_by, support_group), in any case. A CMDB record is used when some app's code references a resource with
 * one of its host names (src/targets.ts: loopback spellings, Kubernetes service forms, a hosts mapping), the same
 * port when both say one, and a compatible kind when both say one.
 */
import { readFileSync } from 'node:fs';
import { parse as parseCsv } from 'csv-parse/sync';
import { z } from 'zod';
import type { InventoryResource } from './inventory.js';
import type { Kind } from './result-model.js';
import { hostNames, resourceId, type HostAliases } from './targets.js';

export interface CmdbRecord {
  /** Row number in the file (the header is row 1), or index + 1 in a JSON array. */
  row: number;
  host: string;
  port: number | null;
  /** The CMDB's own word for the kind (`MySQL Instance`, `redis`), kept as written. */
  type: string | null;
  name: string | null;
  owner: string | null;
}

const COLUMNS = {
  host: ['host', 'hostname', 'host_name', 'ip', 'ip_address', 'address', 'fqdn', 'endpoint'],
  port: ['port', 'tcp_port'],
  type: ['kind', 'type', 'class', 'ci_class', 'sys_class_name', 'category', 'product'],
  name: ['name', 'ci_name', 'display_name'],
  owner: ['owner', 'owned_by', 'support_group', 'team', 'managed_by'],
} as const;

const JsonList = z.union([z.array(z.record(z.string(), z.unknown())), z.object({ resources: z.array(z.record(z.string(), z.unknown())) }).transform((o) => o.resources)]);

function pick(row: Record<string, unknown>, names: readonly string[]): string | null {
  for (const [k, v] of Object.entries(row)) {
    if (names.includes(k.trim().toLowerCase().replace(/[\s-]+/g, '_')) && v !== null && v !== undefined && String(v).trim() !== '') return String(v).trim();
  }
  return null;
}

/** Reads the CMDB's resource list; a file that cannot be read, parsed or has no host column is an error naming it. */
export function readCmdbResources(file: string): CmdbRecord[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw new Error(`${file}: cannot read the CMDB list (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let rows: Array<Record<string, unknown>>;
  let firstRow: number;
  if (/^\s*[[{]/.test(text)) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      throw new Error(`${file}: not valid JSON (${(e as Error).message})`);
    }
    const parsed = JsonList.safeParse(json);
    if (!parsed.success) throw new Error(`${file}: expected an array of resource objects, or {"resources": [...]}`);
    rows = parsed.data;
    firstRow = 1;
  } else {
    try {
      rows = parseCsv(text, { columns: true, skip_empty_lines: true, trim: true, relax_column_count: true }) as Array<Record<string, string>>;
    } catch (e) {
      throw new Error(`${file}: not valid CSV (${(e as Error).message})`);
    }
    firstRow = 2;
  }
  if (rows.length > 0 && !rows.some((r) => pick(r, COLUMNS.host) !== null)) {
    throw new Error(`${file}: no host column (one of: ${COLUMNS.host.join(', ')}) in ${Object.keys(rows[0]!).join(', ') || 'the header'}`);
  }
  const out: CmdbRecord[] = [];
  rows.forEach((r, i) => {
    const hostText = pick(r, COLUMNS.host);
    if (!hostText) return;
    // `10.0.0.5:3306` in a host column carries the port.
    const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(hostText);
    const portText = pick(r, COLUMNS.port);
    const port = portText !== null && /^\d{1,5}$/.test(portText) ? Number(portText) : m ? Number(m[2]) : null;
    out.push({ row: i + firstRow, host: (m ? m[1]! : hostText).replace(/^\[|\]$/g, ''), port, type: pick(r, COLUMNS.type), name: pick(r, COLUMNS.name), owner: pick(r, COLUMNS.owner) });
  });
  return out;
}

/** Other names a CMDB may use for a kind, each one word of its type (or a run of words: `object storage`). */
const KIND_SYNONYMS: Partial<Record<Kind, readonly string[]>> = {
  postgresql: ['postgres', 'pg'], sqlserver: ['mssql'], elasticsearch: ['es', 'opensearch'], mongodb: ['mongo'], s3: ['objectstorage'],
};

/**
 * The words of a CMDB type, lower case: split at anything but letters and digits, at camel-case humps and between
 * letters and digits (`MySQLInstance` → my, sql, instance; `Redis5` → redis, 5), so a kind spelled over several
 * words is still found by joining them.
 */
function typeWords(type: string): string[] {
  return type.split(/[^A-Za-z0-9]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=[0-9])/).filter(Boolean).map((w) => w.toLowerCase());
}

/** Whether a run of consecutive words spells `name` exactly (`sql`, `server` → `sqlserver`); never a part of a word. */
function spelledBy(words: readonly string[], name: string): boolean {
  for (let i = 0; i < words.length; i++) {
    let at = 0;
    for (let j = i; j < words.length && name.startsWith(words[j]!, at); j++) {
      at += words[j]!.length;
      if (at === name.length) return true;
    }
  }
  return false;
}

/**
 * Whether a CMDB type and a kind agree: no type (or one without letters) agrees with any kind; otherwise some run of
 * its words is the kind's name or a synonym. Whole words only: `Postgres` is not Elasticsearch for holding `es`, nor
 * `Cosmos DB` object storage for holding `cos`.
 */
function kindsAgree(words: readonly string[] | null, kind: Kind): boolean {
  if (!words) return true;
  return [kind.replace(/[^a-z0-9]/g, ''), ...KIND_SYNONYMS[kind] ?? []].some((name) => spelledBy(words, name));
}

export interface UnusedReport {
  /** CMDB records no scanned app references now, with when and by whom they were last referenced, if ever. */
  unused: Array<CmdbRecord & { lastSeenAt: string | null; lastSeenApp: string | null; lastSeenRepo: string | null }>;
  /** CMDB records some app references, and which apps. */
  used: Array<CmdbRecord & { apps: string[] }>;
  /** Resources code references that no CMDB record describes. */
  missing: Array<{ resource: string; kind: Kind; host: string; port: number | null; within: string | null; apps: string[] }>;
}

/** Resources alike for matching: one host name, port and kind. */
interface ResourceGroup {
  /** Apps referencing any member now. */
  apps: Set<string>;
  /** The member referenced last (the first in the inventory's order on a tie), if any member was. */
  lastSeen: InventoryResource | null;
}

/**
 * The resources with a host, under every name their host is known by (src/targets.ts), then port, then kind, so a
 * CMDB record looks up its own names instead of being compared with every resource: a 40,000-row CMDB against
 * thousands of resources is a lookup per row, not a product of the two.
 */
class ResourceIndex {
  private readonly byName = new Map<string, Map<number | null, Map<Kind, ResourceGroup>>>();
  /** Each resource's groups, one per name of its host. */
  readonly groupsOf = new Map<InventoryResource, ResourceGroup[]>();

  constructor(resources: readonly InventoryResource[], aliases: HostAliases) {
    for (const r of resources) {
      if (r.host === null) continue;
      const groups: ResourceGroup[] = [];
      // A repository-local name (`redis` of a Compose file) is no CMDB resource by itself, and its Kubernetes forms
      // are not either: `redis.shop.svc.cluster.local` in the CMDB is not every repository's `redis`. Only an address
      // a hosts mapping gives it ties it to a record.
      for (const name of r.within ? aliases.get(r.host.toLowerCase()) ?? [] : hostNames(r.host, aliases)) {
        const byPort = this.byName.get(name) ?? new Map<number | null, Map<Kind, ResourceGroup>>();
        this.byName.set(name, byPort);
        const byKind = byPort.get(r.port) ?? new Map<Kind, ResourceGroup>();
        byPort.set(r.port, byKind);
        const group = byKind.get(r.kind) ?? { apps: new Set<string>(), lastSeen: null };
        byKind.set(r.kind, group);
        for (const app of r.apps) group.apps.add(app);
        if (r.lastSeenAt !== null && (group.lastSeen === null || r.lastSeenAt > group.lastSeen.lastSeenAt!)) group.lastSeen = r;
        groups.push(group);
      }
      this.groupsOf.set(r, groups);
    }
  }

  /** The groups a record describes: one of its host names, the same port when both say one, a kind its type agrees with. */
  describedBy(rec: CmdbRecord, aliases: HostAliases): Set<ResourceGroup> {
    const words = rec.type && /[a-z]/i.test(rec.type) ? typeWords(rec.type) : null;
    const out = new Set<ResourceGroup>();
    for (const name of hostNames(rec.host, aliases)) {
      const byPort = this.byName.get(name);
      if (!byPort) continue;
      const ports = rec.port === null ? [...byPort.values()] : [byPort.get(rec.port), byPort.get(null)];
      for (const byKind of ports) for (const [kind, group] of byKind ?? []) if (kindsAgree(words, kind)) out.add(group);
    }
    return out;
  }
}

/** Matches the CMDB's list against the inventory's resources (local ones are never CMDB resources). */
export function matchCmdb(records: readonly CmdbRecord[], resources: readonly InventoryResource[], aliases: HostAliases = new Map()): UnusedReport {
  const report: UnusedReport = { unused: [], used: [], missing: [] };
  const index = new ResourceIndex(resources, aliases);
  const order = new Map(resources.map((r, i) => [r, i]));
  const described = new Set<ResourceGroup>();
  for (const rec of records) {
    const groups = index.describedBy(rec, aliases);
    const apps = new Set<string>();
    let last: InventoryResource | null = null;
    for (const g of groups) {
      described.add(g);
      for (const app of g.apps) apps.add(app);
      const seen = g.lastSeen;
      if (seen && (!last || seen.lastSeenAt! > last.lastSeenAt! || (seen.lastSeenAt === last.lastSeenAt && order.get(seen)! < order.get(last)!))) last = seen;
    }
    if (apps.size > 0) {
      report.used.push({ ...rec, apps: [...apps].sort() });
      continue;
    }
    report.unused.push({ ...rec, lastSeenAt: last?.lastSeenAt ?? null, lastSeenApp: last?.lastSeenApp ?? null, lastSeenRepo: last?.lastSeenRepo ?? null });
  }
  for (const r of resources) {
    if (r.apps.length === 0 || r.host === null || index.groupsOf.get(r)!.some((g) => described.has(g)) || hostNames(r.host).has('localhost')) continue;
    report.missing.push({ resource: resourceId(r, r.within), kind: r.kind, host: r.host, port: r.port, within: r.within, apps: r.apps });
  }
  return report;
}
