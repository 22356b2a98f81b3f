/**
 * One self-contained HTML page to open from a share or attach to a ticket: the app → resource graph (Cytoscape,
 * inlined, laid out by fCoSE with each repository a compound node), a search box and filters by kind, scope, profile and
 * severity, a panel per app (owners, Jenkins job, resources by kind, secrets), the connections rolled up per
 * app × resource, secrets masked and by severity, skipped files counted by reason. Nothing is fetched: the library,
 * the script (./html-client.ts) and the data are in the file. Data goes in as JSON with `<`, `>` and `&` escaped,
 * and the script writes it with `textContent`, so no name from a repository can become markup. Secret values are
 * never in it, even with --show-secrets.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resourceName, type Report } from '../result-model.js';
import { identifiedWithin, resourceId } from '../targets.js';
import { TOOL_VERSION } from '../version.js';
import { HTML_CLIENT_SCRIPT } from './html-client.js';
import { appCiId, familyOf } from './relations.js';

let graphScripts: string | null = null;

/**
 * The graph's browser builds, read once from the installed packages (MIT; licence headers kept), each in a script
 * element of its own: Cytoscape, and fCoSE with the two layout libraries it is built on — CoSE, Cytoscape's own
 * force-directed layout, lets nodes outside a compound (a repository's box) lie over it; fCoSE keeps boxes apart.
 */
function graphLibraries(): string {
  // Each library found from the package that depends on it, as Node would load it (npm need not hoist them).
  const ours = createRequire(import.meta.url);
  const fcose = ours.resolve('cytoscape-fcose/cytoscape-fcose.js');
  const coseBase = createRequire(fcose).resolve('cose-base/cose-base.js');
  const layoutBase = createRequire(coseBase).resolve('layout-base/layout-base.js');
  graphScripts ??= [ours.resolve('cytoscape/dist/cytoscape.min.js'), layoutBase, coseBase, fcose]
    .map((file) => `<script>${readFileSync(file, 'utf8').replace(/<\/script/gi, '<\\/script')}</script>`).join('\n');
  return graphScripts;
}

/** JSON that is safe inside a `<script>` element: no `</script>`, no `<!--`, no line separators that end a string. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** What the page's script reads: apps, resources, graph edges, connections and secrets by app id, skipped counts. */
export function htmlReportData(report: Report, opts: HtmlOptions = {}) {
  const apps = report.repos.flatMap((r) => r.apps.map((a) => ({
    id: appCiId(r.path, a.name), name: a.name, repo: r.path, root: a.root, jenkinsJob: a.jenkinsJob ?? null,
    owners: [...new Set((a.owners ?? []).map((o) => o.owner))],
  })));
  const appIndex = Object.fromEntries(apps.map((a, i) => [a.id, i]));
  // A connection of an app the report does not list (a hand-made report) still needs a node.
  for (const c of report.connections) {
    const id = appCiId(c.repo, c.app);
    if (appIndex[id] === undefined) appIndex[id] = apps.push({ id, name: c.app, repo: c.repo, root: '', jenkinsJob: null, owners: [] }) - 1;
  }
  for (const s of report.secrets) {
    const id = appCiId(s.repo, s.app);
    if (appIndex[id] === undefined) appIndex[id] = apps.push({ id, name: s.app, repo: s.repo, root: '', jenkinsJob: null, owners: [] }) - 1;
  }
  const graphed = report.connections.filter((c) => c.host !== null && !c.local);
  const resources = new Map<string, { id: string; kind: string; family: string; within: string | null }>();
  const edges = new Map<string, { app: string; resource: string; profiles: Set<string> }>();
  for (const c of graphed) {
    const within = identifiedWithin(c);
    const id = resourceId(c, within);
    if (!resources.has(id)) resources.set(id, { id, kind: c.kind, family: familyOf(c.kind), within });
    const app = appCiId(c.repo, c.app);
    const edge = edges.get(`${app}\u0000${id}`) ?? { app, resource: id, profiles: new Set<string>() };
    if (c.profile) edge.profiles.add(c.profile);
    edges.set(`${app}\u0000${id}`, edge);
  }
  const skipped: Record<string, number> = {};
  for (const s of report.skipped) skipped[s.reason] = (skipped[s.reason] ?? 0) + 1;
  return {
    tool: TOOL_VERSION,
    served: opts.served === true,
    apps, appIndex,
    resources: [...resources.values()],
    edges: [...edges.values()].map((e) => ({ app: e.app, resource: e.resource, profiles: [...e.profiles].sort() })),
    kinds: [...new Set(report.connections.map((c) => c.kind))].sort(),
    profiles: ['default', ...new Set(report.connections.flatMap((c) => (c.profile ? [c.profile] : [])))].sort(),
    connections: report.connections.map((c) => ({
      app: appCiId(c.repo, c.app), kind: c.kind, resource: resourceName(c) + (c.local ? ' (local)' : ''), node: resourceId(c, identifiedWithin(c)), username: c.username,
      password: c.hasPassword ? (c.passwordHardcoded ? 'HARDCODED' : 'external') : '', scope: c.scope, profile: c.profile, file: c.file, line: c.line,
    })),
    secrets: report.secrets.map((s) => ({
      app: appCiId(s.repo, s.app), kind: s.kind, severity: s.severity, masked: s.masked, fingerprint: s.fingerprint, scope: s.scope, file: s.file, line: s.line, resource: s.resource,
    })),
    skipped,
  };
}

export interface HtmlOptions {
  /** Served by `cmdb-scan serve`: apps and resources link to their answers (`/apps/<name>`, `/uses?target=`). */
  served?: boolean;
  /** What the page answers (an app, a target), shown in its heading. */
  title?: string;
}

