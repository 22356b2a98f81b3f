/**
 * Secrets in a repository's git history that are gone from HEAD (`scan --history`): the blobs each commit of HEAD's
 * ancestry added or changed are read with git's own object walk (`git log --raw -z`, then `git cat-file --batch`),
 * never a checkout per commit, and go through the same per-file processing as a scan of the tree, from memory. A
 * value still present at HEAD is not reported again; each finding names the commit that introduced it.
 *
 * The repository is untrusted input: its config, attributes, replace refs and grafts must not change what git
 * lists, so every listing is NUL-separated, every option that shapes it is explicit, and objects are read as stored.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import os from 'node:os';
import { compileProjectRules, compileScanner, processFile, suppressionRows, type CompiledScanner } from './file-processor.js';
import { createKeywordFilter, DEFAULT_KEYWORDS } from './keywords.js';
import { scopeFromPath } from './paths.js';
import { ignoredSecrets, type ProjectConfig } from './project-config.js';
import { compileGlob } from './linear-match.js';
import { isBuiltinIgnored } from './walker.js';
import { gitReadEnvironment } from './untrusted-git.js';
import { profileFromPath } from './profiles.js';
import { capGenericSecrets, combineSuppressions, partitionSuppressed, type Secret, type SuppressedSecret, type Suppression } from './result-model.js';
import { scanners as defaultScanners } from '../scanners/index.js';
import { identifySecrets, isCappedKind, maskSecret, mergeSameValue, MAX_TOKENS_PER_RULE, secretSeverity, type SecretCandidate } from './secrets/detect.js';

export interface HistoryOptions {
  /** At most this many commits, newest first (`--history N`). */
  maxCommits?: number;
  /** Only commits authored after this date, as git reads it (`--since 2024-01-01`). */
  since?: string;
  maxFileSize: number;
  /** The inventory's key for value ids, so that HEAD's secrets and history's compare. */
  fingerprintKey: string;
  /** Value ids of the secrets HEAD still holds: those are reported by the tree scan, not again here. */
  atHead: ReadonlySet<string>;
  repoId: string;
  appOf: (file: string) => string;
  /** The repository's project config: its rules read the blobs, its ignore entries and excluded paths apply. */
  project?: ProjectConfig;
}

/** One blob a commit introduced, with the commit and its author date. */
interface Introduced { blob: string; path: string; commit: string; date: string }

/**
 * Settings that win over the repository's own config: paths unquoted (they come NUL-separated anyway), no grafts
 * advice on stderr, and commit parents read from the commits themselves rather than from a commit-graph file.
 */
const GIT_CONFIG = ['-c', 'core.quotePath=false', '-c', 'advice.graftFileDeprecated=false', '-c', 'core.commitGraph=false'];

/**
 * Objects as stored: a replace ref (`git replace`) or a graft would otherwise let the repository show a commit
 * without its leaking parent, or a blob with other content. The index a pre-commit hook names (GIT_INDEX_FILE) is kept.
 */
function gitEnvironment(): NodeJS.ProcessEnv {
  return gitReadEnvironment({ GIT_NO_REPLACE_OBJECTS: '1', GIT_GRAFT_FILE: os.devNull });
}

function runGit(root: string, args: string[], input?: Buffer): SpawnSyncReturns<Buffer> {
  return spawnSync('git', ['-C', root, ...GIT_CONFIG, ...args], { input, maxBuffer: 1 << 30, env: gitEnvironment() });
}

/** git's output; on failure an error in one line (git's own `fatal:` line, not the usage it may print). */
function git(root: string, args: string[], input?: Buffer): Buffer {
  const r = runGit(root, args, input);
  if (r.error) throw new Error(`${root}: git ${args[0]}: ${r.error.message}`);
  if (r.status !== 0) {
    const lines = r.stderr.toString('utf8').split('\n').map((l) => l.trim()).filter(Boolean);
    const reason = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? `exit ${r.status}`;
    throw new Error(`${root}: git ${args[0]} failed: ${reason}`);
  }
  return r.stdout;
}

/** Outside a git repository, stops with git's reason; `git diff` there would compare files instead. */
function requireRepository(root: string): void {
  git(root, ['rev-parse', '--git-dir']);
}

/** The commit HEAD names, or null in a repository that has none yet. */
function headCommit(root: string): string | null {
  requireRepository(root);
  const r = runGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  return r.status === 0 ? r.stdout.toString('utf8').trim() : null;
}

/** Blob ids in a commit's whole tree (`ls-tree -z`: `<mode> <type> <id>\t<path>` per entry). */
function blobsAt(root: string, commit: string): Set<string> {
  const ids = new Set<string>();
  for (const entry of git(root, ['ls-tree', '-r', '-z', '--full-tree', commit]).toString('utf8').split('\0')) {
    const [mode, type, id] = entry.slice(0, entry.indexOf('\t')).split(' ');
    if (type === 'blob' && mode && id) ids.add(id);
  }
  return ids;
}

