/**
 * `cmdb-scan unused` for a capacity team: CMDB resources no scanned app references (with when and by which app
 * one last did, if ever), then resources code references that the CMDB does not list. Table, JSON, CSV.
 */
import type { UnusedReport } from '../cmdb-resources.js';
import { printable } from '../text.js';
import { csvCell } from './csv.js';

export function renderUnused(report: UnusedReport, format: 'table' | 'json' | 'csv'): string {
  if (format === 'json') return JSON.stringify(report, null, 2) + '\n';
  if (format === 'csv') {
    const head = ['status', 'host', 'port', 'type', 'name', 'owner', 'cmdb_row', 'apps', 'last_seen_at', 'last_seen_app', 'last_seen_repo'];
    const rows = [
      ...report.unused.map((u) => ['unused', u.host, u.port ?? '', u.type ?? '', u.name ?? '', u.owner ?? '', u.row, '', u.lastSeenAt ?? '', u.lastSeenApp ?? '', u.lastSeenRepo ?? '']),
      ...report.used.map((u) => ['used', u.host, u.port ?? '', u.type ?? '', u.name ?? '', u.owner ?? '', u.row, u.apps.join(' '), '', '', '']),
      ...report.missing.map((m) => ['not-in-cmdb', m.host, m.port ?? '', m.kind, m.resource, '', '', m.apps.join(' '), '', '', '']),
    ];
    return [head, ...rows].map((r) => r.map((c) => csvCell(String(c))).join(',')).join('\r\n') + '\r\n';
  }
  const out: string[] = [`${report.unused.length} resource(s) no scanned app references; ${report.used.length} referenced; ${report.missing.length} referenced but not in the CMDB`];
  if (report.unused.length > 0) {
    out.push('', 'not referenced (candidates to retire):');
    for (const u of report.unused) {
      const what = [u.type, u.name].filter(Boolean).join(' ');
      const last = u.lastSeenAt ? `last referenced ${u.lastSeenAt.slice(0, 10)} by ${u.lastSeenApp} (${u.lastSeenRepo})` : 'never referenced by a scanned app';
      out.push(printable(`  ${u.host}${u.port !== null ? `:${u.port}` : ''}${what ? `  ${what}` : ''}${u.owner ? `  owner ${u.owner}` : ''}  —  ${last}`));
    }
  }
  if (report.missing.length > 0) {
    out.push('', 'referenced by code, missing from the CMDB:');
    for (const m of report.missing) out.push(printable(`  ${m.resource}  —  ${m.apps.join(', ')}`));
  }
  return out.join('\n') + '\n';
}
