/**
 * Secrets in a repository's git history that are gone from HEAD (`scan --history`): the blobs each commit
 * added or changed are read with git's own object walk (`git log --raw`, then one `git cat-file --batch`),
 * never a checkout per commit, and go through the same per-file processing as a scan of the tree. A value
 * still present at HEAD is not reported again; each finding names the commit that introduced it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import picomatch from 'picomatch';
import { compileProjectRules, compileScanner, processFile, type CompiledScanner } from './file-processor.js';
import { createKeywordFilter, DEFAULT_KEYWORDS } from './keywords.js';
import { scopeFromPath } from './paths.js';
import { ignoredSecrets, type ProjectConfig } from './project-config.js';
import { isBuiltinIgnored } from './walker.js';
import { profileFromPath } from './profiles.js';
import type { Secret } from './result-model.js';
import { scanners as defaultScanners } from '../scanners/index.js';
import { identifySecrets, maskSecret, secretSeverity, type SecretCandidate } from './secrets/detect.js';

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

function git(root: string, args: string[], input?: Buffer): Buffer {
  const r = spawnSync('git', ['-C', root, ...args], { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) throw new Error(`${root}: git ${args[0]} failed: ${r.stderr.toString().trim() || `exit ${r.status}`}`);
  return r.stdout;
}

/** Blobs added or modified by each commit, newest commit first; each blob once, at the oldest commit that has it. */
function introducedBlobs(root: string, opts: HistoryOptions): Introduced[] {
  const args = ['log', '--raw', '--no-renames', '--no-merges', '--no-abbrev', '--diff-filter=AM', '--format=%x00%H %aI'];
  if (opts.maxCommits !== undefined) args.push(`-n${opts.maxCommits}`);
  if (opts.since !== undefined) args.push(`--since=${opts.since}`);
  const byBlob = new Map<string, Introduced>();
  let commit = '';
  let date = '';
  for (const line of git(root, args).toString('utf8').split('\n')) {
    if (line.startsWith('\u0000')) {
      [commit, date] = line.slice(1).split(' ') as [string, string];
      continue;
    }
    // :100644 100644 <old> <new> M\t<path>
    const m = /^:\d+ (\d+) [0-9a-f]+ ([0-9a-f]+) [AM]\t(.+)$/.exec(line);
    if (!m || m[1] === '160000') continue; // a submodule entry is a commit, not a blob
    byBlob.set(`${m[2]}\u0000${m[3]}`, { blob: m[2]!, path: m[3]!, commit, date }); // later lines are older commits
  }
  return [...byBlob.values()];
}

/**
 * Sizes of objects named by sha or `:path` (the index), from one `git cat-file --batch-check`, keyed by the
 * name asked for (git answers in the order asked).
 */
function blobSizes(root: string, names: string[]): Map<string, number> {
  const out = new Map<string, number>();
  if (names.length === 0) return out;
  const lines = git(root, ['cat-file', '--batch-check'], Buffer.from(names.join('\n') + '\n')).toString('utf8').split('\n');
  names.forEach((name, i) => {
    const [, type, size] = (lines[i] ?? '').split(' ');
    if (type === 'blob') out.set(name, Number(size));
  });
  return out;
}

/** Contents of objects named by sha or `:path`, from one `git cat-file --batch`, keyed by the name asked for. */
function blobContents(root: string, names: string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (names.length === 0) return out;
  const buf = git(root, ['cat-file', '--batch'], Buffer.from(names.join('\n') + '\n'));
  let at = 0;
  for (const name of names) {
    const eol = buf.indexOf(10, at);
    if (eol < 0) break;
    const [, type, size] = buf.subarray(at, eol).toString('utf8').split(' ');
    if (type !== 'blob') { at = eol + 1; continue; } // `<name> missing`
    const n = Number(size);
    out.set(name, buf.subarray(eol + 1, eol + 1 + n));
    at = eol + 1 + n + 1; // the content is followed by a newline
  }
  return out;
}

const BLOB_BATCH = 400;

let compiledScanners: CompiledScanner[] | null = null;

/**
 * Reads blobs as a scan of the tree would read the same files: the same per-file processing (each blob written
 * to a temporary file, as that reads files) under the project's config — its token formats, placeholder words,
 * keywords and excluded paths — and each candidate gets its fingerprint and value id.
 */
