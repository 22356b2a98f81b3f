/**
 * SecretDetector: credentials in file text (known token formats, over every file read)
 * and helpers shared with the structured path (password and secret keys found by the
 * config scanners). Raw values exist only inside the process; what leaves it is a
 * masked preview and a keyed fingerprint.
 */
import { createHash, createHmac, scrypt, scryptSync } from 'node:crypto';
import type { Scope } from '../result-model.js';
import { lineLocator, literalAlternation } from '../text.js';
import { jwtExpired, KEY_FILE_RULES, TOKEN_RULES, type ProjectTokenRule, type TokenRule } from './rules.js';

export { shannonEntropy } from './rules.js';

export interface SecretCandidate {
  line: number;
  /** Rule id (`github-token`) or `password` / `generic-secret` for values of secret-named keys. */
  kind: string;
  /** The raw value. Never serialised unless the user asked for it (`--show-secrets`); '' in a stored result. */
  value: string;
  /** The finding's stable identity (`fingerprintSecret`); set with `valueId` before a per-file result is stored without its value. */
  fingerprint?: string;
  /** The value's identity within one inventory (`valueIdentity`). */
  valueId?: string;
  /** A token that says it has expired (a JWT's `exp`): reported, at low severity. */
  expired?: true;
  masked?: string;
  /** The connection the secret belongs to, as `kind://host:port/database`, when known. */
  resource: string | null;
  /** The app a deploy file says uses the secret (a compose service, a k8s workload). */
  appHint?: string;
}

/** Values people write where a secret will go later, and values that only look up one. */
const PLACEHOLDER_VALUES = new Set([
  'changeme', 'change_me', 'change-me', 'changeit', 'changethis', 'change_this', 'change-this', 'token', 'apikey', 'api_key',
  'yourpassword', 'your_password', 'your-password', 'mypassword', 'my-password', 'example', 'sample', 'dummy',
  'placeholder', 'todo', 'tbd', 'none', 'null', 'nil', 'undefined', 'xxx', 'xxxx', 'xxxxxx', 'redacted',
  'masked', 'hidden', 'notset', 'not-set', 'replace-me', 'replaceme', 'fill-me', 'insert-here', 'your-secret',
  'your_secret', 'yoursecret', 'your-token', 'your_token', 'your-api-key', 'your_api_key', 'secretkey', 'secret-key',
  'true', 'false', 'foo', 'bar', 'foobar',
]);

/**
 * Common weak passwords: what a stack really runs with when nobody changed the default (LABELLING.md, settled
 * calls). Compared after undoing the usual letter-for-symbol swaps (`P@ssw0rd`) and without a tail of digits and
 * symbols (`admin123`, `Pass@word1`, `Pass123$`).
 */
const WEAK_WORDS = new Set([
  'password', 'passwd', 'pass', 'pwd', 'secret', 'test', 'testing', 'tester', 'root', 'admin', 'administrator', 'guest',
  'user', 'demo', 'default', 'qwerty', 'letmein', 'welcome', 'master', 'abc', 'abcd', 'abcde', 'abcdef', 'sa', 'dev',
  'local', 'supersecret', 'topsecret', 'passw', 'passwort', 'mima', 'empty',
  // Products' documented out-of-the-box credentials: MinIO's root user and password.
  'minioadmin',
]);

/**
 * One of the common weak values, written whole (`test`, `secret`, `123456`): what a stack runs with when a key or
 * token was configured and never changed. Narrower than `isWeakSecret`, which judges a value already known to be a
 * password: this one decides whether a short value under an API key or token name is a credential at all.
 */
export function isCommonWeakValue(value: string): boolean {
  const v = value.trim();
  return WEAK_WORDS.has(v.toLowerCase()) || /^(\d)\1{3,7}$|^12345\d{0,3}$/.test(v);
}

let projectPlaceholders: ReadonlySet<string> = new Set();
/** Values that only the project's words made placeholders, while a file is read; counted in the report. */
let projectPlaceholderHits: Set<string> | null = null;

