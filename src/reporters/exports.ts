/**
 * Exports for the systems CMDB maintainers feed (src/reporters/relations.ts builds the graph all of them share):
 * - `cmdb-json`: `{ applications, resources, relations }`, for an import job of any CMDB;
 * - `cmdb-csv`: one row per relation with both CIs' attributes, in the parent/child/type shape of ServiceNow's
 *   relationship import sets (`Depends on::Used by`), which iTop and CMDBuild CSV imports map as easily;
 * - `backstage`: `catalog-info.yaml` documents, a `Component` per app that `dependsOn` a `Resource` per resource;
 * - `mermaid` and `dot`: the app → resource graph for a wiki page or Graphviz.
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { Report } from '../result-model.js';
import { csvCell } from './csv.js';
import { ciGraph, safeName, type CiGraph } from './relations.js';

export interface ExportOptions {
  allScopes?: boolean;
}

export function renderCmdbJson(report: Report, opts: ExportOptions = {}): string {
  return JSON.stringify({ schema: 'cmdb-scan/relations/v2', ...ciGraph(report, opts) }, null, 2) + '\n';
}

const CSV_HEAD = ['parent', 'parent_class', 'type', 'child', 'child_class', 'kind', 'host', 'port', 'database', 'environment', 'scope', 'password_hardcoded', 'repo', 'jenkins_job', 'owners', 'evidence'];

export function renderCmdbCsv(report: Report, opts: ExportOptions = {}): string {
  const g = ciGraph(report, opts);
  const apps = new Map(g.applications.map((a) => [a.id, a]));
  const resources = new Map(g.resources.map((r) => [r.id, r]));
  const rows = g.relations.map((rel) => {
    const app = apps.get(rel.source)!;
    const res = resources.get(rel.target)!;
    return [app.name, 'application', 'Depends on::Used by', res.id, res.family, res.kind, res.host, res.port ?? '', res.database ?? '',
      rel.profiles.join(' '), rel.scopes.join(' '), rel.passwordHardcoded ? 'true' : 'false', app.repo, app.jenkinsJob ?? '', app.owners.join(' '), rel.evidence.join(' ')];
  });
  return [CSV_HEAD, ...rows].map((r) => r.map((c) => csvCell(String(c))).join(',')).join('\r\n') + '\r\n';
}

/** Backstage entity names, unique within the export: a name two repositories share gets its repository's digest. */
function componentNames(g: CiGraph): Map<string, string> {
  const count = new Map<string, number>();
  for (const a of g.applications) count.set(safeName(a.name), (count.get(safeName(a.name)) ?? 0) + 1);
  return new Map(g.applications.map((a) => {
    const base = safeName(a.name);
    return [a.id, count.get(base)! > 1 ? safeName(`${base}-${createHash('sha256').update(a.repo).digest('hex').slice(0, 8)}`) : base];
  }));
}

export function renderBackstage(report: Report, opts: ExportOptions = {}): string {
  const g = ciGraph(report, opts);
  const components = componentNames(g);
  const resourceName = (id: string) => safeName(id.replace(/^([a-z0-9-]+):\/\//, '$1-'));
  const docs: object[] = g.applications.map((a) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: components.get(a.id)!,
      title: a.name,
      annotations: {
        'cmdb-scan/repository': a.repo, 'cmdb-scan/root': a.root,
        ...(a.jenkinsJob ? { 'jenkins.io/job-full-name': a.jenkinsJob.split(', ')[0]! } : {}),
      },
    },
    spec: {
      type: 'service', lifecycle: 'production', owner: a.owners[0] ?? 'unknown',
      dependsOn: g.relations.filter((r) => r.source === a.id).map((r) => `resource:default/${resourceName(r.target)}`),
    },
  }));
  for (const r of g.resources) {
    docs.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: { name: resourceName(r.id), title: r.id, annotations: {
        'cmdb-scan/kind': r.kind, 'cmdb-scan/host': r.host, ...(r.port ? { 'cmdb-scan/port': String(r.port) } : {}), ...(r.within ? { 'cmdb-scan/repository': r.within } : {}),
      } },
      spec: { type: r.family === 'relational' ? 'database' : r.family, owner: 'unknown' },
    });
  }
  return docs.map((d) => `---\n${stringify(d, { lineWidth: 0 })}`).join('');
}

/** Mermaid label text: quotes and angle brackets as entities, so a name cannot end the label or inject markup. */
const mermaidText = (s: string) => s.replace(/["<>#]/g, (c) => ({ '"': '#quot;', '<': '#lt;', '>': '#gt;', '#': '#35;' })[c]!);

export function renderMermaid(report: Report, opts: ExportOptions = {}): string {
  const g = ciGraph(report, opts);
  const id = new Map<string, string>([...g.applications.map((a, i) => [a.id, `a${i}`] as const), ...g.resources.map((r, i) => [r.id, `r${i}`] as const)]);
  const lines = ['graph LR'];
  for (const a of g.applications) lines.push(`  ${id.get(a.id)}["${mermaidText(a.name)}"]`);
  for (const r of g.resources) lines.push(r.family === 'relational' || r.family === 'document' ? `  ${id.get(r.id)}[("${mermaidText(r.id)}")]` : `  ${id.get(r.id)}["${mermaidText(r.id)}"]`);
  for (const rel of g.relations) {
    const label = rel.profiles.length ? `|"${mermaidText(rel.profiles.join(', '))}"|` : '';
    lines.push(`  ${id.get(rel.source)} -->${label} ${id.get(rel.target)}`);
  }
  return lines.join('\n') + '\n';
}

const dotText = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;

export function renderDot(report: Report, opts: ExportOptions = {}): string {
  const g = ciGraph(report, opts);
  const lines = ['digraph cmdb {', '  rankdir=LR;', '  node [shape=box, fontname="Helvetica"];'];
  for (const a of g.applications) lines.push(`  ${dotText(a.id)} [label=${dotText(a.name)}, style=filled, fillcolor="#dbeafe"];`);
  for (const r of g.resources) lines.push(`  ${dotText(r.id)} [label=${dotText(r.id)}, shape=${r.family === 'relational' || r.family === 'document' ? 'cylinder' : 'box'}];`);
  for (const rel of g.relations) lines.push(`  ${dotText(rel.source)} -> ${dotText(rel.target)}${rel.profiles.length ? ` [label=${dotText(rel.profiles.join(', '))}]` : ''};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
