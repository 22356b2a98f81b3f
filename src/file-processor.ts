/**
 * FileProcessor: everything done to one file — read, sniff, decode, token detection,
 * keyword filter, the claiming scanner — as a function of the file alone, so that it can
 * run on the main thread or in a worker (src/file-worker.ts) with the same result.
 */
import { constants } from 'node:buffer';
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { isAppMarker, nameFromMarker } from './apps.js';
import { decodeBuffer, sniffBinary, SNIFF_BYTES } from './decode.js';
import { isLocaleFile, isTestFixture, scopeFromPath } from './paths.js';
import type { KeywordFilter } from './keywords.js';
import type { SkipReason, Suppression } from './result-model.js';
import type { Scanner, ScanOutput, SourceFile } from './scanner.js';
import { isTemplate, untemplate } from '../scanners/formats/template.js';
import { MODEL_ONLY_SOURCE, modelCandidates, type CandidateOptions, type SnippetCandidate } from './llm/candidates.js';
import { withCustomProducts, type CustomProduct } from './catalog/index.js';
import { allowedLines, isGenericSecretKind, keyFileSecret, scanTokens, withoutExampleValues, withProjectPlaceholders, type SecretCandidate } from './secrets/detect.js';
import { compileCustomRule, type CustomSecretRule, type ProjectTokenRule } from './secrets/rules.js';
import type { WalkedFile } from './walker.js';

export interface CompiledScanner {
  scanner: Scanner;
  matches: (p: string) => boolean;
}

/** Patterns without `/` match the file name, the others the whole path (as .gitignore does). */
function globMatcher(patterns: readonly string[]): (relPath: string, name: string) => boolean {
  const onName = patterns.filter((p) => !p.includes('/'));
  const onPath = patterns.filter((p) => p.includes('/'));
  const nameTest = onName.length > 0 ? picomatch(onName, { dot: true }) : () => false;
  const pathTest = onPath.length > 0 ? picomatch(onPath, { dot: true }) : () => false;
  return (relPath, name) => nameTest(name) || pathTest(relPath);
}

/**
 * Suffixes that leave a file in its format: those template tools add to the file they render (Ansible and Salt
 * `.j2`, copier `.jinja`, Go `.tmpl`) and those of a sample to copy (`ormconfig.json.example`,
 * `database.yml.sample`, `app.properties.dist`; scoped `example` by their name, src/paths.ts).
 */
const FORMAT_KEEPING_SUFFIX = /\.(j2|jinja2?|tmpl|example|sample|dist)$/;

/**
 * A config format's extension followed by one word: a copy of that file for one setting (Rails' `database.yml.mysql`,
 * `database.yml.gitpod`, `docker-compose.yml.ci`, `config.json.local`), read as the format it keeps. Not an archive's or
 * a language's extension (`app.yml.gz`, `config.json.js`), which change what the bytes are, nor a backup's
 * (`ci.yml.bak`, `.orig`, `.old`): a copy kept aside is not what runs.
 */
const CONFIG_VARIANT_SUFFIX = /(\.(?:ya?ml|json|properties|toml|ini|conf|xml|env))\.(?!(?:gz|bz2|xz|zst|zip|lock|swp|bak|backup|old|orig|save|tmp|js|ts|mjs|cjs|py|rb|php|go|sh|java|kt|cs|rs)$)[a-z][a-z0-9]{1,11}$/i;

/** The name a scanner's globs see: a template's, sample's or variant's suffix taken off (at most two: `database.yml.mysql.example`). */
export function formatPath(path: string): string {
  const unsampled = path.replace(FORMAT_KEEPING_SUFFIX, '');
  return unsampled.replace(CONFIG_VARIANT_SUFFIX, '$1');
}

export function compileScanner(scanner: Scanner): CompiledScanner {
  const include = globMatcher(scanner.files);
  const exclude = globMatcher(scanner.excludeFiles ?? []);
  return {
    scanner,
    matches: (p) => {
      // `app.env.j2`, `compose.yaml.jinja`, `ormconfig.json.example`: a template or a sample of a format is read as
      // that format (runScanner renders a template first); the suffix only says who fills it in.
      const file = formatPath(p);
      const name = file.slice(file.lastIndexOf('/') + 1);
      return include(file, name) && !exclude(file, name);
    },
  };
}

