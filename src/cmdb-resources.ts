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
import { hostNames, type HostAliases } from './targets.js';

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

/** Whether a CMDB type word and a kind agree: unknown on either side agrees; otherwise the kind's name appears in it. */
function kindsAgree(type: string | null, kind: Kind): boolean {
  if (!type) return true;
  const t = type.toLowerCase().replace(/[^a-z0-9]/g, '');
  const k = kind.replace(/[^a-z0-9]/g, '');
  const synonyms: Record<string, string[]> = { postgresql: ['postgres', 'pg'], sqlserver: ['mssql'], elasticsearch: ['es', 'opensearch'], mongodb: ['mongo'], s3: ['objectstorage'] };
  return t.includes(k) || (synonyms[kind] ?? []).some((s) => t.includes(s)) || !/[a-z]/.test(t);
}

export interface UnusedReport {
  /** CMDB records no scanned app references now, with when and by whom they were last referenced, if ever. */
  unused: Array<CmdbRecord & { lastSeenAt: string | null; lastSeenApp: string | null; lastSeenRepo: string | null }>;
  /** CMDB records some app references, and which apps. */
  used: Array<CmdbRecord & { apps: string[] }>;
  /** Resources code references that no CMDB record describes. */
  missing: Array<{ resource: string; kind: Kind; host: string; port: number | null; apps: string[] }>;
}

function recordMatches(rec: CmdbRecord, res: InventoryResource, aliases: HostAliases): boolean {
  if (res.host === null) return false;
  const names = hostNames(rec.host, aliases);
  return [...hostNames(res.host, aliases)].some((h) => names.has(h)) && (rec.port === null || res.port === null || rec.port === res.port) && kindsAgree(rec.type, res.kind);
}

/** Matches the CMDB's list against the inventory's resources (local ones are never CMDB resources). */
export function matchCmdb(records: readonly CmdbRecord[], resources: readonly InventoryResource[], aliases: HostAliases = new Map()): UnusedReport {
  const report: UnusedReport = { unused: [], used: [], missing: [] };
  const described = new Set<InventoryResource>();
  for (const rec of records) {
    const matched = resources.filter((r) => recordMatches(rec, r, aliases));
    for (const m of matched) described.add(m);
    const apps = [...new Set(matched.flatMap((m) => m.apps))].sort();
    if (apps.length > 0) {
      report.used.push({ ...rec, apps });
      continue;
    }
    const last = matched.filter((m) => m.lastSeenAt !== null).sort((a, b) => (a.lastSeenAt! < b.lastSeenAt! ? 1 : -1))[0];
    report.unused.push({ ...rec, lastSeenAt: last?.lastSeenAt ?? null, lastSeenApp: last?.lastSeenApp ?? null, lastSeenRepo: last?.lastSeenRepo ?? null });
  }
  for (const r of resources) {
    if (described.has(r) || r.apps.length === 0 || r.host === null || hostNames(r.host).has('localhost')) continue;
    report.missing.push({ resource: `${r.kind}://${r.host}${r.port !== null ? `:${r.port}` : ''}${r.database ? `/${r.database}` : ''}`, kind: r.kind, host: r.host, port: r.port, apps: r.apps });
  }
  return report;
}
