/**
 * SnippetCandidates: what the model stage may read from one file. Lines that hint at a
 * connection (a product name, a URL, an IP address, a quoted host name, a host/port
 * key with a value) are collected; by default only hints the static scanners did not
 * already explain are kept; the code or config block around them becomes a snippet
 * (src/llm/snippets.ts). Secret values are masked here, where the raw values are still
 * known, so that no password reaches a model unless the user allows it.
 */
import { maskConnectionString } from '../connection-string.js';
import type { Finding } from '../model.js';
import { isPlaceholderSecret, type SecretCandidate } from '../secrets/detect.js';
import { escapeRegExp } from '../text.js';
import { snippetRanges } from './snippets.js';

export interface SnippetCandidate {
  file: string;
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
  /** The lines, with secret values replaced by `****` unless sending secrets was allowed. */
  text: string;
}

export interface CandidateOptions {
  /** Also send snippets whose every hint the static scanners explained (`--llm-all`). */
  all?: boolean;
  /** Leave secret values in the text (`--llm-send-secrets`). */
  sendSecrets?: boolean;
}

/** Source files the static scanners cannot read but a model can (an in-house Kotlin or C# client). */
export const MODEL_ONLY_SOURCE = /\.(kt|kts|scala|groovy|cs|php|rb|rs|swift|c|cc|cpp|h|hpp|lua|pl|sh|bash|ps1|sql|conf|cfg|cnf|hocon|tf|tfvars)$/i;

const PRODUCT = /mysql|mariadb|postgres|oracle|sqlserver|mssql|redis|elasticsearch|mongo|kafka|rocketmq|rabbitmq|amqp|emqx?\b|mqtt|nacos|zookeeper|consul|clickhouse|doris|starrocks|hbase|influx|neo4j|cassandra|memcache|minio|jdbc|datasource|\bdsn\b|broker|bootstrap.?servers/i;
const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>)]+/gi;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/;
/** A quoted dotted name that is not a file name or a package path: `"orders-db.internal"`. */
const QUOTED_HOST = /["'`]([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+)(?::\d{2,5})?["'`]/gi;
const FILE_SUFFIX = /\.(ya?ml|json|xml|properties|txt|md|html?|css|js|ts|py|java|go|class|jar|log|csv|png|jpe?g|gif|svg|sql|sh|conf|cfg|ini|toml|env|lock|pem|crt|key|zip|gz|tar)$/i;
// A port alone names no resource (and is usually the app's own listener), so `port` needs another hint.
const ENDPOINT_KEY = /\b\w*(host|hostname|addr|address|endpoint|server|servers|url|uri|dsn|db|database)\w*["']?\s*[:=(,]\s*["'\d]/i;
/** Imports name the client library, not where it connects. */
const IMPORT = /^\s*(import\b|from\s+[\w.]+\s+import\b|using\s+[\w.]+;|#include\b|package\s+[\w.]+;?\s*$|require\s*\(|const\s+\w+\s*=\s*require\s*\()/;
/** Build manifests list client libraries as dependencies; their coordinates are not connections. */
const BUILD_MANIFEST = /(^|\/)(pom\.xml|build\.gradle(\.kts)?|settings\.gradle(\.kts)?|package(-lock)?\.json|go\.(mod|sum)|requirements[^/]*\.txt|Pipfile(\.lock)?|pyproject\.toml|poetry\.lock|Cargo\.(toml|lock)|[^/]+\.csproj|composer\.(json|lock)|Gemfile(\.lock)?)$/;
const DOC_HOSTS = /(^|\.)(w3\.org|apache\.org|github\.com|githubusercontent\.com|springframework\.org|python\.org|golang\.org|mozilla\.org|oracle\.com|microsoft\.com|json-schema\.org|example\.(com|org|net)|schemas?\.[a-z.]+)$/i;
const COMMENT = /^\s*(#|\/\/|\*|\/\*|<!--|--\s|;)/;
/** Secret-named keys with a value: `password: x`, `"apiKey": "x"`, `setPassword("x")`, `PASSWORD=x`. */
const SECRET_ASSIGNMENT = /((?:pass(?:word|wd)?|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credentials?)\w*["']?\s*(?:[:=]|\(|,)\s*["'`]?)([^"'`\s,;)}]+)/gi;

function hostOfUrl(url: string): string {
  const m = /:\/\/(?:[^@/]*@)?([^/:?#]+)/.exec(url);
  return m?.[1] ?? '';
}

/** Does this line suggest a connection a reader should look at? */
export function isHintLine(line: string): boolean {
  if (line.length > 2000 || COMMENT.test(line) || IMPORT.test(line)) return false;
  if (PRODUCT.test(line) || IPV4.test(line) || ENDPOINT_KEY.test(line)) return true;
  for (const m of line.matchAll(URL_IN_TEXT)) if (!DOC_HOSTS.test(hostOfUrl(m[0]))) return true;
  for (const m of line.matchAll(QUOTED_HOST)) if (!FILE_SUFFIX.test(m[1]!) && /[a-z]/i.test(m[1]!.split('.').pop()!)) return true;
  return false;
}

/**
 * A hint is explained when a static finding with a known host and a written value sits
 * within a few lines (a datasource group spans url, user and password lines), or when the
 * line holds a secret the detector already reported.
 */
function explained(line: number, complete: number[], secretLines: Set<number>): boolean {
  return secretLines.has(line) || complete.some((l) => Math.abs(l - line) <= 4);
}

/** Replaces secret values in one snippet: known values, secret-named assignments, URL passwords. */
export function maskSnippet(text: string, firstLine: number, secrets: readonly SecretCandidate[]): string {
  const lines = text.split('\n');
  return lines.map((raw, i) => {
    let line = raw;
    const lineNo = firstLine + i;
    for (const s of secrets) {
      // Short values are replaced only on their own line, so a password "3306" does not hide a port elsewhere.
      if (s.value.length >= 8 || s.line === lineNo) line = line.replace(new RegExp(escapeRegExp(s.value), 'g'), '****');
    }
    line = line.replace(URL_IN_TEXT, (url) => maskConnectionString(url));
    return line.replace(SECRET_ASSIGNMENT, (whole, key: string, value: string) => (isPlaceholderSecret(value) || value === '****' ? whole : `${key}****`));
  }).join('\n');
}

export function modelCandidates(
  path: string, text: string, findings: readonly Finding[], secrets: readonly SecretCandidate[], opts: CandidateOptions = {},
): SnippetCandidate[] {
  if (BUILD_MANIFEST.test(path)) return [];
  const lines = text.split('\n');
  const complete = findings.filter((f) => f.host !== null && f.valueSource !== 'placeholder').map((f) => f.line);
  const secretLines = new Set(secrets.map((s) => s.line));
  const hits: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (isHintLine(lines[i]!) && (opts.all || !explained(i + 1, complete, secretLines))) hits.push(i + 1);
  }
  if (hits.length === 0) return [];
  let ranges;
  try {
    ranges = snippetRanges(path, text, hits);
  } catch {
    ranges = snippetRanges(`${path}.txt`, text, hits); // a parser failure falls back to paragraphs
  }
  return ranges.map((r) => {
    const body = lines.slice(r.startLine - 1, r.endLine).join('\n');
    return { file: path, startLine: r.startLine, endLine: r.endLine, text: opts.sendSecrets ? body : maskSnippet(body, r.startLine, secrets) };
  });
}
