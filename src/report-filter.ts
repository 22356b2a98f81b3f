/**
 * Narrowing a report to what the reader asked for (`--scope`, `--profile`, `--kind`, `--min-severity`,
 * `--no-tests` on scan, report and query): applied to the report before any format renders it, so the JSON, the
 * CSV and the table say the same thing. The inventory always keeps everything.
 */
import { isOneOf, SCOPES, severityRank, type Report, type Scope, type Secret } from './result-model.js';

export interface ReportFilter {
  scopes?: readonly Scope[];
  /** Profile names; `default` stands for connections without one. */
  profiles?: readonly string[];
  kinds?: readonly string[];
  minSeverity?: Secret['severity'];
  noTests?: boolean;
}


/** Reads comma-separated `--scope` values, refusing names that are not scopes. */
export function parseScopes(values: readonly string[]): Scope[] {
  return values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean).map((v) => {
    if (!isOneOf(SCOPES, v)) throw new Error(`--scope ${v}: not a scope (${SCOPES.join(', ')})`);
    return v;
  });
}

export function isFiltered(f: ReportFilter): boolean {
  return !!(f.scopes?.length || f.profiles?.length || f.kinds?.length || f.minSeverity || f.noTests);
}

export function filterReport(report: Report, f: ReportFilter): Report {
  if (!isFiltered(f)) return report;
  const scopeOk = (s: Scope) => (!f.scopes?.length || f.scopes.includes(s)) && !(f.noTests && s === 'test');
  const profiles = f.profiles?.map((p) => p.toLowerCase());
  const kinds = f.kinds?.map((k) => k.toLowerCase());
  const connections = report.connections.filter((c) => scopeOk(c.scope)
    && (!profiles?.length || profiles.includes((c.profile ?? 'default').toLowerCase()))
    && (!kinds?.length || kinds.includes(c.kind)));
  const secretOk = (s: Secret) => scopeOk(s.scope)
    && (!f.minSeverity || severityRank(s.severity) <= severityRank(f.minSeverity))
    // A secret that opens a connection the filter dropped goes with it; one that opens none stays.
    && (!s.resource || !(kinds?.length || profiles?.length) || connections.some((c) => c.repo === s.repo && c.app === s.app));
  return { ...report, connections, secrets: report.secrets.filter(secretOk), suppressedSecrets: report.suppressedSecrets.filter(secretOk) };
}
