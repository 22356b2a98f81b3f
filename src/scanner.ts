/**
 * The contract between the engine and a scanner. A scanner is one file in `scanners/`
 * exporting a descriptor: which files it reads, whether it needs them even without a
 * keyword hit, and a pure `scan` from file text to findings. The engine knows nothing
 * about any format; a scanner knows nothing about walking, apps or the inventory.
 * Scanners lower their format to `Setting`s for the interpreter; the few that read a resource
 * directly build its findings with `resourceFindings` below.
 */
import { hostVerdict } from './hosts.js';
import { maskConnectionString, type ParsedConnection } from './connection-string.js';
import { resourceName, type Finding, type Kind, type Scope } from './result-model.js';
import { credentialKind, isPlaceholderSecret, isTemplateCredential, type SecretCandidate } from './secrets/detect.js';
import { resolveValue } from './values.js';

/**
 * What every format lowers to: one key path, its value as written, and the line. The interpreter
 * (src/settings.ts) reads nothing else, so Spring, env-style and Helm knowledge is written once.
 */
export interface Setting {
  path: string[];
  value: string;
  line: number;
  /** A code constant that other values use: its secret is reported here, its connection where a known client uses it (here when none does). */
  definition?: boolean;
  /** The value was assembled from constants defined elsewhere: the connection is reported here, not the secret. */
  derived?: boolean;
  /**
   * The value is an address by a client's own contract (the connection argument of a catalog call, a .NET Aspire
   * resource name): in code, a bare word there is a host, as a compose service name is.
   */
  address?: boolean;
  /**
   * A list written one item per line (a YAML sequence of cluster nodes), joined into `value` with commas: the line of
   * each item, so that each address is reported where it is written.
   */
  itemLines?: number[];
}

export interface SourceFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  text: string;
  /** Values defined by the base config of the file's app (`jdbc.url` from jdbc.properties), for `${key}` references. */
  definitions?: ReadonlyMap<string, string>;
}

export interface ScanOutput {
  findings: Finding[];
  /** The application name the file declares (`spring.application.name`). */
  appName?: string;
  /** When several files of an app declare a name, the lowest priority wins (default 10). */
  appNamePriority?: number;
  /** The file could not be read as its format; the engine records it as skipped with this detail. */
  error?: { reason: 'parse-error' | 'template'; detail: string };
  /** Scope the content reveals (a Kubernetes manifest is `deploy` wherever it lives). */
  scope?: Scope;
  /** Credentials whose values the file holds (connection passwords, secret-named keys); raw values, in-process only. */
  secrets?: SecretCandidate[];
  /**
   * The file holds `${key}` lookups that another file of its app may define (a dev-server proxy's `env.VITE_API_URL`)
   * though it reported nothing yet: keep it for the second pass. Files with a placeholder finding are kept anyway.
   */
  lookups?: true;
  /** Keys this file defines for the whole app (base profile only), offered to other files' `${key}` references. */
  definitions?: Record<string, string>;
  /** Resources this file runs under a name others reach them by (a compose service of a product's image). */
  services?: ServiceDefinition[];
  /**
   * Lines that are documentation by the language's own rule (Python docstrings, doctests included): a key-name or URL
   * credential there is an example, not a value the app holds; a provider's token format still counts.
   */
  documentation?: Array<{ from: number; to: number }>;
}

/**
 * A service the repository runs itself, and the names it answers to on its network: a resource (a product's image,
 * `kind` set) or another of the stack's services (its own apps, images of no known product: `kind` null).
 */
export interface ServiceDefinition {
  names: string[];
  kind: Kind | null;
  port: number | null;
}

export interface Scanner {
  id: string;
  description: string;
  /** Globs over the repo-relative path; a pattern without `/` matches the file name anywhere. */
  files: string[];
  excludeFiles?: string[];
  /**
   * A stricter pre-filter for expensive scanners (AST parsing): the file is parsed only if this
   * also matches. Source code mentions `url` or `host` everywhere; a parser is worth running
   * only where a driver, client or connection string appears.
   */
  keywords?: RegExp;
  /**
   * For source code, also: something a rule could use must be written in the file (src/code/gate.ts) — a URL,
   * `host:port`, an address- or secret-named literal, a client or its module. A file must match both.
   */
  gate?: RegExp;
  /** Read the file even when no keyword matches (the file names resources by itself: image names, base64 data). */
  alwaysScan?: boolean;
  /** Scope of every file this scanner reads, when the format itself says it (deploy manifests). */
  scope?: Scope;
  /**
   * Reads program source. In test code a value under a secret-named key is test input (`password: 'password123'`
   * for a user model), so there only connection passwords and known token formats are secrets.
   */
  sourceCode?: true;
  scan(file: SourceFile): ScanOutput;
}

export function defineScanner(scanner: Scanner): Scanner {
  return scanner;
}

/** A password as written (a literal or a `${…}` lookup) and the line it is on. */
export interface WrittenPassword {
  value: string;
  line: number;
}