/**
 * Runs `fn` with a project's own placeholder words (`.cmdb-scan.yml` `secrets.placeholders`, lower case) counted as
 * placeholders, so that a value the project writes where a secret will go later is neither a secret nor a
 * hard-coded password. File processing is synchronous: the words hold for exactly the file being read. Each value
 * the words (and not the built-in rules) made a placeholder is added to `hits`: a repository that lists its real
 * passwords as placeholder words is seen doing so.
 */
export function withProjectPlaceholders<T>(words: ReadonlySet<string>, fn: () => T, hits?: Set<string>): T {
  if (words.size === 0 && projectPlaceholders.size === 0) return fn();
  const previous = projectPlaceholders;
  const previousHits = projectPlaceholderHits;
  projectPlaceholders = words;
  projectPlaceholderHits = hits ?? null;
  try {
    return fn();
  } finally {
    projectPlaceholders = previous;
    projectPlaceholderHits = previousHits;
  }
}

export function isPlaceholderSecret(value: string): boolean {
  if (isBuiltInPlaceholder(value)) return true;
  if (projectPlaceholders.size === 0) return false;
  const v = value.trim();
  if (!projectPlaceholders.has(v.toLowerCase())) return false;
  projectPlaceholderHits?.add(v);
  return true;
}

/**
 * A name in capitals where a value goes, naming the credential it stands for: `SECRET` under every key of an
 * appsettings template, `RANDOM_DATABASE_PASSWORD` for a generator to fill in, `DB_PASSWORD` as an env variable's name.
 * Lower-case `secret` or `password` is a weak default a stack runs with (LABELLING.md); the capitals are a marker.
 */
export function isCredentialMarker(value: string): boolean {
  const v = value.trim();
  return /^[A-Z]+(?:_[A-Z]+)*$/.test(v) && v.split('_').some((w) => CREDENTIAL_NOUNS.has(w));
}

const CREDENTIAL_NOUNS = new Set(['SECRET', 'SECRETS', 'PASSWORD', 'PASSWD', 'PWD', 'TOKEN', 'KEY', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'CONNECTIONSTRING']);