function blobReader(project: ProjectConfig | undefined, fingerprintKey: string): { excluded(file: string): boolean; secrets(file: string, content: Buffer, tmpFile: string): SecretCandidate[] } {
  compiledScanners ??= defaultScanners.map(compileScanner);
  const scanners = compiledScanners;
  const keywordFilter = createKeywordFilter(project ? [...new Set([...DEFAULT_KEYWORDS, ...project.keywords])] : DEFAULT_KEYWORDS);
  const rules = compileProjectRules(project?.fileRules);
  const exclude = project && project.exclude.length > 0 ? picomatch(project.exclude, { dot: true }) : () => false;
  return {
    excluded: (file) => isBuiltinIgnored(file) || exclude(file),
    secrets: (file, content, tmpFile) => {
      writeFileSync(tmpFile, content);
      const result = processFile({ path: file, absolute: tmpFile, size: content.length }, scanners, keywordFilter, undefined, rules);
      const list: SecretCandidate[] = [...(result.output?.secrets ?? []), ...(result.tokens ?? [])];
      identifySecrets(file, fingerprintKey, list);
      return list;
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

export async function scanHistory(root: string, opts: HistoryOptions): Promise<Secret[]> {
  const reader = blobReader(opts.project, opts.fingerprintKey);
  const ignored = ignoredSecrets(opts.project?.ignore ?? []);
  const atHeadBlobs = new Set(git(root, ['ls-tree', '-r', 'HEAD']).toString('utf8').split('\n').map((l) => l.split(/\s+/)[2]).filter(Boolean));
  // What the tree scan never reads (node_modules, dist, bundles, media committed once) history does not read either.
  const candidates = introducedBlobs(root, opts).filter((b) => !atHeadBlobs.has(b.blob) && !reader.excluded(b.path));
  const sizes = blobSizes(root, [...new Set(candidates.map((c) => c.blob))]);
  const readable = candidates.filter((c) => (sizes.get(c.blob) ?? Infinity) <= opts.maxFileSize);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-history-'));
  // The oldest commit that holds a value in a file reports it: that is where it leaked.
  const found = new Map<string, Secret>();
  // Blobs are read a batch at a time: a long history holds gigabytes of them.
  let contents = new Map<string, Buffer>();
  try {
    for (let i = 0; i < readable.length; i++) {
      const c = readable[i]!;
      if (i % BLOB_BATCH === 0) contents = blobContents(root, [...new Set(readable.slice(i, i + BLOB_BATCH).map((x) => x.blob))]);
      // tree-sitter frees a syntax tree only when its finalizer runs, which needs a turn of the event loop (as in
      // engine.ts): a loop without these pauses kept every old source file's tree (10 GB over 8,527 commits).
      if (i % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
      const content = contents.get(c.blob);
      if (!content) continue;
      for (const s of reader.secrets(c.path, content, path.join(tmp, String(i)))) {
        if (opts.atHead.has(s.valueId!) || ignored({ fingerprint: s.fingerprint!, kind: s.kind, file: c.path })) continue;
        const key = `${c.path}\u0000${s.valueId}`;
        const prev = found.get(key);
        if (prev && prev.commitDate! <= c.date) continue;
        found.set(key, { ...toSecret(s, c.path, opts), commit: c.commit, commitDate: c.date });
      }
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return [...found.values()];
}

/** Line numbers each staged file adds, from `git diff --cached -U0` hunk headers. */
function stagedAddedLines(root: string): Map<string, Set<number>> {
  const out = new Map<string, Set<number>>();
  let current: Set<number> | null = null;
  for (const line of git(root, ['diff', '--cached', '-U0', '--no-renames', '--no-color', '--diff-filter=AM']).toString('utf8').split('\n')) {
    const file = /^\+\+\+ b\/(.*)$/.exec(line);
    if (file) {
      out.set(file[1]!, (current = new Set()));
      continue;
    }
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk && current) {
      const start = Number(hunk[1]);
      const count = hunk[2] === undefined ? 1 : Number(hunk[2]);
      for (let n = start; n < start + count; n++) current.add(n);
    }
  }
  return out;
}

/**
 * Secrets that the staged changes add (`scan --staged`, a pre-commit hook): the index's version of each added or
 * modified file is read from git (`cat-file --batch` on `:path`), and only secrets on the lines the commit adds count.
 */
export function scanStaged(root: string, opts: Pick<HistoryOptions, 'maxFileSize' | 'fingerprintKey' | 'repoId' | 'appOf' | 'project'>): Secret[] {
  const reader = blobReader(opts.project, opts.fingerprintKey);
  const ignored = ignoredSecrets(opts.project?.ignore ?? []);
  const added = [...stagedAddedLines(root)].filter(([p, lines]) => lines.size > 0 && !reader.excluded(p));
  const specs = added.map(([p]) => `:${p}`);
  const sizes = blobSizes(root, specs);
  const contents = blobContents(root, specs.filter((s) => (sizes.get(s) ?? Infinity) <= opts.maxFileSize));
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-staged-'));
  const out: Secret[] = [];
  try {
    added.forEach(([p, lines], i) => {
      const content = contents.get(`:${p}`);
      if (!content) return;
      const seen = new Set<string>();
      for (const s of reader.secrets(p, content, path.join(tmp, String(i)))) {
        if (!lines.has(s.line) || seen.has(`${s.line}\u0000${s.fingerprint}`) || ignored({ fingerprint: s.fingerprint!, kind: s.kind, file: p })) continue;
        seen.add(`${s.line}\u0000${s.fingerprint}`);
        out.push(toSecret(s, p, opts));
      }
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return out;
}