/** A raw diff record's fields (`:<old mode> <new mode> <old id> <new id> <status>`), or null for another line. */
function rawRecord(text: string): { newMode: string; oldBlob: string; newBlob: string } | null {
  const m = /^:\d+ (\d+) ([0-9a-f]+) ([0-9a-f]+) [A-Z]\d*$/.exec(text);
  return m ? { newMode: m[1]!, oldBlob: m[2]!, newBlob: m[3]! } : null;
}

/** A gitlink (submodule) entry names a commit of another repository, not a blob. */
const GITLINK_MODE = '160000';

/**
 * Blobs added or modified by each commit HEAD descends from, newest commit first; each blob once per path, at the
 * oldest commit that has it. With `-z` a record is `:<fields>` NUL `<path>` NUL, after a `commit <id> <date>` header.
 * `--root` and the other flags are explicit because config (log.showRoot, diff.relative…) would change them.
 */
function introducedBlobs(root: string, head: string, opts: HistoryOptions): Introduced[] {
  const args = ['log', '--raw', '-z', '--root', '--no-renames', '--no-merges', '--no-abbrev', '--no-relative', '--no-ext-diff', '--no-show-signature',
    '--diff-filter=AM', '--format=commit %H %aI'];
  if (opts.maxCommits !== undefined) args.push(`-n${opts.maxCommits}`);
  if (opts.since !== undefined) args.push(`--since=${opts.since}`);
  args.push(head, '--');
  const tokens = git(root, args).toString('utf8').split('\0');
  const byBlob = new Map<string, Introduced>();
  let commit = '';
  let date = '';
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!.trim();
    const record = rawRecord(token);
    if (record) {
      const file = tokens[++i] ?? ''; // the record's path, whatever it looks like
      if (record.newMode === GITLINK_MODE || file === '') continue;
      byBlob.set(`${record.newBlob}\u0000${file}`, { blob: record.newBlob, path: file, commit, date }); // later records are older commits
      continue;
    }
    const header = /^commit ([0-9a-f]+) (\S+)$/.exec(token);
    if (header) {
      commit = header[1]!;
      date = header[2]!;
    }
  }
  return [...byBlob.values()];
}

/** Sizes of blobs, from one `git cat-file --batch-check` (git answers in the order asked). */
function blobSizes(root: string, ids: string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (ids.length === 0) return out;
  const lines = git(root, ['cat-file', '--batch-check'], Buffer.from(ids.join('\n') + '\n')).toString('utf8').split('\n');
  ids.forEach((id, i) => {
    const [, type, size] = (lines[i] ?? '').split(' ');
    if (type === 'blob') out.set(id, Number(size));
  });
  return out;
}

/** Contents of blobs, from one `git cat-file --batch`, keyed by id. */
function blobContents(root: string, ids: string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (ids.length === 0) return out;
  const buf = git(root, ['cat-file', '--batch'], Buffer.from(ids.join('\n') + '\n'));
  let at = 0;
  for (const id of ids) {
    const eol = buf.indexOf(10, at);
    if (eol < 0) break;
    const [, type, size] = buf.subarray(at, eol).toString('utf8').split(' ');
    if (type !== 'blob') { at = eol + 1; continue; } // `<id> missing`
    const n = Number(size);
    out.set(id, buf.subarray(eol + 1, eol + 1 + n));
    at = eol + 1 + n + 1; // the content is followed by a newline
  }
  return out;
}

/** What one `cat-file --batch` may bring into memory; a larger blob (under --max-file-size) is read alone. */
const BATCH_BYTES = 32 * 1024 * 1024;

/** Blobs' contents a batch at a time, each batch at most BATCH_BYTES: a long history holds gigabytes of them. */
function* blobBatches(root: string, ids: readonly string[], sizes: ReadonlyMap<string, number>): Generator<Map<string, Buffer>> {
  let batch: string[] = [];
  let bytes = 0;
  for (const id of ids) {
    const size = sizes.get(id) ?? 0;
    if (batch.length > 0 && bytes + size > BATCH_BYTES) {
      yield blobContents(root, batch);
      batch = [];
      bytes = 0;
    }
    batch.push(id);
    bytes += size;
  }
  if (batch.length > 0) yield blobContents(root, batch);
}

/** Entries grouped by the blob they read, in first-seen order, so each blob is fetched once. */
function byBlobId<T extends { blob: string }>(entries: readonly T[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const e of entries) {
    const list = out.get(e.blob);
    if (list) list.push(e);
    else out.set(e.blob, [e]);
  }
  return out;
}

let compiledScanners: CompiledScanner[] | null = null;

