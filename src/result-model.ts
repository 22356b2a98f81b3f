/**
 * The result model. Every public shape — the JSON report, the rows written to the
 * SQLite inventory, and (later) what a model must reply — is a zod schema here, and
 * the TypeScript types are inferred from it, so the three cannot drift apart.
 *
 * REPORT_SCHEMA_VERSION is part of the public contract: bump it whenever a field of
 * the JSON report changes meaning, is removed or renamed (adding an optional field
 * does not require a bump). docs/report-format.md lists the history.
 */
import { z } from 'zod';

export const REPORT_SCHEMA_VERSION = 9;

/** What a connection points at. `database` is a relational database whose engine the source does not say. */
export const KnownKind = z.enum([
  'mysql', 'mariadb', 'postgresql', 'oracle', 'sqlserver', 'db2', 'dm', 'kingbase', 'oceanbase',
  'clickhouse', 'doris', 'starrocks', 'hive', 'sqlite', 'h2', 'database',
  'redis', 'memcached', 'mongodb', 'elasticsearch', 'cassandra', 'hbase', 'influxdb', 'neo4j',
  'kafka', 'rocketmq', 'rabbitmq', 'activemq', 'mqtt', 'pulsar', 'nats',
  'nacos', 'zookeeper', 'consul', 'etcd', 'apollo', 'eureka',
  's3', 'oss', 'minio', 'cos', 'obs', 'azure-storage',
  'xxl-job', 'azkaban', 'sls', 'logstash', 'ldap', 'smtp', 'ftp', 'gitlab', 'jenkins', 'maven-repository',
  'http',
]);
export type KnownKind = z.infer<typeof KnownKind>;

/**
 * A known kind, or `x-<name>`: a product a project's config file declares (an in-house message queue or config
 * centre, `.cmdb-scan.yml` `connections.kinds`), so that it is reported as itself rather than missed.
 */
export const Kind = z.union([KnownKind, z.templateLiteral(['x-', z.string().regex(/^[a-z0-9][a-z0-9-]*$/)])]);
export type Kind = z.infer<typeof Kind>;

export const Scope = z.enum(['main', 'test', 'example', 'docs', 'deploy']);
export type Scope = z.infer<typeof Scope>;

/** Scopes that ship: what tables, exports and SARIF notes show unless other scopes are asked for. */
export const SHIPPED_SCOPES: ReadonlySet<Scope> = new Set(['main', 'deploy']);

/** Where the effective value came from: written as is, the default of an env/placeholder lookup, or an unresolved placeholder. */
export const ValueSource = z.enum(['literal', 'env-default', 'placeholder']);
export type ValueSource = z.infer<typeof ValueSource>;

/** What a scanner returns for one connection; the engine adds repo, app, file, scope and scanner. */
export const Finding = z.object({
  kind: Kind,
  host: z.string().nullable(),
  port: z.number().int().nullable(),
  database: z.string().nullable(),
  username: z.string().nullable(),
  hasPassword: z.boolean(),
  /** The password's effective value is written in the file (a literal or the default of a placeholder). */
  passwordHardcoded: z.boolean(),
  /** The connection string as written, with any password replaced by `****`. */
  url: z.string().nullable(),
  line: z.number().int().positive(),
  profile: z.string().nullable(),
  valueSource: ValueSource,
  confidence: z.number().min(0).max(1),
  /** A deploy file may say which application uses the connection (a compose service, a k8s workload). */
  appHint: z.string().optional(),
  /**
   * The host is a bare word read from code (`Redis(host="redis")`): a resource only if the repository's service
   * map (src/service-map.ts) names a service so, dropped otherwise.
   */
  serviceHost: z.literal(true).optional(),
});
export type Finding = z.infer<typeof Finding>;

export const Connection = Finding.omit({ appHint: true, serviceHost: true }).extend({
  repo: z.string(),
  app: z.string(),
  file: z.string(),
  scope: Scope,
  scanner: z.string(),
  /** The host is loopback (localhost, 127.0.0.0/8, ::1), or the database is inside the app (SQLite, H2): a finding, but not a shared resource. */
  local: z.boolean(),
  /** Who found it: `static` (rules and ASTs) and/or the names of the model endpoints that agree. */
  sources: z.array(z.string()).min(1),
});
export type Connection = z.infer<typeof Connection>;

export const Severity = z.enum(['high', 'medium', 'low']);
export type Severity = z.infer<typeof Severity>;

/** 0 for the most severe: sort by it ascending for "high first"; a smaller rank is at least as severe. */
export function severityRank(s: Severity): number {
  return Severity.options.indexOf(s);
}
export const Secret = z.object({
  repo: z.string(),
  app: z.string(),
  file: z.string(),
  line: z.number().int().positive(),
  kind: z.string(),
  /** The finding's identity: stable across runs and machines, different per place (docs/secrets.md). */
  fingerprint: z.string(),
  /** The value's identity within one inventory: equal for the same value anywhere (a reused password). Absent in rows stored before schema 4. */
  valueId: z.string().optional(),
  masked: z.string(),
  scope: Scope,
  severity: Severity,
  /** The connection the secret opens, as `kind://host:port/database`. */
  resource: z.string().nullable(),
  /** The raw value: present only when the user asked for it (`--show-secrets`); never stored. */
  value: z.string().optional(),
  /** Found by `scan --history` in a file as an older commit had it (gone from HEAD): that commit and its author date. */
  commit: z.string().optional(),
  commitDate: z.string().optional(),
});
export type Secret = z.infer<typeof Secret>;