/** What happened to one file; plain data, so it crosses a worker boundary unchanged. */
export interface FileResult {
  path: string;
  bytesRead: number;
  skipped?: { reason: SkipReason; detail: string };
  /** A problem worth a line on stderr. */
  warning?: string;
  marker?: { dir: string; name: string | null };
  tokens?: SecretCandidate[];
  scannerId?: string;
  output?: ScanOutput;
  /** The text, kept only when the output has unresolved `${key}` lookups that a second pass may resolve. */
  text?: string;
  keywordSkipped?: boolean;
  /** Snippets for the model stage, when it runs. */
  snippets?: SnippetCandidate[];
  /** What this file's reading kept out of the report, counted so that the report can say so. */
  suppressed?: FileSuppressions;
}

/** Findings one file's reading kept out: counts only, never values. */
export interface FileSuppressions {
  /** Distinct lines of secrets an inline allow comment accepted. */
  inlineComment?: number;
  /** Matches past a rule's cap, by rule. */
  capped?: Record<string, number>;
  /** Distinct values only the project's placeholder words made placeholders. */
  placeholderWords?: number;
}

/**
 * Reads are synchronous on purpose: for the many small, usually cached files of a
 * repository, a sync read costs a few microseconds while a promise-based FileHandle
 * costs several times that in scheduling; each thread has nothing else to do meanwhile.
 */
