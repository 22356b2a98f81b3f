/**
 * The result model: the types of the public shapes, inferred from their schema (src/report-schema.ts, zod) and
 * re-exported here with their value lists (src/report-values.ts), and the functions every stage shares on them:
 * sort orders, resource names, suppression. A scan loads this module, never the schema.
 */
export type { KnownKind, Kind, Scope, ValueSource, Finding, Connection, Severity, Secret, SkipReason, Skipped, App, RepoReport, ScanStats, ModelUsage, SuppressionMechanism, Suppression, SuppressedSecret, Report } from './report-schema.js';
import type { Connection, Finding, Scope, Secret, Severity, SuppressedSecret, Suppression } from './report-schema.js';
import { SEVERITIES } from './report-values.js';

export { KNOWN_KINDS, REPORT_SCHEMA_VERSION, SCOPES, SEVERITIES, SKIP_REASONS, SUPPRESSION_MECHANISMS, VALUE_SOURCES } from './report-values.js';

/** Scopes that ship: what tables, exports and SARIF notes show unless other scopes are asked for. */
export const SHIPPED_SCOPES: ReadonlySet<Scope> = new Set(['main', 'deploy']);

/** 0 for the most severe: sort by it ascending for "high first"; a smaller rank is at least as severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** `value` is one of `values` (a CLI flag, an API parameter), typed as such. */
export function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** `mysql://10.0.0.5:3306/orders`: how the secrets report names the connection a password opens. */
export function resourceName(f: Pick<Finding, 'kind' | 'host' | 'port' | 'database'>): string {
  return `${f.kind}://${f.host ?? '?'}${f.port !== null ? `:${f.port}` : ''}${f.database ? `/${f.database}` : ''}`;
}

/** A comparator from a sort key. */
function byKey<T>(key: (x: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

/** Report order: repository, app, file, line, kind, host, port, database. */
export const compareConnections = byKey<Connection>((x) =>
  [x.repo, x.app, x.file, String(x.line).padStart(8, '0'), x.kind, x.host ?? '', String(x.port ?? 0).padStart(6, '0'), x.database ?? ''].join('\u0000'));

/** Report order: repository, file, line, kind, fingerprint. */
export const compareSecrets = byKey<Secret>((x) => [x.repo, x.file, String(x.line).padStart(8, '0'), x.kind, x.fingerprint].join('\u0000'));

/** Report order: repository, mechanism, source. */
export const compareSuppressions = byKey<Suppression>((x) => [x.repo, x.mechanism, x.source].join('\u0000'));

/** What suppressed a secret: an ignore entry or a baseline, and where it is written. */
export type SuppressedBy = SuppressedSecret['suppressedBy'];

/**
 * Secrets split by what suppresses them (`suppressedBy` returns undefined for a secret that stays): those that stay,
 * the suppressed ones with what suppressed each (without any raw value), and one count row per mechanism and source.
 * The scan's ignore entries, `scan --history`/`--staged` and a baseline all hide secrets this one way.
 */
export function partitionSuppressed(secrets: readonly Secret[], suppressedBy: (s: Secret) => SuppressedBy | undefined): {
  secrets: Secret[]; suppressions: Suppression[]; suppressedSecrets: SuppressedSecret[];
} {
  const kept: Secret[] = [];
  const suppressedSecrets: SuppressedSecret[] = [];
  for (const s of secrets) {
    const by = suppressedBy(s);
    if (!by) {
      kept.push(s);
      continue;
    }
    const { value: _value, ...rest } = s;
    suppressedSecrets.push({ ...rest, suppressedBy: { mechanism: by.mechanism, source: by.source } });
  }
  const suppressions = combineSuppressions(suppressedSecrets.map((s) => ({ repo: s.repo, ...s.suppressedBy, count: 1 })));
  return { secrets: kept, suppressions, suppressedSecrets: suppressedSecrets.sort(compareSecrets) };
}

/**
 * The second stage of the generic rules' cap (secrets/detect.ts): per repository, file and rule, at most `limit`
 * distinct values among the secrets that nothing else hides (`exempt`: a baseline's, reported apart); the rest are
 * counted as a `cap` suppression on that file and rule. Values are told apart by `valueId`, else by fingerprint.
 */
export function capGenericSecrets(secrets: readonly Secret[], generic: (kind: string) => boolean, limit: number, exempt: (s: Secret) => boolean = () => false): {
  secrets: Secret[]; suppressions: Suppression[];
} {
  const seen = new Map<string, Set<string>>();
  const over = new Set<Secret>();
  // Earlier lines are kept: the order a reader meets them in.
  for (const s of [...secrets].sort((a, b) => a.line - b.line)) {
    if (!generic(s.kind) || exempt(s)) continue;
    const key = [s.repo, s.file, s.kind].join('\u0000');
    const values = seen.get(key) ?? new Set<string>();
    seen.set(key, values);
    const value = s.valueId ?? s.fingerprint;
    if (!values.has(value) && values.size >= limit) over.add(s);
    else values.add(value);
  }
  return {
    secrets: secrets.filter((s) => !over.has(s)),
    suppressions: combineSuppressions([...over].map((s) => ({ repo: s.repo, mechanism: 'cap' as const, source: `${s.file} (${s.kind})`, count: 1 }))),
  };
}

/** Rows of one mechanism and source added together (a tree scan and its history count against the same entries), in report order. */
export function combineSuppressions(rows: readonly Suppression[]): Suppression[] {
  const byKey = new Map<string, Suppression>();
  for (const r of rows) {
    const key = [r.repo, r.mechanism, r.source].join('\u0000');
    const prev = byKey.get(key);
    byKey.set(key, prev ? { ...prev, count: prev.count + r.count } : { ...r });
  }
  return [...byKey.values()].sort(compareSuppressions);
}