export const SkipReason = z.enum([
  'binary', 'too-large', 'unreadable', 'decode-error', 'parse-error', 'symlink-loop', 'symlink', 'template', 'timeout', 'special-file',
]);
export type SkipReason = z.infer<typeof SkipReason>;

export const Skipped = z.object({
  repo: z.string(),
  file: z.string(),
  reason: SkipReason,
  detail: z.string().nullable(),
});
export type Skipped = z.infer<typeof Skipped>;

export const AppOwner = z.object({
  owner: z.string(),
  email: z.string().nullable(),
  /** `codeowners`, `maven`, `package.json`, `git-log` or `gitlab`. */
  source: z.string(),
});

export const App = z.object({
  name: z.string(),
  /** Directory of the app relative to the repository root; '.' for the root. */
  root: z.string(),
  /** From the inventory, after a batch scan: the Jenkins jobs that build the app, comma-separated. */
  jenkinsJob: z.string().nullable().optional(),
  /** From the inventory, after a batch scan: who owns the app, each with where that was read. */
  owners: z.array(AppOwner).optional(),
  /** The app of the same repository that serves this app's config (a Spring Cloud Config Server's search locations). */
  configServer: z.string().optional(),
});
export type App = z.infer<typeof App>;

export const RepoReport = z.object({
  path: z.string(),
  commit: z.string().nullable(),
  apps: z.array(App),
  /** The project config files that applied to the scan (`.cmdb-scan.yml`, `.cmdbscanignore`, `--config`), as the scan named them. */
  configFiles: z.array(z.string()).optional(),
});
export type RepoReport = z.infer<typeof RepoReport>;

export const ScanStats = z.object({
  filesSeen: z.number().int(),
  /** Total size of the listed files; bytesRead is less, as files no scanner reads are only sniffed. */
  bytesSeen: z.number().int(),
  filesScanned: z.number().int(),
  /** Bytes of the files handed to a scanner (parsed), as opposed to only searched for tokens. */
  bytesScanned: z.number().int().default(0),
  filesSkippedByKeyword: z.number().int(),
  bytesRead: z.number().int(),
  /** Files an incremental rescan took from the previous scan (same content hash) instead of reading. */
  filesReused: z.number().int().default(0),
});
export type ScanStats = z.infer<typeof ScanStats>;

/** What one model endpoint cost and contributed while scanning one repository. */
export const ModelUsage = z.object({
  repo: z.string(),
  endpoint: z.string(),
  model: z.string(),
  requests: z.number().int(),
  promptTokens: z.number().int(),
  completionTokens: z.number().int(),
  /** Snippets answered from the inventory's cache instead of a request. */
  cacheHits: z.number().int(),
  latencyMs: z.number().int(),
  /** Requests that failed after retries (timeouts, 5xx, invalid replies twice). */
  errors: z.number().int(),
  /** Findings kept: every value occurs verbatim in the snippet. */
  accepted: z.number().int(),
  /** Findings dropped because a value does not occur in the snippet (an invented host, port or name). */
  rejectedUnverified: z.number().int(),
  /** Snippets not sent because the per-endpoint token budget was spent. */
  skippedBudget: z.number().int(),
});
export type ModelUsage = z.infer<typeof ModelUsage>;

/**
 * How a finding was kept out of the report. inline-comment: a `cmdb-scan:allow`/`gitleaks:allow` comment;
 * ignore-file: a `.cmdbscanignore` entry; config-ignore: a `secrets.ignore` entry of a config file; config-path:
 * a config file's `paths` (counts files not read); placeholder-word: a config file's `secrets.placeholders`
 * (counts values taken for placeholders); baseline: `--baseline`; cap: matches of one rule in one file past the
 * cap (`MAX_TOKENS_PER_RULE`), not reported.
 */
export const SuppressionMechanism = z.enum(['inline-comment', 'ignore-file', 'config-ignore', 'config-path', 'placeholder-word', 'baseline', 'cap']);
export type SuppressionMechanism = z.infer<typeof SuppressionMechanism>;

/** What one suppression hid: the mechanism, where it is written (or, for inline comments and caps, the file), and how many. */
export const Suppression = z.object({
  repo: z.string(),
  mechanism: SuppressionMechanism,
  /** `.cmdbscanignore:3`, `.cmdb-scan.yml secrets.ignore[0]`, the baseline's path, or the file (and rule, for a cap). */
  source: z.string(),
  count: z.number().int().positive(),
});
export type Suppression = z.infer<typeof Suppression>;


/** A secret finding an ignore entry or a baseline kept out of the report, and which one. */
export const SuppressedSecret = Secret.omit({ value: true }).extend({
  suppressedBy: z.object({ mechanism: SuppressionMechanism, source: z.string() }),
});
export type SuppressedSecret = z.infer<typeof SuppressedSecret>;

export const Report = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.object({ name: z.literal('cmdb-scan'), version: z.string() }),
  repos: z.array(RepoReport),
  connections: z.array(Connection),
  secrets: z.array(Secret),
  skipped: z.array(Skipped),
  /** Findings kept out of the report, counted by mechanism and source (schema 6). */
  suppressions: z.array(Suppression),
  /** The secret findings among them that have an identity (hidden by an ignore entry or a baseline), each with what hid it (schema 6). */
  suppressedSecrets: z.array(SuppressedSecret),
  /** Present when the model stage ran: one entry per repository and endpoint. */
  models: z.array(ModelUsage).optional(),
});
export type Report = z.infer<typeof Report>;

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
