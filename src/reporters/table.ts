import Table from 'cli-table3';
import path from 'node:path';
import type { Connection, Report } from '../model.js';

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
    out.push(`${repo.path}${repo.commit ? ` @ ${repo.commit.slice(0, 12)}` : ''}  —  ${repo.apps.length} app(s), ${conns.length} connection(s)`);
    if (conns.length > 0) {
      const table = new Table({
        head: ['app', 'kind', 'endpoint', 'database', 'user', 'password', 'source', 'scope', 'profile', 'where'],
        style: { head: opts.color ? ['cyan'] : [], border: opts.color ? ['grey'] : [], compact: true },
      });
      for (const c of conns) {
        table.push([
          c.app, c.kind, endpoint(c) + (c.local ? ' (local)' : ''), c.database ?? '', c.username ?? '', password(c),
          c.valueSource, c.scope, c.profile ?? '', `${c.file}:${c.line}`,
        ]);
      }
      out.push(table.toString());
    }
    const skipped = report.skipped.filter((s) => s.repo === repo.path);
    if (skipped.length > 0) {
      out.push(`skipped ${skipped.length} file(s):`);
      for (const s of skipped) out.push(`  ${path.posix.join(s.file)}: ${s.reason}${s.detail ? ` (${s.detail})` : ''}`);
    }
    out.push('');
  }
  return out.join('\n');
}
