/**
 * The report's schema: every public shape (the JSON report, the rows written to the inventory, what a model must
 * reply) as a zod object, and the TypeScript types inferred from it, so that the three cannot drift apart.
 * src/result-model.ts re-exports the types and holds the value lists; this module is loaded only where a shape is
 * checked or printed (`cmdb-scan schema`, model replies, tests): zod costs about a tenth of a second to load, more
 * than a pre-commit hook's whole budget for it.
 */
import { z } from 'zod';
import { KNOWN_KINDS, REPORT_SCHEMA_VERSION, SCOPES, SEVERITIES, SKIP_REASONS, SUPPRESSION_MECHANISMS, VALUE_SOURCES } from './report-values.js';

export const KnownKind = z.enum(KNOWN_KINDS);
export type KnownKind = z.infer<typeof KnownKind>;

/**
 * A known kind, or `x-<name>`: a product a project's config file declares (an in-house message queue or config
 * centre, `.cmdb-scan.yml` `connections.kinds`), so that it is reported as itself rather than missed.
 */
export const Kind = z.union([KnownKind, z.templateLiteral(['x-', z.string().regex(/^[a-z0-9][a-z0-9-]*$/)])]);
export type Kind = z.infer<typeof Kind>;

export const Scope = z.enum(SCOPES);
export type Scope = z.infer<typeof Scope>;

export const ValueSource = z.enum(VALUE_SOURCES);
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

export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

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

export const SkipReason = z.enum(SKIP_REASONS);
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

export const SuppressionMechanism = z.enum(SUPPRESSION_MECHANISMS);
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

