/**
 * One self-contained HTML page (no scripts, no external assets) to attach to a ticket or
 * put on an intranet page: per repository its apps (with Jenkins jobs and owners when a
 * batch scan recorded them), what each connects to, the secrets (masked), skipped files.
 */
import type { Connection, Report } from '../result-model.js';
import { TOOL_VERSION } from '../version.js';

function esc(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

function table(head: string[], rows: unknown[][]): string {
  if (rows.length === 0) return '';
  return `<table><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${
    rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

function endpoint(c: Connection): string {
  return `${c.host ?? '?'}${c.port !== null ? `:${c.port}` : ''}`;
}

export function renderHtml(report: Report): string {
  const sections = report.repos.map((repo) => {
    const conns = report.connections.filter((c) => c.repo === repo.path);
    const secrets = report.secrets.filter((s) => s.repo === repo.path);
    const skipped = report.skipped.filter((s) => s.repo === repo.path);
    const apps = repo.apps.map((a) => [a.name, a.root, a.jenkinsJob ?? '', [...new Set((a.owners ?? []).map((o) => o.owner))].join(', ')]);
    return `<section><h2>${esc(repo.path)}${repo.commit ? ` <small>@ ${esc(repo.commit.slice(0, 12))}</small>` : ''}</h2>
<h3>Apps</h3>${table(['app', 'root', 'Jenkins', 'owners'], apps)}
<h3>Connections (${conns.length})</h3>${table(['app', 'kind', 'endpoint', 'database', 'user', 'password', 'value', 'scope', 'profile', 'where', 'found by'],
      conns.map((c) => [c.app, c.kind, endpoint(c) + (c.local ? ' (local)' : ''), c.database, c.username,
        c.hasPassword ? (c.passwordHardcoded ? 'HARDCODED' : 'external') : '', c.valueSource, c.scope, c.profile, `${c.file}:${c.line}`, c.sources.join('+')]))}
${secrets.length ? `<h3>Secrets (${secrets.length})</h3>${table(['severity', 'kind', 'masked', 'fingerprint', 'app', 'opens', 'where'],
      secrets.map((s) => [s.severity, s.kind, s.masked, s.fingerprint.slice(0, 12), s.app, s.resource, `${s.file}:${s.line}`]))}` : ''}
${skipped.length ? `<h3>Skipped (${skipped.length})</h3>${table(['file', 'reason', 'detail'], skipped.map((s) => [s.file, s.reason, s.detail]))}` : ''}
</section>`;
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cmdb-scan report</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}th{background:#f3f3f3}small{color:#777}</style>
</head><body><h1>cmdb-scan report</h1>
<p>cmdb-scan ${esc(TOOL_VERSION)}: ${report.repos.length} repositories, ${report.connections.length} connections, ${report.secrets.length} secrets, ${report.skipped.length} skipped files.</p>
${sections.join('\n')}
</body></html>
`;
}
