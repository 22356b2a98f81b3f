/**
 * The inventory as configuration items and relations, the shape CMDBs, Backstage and graphs take: an
 * application CI per app, a resource CI per resource, one `depends on` relation per app × resource with the
 * profiles (environments), scopes and places that are its evidence. Shipped dependencies only by default: a
 * connection in tests, examples or docs, to localhost, or without a known host is not a CI relation (`--scope`
 * brings other scopes in).
 */
import { createHash } from 'node:crypto';
import { PRODUCTS } from '../catalog/index.js';
import { SHIPPED_SCOPES, type App, type Connection, type Kind, type Report } from '../result-model.js';
import { identifiedWithin, resourceId } from '../targets.js';

export interface ApplicationCi {
  id: string;
  name: string;
  repo: string;
  root: string;
  jenkinsJob: string | null;
  owners: string[];
}

export interface ResourceCi {
  /** `kind://host:port/database`, as the report names resources, and `(repo)` after a name that means something only in that repository. */
  id: string;
  /** The product family (`relational`, `cache`, `broker`…), `custom` for a project's own kind. */
  family: string;
  kind: Kind;
  host: string;
  port: number | null;
  database: string | null;
  /** The repository whose resource this is (a Compose or Kubernetes service name, src/hosts.ts), null when the name is global. */
  within: string | null;
}

export interface Relation {
  source: string;
  target: string;
  type: 'depends_on';
  profiles: string[];
  scopes: string[];
  passwordHardcoded: boolean;
  /** `file:line` where the connection is written, every place. */
  evidence: string[];
}

export interface CiGraph {
  applications: ApplicationCi[];
  resources: ResourceCi[];
  relations: Relation[];
}

export const appCiId = (repo: string, app: string) => `app:${repo}#${app}`;

export function familyOf(kind: Kind): string {
  return kind in PRODUCTS ? PRODUCTS[kind as keyof typeof PRODUCTS].family : 'custom';
}

/** Apps, resources and who depends on what, from a report. `allScopes`: relations from every scope, not only shipped. */
export function ciGraph(report: Report, opts: { allScopes?: boolean } = {}): CiGraph {
  const applications: ApplicationCi[] = report.repos.flatMap((r) => r.apps.map((a: App) => ({
    id: appCiId(r.path, a.name), name: a.name, repo: r.path, root: a.root, jenkinsJob: a.jenkinsJob ?? null,
    owners: [...new Set((a.owners ?? []).map((o) => o.owner))],
  })));
  const resources = new Map<string, ResourceCi>();
  const relations = new Map<string, { rel: Relation; conns: Connection[] }>();
  for (const c of report.connections) {
    if (c.host === null || c.local || (!opts.allScopes && !SHIPPED_SCOPES.has(c.scope))) continue;
    const within = identifiedWithin(c);
    const id = resourceId(c, within);
    if (!resources.has(id)) resources.set(id, { id, family: familyOf(c.kind), kind: c.kind, host: c.host, port: c.port, database: c.database, within });
    const source = appCiId(c.repo, c.app);
    const k = `${source}\u0000${id}`;
    const entry = relations.get(k) ?? { rel: { source, target: id, type: 'depends_on', profiles: [], scopes: [], passwordHardcoded: false, evidence: [] }, conns: [] };
    entry.conns.push(c);
    relations.set(k, entry);
  }
  const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();
  return {
    applications: applications.sort((a, b) => (a.id < b.id ? -1 : 1)),
    resources: [...resources.values()].sort((a, b) => (a.id < b.id ? -1 : 1)),
    relations: [...relations.values()].map(({ rel, conns }) => ({
      ...rel,
      profiles: sorted(conns.map((c) => c.profile ?? '').filter(Boolean)),
      scopes: sorted(conns.map((c) => c.scope)),
      passwordHardcoded: conns.some((c) => c.passwordHardcoded),
      evidence: sorted(conns.map((c) => `${c.file}:${c.line}`)),
    })).sort((a, b) => (a.source + a.target < b.source + b.target ? -1 : 1)),
  };
}

/**
 * A name other systems accept (Backstage entity names: letters, digits, `-`, `_`, `.`, at most 63, starting and
 * ending with a letter or digit); a long or clashing one keeps a digest of the original to stay unique.
 */
export function safeName(text: string, max = 63): string {
  const cleaned = text.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/-{2,}/g, '-').replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '') || 'x';
  if (cleaned.length <= max) return cleaned;
  const digest = createHash('sha256').update(text).digest('hex').slice(0, 8);
  return `${cleaned.slice(0, max - 9).replace(/[^A-Za-z0-9]+$/, '')}-${digest}`;
}