/** One resource a scanner read without the interpreter: its kind, addresses and the parts it knows. */
export interface ResourceSite {
  kind: Kind;
  endpoints: ReadonlyArray<{ host: string | null; port: number | null }>;
  database: string | null;
  username: string | null;
  /** Passwords that open it, where they are written; `${X}` lookups count as configured, not written. */
  passwords: readonly WrittenPassword[];
  /** The connection string as written (masked here), if it came from one. */
  url: string | null;
  line: number;
  profile: string | null;
  valueSource: Finding['valueSource'];
  confidence: number;
  /** Resolves `${key}` in a password from the app's other files. */
  definitions?: ReadonlyMap<string, string>;
}

/**
 * Findings for a resource a scanner read directly (a compose service, a Maven mirror, a connection
 * string in a script), one per endpoint, with the password state and the written passwords as secrets
 * linked to the resource: the same shape the interpreter produces, built in one place.
 */
export function resourceFindings(site: ResourceSite): { findings: Finding[]; secrets: SecretCandidate[] } {
  const resolved = site.passwords.map((p) => ({ ...p, r: resolveValue(p.value, (k) => site.definitions?.get(k)) }));
  const hasPassword = resolved.some(({ r }) => r.source === 'placeholder' || !!r.text);
  const passwordHardcoded = resolved.some(({ r }) => r.source !== 'placeholder' && !!r.text);
  // RFC 2606's names and schema hosts (`ftp://example.com/stream` in a test's table of unsafe URLs) are named, never
  // connected to: the interpreter's host verdict, applied to what scanners read without it.
  const named = site.endpoints.filter((e) => e.host === null || hostVerdict(e.host) !== 'non-resource');
  if (site.endpoints.length > 0 && named.length === 0) return { findings: [], secrets: [] };
  const endpoints = named.length > 0 ? named : [{ host: null, port: null }];
  const findings: Finding[] = endpoints.map((e) => ({
    kind: site.kind, host: e.host, port: e.port, database: site.database, username: site.username, hasPassword, passwordHardcoded,
    url: site.url === null ? null : maskConnectionString(site.url), line: site.line, profile: site.profile,
    valueSource: site.valueSource, confidence: site.confidence,
  }));
  const resource = resourceName(findings[findings.length - 1]!);
  // A password that only names another key (`${MYSQL_ROOT_PASSWORD}` from .env) is reported where that value is written.
  const secrets: SecretCandidate[] = resolved
    .filter(({ r, value }) => r.source !== 'placeholder' && !!r.text && !isPlaceholderSecret(r.text) && resolveValue(value).source !== 'placeholder'
      && !isTemplateCredential(site.username, r.text))
    .map(({ r, line }) => ({ line, kind: credentialKind('password', r.text!, [site.username]), value: r.text!, resource }));
  return { findings, secrets };
}

/** `resourceFindings` for a connection string the connection-string parser read. */
export function connectionStringFindings(
  raw: string, parsed: ParsedConnection & { kind: Kind },
  at: Omit<ResourceSite, 'kind' | 'endpoints' | 'database' | 'username' | 'passwords' | 'url'>,
): { findings: Finding[]; secrets: SecretCandidate[] } {
  return resourceFindings({
    ...at, kind: parsed.kind, endpoints: parsed.endpoints, database: parsed.database, username: parsed.username, url: raw,
    passwords: parsed.password === null ? [] : [{ value: parsed.password, line: at.line }],
  });
}

/**
 * Properties passed on a command line inside a value: Spring Boot arguments (`--spring.datasource.url=…`)
 * and JVM system properties (`-Dspring.redis.host=…`), as compose `PARAMS`/`command`, `JAVA_OPTS` and
 * Kubernetes `args` write them. Each becomes a setting of its own, split on dots as Spring reads it, on the
 * line where it is written (`lines` is the file's text, searched from `line` on for folded scalars).
 */
export function commandLineSettings(value: string, line: number, lines?: readonly string[]): Setting[] {
  const out: Setting[] = [];
  // `--spring.redis.host=…`, `-Dkafka.bootstrap=…`, and a program's own dashed flags (`--redis-addr=redis:6379`,
  // `--redis-password=…`); Redis's `--requirepass <pw>` and `--masterauth <pw>` take the value after a space.
  const flags = /(?:^|\s)(--|-D)([A-Za-z][\w-]*(?:\.[\w-]+)+|[A-Za-z]+(?:-[A-Za-z]+)+)=("[^"]*"|'[^']*'|\S+)|(?:^|\s)(--)(requirepass|masterauth)\s+("[^"]*"|'[^']*'|[^\s-]\S*)/g;
  for (const m of value.matchAll(flags)) {
    const dash = m[1] ?? m[4]!;
    const key = m[2] ?? `redis.${m[5]!}`;
    const raw = m[3] ?? m[6]!;
    let at = line;
    if (lines) {
      const needle = m[2] !== undefined ? `${dash}${key}=` : `${dash}${m[5]!}`;
      for (let i = line - 1; i < lines.length && i < line + 200; i++) {
        if (lines[i]!.includes(needle)) {
          at = i + 1;
          break;
        }
      }
    }
    out.push({ path: key.split('.'), value: raw.replace(/^(["'])(.*)\1$/, '$2'), line: at });
  }
  return out;
}
