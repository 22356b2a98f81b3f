/**
 * The questions the inventory answers, once, for every front end: the CLI's `query`, `unused` and `diff`, the
 * HTTP API (`cmdb-scan serve`) and the MCP server (`cmdb-scan mcp`). Each takes an open (read-only) inventory and
 * returns plain data; none writes.
 */
import { matchCmdb, type CmdbRecord, type UnusedReport } from './cmdb-resources.js';
import { netChanges, parseSince, type InventoryDiff } from './changes.js';
import type { Inventory, ResourceUse } from './inventory.js';
import { filterReport, type ReportFilter } from './report-filter.js';
import { ciGraph } from './reporters/relations.js';
import { resourceName, type Connection, type Report } from './result-model.js';
import { identifiedWithin, nearestNames, type HostAliases } from './targets.js';

/** A report narrowed to some connections: only the repositories, apps and secrets they involve, no skipped files. */
function subsetReport(full: Report, connections: Connection[]): Report {
  const repoPaths = new Set(connections.map((c) => c.repo));
  const appKeys = new Set(connections.map((c) => `${c.repo}\u0000${c.app}`));
  const repos = full.repos.filter((r) => repoPaths.has(r.path)).map((r) => ({ ...r, apps: r.apps.filter((a) => appKeys.has(`${r.path}\u0000${a.name}`)) }));
  const secrets = full.secrets.filter((x) => appKeys.has(`${x.repo}\u0000${x.app}`));
  return { ...full, repos, connections, secrets, skipped: [] };
}

/**
 * An answer, or when nothing matched, the names closest to what was asked. `distinct`: names the answer holds that are
 * several resources, one per repository (a Compose service `redis` in three repositories), each with its repositories.
 */
export type Answer = { report: Report; nearest?: undefined; distinct?: Array<{ resource: string; repos: string[] }> } | { report: null; nearest: string[] };

function answer(inventory: Inventory, asked: string, connections: Connection[], filter: ReportFilter): Answer {
  const full = inventory.report();
  if (connections.length === 0) {
    const names = [...full.repos.flatMap((r) => r.apps.map((a) => a.name)), ...full.connections.flatMap((c) => (c.host ? [c.host] : []))];
    return { report: null, nearest: nearestNames(asked, names) };
  }
  return { report: filterReport(subsetReport(full, connections), filter) };
}

/** What an app connects to (exact name, else substring), its resources sorted by kind. */
export function appAnswer(inventory: Inventory, name: string, filter: ReportFilter = {}): Answer {
  const connections = inventory.connectionsOfApp(name).sort((a, b) => (a.app + a.kind + (a.host ?? '') < b.app + b.kind + (b.host ?? '') ? -1 : 1));
  return answer(inventory, name, connections, filter);
}

/** Who connects to a kind, host, host:port, URL, CIDR or wildcard (src/targets.ts). */
export function usesAnswer(inventory: Inventory, target: string, aliases: HostAliases = new Map(), filter: ReportFilter = {}): Answer {
  const found = answer(inventory, target, inventory.connectionsUsing(target, aliases), filter);
  if (!found.report) return found;
  const reposOf = new Map<string, Set<string>>();
  for (const c of found.report.connections) {
    const within = identifiedWithin(c);
    // A hosts mapping that gives the name an address makes it that address, the same resource wherever it is written.
    if (within === null || aliases.has(c.host?.toLowerCase() ?? '')) continue;
    const name = resourceName(c);
    reposOf.set(name, (reposOf.get(name) ?? new Set()).add(within));
  }
  const distinct = [...reposOf].filter(([, repos]) => repos.size > 1).map(([resource, repos]) => ({ resource, repos: [...repos].sort() }));
  return distinct.length > 0 ? { ...found, distinct } : found;
}

/** For people and agents: each app with its owners and jobs, and its shipped dependencies grouped by kind. */
export interface DependencySummary {
  apps: Array<{ app: string; repo: string; jenkinsJob: string | null; owners: string[]; dependsOn: Record<string, Array<{ resource: string; profiles: string[]; passwordHardcoded: boolean; evidence: string[] }>> }>;
}

export function dependencySummary(report: Report): DependencySummary {
  const g = ciGraph(report);
  const resources = new Map(g.resources.map((r) => [r.id, r]));
  return {
    apps: g.applications.filter((a) => g.relations.some((r) => r.source === a.id) || report.connections.some((c) => c.repo === a.repo && c.app === a.name)).map((a) => {
      const dependsOn: DependencySummary['apps'][number]['dependsOn'] = {};
      for (const rel of g.relations.filter((r) => r.source === a.id)) {
        const kind = resources.get(rel.target)!.kind;
        (dependsOn[kind] ??= []).push({ resource: rel.target, profiles: rel.profiles, passwordHardcoded: rel.passwordHardcoded, evidence: rel.evidence });
      }
      return { app: a.name, repo: a.repo, jenkinsJob: a.jenkinsJob, owners: a.owners, dependsOn };
    }),
  };
}

/** The apps the inventory knows, with their repositories, jobs and owners. */
export function appList(inventory: Inventory): Array<{ app: string; repo: string; root: string; jenkinsJob: string | null; owners: string[] }> {
  return inventory.report().repos.flatMap((r) => r.apps.map((a) => ({
    app: a.name, repo: r.path, root: a.root, jenkinsJob: a.jenkinsJob ?? null, owners: [...new Set((a.owners ?? []).map((o) => o.owner))],
  })));
}

/** CMDB records against what code references, or without a CMDB list the resources nothing references now. */
export function unusedAnswer(inventory: Inventory, records: readonly CmdbRecord[] | null, aliases: HostAliases = new Map()): UnusedReport | ResourceUse[] {
  return records ? matchCmdb(records, inventory.resources(), aliases) : inventory.unusedResources();
}

/** What changed after `since` (a scan id, date or duration) up to `until` (default now). */
export function diffAnswer(inventory: Inventory, since: string, until?: string): InventoryDiff {
  const from = parseSince(since, (id) => inventory.scanFinishedAt(id));
  const to = until !== undefined ? parseSince(until, (id) => inventory.scanFinishedAt(id), '--until') : new Date().toISOString();
  return netChanges(inventory.changesIn(from, to), from, to);
}