/**
 * Reads blobs as a scan of the tree would read the same files: the same per-file processing (from the bytes in
 * memory, nothing written to disk) under the project's config — its token formats, placeholder words, keywords
 * and excluded paths — and each candidate gets its fingerprint and value id.
 */
function blobReader(project: ProjectConfig | undefined, fingerprintKey: string, repo: string, tallied: Suppression[]): { excluded(file: string): boolean; secrets(file: string, content: Buffer): SecretCandidate[] } {
  compiledScanners ??= defaultScanners.map(compileScanner);
  const scanners = compiledScanners;
  const keywordFilter = createKeywordFilter(project ? [...new Set([...DEFAULT_KEYWORDS, ...project.keywords])] : DEFAULT_KEYWORDS);
  const rules = compileProjectRules(project?.fileRules);
  const excludes = (project?.exclude ?? []).map((r) => compileGlob(r.glob));
  const exclude = (file: string) => excludes.some((test) => test(file));
  return {
    excluded: (file) => isBuiltinIgnored(file) || exclude(file),
    secrets: (file, content) => {
      const result = processFile({ path: file, content }, scanners, keywordFilter, undefined, rules);
      if (result.suppressed) tallied.push(...suppressionRows(repo, file, result.suppressed));
      const list: SecretCandidate[] = [...(result.output?.secrets ?? []), ...(result.tokens ?? [])];
      identifySecrets(file, fingerprintKey, list);
      return mergeSameValue(list);
    },
  };
}

/** A candidate from a blob as a reported secret (no inventory link: a blob is not the tree the connections came from). */
function toSecret(s: SecretCandidate, file: string, opts: Pick<HistoryOptions, 'repoId' | 'appOf'>): Secret {
  const scope = scopeFromPath(file);
  return {
    repo: opts.repoId, app: opts.appOf(file), file, line: s.line, kind: s.kind, fingerprint: s.fingerprint!, valueId: s.valueId!,
    masked: maskSecret(s.value), scope, severity: secretSeverity(s.kind, scope, profileFromPath(file), false, s.expired === true), resource: s.resource,
  };
}

/** What git history or the staged changes hold, and what a project's config or comments kept out of it. */
export interface BlobFindings {
  secrets: Secret[];
  suppressions: Suppression[];
  suppressedSecrets: SuppressedSecret[];
}

/**
 * What blobs yielded, with what kept findings out counted as a tree scan counts them (docs/security.md): the
 * per-file tallies (inline comments, caps, placeholder words) and the project's ignore entries.
 */
function blobFindings(secrets: Secret[], tallied: readonly Suppression[], project: ProjectConfig | undefined): BlobFindings {
  const hidden = partitionSuppressed(secrets, ignoredSecrets(project?.ignore ?? []));
  const own = new Set(project?.fileRules.secretRules.map((r) => r.id) ?? []);
  const capped = capGenericSecrets(hidden.secrets, isCappedKind(own), MAX_TOKENS_PER_RULE);
  return { ...hidden, secrets: capped.secrets, suppressions: combineSuppressions([...tallied, ...hidden.suppressions, ...capped.suppressions]) };
}

export async function scanHistory(root: string, opts: HistoryOptions): Promise<BlobFindings> {
  const tallied: Suppression[] = [];
  const head = headCommit(root);
  if (head === null) return blobFindings([], tallied, opts.project); // no commit yet: no history to read
  const reader = blobReader(opts.project, opts.fingerprintKey, opts.repoId, tallied);
  const atHeadBlobs = blobsAt(root, head);
  // What the tree scan never reads (node_modules, dist, bundles, media committed once) history does not read either.
  const candidates = introducedBlobs(root, head, opts).filter((b) => !atHeadBlobs.has(b.blob) && !reader.excluded(b.path));
  const sizes = blobSizes(root, [...new Set(candidates.map((c) => c.blob))]);
  const introducedIn = byBlobId(candidates.filter((c) => (sizes.get(c.blob) ?? Infinity) <= opts.maxFileSize));
  // The oldest commit that holds a value in a file reports it: that is where it leaked.
  const found = new Map<string, Secret>();
  let read = 0;
  for (const contents of blobBatches(root, [...introducedIn.keys()], sizes)) {
    for (const [blob, content] of contents) {
      for (const c of introducedIn.get(blob)!) {
        // tree-sitter frees a syntax tree only when its finalizer runs, which needs a turn of the event loop (as in
        // engine.ts): a loop without these pauses kept every old source file's tree (10 GB over 8,527 commits).
        if (++read % 8 === 0) await new Promise((resolve) => setImmediate(resolve));
        for (const s of reader.secrets(c.path, content)) {
          if (opts.atHead.has(s.valueId!)) continue;
          const key = `${c.path}\u0000${s.valueId}`;
          const prev = found.get(key);
          if (prev && prev.commitDate! <= c.date) continue;
          found.set(key, { ...toSecret(s, c.path, opts), commit: c.commit, commitDate: c.date });
        }
      }
    }
  }
  // Judged once per finding, at the commit that reports it: an ignore entry counts each hidden secret once.
  return blobFindings([...found.values()], tallied, opts.project);
}