/** A served page's answer to a name nothing matches: the nearest names, each a link. */
export function renderNotFound(asked: string, nearest: readonly string[]): string {
  const links = nearest.map((n) => `<li><a href="/apps/${esc(encodeURIComponent(n))}">${esc(n)}</a> · <a href="/uses?target=${esc(encodeURIComponent(n))}">who uses it</a></li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cmdb-scan: nothing matches</title></head><body style="font:14px system-ui,sans-serif;margin:20px">
<h1 style="font-size:18px">Nothing in the inventory matches ${esc(asked) || 'an empty target'}</h1>
${links ? `<p>Nearest names:</p><ul>${links}</ul>` : ''}<p><a href="/">The whole inventory</a></p>
</body></html>
`;
}

export function renderHtml(report: Report, opts: HtmlOptions = {}): string {
  const data = htmlReportData(report, opts);
  const skipped = Object.entries(data.skipped).sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} ${r}`).join(', ');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>cmdb-scan report</title>
<style>
*{box-sizing:border-box}body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1f2937;background:#f8fafc}
header{padding:12px 20px;background:#0f172a;color:#f8fafc}header h1{font-size:18px;margin:0 0 4px}header p{margin:0;color:#cbd5e1}
.filters{display:flex;flex-wrap:wrap;gap:8px 16px;align-items:center;padding:10px 20px;background:#fff;border-bottom:1px solid #e2e8f0;position:sticky;top:0;z-index:2}
.filters input[type=search]{width:260px;padding:5px 8px;border:1px solid #cbd5e1;border-radius:4px}
.chip{display:inline-flex;gap:3px;align-items:center;margin-right:6px;font-size:12px}.group{display:flex;flex-wrap:wrap;align-items:center}.group b{margin-right:6px;font-size:12px;color:#475569}
main{display:grid;grid-template-columns:220px 1fr 360px;gap:12px;padding:12px 20px}
#app-list{display:flex;flex-direction:column;gap:6px;max-height:620px;overflow:auto}.repo-group{display:flex;flex-direction:column;gap:1px}.repo-name{font-size:11px;font-weight:600;color:#475569;text-transform:none;padding:2px 6px;border-bottom:1px solid #e2e8f0;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
button.app{text-align:left;border:0;background:none;padding:4px 6px;border-radius:4px;cursor:pointer;font:inherit}button.app:hover{background:#e2e8f0}button.app.chosen{background:#2563eb;color:#fff}
#graph{height:620px;background:#fff;border:1px solid #e2e8f0;border-radius:6px}
#app-panel{background:#fff;border:1px solid #e2e8f0;border-radius:6px;padding:10px 14px;max-height:620px;overflow:auto}
#app-panel h3{margin:0 0 6px}dl{display:grid;grid-template-columns:90px 1fr;gap:2px 8px;margin:0 0 8px;font-size:13px}dt{color:#64748b}dd{margin:0;word-break:break-all}
#app-panel ul{margin:2px 0 8px;padding-left:18px;font-size:12px;word-break:break-all}.hint{color:#64748b}
section{padding:0 20px 12px}h2{font-size:16px;margin:16px 0 6px}#status{font-size:12px;color:#475569;margin-left:auto}
table{border-collapse:collapse;width:100%;background:#fff;font-size:12px}th,td{border:1px solid #e2e8f0;padding:3px 6px;text-align:left;vertical-align:top;word-break:break-word}th{background:#f1f5f9;position:sticky;top:48px}
.sev-high td:first-child,li.sev-high{color:#b91c1c;font-weight:600}.sev-medium td:first-child{color:#b45309}.more{color:#64748b;font-size:12px}
@media (max-width:1100px){main{grid-template-columns:1fr}}
</style></head><body>
<header><h1>cmdb-scan report${opts.title ? ` — ${esc(opts.title)}` : ''}${opts.served && opts.title ? ` <a href="/" style="color:#93c5fd;font-size:13px">whole inventory</a>` : ''}</h1><p>cmdb-scan ${esc(TOOL_VERSION)} · ${report.repos.length} repositories · ${data.apps.length} apps · ${data.resources.length} resources · ${report.connections.length} connections · ${report.secrets.length} secrets${skipped ? ` · skipped ${esc(skipped)}` : ''}</p></header>
<noscript><p style="padding:0 20px">This report draws itself with JavaScript. Without it, use <code>-f json</code> or <code>-f table</code>.</p></noscript>
<div class="filters">
<input id="search" type="search" placeholder="search apps, hosts, files…" aria-label="search">
<div class="group"><b>kind</b><span id="kinds"></span></div>
<div class="group"><b>scope</b><span id="scopes"></span></div>
<label>profile <select id="profile"><option value="">all</option></select></label>
<label>secrets <select id="severity"><option value="">all</option><option value="high">high</option><option value="medium">medium and high</option></select></label>
<span id="status"></span>
</div>
<main><nav id="app-list" aria-label="apps"></nav><div id="graph" role="img" aria-label="app to resource graph"></div><aside id="app-panel"></aside></main>
<section><h2>Connections (one row per app × resource)</h2><table id="connections"></table><p class="more" id="connections-more"></p></section>
<section><h2>Secrets (masked, by severity)</h2><table id="secrets"></table><p class="more" id="secrets-more"></p></section>
<script id="cmdb-data" type="application/json">${scriptJson(data)}</script>
${graphLibraries()}
<script>${HTML_CLIENT_SCRIPT}</script>
</body></html>
`;
}
