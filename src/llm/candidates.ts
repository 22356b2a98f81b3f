/**
 * SnippetCandidates: what the model stage may read from one file. Lines that write an
 * address (a URL, an IP address, a dotted host name, `name:port`; in code only inside
 * string literals) are collected; by default only those the static scanners did not
 * already explain are kept; the code or config block around them becomes a snippet
 * (src/llm/snippets.ts). Secret values are masked here, where the raw values are still
 * known, so that no password reaches a model unless the user allows it.
 */
import { maskConnectionString } from '../connection-string.js';
import type { Finding } from '../result-model.js';
import { isPlaceholderSecret, type SecretCandidate } from '../secrets/detect.js';
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

const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'`<>)]+/gi;
const IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])/g;
/** Top-level and internal suffixes real hosts end with; `os.path` or `com.mysql.cj.jdbc.Driver` do not. */
const HOST_SUFFIX = 'com|net|org|io|cn|hk|tw|jp|kr|sg|de|fr|uk|ru|in|us|eu|cloud|tech|xyz|top|cc|me|co|ai|dev|app|internal|local|lan|corp|intra|intranet|svc|cluster|private|prod|infra';
/** A dotted host name, quoted in code or the whole value of a config key: `"orders-db.internal"`, `host: db.acme.cn:3306`. */
const QUOTED_HOST = new RegExp(String.raw`["'\x60]([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:${HOST_SUFFIX}))(?::\d{2,5})?["'\x60]`, 'gi');
const VALUE_HOST = new RegExp(String.raw`[:=]\s*([a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:${HOST_SUFFIX}))(?::\d{2,5})?\s*[,;]?\s*$`, 'i');
/** `"kafka-1:9092"`, `brokers: mq-a:9876;mq-b:9876`: a name with a port is an address even without dots. */
const HOST_PORT = /(["'`]|[:=,;]\s*)[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)*:\d{2,5}(?=["'`,;\s]|$)/i;
const DOC_HOSTS = /(^|\.)(w3\.org|apache\.org|github\.com|githubusercontent\.com|springframework\.org|python\.org|golang\.org|mozilla\.org|oracle\.com|microsoft\.com|json-schema\.org|example\.(com|org|net)|schemas?\.[a-z.]+|localhost|ietf\.org|wikipedia\.org|readthedocs\.io|pypi\.org|npmjs\.(com|org)|stackoverflow\.com|google\.com|googleapis\.com)$/i;
const COMMENT = /^\s*(#|\/\/|\*|\/\*|<!--|--\s|;)/;
/** Build manifests list client libraries as dependencies; their coordinates are not connections. */
const BUILD_MANIFEST = /(^|\/)(pom\.xml|build\.gradle(\.kts)?|settings\.gradle(\.kts)?|package(-lock)?\.json|go\.(mod|sum)|requirements[^/]*\.txt|Pipfile(\.lock)?|pyproject\.toml|poetry\.lock|Cargo\.(toml|lock)|[^/]+\.csproj|composer\.(json|lock)|Gemfile(\.lock)?)$/;

function hostOfUrl(url: string): string {
  const m = /:\/\/(?:[^@/]*@)?([^/:?#]+)/.exec(url);
  return m?.[1] ?? '';
}

/** Loopback, unspecified, broadcast and the RFC 5737 documentation ranges are not anyone's server. */
function isAddressLiteral(ip: string): boolean {
  const parts = ip.split('.').map(Number);
  if (parts.some((p) => p > 255)) return false;
  if (/^(192\.0\.2|198\.51\.100|203\.0\.113)\./.test(ip)) return false;
  return !(parts[0] === 127 || parts[0] === 0 || parts[0] === 255);
}

/** A URL to a document (a page, a spec, a source file) is a reference for readers, not a service. */
const DOCUMENT_URL = /\.(html?|txt|pdf|md|rst|xsd|dtd|c|h|py|js|java|png|svg|gif)([?#].*)?$|#/i;

/** Source code, where an address is a value only inside a string literal (elsewhere it is a comment or a docstring). */
export const CODE_FILE = /\.(py|java|go|[cm]?[jt]sx?|kt|kts|scala|groovy|cs|php|rb|rs|swift|c|cc|cpp|h|hpp|lua|pl)$/i;
const STRING_LITERAL = /(["'`])((?:\\.|(?!\1)[^\\])*)\1/g;

/**
 * Does this line write an address a model could report? A model finding is kept only if
 * its host occurs verbatim in the snippet, so a snippet without a host literal can never
 * add a verified connection: only lines with a URL, an IP address or a host name count.
 */
export function isHintLine(line: string, code = false): boolean {
  if (line.length > 2000 || COMMENT.test(line)) return false;
  // In code only string literals count, each tested as if quoted on its own.
  const parts = code ? [...line.matchAll(STRING_LITERAL)].map((m) => `"${m[2]}"`) : [line];
  for (const part of parts) {
    for (const m of part.matchAll(URL_IN_TEXT)) {
      const host = hostOfUrl(m[0]);
      if (host && !DOC_HOSTS.test(host) && !DOCUMENT_URL.test(m[0]) && !/^127\.|^0\.0\.0\.0$/.test(host) && !/[{$%<]/.test(host)) return true;
    }
    for (const m of part.matchAll(IPV4)) if (isAddressLiteral(m[0]) && !part.slice(m.index! + m[0].length).startsWith('/')) return true;
    for (const m of part.matchAll(QUOTED_HOST)) if (!DOC_HOSTS.test(m[1]!)) return true;
    const v = code ? null : VALUE_HOST.exec(part);
    if (v && !DOC_HOSTS.test(v[1]!)) return true;
    if (HOST_PORT.test(part) && !/\b\d{1,2}:\d{2}(:\d{2})?\b/.test(part)) return true;
  }
  return false;
}

/**
 * Where credentials sit in text a model may read, as data: each pattern's first group is the
 * span to mask. Known secret values are masked too (src/secrets finds them), but these catch
 * what only a human would recognise in files no scanner parses: shell commands, DSNs, headers.
 */
const SECRET_SPANS: ReadonlyArray<{ id: string; pattern: RegExp }> = [
  // `password: a passphrase with spaces`, `"apiKey": "x"`, `setPassword("x")`, `PASSWORD=x`: a quoted value to its
  // closing quote, an unquoted one to the end of the line (a passphrase may hold spaces).
  { id: 'secret-assignment', pattern: /(?:pass(?:word|wd|phrase)?|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credentials?)\w*["']?[ \t]*(?:[:=]|\(|,)[ \t]*(?:"([^"\n]*)"|'([^'\n]*)'|`([^`\n]*)`|(?![\w.]+\s*\()([^\s"'`(][^\n]*?))[ \t]*(?:[,;)]?[ \t]*$|[,;)])/gim },
  // `--password s3cret`, `--pass=s3cret`
  { id: 'password-flag', pattern: /--pass(?:word)?(?:=|[ \t]+)["']?([^\s"']+)/gi },
  // `mysql -uroot -p123456`, `mysqladmin ping -pS3cret`
  { id: 'mysql-client-password', pattern: /\b(?:mysql\w*|mariadb\w*)\b[^\n]*?[ \t]-p([^\s"']+)/g },
  // `curl -u user:pw`, `--user user:pw`
  { id: 'curl-user', pattern: /(?:[ \t]-u|--user)[ \t]+["']?[^:\s"']+:([^\s"']+)/g },
  // Go DSN `user:pw@tcp(host:3306)/db`
  { id: 'go-dsn', pattern: /[\w.-]+:([^@\s"'`/]+)@(?:tcp|unix|udp)\(/g },
  // Oracle `jdbc:oracle:thin:user/pw@host:1521:SID`, `sqlplus user/pw@db`
  { id: 'oracle-userpass', pattern: /(?:thin:|sqlplus[ \t]+|conn(?:ect)?[ \t]+)[\w.$-]+\/([^@\s"'`]+)@/gi },
  // `Authorization: Bearer …`, `Basic …`, `token …`
  { id: 'auth-header', pattern: /\b(?:Bearer|Basic|Token)[ \t]+([A-Za-z0-9._~+/=-]{8,})/g },
  // URL userinfo `scheme://user:pw@host`
  { id: 'url-password', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"'`<>]+:([^@\s/"'`<>]+)@/gi },
  // PEM private keys, with or without their END line (a snippet may cut the block)
  { id: 'private-key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY(?: BLOCK)?-----((?:(?!-----END)[\s\S]){0,16384})/g },
];

/** Spans [start, end) of the text to mask. */
function secretSpans(text: string, secrets: readonly SecretCandidate[]): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  for (const s of secrets) {
    if (s.value.length === 0) continue;
    // Short values are masked only on their own line, so a password "3306" does not hide a port elsewhere.
    const from = s.value.length >= 8 ? 0 : lineStarts[s.line - 1] ?? 0;
    const to = s.value.length >= 8 ? text.length : lineStarts[s.line] ?? text.length;
    for (let i = text.indexOf(s.value, from); i >= 0 && i < to; i = text.indexOf(s.value, i + s.value.length)) spans.push([i, i + s.value.length]);
  }
  for (const { pattern } of SECRET_SPANS) {
    pattern.lastIndex = 0;
    for (const m of text.matchAll(pattern)) {
      const g = m.findIndex((x, i) => i > 0 && x !== undefined);
      if (g < 0) continue;
      const value = m[g]!;
      if (value === '' || isPlaceholderSecret(value.trim())) continue;
      const start = m.index! + m[0].indexOf(value);
      spans.push([start, start + value.length]);
    }
  }
  return spans;
}

/**
 * The text with every known or recognisable secret replaced by `****`, newlines kept so that
 * line numbers do not move (a masked PEM body keeps one `****` per line). Works on the whole
 * text, not line by line, so a value that spans lines is masked wherever a snippet cuts it.
 */
export function maskSecrets(text: string, secrets: readonly SecretCandidate[]): string {
  const spans = secretSpans(text, secrets).sort((a, b) => a[0] - b[0]);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of spans) {
    if (end <= at) continue;
    const from = Math.max(start, at);
    out += text.slice(at, from) + text.slice(from, end).split('\n').map((part) => (part.trim() === '' ? part : '****')).join('\n');
    at = end;
  }
  return out + text.slice(at);
}

/**
 * A hint is explained when a static finding with a known host and a written value sits
 * within a few lines (a datasource group spans url, user and password lines), or when the
 * line holds a secret the detector already reported.
 */
function explained(line: number, complete: number[], secretLines: Set<number>): boolean {
  return secretLines.has(line) || complete.some((l) => Math.abs(l - line) <= 4);
}

export function modelCandidates(
  path: string, text: string, findings: readonly Finding[], secrets: readonly SecretCandidate[], opts: CandidateOptions = {},
): SnippetCandidate[] {
  if (BUILD_MANIFEST.test(path)) return [];
  const lines = text.split('\n');
  const code = CODE_FILE.test(path);
  const complete = findings.filter((f) => f.host !== null && f.valueSource !== 'placeholder').map((f) => f.line);
  const secretLines = new Set(secrets.map((s) => s.line));
  const hits: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (isHintLine(lines[i]!, code) && (opts.all || !explained(i + 1, complete, secretLines))) hits.push(i + 1);
  }
  if (hits.length === 0) return [];
  let ranges;
  try {
    ranges = snippetRanges(path, text, hits);
  } catch {
    ranges = snippetRanges(`${path}.txt`, text, hits); // a parser failure falls back to paragraphs
  }
  // The connection parser's own masking (query-string passwords, ADO.NET keys) over what the spans left.
  const shown = opts.sendSecrets ? lines : maskSecrets(text, secrets).split('\n').map((l) => l.replace(URL_IN_TEXT, (url) => maskConnectionString(url)));
  return ranges.map((r) => ({ file: path, startLine: r.startLine, endLine: r.endLine, text: shown.slice(r.startLine - 1, r.endLine).join('\n') }));
}