/** A file the staged changes add or modify: its blob in the index and the lines added (null: read it whole). */
interface StagedFile { path: string; blob: string; lines: Set<number> | null }

/**
 * What `git commit` would add, from one `git diff --cached --raw -p -z`: the raw records (`:<fields>` NUL `<path>`
 * NUL, paths unquoted) come first, then an empty record, then one patch per record in the same order — so each
 * patch is paired with its record by position, never by parsing a path git may quote or prefix. Every option that
 * config or .gitattributes could change (prefixes, external diff, textconv, binary) is explicit. A changed blob
 * without a hunk is read whole: a staged file is never passed unread.
 */
function stagedFiles(root: string): StagedFile[] {
  const out = git(root, ['diff', '--cached', '--raw', '-p', '-z', '-U0', '--no-abbrev', '--no-renames', '--no-color', '--no-relative',
    '--no-ext-diff', '--no-textconv', '--text', '--submodule=short', '--src-prefix=a/', '--dst-prefix=b/', '--diff-filter=AM']);
  const records: Array<{ path: string; newMode: string; oldBlob: string; newBlob: string; hunks: number; lines: Set<number> }> = [];
  let at = 0;
  while (at < out.length && out[at] !== 0) {
    const fieldsEnd = out.indexOf(0, at);
    const pathEnd = fieldsEnd < 0 ? -1 : out.indexOf(0, fieldsEnd + 1);
    const record = fieldsEnd < 0 ? null : rawRecord(out.toString('utf8', at, fieldsEnd));
    if (!record || pathEnd < 0) throw new Error(`${root}: unexpected output from git diff --cached --raw`);
    records.push({ ...record, path: out.toString('utf8', fieldsEnd + 1, pathEnd), hunks: 0, lines: new Set() });
    at = pathEnd + 1;
  }
  // Only the headers are read, and they are ASCII; the lines between them all start with + - space or backslash.
  let current = -1;
  for (const line of out.toString('latin1', at + 1).split('\n')) {
    if (line.startsWith('diff --git ')) {
      current++;
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    const file = records[current];
    if (!hunk || !file) continue;
    file.hunks++;
    const start = Number(hunk[1]);
    const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
    for (let n = start; n < start + count; n++) file.lines.add(n);
  }
  if (current + 1 !== records.length) {
    throw new Error(`${root}: git diff --cached listed ${records.length} staged file(s) but printed ${current + 1} patch(es)`);
  }
  return records
    // A mode change alone keeps the blob: nothing is added.
    .filter((r) => r.newMode !== GITLINK_MODE && r.oldBlob !== r.newBlob)
    .map((r) => ({ path: r.path, blob: r.newBlob, lines: r.hunks > 0 ? r.lines : null }));
}

/**
 * Secrets that the staged changes add (`scan --staged`, a pre-commit hook): the index's blob of each added or
 * modified file is read from git (`cat-file --batch`), and only secrets on the lines the commit adds count.
 */
export function scanStaged(root: string, opts: Pick<HistoryOptions, 'maxFileSize' | 'fingerprintKey' | 'repoId' | 'appOf' | 'project'>): BlobFindings {
  const tallied: Suppression[] = [];
  const reader = blobReader(opts.project, opts.fingerprintKey, opts.repoId, tallied);
  let staged: StagedFile[];
  try {
    staged = stagedFiles(root);
  } catch (e) {
    // Outside a repository `git diff` takes `--cached` for an unknown option of its file mode: say what is wrong.
    // Asked only then, since a hook pays for every git process it starts.
    requireRepository(root);
    throw e;
  }
  const files = staged.filter((f) => !reader.excluded(f.path));
  const sizes = blobSizes(root, [...new Set(files.map((f) => f.blob))]);
  const stagedAs = byBlobId(files.filter((f) => (sizes.get(f.blob) ?? Infinity) <= opts.maxFileSize));
  const out: Secret[] = [];
  for (const contents of blobBatches(root, [...stagedAs.keys()], sizes)) {
    for (const [blob, content] of contents) {
      for (const f of stagedAs.get(blob)!) {
        const seen = new Set<string>();
        for (const s of reader.secrets(f.path, content)) {
          if ((f.lines && !f.lines.has(s.line)) || seen.has(`${s.line}\u0000${s.fingerprint}`)) continue;
          seen.add(`${s.line}\u0000${s.fingerprint}`);
          const secret = toSecret(s, f.path, opts);
          out.push(secret);
        }
      }
    }
  }
  return blobFindings(out, tallied, opts.project);
}
