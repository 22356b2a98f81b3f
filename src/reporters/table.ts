import Table from 'cli-table3';
import path from 'node:path';
import type { Connection, Report } from '../result-model.js';
import { printable } from '../text.js';

function endpoint(c: Connection): string {
  const host = c.host ?? '?';
  const shown = host.includes(':') ? `[${host}]` : host;
  return c.port !== null ? `${shown}:${c.port}` : shown;
}

function password(c: Connection): string {
  if (!c.hasPassword) return '';
  return c.passwordHardcoded ? 'HARDCODED' : 'external';
}

/** A human table per repository: what each app connects to, then what was skipped. */
export function renderTable(report: Report, opts: { color?: boolean } = {}): string {
  const out: string[] = [];
  for (const repo of report.repos) {
    const conns = report.connections.filter((c) => c.repo === repo.path);
    // Names come from repositories: every text written here is terminal-safe (cells are made so below).
    out.push(`${printable(repo.path)}${repo.commit ? ` @ ${repo.commit.slice(0, 12)}` : ''}  —  ${repo.apps.length} app(s), ${conns.length} connection(s)`);
    // Who to call and which job deploys it: what an SRE needs next to the connections.
    for (const app of repo.apps) {
      if (!app.jenkinsJob && !app.owners?.length) continue;
      const owners = [...new Set((app.owners ?? []).map((o) => o.owner))].join(', ');
      out.push(printable(`  ${app.name}:${app.jenkinsJob ? ` jenkins ${app.jenkinsJob}` : ''}${owners ? `${app.jenkinsJob ? ';' : ''} owners ${owners}` : ''}`));
    }
    if (conns.length > 0) {
      // A "found by" column only when models ran: static-only tables stay as they were.
      const byModels = conns.some((c) => c.sources.some((x) => x !== 'static'));
      const table = new Table({
        head: ['app', 'kind', 'endpoint', 'database', 'user', 'password', 'source', 'scope', 'profile', 'where', ...(byModels ? ['found by'] : [])],
        style: { head: opts.color ? ['cyan'] : [], border: opts.color ? ['grey'] : [], compact: true },
      });
      for (const c of conns) {
        table.push([
          c.app, c.kind, endpoint(c) + (c.local ? ' (local)' : ''), c.database ?? '', c.username ?? '', password(c),
          c.valueSource, c.scope, c.profile ?? '', `${c.file}:${c.line}`, ...(byModels ? [c.sources.join('+')] : []),
        ].map((cell) => printable(String(cell))));
      }
      out.push(table.toString());
    }
    const secrets = report.secrets.filter((s) => s.repo === repo.path);
    if (secrets.length > 0) {
      out.push(`${secrets.length} hard-coded secret(s):`);
      const table = new Table({
        head: ['severity', 'kind', 'masked', 'fingerprint', 'app', 'opens', 'scope', 'where', ...(secrets.some((x) => x.value !== undefined) ? ['value'] : [])],
        style: { head: opts.color ? ['cyan'] : [], border: opts.color ? ['grey'] : [], compact: true },
      });
      for (const x of secrets) {
        table.push([x.severity, x.kind, x.masked, x.fingerprint.slice(0, 12), x.app, x.resource ?? '', x.scope, `${x.file}:${x.line}`, ...(x.value !== undefined ? [x.value] : [])].map(printable));
      }
      out.push(table.toString());
    }
    const skipped = report.skipped.filter((s) => s.repo === repo.path);
    if (skipped.length > 0) {
      out.push(`skipped ${skipped.length} file(s):`);
      for (const s of skipped) out.push(printable(`  ${path.posix.join(s.file)}: ${s.reason}${s.detail ? ` (${s.detail})` : ''}`));
    }
    out.push('');
  }
  return out.join('\n');
}