function readHead(file: string, bytes: number): Buffer {
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(bytes);
    const n = readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/**
 * Files no scanner parses are only searched for tokens and then dropped: reading them into
 * one reused buffer keeps a large tree from leaving hundreds of MB of buffers for the GC.
 */
let scratch = Buffer.allocUnsafe(256 * 1024);
function readIntoScratch(file: string, size: number): Buffer {
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  const fd = openSync(file, 'r');
  try {
    let n = 0;
    for (;;) {
      const r = readSync(fd, scratch, n, scratch.length - n, n);
      if (r === 0) break;
      n += r;
      if (n === scratch.length) scratch = Buffer.concat([scratch, Buffer.allocUnsafe(scratch.length)]);
    }
    return scratch.subarray(0, n);
  } finally {
    closeSync(fd);
  }
}

/** Adds the model stage's snippets to a result, when the stage runs and the file has any. */
function withSnippets(result: FileResult, text: string, output: ScanOutput | undefined, options: CandidateOptions | undefined): FileResult {
  if (!options) return result;
  const snippets = modelCandidates(result.path, text, output?.findings ?? [], [...(output?.secrets ?? []), ...(result.tokens ?? [])], options);
  if (snippets.length > 0) result.snippets = snippets;
  return result;
}

/**
 * What a project's config file (src/project-config.ts) changes in the reading of each file: its own token formats,
 * its own products, its own placeholder words. Plain data, so that it crosses to a worker thread.
 */
export interface ProjectFileRules {
  secretRules: readonly CustomSecretRule[];
  products: readonly CustomProduct[];
  /** Values (compared without case) the project writes where a secret will go later. */
  placeholders: readonly string[];
}

export interface CompiledProjectRules {
  tokenRules: readonly ProjectTokenRule[];
  products: readonly CustomProduct[];
  placeholders: ReadonlySet<string>;
}

export const NO_PROJECT_RULES: CompiledProjectRules = { tokenRules: [], products: [], placeholders: new Set() };

export function compileProjectRules(rules: ProjectFileRules | undefined): CompiledProjectRules {
  if (!rules) return NO_PROJECT_RULES;
  return {
    tokenRules: rules.secretRules.map(compileCustomRule),
    products: rules.products,
    placeholders: new Set(rules.placeholders.map((p) => p.toLowerCase())),
  };
}

/** Candidates minus those on lines an inline allow comment accepts; the lines accepted are added to `accepted`. */
export function withoutAllowed(candidates: SecretCandidate[], text: string, accepted?: Set<number>): SecretCandidate[] {
  if (candidates.length === 0) return candidates;
  const allowed = allowedLines(text);
  if (allowed.size === 0) return candidates;
  return candidates.filter((c) => {
    if (!allowed.has(c.line)) return true;
    accepted?.add(c.line);
    return false;
  });
}

/** Runs one file's reading (or re-reading) with a project's products and placeholder words in effect. */
export function withProjectRules<T>(project: CompiledProjectRules, fn: () => T, placeholderHits?: Set<string>): T {
  return withProjectPlaceholders(project.placeholders, () => withCustomProducts(project.products, fn), placeholderHits);
}

/** A file whose bytes are already in memory (a blob from git's object store), read as a file at `path` would be. */
export interface InMemoryFile { path: string; content: Buffer }

export function processFile(
  file: WalkedFile | InMemoryFile, scanners: readonly CompiledScanner[], keywordFilter: KeywordFilter, snippetOptions?: CandidateOptions,
  project: CompiledProjectRules = NO_PROJECT_RULES,
): FileResult {
  const counts: SuppressionTally = { acceptedLines: new Set(), placeholderHits: new Set(), capped: new Map() };
  const result = withProjectRules(project, () => readFile(file, scanners, keywordFilter, snippetOptions, project.tokenRules, counts), counts.placeholderHits);
  const suppressed: FileSuppressions = {
    ...(counts.acceptedLines.size > 0 ? { inlineComment: counts.acceptedLines.size } : {}),
    ...(counts.capped.size > 0 ? { capped: Object.fromEntries(counts.capped) } : {}),
    ...(counts.placeholderHits.size > 0 ? { placeholderWords: counts.placeholderHits.size } : {}),
  };
  if (Object.keys(suppressed).length > 0) result.suppressed = suppressed;
  return result;
}

/** One file's tally as report rows: the source of an inline comment, a cap or a placeholder word is the file itself. */
export function suppressionRows(repo: string, file: string, s: FileSuppressions): Suppression[] {
  return [
    ...(s.inlineComment ? [{ repo, mechanism: 'inline-comment' as const, source: file, count: s.inlineComment }] : []),
    ...Object.entries(s.capped ?? {}).map(([rule, count]) => ({ repo, mechanism: 'cap' as const, source: `${file} (${rule})`, count })),
    ...(s.placeholderWords ? [{ repo, mechanism: 'placeholder-word' as const, source: file, count: s.placeholderWords }] : []),
  ];
}

/** While one file is read: what was kept out (values live only here, in this thread, until the file is done). */
interface SuppressionTally {
  acceptedLines: Set<number>;
  placeholderHits: Set<string>;
  capped: Map<string, number>;
}

/** The token search of one text, with inline allow comments applied and the cap's leftovers tallied. */
function tokensOf(path: string, text: string, rules: readonly ProjectTokenRule[], counts: SuppressionTally): SecretCandidate[] {
  const { candidates: found, truncated } = scanTokens(text, rules);
  const candidates = withoutExampleValues(found, text, scopeFromPath(path) === 'docs');
  const keyFile = keyFileSecret(path, text);
  if (keyFile) candidates.push(keyFile);
  for (const [rule, n] of truncated) counts.capped.set(rule, (counts.capped.get(rule) ?? 0) + n);
  return withoutAllowed(candidates, text, counts.acceptedLines);
}

/**
 * One scanner over one file. A template (Jinja, Go templates: scanners/formats/template.ts) is scanned in each of its
 * plain readings and the union kept: a setting written once per alternative is found in every alternative, and the
 * file is a parse error only when no reading parses.
 */
export function runScanner(scanner: Scanner, file: SourceFile): ScanOutput {
  if (!isTemplate(file.text)) return scanner.scan(file);
  const outputs = untemplate(file.text).map((text) => scanner.scan({ ...file, text }));
  const read = outputs.filter((o) => !o.error);
  if (read.length === 0) return outputs[0]!;
  const union = (items: Array<readonly object[] | undefined>) => {
    const seen = new Map<string, object>();
    for (const list of items) for (const item of list ?? []) seen.set(JSON.stringify(item), item);
    return [...seen.values()];
  };
  const first = read[0]!;
  const secrets = union(read.map((o) => o.secrets)) as SecretCandidate[];
  const services = union(read.map((o) => o.services)) as NonNullable<ScanOutput['services']>;
  const definitions = Object.assign({}, ...read.map((o) => o.definitions ?? {}).reverse()) as Record<string, string>;
  return {
    ...first,
    findings: union(read.map((o) => o.findings)) as ScanOutput['findings'],
    ...(secrets.length > 0 ? { secrets } : {}),
    ...(services.length > 0 ? { services } : {}),
    ...(Object.keys(definitions).length > 0 ? { definitions } : {}),
    ...(read.some((o) => o.lookups) ? { lookups: true as const } : {}),
  };
}

/**
 * pytest keeps test set-up code in `fixtures/` under the name data folders have (SigNoz's `tests/fixtures/postgres.py`
 * starting the test's PostgreSQL container): a module there that defines `@pytest.fixture` functions is the test's own
 * code, and the connections it makes are the test's (LABELLING: core, scope test).
 */
const PYTEST_FIXTURES = /^[ \t]*@pytest\.fixture\b/m;

function readFile(
  file: WalkedFile | InMemoryFile, scanners: readonly CompiledScanner[], keywordFilter: KeywordFilter, snippetOptions: CandidateOptions | undefined,
  projectTokenRules: readonly ProjectTokenRule[], counts: SuppressionTally,
): FileResult {
  // A Python module in a fixtures folder may be pytest's fixtures (set-up code), decided once its text is read.
  const fixture = isTestFixture(file.path);
  const claim = fixture && !file.path.endsWith('.py') ? undefined : scanners.find((c) => c.matches(file.path));
  const marker = isAppMarker(file.path);
  const result: FileResult = { path: file.path, bytesRead: 0 };
  let buf: Buffer;
  let binary: string | null = null;
  try {
    // A file no scanner reads is sniffed first, so that binaries are reported without reading them whole.
    buf = 'content' in file ? file.content : claim || marker ? readFileSync(file.absolute) : readHead(file.absolute, SNIFF_BYTES);
    if (!claim && !marker) {
      binary = sniffBinary(buf.subarray(0, SNIFF_BYTES)); // bytes in memory are whole: judged by the same head as a file
      if (!binary && buf.length === SNIFF_BYTES && !('content' in file)) buf = readIntoScratch(file.absolute, file.size);
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return { ...result, skipped: { reason: 'unreadable', detail: code }, warning: `${file.path}: cannot read (${code})` };
  }
  result.bytesRead = buf.length;
  if (binary) return { ...result, skipped: { reason: 'binary', detail: binary } };
  if (!claim && !marker) {
    // Only token formats are looked for here, and they are ASCII: a byte-for-byte latin1 view finds them
    // at the right lines without validating or decoding the file (UTF-16 files are decoded properly).
    const utf16 = buf.length >= 2 && ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff) || buf.includes(0));
    // Past a string's length limit the latin1 view would throw and fail the repository; decodeBuffer says too-large.
    const text = utf16 || buf.length > constants.MAX_STRING_LENGTH ? decodeBuffer(buf) : { ok: true as const, text: buf.toString('latin1') };
    if (!text.ok && text.reason === 'too-large') return { ...result, skipped: { reason: text.reason, detail: text.detail } };
    if (text.ok) {
      const found = tokensOf(file.path, text.text, projectTokenRules, counts);
      if (found.length > 0) result.tokens = found;
    }
    if (snippetOptions && MODEL_ONLY_SOURCE.test(file.path)) {
      const decoded = decodeBuffer(buf);
      if (decoded.ok) withSnippets(result, decoded.text, undefined, snippetOptions);
    }
    return result;
  }
  const decoded = decodeBuffer(buf);
  if (!decoded.ok) return { ...result, skipped: { reason: decoded.reason, detail: decoded.detail } };
  const found = tokensOf(file.path, decoded.text, projectTokenRules, counts);
  if (found.length > 0) result.tokens = found;
  if (marker) result.marker = { dir: path.posix.dirname(file.path), name: nameFromMarker(file.path, decoded.text) };
  if (!claim || (fixture && !PYTEST_FIXTURES.test(decoded.text))) return result;
  if ((!claim.scanner.alwaysScan && !keywordFilter.test(decoded.text)) || (claim.scanner.keywords && !claim.scanner.keywords.test(decoded.text))
    || (claim.scanner.gate && !claim.scanner.gate.test(decoded.text))) {
    return withSnippets({ ...result, keywordSkipped: true }, decoded.text, undefined, snippetOptions);
  }
  result.scannerId = claim.scanner.id;
  let output: ScanOutput;
  try {
    output = runScanner(claim.scanner, { path: file.path, text: decoded.text });
  } catch (e) {
    // A scanner bug must not end the scan; the file is reported instead.
    const detail = `${claim.scanner.id} failed: ${(e as Error).message}`;
    return withSnippets({ ...result, skipped: { reason: 'parse-error', detail }, warning: `${file.path}: ${detail}` }, decoded.text, undefined, snippetOptions);
  }
  // A translation file's `password: '密码'` is a label; only token formats (found above) count there.
  if (output.secrets?.length && isLocaleFile(file.path)) output = { ...output, secrets: [] };
  if (output.secrets?.length) output = { ...output, secrets: withoutAllowed(output.secrets, decoded.text, counts.acceptedLines) };
  if (output.documentation?.length && result.tokens) {
    const inDocs = (line: number) => output.documentation!.some((d) => line >= d.from && line <= d.to);
    result.tokens = result.tokens.filter((t) => !(isGenericSecretKind(t.kind) && inDocs(t.line)));
    if (result.tokens.length === 0) delete result.tokens;
  }
  result.output = output;
  if (output.error?.reason === 'parse-error') result.warning = `${file.path}: ${output.error.detail}`;
  // A host or a password that is a lookup may be written in another file of the app (jdbc.properties, the .env beside a compose file).
  if (output.lookups || output.findings.some((f) => f.valueSource === 'placeholder' || (f.hasPassword && !f.passwordHardcoded))) result.text = decoded.text;
  return withSnippets(result, decoded.text, output, snippetOptions);
}