function isBuiltInPlaceholder(value: string): boolean {
  const v = value.trim();
  if (isCredentialMarker(v)) return true;
  // Nothing, or one character (`secret_access_key: "s"` in a test double): a marker, no one's credential.
  if (v.length <= 1) return true;
  // No letter or digit at all (`??`, `***`, `--`, `!!!`): a marker where the value will go, not a value.
  if (/^[^\p{L}\p{N}]+$/u.test(v)) return true;
  // An instruction to change it, however decorated: `!!changeme!!`, `CHANGE_ME_IN_PRODUCTION`, `please-change-this`.
  if (/^[^A-Za-z0-9]*(please[-_ .]?)?change[-_ .]?(me|it|this)([^A-Za-z0-9].*)?$/i.test(v)) return true;
  if (/^\$\{[^}]*\}$|^\$\([^)]*\)$|^\$[A-Za-z_][A-Za-z0-9_]*$|^\{\{.*\}\}$|^<%.*%>$|^%\([^)]*\)s$|^@[\w.-]+@$/.test(v)) return true;
  if (/^<[^>]*>$|^\[[^\]]*\]$|^x+$/i.test(v)) return true;
  if (/^x{3,}[-_ .]/i.test(v)) return true; // `xxx_secret_key`, `XXXX-token`: a marker with a name after it
  // A provider's key prefix before a marker word (`sk_nothing`, `pk-dummy`, `sk_placeholder`): a fallback that keeps
  // a client constructible where no key is set, not a key.
  if (/^[a-z]{1,6}[-_](nothing|none|null|nil|dummy|placeholder|fake|empty|missing|unset|notset|example|sample|x{3,})$/i.test(v)) return true;
  if (/^\{[A-Za-z_]?[\w.]*\}$/.test(v)) return true; // a str.format / f-string field: `{password}`, `{}`
  if (/^(your|enter|insert|replace|put|fill)[-_ ]?(real[-_ ]?)?[a-z_-]*$/i.test(v)) return true;
  // `my_password`, `mysecret`, `my-api-key`; not a word that only starts with the letters (`mysqlpw`, `mypass01` is a value).
  if (/^my([-_ ]|(?=(real|secret|pass|password|pwd|key|token|api|app[-_]?key)[a-z_-]*$))[a-z_-]*$/i.test(v)) return true;
  // Instructions to a human: `Your Session Secret goes here`, `gsk_your_groq_api_key_here`.
  if (/(^|[-_ .])your([-_ .]|$)/i.test(v) || /[-_ ](goes[-_ ])?here$/i.test(v)) return true;
  // A header's or a claim's name, in a header's case (`X-Emby-Token`, `Jellyfin-Token`, `x-api-key`): where a client
  // puts its credential, not the credential.
  if (/^(?:[A-Z][A-Za-z0-9]*-)+(?:Token|Key|Secret|Auth|Authorization|Password|Signature)$|^x-(?:[a-z0-9]+-)*(?:token|key|secret|auth|signature)$/.test(v)) return true;
  if (/^ENC\(.*\)$|^\{cipher\}/.test(v)) return true; // jasypt / Spring Cloud Config ciphertext, not a usable secret
  // A secret manager's reference, resolved when the process starts: 1Password's `op://vault/item/field`, Doppler's and
  // Vault's `vault:secret/data/x#key`, an AWS Secrets Manager ARN.
  if (/^op:\/\/[^\s/]+\/[^\s/]+\/|^vault:[\w/.-]+|^arn:aws[\w-]*:secretsmanager:/.test(v)) return true;
  if (/EXAMPLE|example\.(com|org)/.test(v)) return true;
  // A UI label looked up by its key (vue-i18n's `$t('mailPasswd')`, i18next's `t("login.password")`): a label, as a
  // locale file's `password: 'Password'` is.
  if (/^(\$t|t|i18n\.t|\$i18n\.t)\(\s*['"][\w.-]+['"]\s*\)$/.test(v)) return true;
  // Where a reader puts their own file (`/path/to/credential`, `path/to/key.json`), and a command-line flag
  // (`DB_PWD = "--password"`: the option's name, the value comes after it).
  if (/^\/?path\/to\//i.test(v) || /^--[a-z][a-z-]*$/.test(v)) return true;
  // A file a secret is read from (Docker's `/run/secrets/db-password`, `/app/secrets/db-password.txt`): where, not what.
  if (/^\/(?:[\w.-]+\/)*secrets\/[\w.-]+$/.test(v)) return true;
  // An API route named for what it serves (`ACCESS_TOKEN_URL = '/access-token/{id}'`, `'/plugin/{pluginId}/token'`):
  // lower-case path segments and route parameters, where a random key would mix cases.
  if (/^\/[a-z0-9._-]+(\/([a-z0-9._-]+|\{\w+\}|:\w+))*\/?$/.test(v) && /[a-z]{3}/.test(v)) return true;
  return PLACEHOLDER_VALUES.has(v.toLowerCase());
}

/**
 * A credential written as a template, each part its own name: `user:password@host/dbname`, `root:secret`
 * under a `username` key, `oplog_reader:oplog_reader_password`. What a reader fills in, not what a stack runs with.
 */
export function isTemplateCredential(user: string | null | undefined, password: string): boolean {
  const u = (user ?? '').trim().toLowerCase();
  const p = password.trim().toLowerCase();
  if (/^(password|passwd|pass|pwd|pw|secret)$/.test(p) && /^(user|username|user_name|usr|login|name|uid|account)$/.test(u)) return true;
  return u !== '' && /^[a-z][\w.-]*$/.test(u) && [`${u}_password`, `${u}-password`, `${u}password`, `${u}_pass`, `${u}_pwd`].includes(p);
}

/** The kind of a value written where a credential goes that is too common to keep anyone out (`root`, `123456`). */
export const WEAK_PASSWORD_KIND = 'weak-password';

/**
 * A value any guesser tries first: a run of digits, one lower-case word (`postgres`, `petclinic`: a product or a
 * project's name), words ending in a password word (`dev-password`, `astronomy_password`), a common weak word with
 * letters swapped for symbols or digits and symbols after it (`P@ssw0rd`, `Pass@word1`, `admin123`), or the user
 * name it goes with (`companions`). Placeholders (`changeme`, `${VAR}`) are decided before and are not values.
 */
export function isWeakSecret(value: string, companions: readonly (string | null | undefined)[] = []): boolean {
  const v = value.trim();
  if (v.length === 0 || v.length > 40) return false;
  if (/^\d{1,8}$/.test(v)) return true;
  if (/^[a-z]{1,12}$/.test(v)) return true;
  if (/^[a-z]+([-_.][a-z]+)*[-_.]?(password|passwd|pass|pwd|secret)$/i.test(v)) return true;
  // Without a tail of digits and symbols; its letters with `@`, `0`, `$`, `3` read as the letters they stand for
  // (`P@ssw0rd`) or left out (`Pass@word1`).
  const stem = v.toLowerCase().replace(/[\d!@#$%^&*?._-]+$/, '');
  const swapped = stem.replace(/@/g, 'a').replace(/0/g, 'o').replace(/\$/g, 's').replace(/3/g, 'e').replace(/[^a-z]/g, '');
  for (const letters of [swapped, stem.replace(/[^a-z]/g, '')]) {
    const half = letters.slice(0, letters.length / 2);
    // `test123TEST`: the word twice around digits.
    if (WEAK_WORDS.has(letters) || (letters === half + half && WEAK_WORDS.has(half))) return true;
  }
  return companions.some((c) => c != null && c.trim() !== '' && c.trim().toLowerCase() === v.toLowerCase());
}

/**
 * The kind to report a password or secret-named value under: `weak-password` when the value is weak, so that a
 * reviewer can sort the defaults nobody changed from the credentials that matter. Token formats keep their kind.
 */
export function credentialKind(kind: string, value: string, companions: readonly (string | null | undefined)[] = []): string {
  return (kind === 'password' || kind === 'generic-secret' || kind === 'basic-auth-url') && isWeakSecret(value, companions) ? WEAK_PASSWORD_KIND : kind;
}

/**
 * One pass over the text finds which rules' prefixes occur; only those rules run. A
 * single alternation is several times faster than one `includes` per prefix on large trees.
 */
const RULES_BY_PREFIX = new Map<string, TokenRule[]>();
for (const rule of TOKEN_RULES) for (const p of rule.prefixes) RULES_BY_PREFIX.set(p, [...(RULES_BY_PREFIX.get(p) ?? []), rule]);
// `://` is everywhere (URLs in comments, docs): it is checked with a plain `includes`, and kept out of
// the alternation so that a first-match test can say "no token here" for most files at once.
const COMMON_PREFIX = '://';
const RARE_PREFIXES = [...RULES_BY_PREFIX.keys()].filter((p) => p !== COMMON_PREFIX);
const RARE_PREFIX_SOURCE = literalAlternation(RARE_PREFIXES);
const RARE_PREFIX_TEST = new RegExp(RARE_PREFIX_SOURCE);
const RARE_PREFIX_ALL = new RegExp(RARE_PREFIX_SOURCE, 'g');
/** For the longest prefix found at a position, the rules of it and of every shorter prefix it begins with (`npm_` → `npm`). */
const RULES_AT_MATCH = new Map(RARE_PREFIXES.map((m) => [m, [...new Set(RARE_PREFIXES.filter((p) => m.startsWith(p)).flatMap((p) => RULES_BY_PREFIX.get(p)!))]]));

function triggeredRules(text: string): TokenRule[] {
  const hit = new Set<TokenRule>();
  if (text.includes(COMMON_PREFIX)) for (const r of RULES_BY_PREFIX.get(COMMON_PREFIX) ?? []) hit.add(r);
  if (RARE_PREFIX_TEST.test(text)) {
    for (const m of text.matchAll(RARE_PREFIX_ALL)) for (const r of RULES_AT_MATCH.get(m[0]) ?? []) hit.add(r);
  }
  return hit.size === 0 ? [] : TOKEN_RULES.filter((r) => hit.has(r));
}

/**
 * A file that matches a generic format hundreds of times is generated or built to flood the report (`://a:b@`
 * repeated makes 160,000 "URLs with a password" in 1 MB). Generic rules (a password in a URL, a project's own
 * rules) are capped in two stages. Here, while a file is read, at most `MAX_TOKENS_READ_PER_RULE` distinct values
 * and `MAX_TOKENS_PER_RULE` repeats of each are kept: what fingerprinting and storing cost is bounded. Then, once
 * ignore entries and the baseline have hidden what they accept, at most `MAX_TOKENS_PER_RULE` distinct values are
 * reported (result-model.ts `capGenericSecrets`): decoys a repository ignores by fingerprint take no room from the
 * real value. What either stage leaves out is counted (`TokenScan.truncated`, a `cap` suppression), never dropped
 * silently. A vendor's format is never capped: a decoy flood of fake keys must not hide the real one.
 */
export const MAX_TOKENS_PER_RULE = 200;
export const MAX_TOKENS_READ_PER_RULE = 1_000;

/** Rules whose matches are not a vendor's format. */
const GENERIC_RULES = new Set(['basic-auth-url', 'mysql-cli-password', 'url-query-key']);

/** Whether a finding's kind is capped: a generic built-in rule, or one of the project's own rules (by id). */
export function isCappedKind(ownRuleIds: ReadonlySet<string>): (kind: string) => boolean {
  return (kind) => GENERIC_RULES.has(kind) || ownRuleIds.has(kind);
}

/** What the token search found in one text, and how many matches per rule the cap left out. */
/** A value built by the language at run time: `${…}`, `{{ … }}`, Ruby's and SpEL's `#{…}`, a shell's `$(…)`. */
function holdsInterpolation(value: string): boolean {
  return /\$\{|\{\{|#\{|\$\(/.test(value);
}

export interface TokenScan {
  candidates: SecretCandidate[];
  truncated: Map<string, number>;
}

/** Known token formats anywhere in the text, comments included: a committed token is leaked either way. */
export function detectTokenSecrets(text: string, projectRules: readonly ProjectTokenRule[] = []): SecretCandidate[] {
  return scanTokens(text, projectRules).candidates;
}

/** The secret a key file is, whole (`KEY_FILE_RULES`: Rails' `config/master.key`), or none. */
export function keyFileSecret(path: string, text: string): SecretCandidate | null {
  for (const rule of KEY_FILE_RULES) {
    const m = rule.path.test(path) ? rule.content.exec(text) : null;
    if (m) return { line: lineLocator(text)(m.index + m[0].indexOf(m[1]!)), kind: rule.id, value: m[1]!, resource: null };
  }
  return null;
}

/**
 * A weak default is reported because it is what a stack runs with (LABELLING's settled call); one in a commented-out
 * line (`#DATABASE_URL=mysql://root:root@…`) or in documentation shows how to write a setting, and runs nowhere. So
 * does an API key in a URL's query in documentation (`GET /api/entries?access_token=ZGJ…`, an example request).
 * Strong values and token formats stay reported there: a leaked key is leaked wherever it is written.
 */
export function withoutExampleValues(candidates: SecretCandidate[], text: string, documentation: boolean): SecretCandidate[] {
  if (documentation) return candidates.filter((c) => c.kind !== WEAK_PASSWORD_KIND && c.kind !== 'url-query-key');
  if (!candidates.some((c) => c.kind === WEAK_PASSWORD_KIND)) return candidates;
  const lines = text.split('\n');
  return candidates.filter((c) => c.kind !== WEAK_PASSWORD_KIND || !/^\s*(#|\/\/|;|--|<!--)/.test(lines[c.line - 1] ?? ''));
}

/** `detectTokenSecrets` with what the cap left out. */
export function scanTokens(text: string, projectRules: readonly ProjectTokenRule[] = []): TokenScan {
  const out: TokenScan = { candidates: [], truncated: new Map() };
  const rules = triggeredRules(text);
  const ownRules = projectRules.filter((r) => r.prefixes.length === 0 || r.prefixes.some((p) => text.includes(p)));
  if (rules.length === 0 && ownRules.length === 0) return out;
  // Line starts are computed only once something is found: most files with a `://` hold no credential.
  let locate: ((offset: number) => number) | null = null;
  const at = (offset: number) => (locate ??= lineLocator(text))(offset);
  for (const rule of rules) {
    rule.pattern.lastIndex = 0;
    const cap = GENERIC_RULES.has(rule.id) ? new RuleCap() : null;
    for (const m of text.matchAll(rule.pattern)) {
      // A password inside a URL is percent-encoded; the structured path reports it decoded, and so do we.
      const value = rule.id === 'basic-auth-url' ? safeDecode(m[1] ?? m[0]) : m[1] ?? m[0];
      if (isPlaceholderSecret(value) || holdsInterpolation(value)) continue;
      if (rule.check && !rule.check(value, m as RegExpExecArray)) continue;
      // Text anywhere, comments and docs included: `mysql://user:password@…` there shows how to write one.
      if (rule.id === 'basic-auth-url' && isTemplateCredential(m[0].slice(3, m[0].indexOf(':', 3)), value)) continue;
      if (cap && !cap.admits(value)) continue;
      const offset = (m.index ?? 0) + Math.max(0, m[0].indexOf(m[1] ?? m[0]));
      out.candidates.push({ line: at(offset), kind: credentialKind(rule.id, value, rule.id === 'basic-auth-url' ? [m[0].slice(3, m[0].indexOf(':', 3))] : []), value, resource: null, ...(rule.id === 'jwt' && jwtExpired(value) ? { expired: true as const } : {}) });
    }
    if (cap?.dropped) out.truncated.set(rule.id, (out.truncated.get(rule.id) ?? 0) + cap.dropped);
  }
  for (const rule of ownRules) {
    const cap = new RuleCap();
    for (const m of rule.pattern.matchAll(text)) {
      const value = m.group1 ?? m.text;
      if (value === '' || isPlaceholderSecret(value) || holdsInterpolation(value)) continue;
      if (rule.check && !rule.check(value)) continue;
      if (!cap.admits(value)) continue;
      out.candidates.push({ line: at(m.index + Math.max(0, m.text.indexOf(value))), kind: rule.id, value, resource: null });
    }
    if (cap.dropped) out.truncated.set(rule.id, (out.truncated.get(rule.id) ?? 0) + cap.dropped);
  }
  return out;
}

/** One generic rule's first-stage cap in one file: distinct values first, then repeats of each. */
class RuleCap {
  private readonly seen = new Map<string, number>();
  dropped = 0;

  admits(value: string): boolean {
    const n = this.seen.get(value);
    if (n === undefined && this.seen.size >= MAX_TOKENS_READ_PER_RULE) return (this.dropped++, false);
    if (n !== undefined && n >= MAX_TOKENS_PER_RULE) return (this.dropped++, false);
    this.seen.set(value, (n ?? 0) + 1);
    return true;
  }
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Lines a reviewer has accepted with an inline comment: the line holding `cmdb-scan:allow`, `gitleaks:allow` or
 * detect-secrets' `pragma: allowlist secret` / `pragma: allowlist nextline secret`, and the line after it (the
 * comment may sit above the value). Teams moving from those tools keep their annotations.
 */
export function allowedLines(text: string): ReadonlySet<number> {
  const out = new Set<number>();
  if (!/allow/i.test(text)) return out;
  text.split('\n').forEach((line, i) => {
    if (/cmdb-scan:allow|gitleaks:allow|pragma:\s*allowlist\s+(nextline\s+)?secret/i.test(line)) {
      out.add(i + 1);
      out.add(i + 2);
    }
  });
  return out;
}

/** At most the first and last two characters, and fewer for short values, so a short password is never readable. */
export function maskSecret(value: string): string {
  const v = value.replace(/\s+/g, ' ');
  if (v.length >= 16) return `${v.slice(0, 2)}…${v.slice(-2)}`;
  if (v.length >= 8) return `${v.slice(0, 1)}…${v.slice(-1)}`;
  return '****';
}

/**
 * A finding's identity: the same on every run and machine, with or without an inventory, and different for two
 * findings at two places. SHA-256 over scrypt (N=2^11, r=8) of the value salted with the file's path, and which
 * occurrence of that value in the file it is: no table of precomputed guesses serves two files, and each guess
 * costs a few milliseconds. The line is left out so that a finding keeps its identity when lines above it move.
 */
export function fingerprintSecret(file: string, value: string, occurrence: number): string {
  return fingerprintOf(valueDigest(file, value), occurrence);
}

const SCRYPT = { N: 2048, r: 8, p: 1 } as const;
const saltOf = (file: string) => `cmdb-scan/finding/v1\u0000${file}`;

function valueDigest(file: string, value: string): Buffer {
  return scryptSync(value, saltOf(file), 32, SCRYPT);
}

/** Digests computed ahead of `identifySecrets`, keyed by file and value. */
export type SecretDigests = ReadonlyMap<string, Buffer>;
const digestKey = (file: string, value: string) => `${file}\u0000${value}`;

/**
 * The slow half of many fingerprints at once, on libuv's thread pool rather than one after another on the main
 * thread: a file of thousands of passwords is fingerprinted by every core (a file of 11,000 passwords: its scan took 32 s
 * instead of ~52 s on a 2-core machine).
 */
export async function digestSecrets(items: Iterable<{ file: string; value: string }>): Promise<SecretDigests> {
  const out = new Map<string, Buffer>();
  const pending: Array<Promise<void>> = [];
  for (const { file, value } of items) {
    const k = digestKey(file, value);
    if (out.has(k)) continue;
    out.set(k, Buffer.alloc(0));
    pending.push(new Promise((resolve, reject) => scrypt(value, saltOf(file), 32, SCRYPT, (e, digest) => {
      if (e) reject(e);
      else resolve(void out.set(k, digest));
    })));
  }
  await Promise.all(pending);
  return out;
}

function fingerprintOf(digest: Buffer, occurrence: number): string {
  return createHash('sha256').update(digest).update(`\u0000${occurrence}`).digest('hex').slice(0, 32);
}

/** HMAC-SHA256 under an inventory's own key: the same value anywhere (a password reused by five apps) has one id. */
export function valueIdentity(key: string, value: string): string {
  return createHmac('sha256', key).update(value, 'utf8').digest('hex').slice(0, 32);
}

/**
 * Sets `fingerprint` and `valueId` on one file's candidates that lack them: the n-th distinct line holding a
 * value is its occurrence n. Candidates already stored (value '', fingerprint set) keep theirs.
 */
export function identifySecrets(file: string, key: string, candidates: SecretCandidate[], precomputed?: SecretDigests): void {
  const byValue = new Map<string, number[]>();
  for (const c of candidates) {
    if (c.fingerprint !== undefined) continue;
    const lines = byValue.get(c.value) ?? [];
    if (!lines.includes(c.line)) lines.push(c.line);
    byValue.set(c.value, lines);
  }
  for (const lines of byValue.values()) lines.sort((a, b) => a - b);
  const digests = new Map<string, Buffer>(); // the slow part once per distinct value
  for (const c of candidates) {
    if (c.fingerprint !== undefined) continue;
    let digest = digests.get(c.value);
    if (!digest) digests.set(c.value, (digest = precomputed?.get(digestKey(file, c.value)) ?? valueDigest(file, c.value)));
    c.fingerprint = fingerprintOf(digest, byValue.get(c.value)!.indexOf(c.line));
    c.valueId = valueIdentity(key, c.value);
  }
}

/** A kind a key's name or a URL gives (a password, a secret-named value), not a provider's token format. */
export function isGenericSecretKind(kind: string): boolean {
  return kind === 'password' || kind === 'generic-secret' || kind === 'basic-auth-url' || kind === WEAK_PASSWORD_KIND;
}

/**
 * One finding per value per line (candidates identified: fingerprints set). A format's rule and a key's name often
 * both find a value (`AWS_SECRET_ACCESS_KEY=…`): the format's kind wins, whichever was found first, so a tree scan,
 * `--history` and `--staged` give the same value the same rule id.
 */
export function mergeSameValue(candidates: readonly SecretCandidate[]): SecretCandidate[] {
  const merged = new Map<string, SecretCandidate>();
  for (const c of candidates) {
    const k = `${c.line}\u0000${c.fingerprint}`;
    const prev = merged.get(k);
    if (!prev) merged.set(k, c);
    else merged.set(k, {
      ...prev,
      kind: isGenericSecretKind(prev.kind) && !isGenericSecretKind(c.kind) ? c.kind : prev.kind,
      resource: prev.resource ?? c.resource,
      ...(prev.expired || c.expired ? { expired: true as const } : {}),
    });
  }
  return [...merged.values()];
}

/** Known formats that are production credentials wherever they appear. */
const LIVE_FORMATS = new Set([
  'aws-access-key-id', 'aws-secret-access-key', 'alibaba-access-key-id', 'tencent-secret-id', 'github-token',
  'github-fine-grained-token', 'gitlab-token', 'slack-token', 'slack-webhook', 'stripe-key', 'google-api-key',
  'openai-api-key', 'npm-token', 'sendgrid-api-key', 'private-key', 'dingtalk-webhook', 'feishu-webhook',
  'wecom-webhook', 'azure-storage-key', 'anthropic-api-key', 'groq-api-key', 'huggingface-token', 'databricks-token',
  'tailscale-key', 'vault-token', 'grafana-token', 'dockerhub-token', 'shopify-token', 'linear-api-key', 'figma-token',
  'notion-token', 'cloudflare-api-token', 'cloudflare-origin-ca-key', 'azure-ad-client-secret', '1password-service-account-token',
  'gcp-service-account-key', 'vercel-token', 'slack-app-token', 'npmrc-auth-token', 'ethereum-private-key',
]);

const NON_PRODUCTION_PROFILES = /^(dev|develop|development|local|test|testing|ci|sit|qa|e2e|mock|demo|h2|unit)$/i;

/**
 * high: a token in a vendor's own format that passed its checks (a GitHub checksum, a JWT that has not expired)
 * wherever it is — a leaked token works from a test file as well as from production config — and a usable
 * credential in code or config that ships (main/deploy) for a non-local target outside dev/test profiles;
 * medium: such a credential in a dev/test profile or for a local target; low: a token that says it expired, and
 * passwords and generic secrets in tests, examples and docs.
 */
export function secretSeverity(kind: string, scope: Scope, profile: string | null, local: boolean, expired = false): 'high' | 'medium' | 'low' {
  if (expired || kind === WEAK_PASSWORD_KIND) return 'low'; // a token that says it expired (a JWT's `exp`); a default nobody changed
  if (LIVE_FORMATS.has(kind) || kind === 'jwt') return 'high';
  if (scope === 'test' || scope === 'example' || scope === 'docs') return 'low';
  if (local || (profile !== null && NON_PRODUCTION_PROFILES.test(profile))) return 'medium';
  return 'high';
}
