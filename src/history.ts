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
import { compileScanner, processFile, type CompiledScanner } from './file-processor.js';
import { createKeywordFilter, DEFAULT_KEYWORDS } from './keywords.js';
import { scopeFromPath } from './paths.js';
import { isBuiltinIgnored } from './walker.js';
import { profileFromPath } from './profiles.js';
import type { Secret } from './result-model.js';
import { scanners as defaultScanners } from '../scanners/index.js';
import { identifySecrets, maskSecret, secretSeverity, valueIdentity, type SecretCandidate } from './secrets/detect.js';

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

/** Sizes of the blobs, from one `git cat-file --batch-check`. */
function blobSizes(root: string, blobs: string[]): Map<string, number> {
  const out = new Map<string, number>();
  const text = git(root, ['cat-file', '--batch-check'], Buffer.from(blobs.join('\n') + '\n')).toString('utf8');
  for (const line of text.split('\n')) {
    const [sha, type, size] = line.split(' ');
    if (sha && type === 'blob') out.set(sha, Number(size));
  }
  return out;
}

/** Contents of the blobs, from one `git cat-file --batch`. */
function blobContents(root: string, blobs: string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (blobs.length === 0) return out;
  const buf = git(root, ['cat-file', '--batch'], Buffer.from(blobs.join('\n') + '\n'));
  let at = 0;
  while (at < buf.length) {
    const eol = buf.indexOf(10, at);
    if (eol < 0) break;
    const [sha, type, size] = buf.subarray(at, eol).toString('utf8').split(' ');
    if (type !== 'blob') { at = eol + 1; continue; }
    const n = Number(size);
    out.set(sha!, buf.subarray(eol + 1, eol + 1 + n));
    at = eol + 1 + n + 1; // the content is followed by a newline
  }
  return out;
}

const BLOB_BATCH = 400;


export function scanHistory(root: string, opts: HistoryOptions): Secret[] {
  const compiled: CompiledScanner[] = defaultScanners.map(compileScanner);
  const keywordFilter = createKeywordFilter(DEFAULT_KEYWORDS);
  const atHeadBlobs = new Set(git(root, ['ls-tree', '-r', 'HEAD']).toString('utf8').split('\n').map((l) => l.split(/\s+/)[2]).filter(Boolean));
  // What the tree scan never reads (node_modules, dist, bundles, media committed once) history does not read either.
  const candidates = introducedBlobs(root, opts).filter((b) => !atHeadBlobs.has(b.blob) && !isBuiltinIgnored(b.path));
  const sizes = blobSizes(root, [...new Set(candidates.map((c) => c.blob))]);
  const readable = candidates.filter((c) => (sizes.get(c.blob) ?? Infinity) <= opts.maxFileSize);
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-history-'));
  // The oldest commit that holds a value in a file reports it: that is where it leaked.
  const found = new Map<string, Secret>();
  // Blobs are read a batch at a time: a long history holds gigabytes of them.
  let contents = new Map<string, Buffer>();
  try {
    readable.forEach((c, i) => {
      if (i % BLOB_BATCH === 0) contents = blobContents(root, [...new Set(readable.slice(i, i + BLOB_BATCH).map((x) => x.blob))]);
      const content = contents.get(c.blob);
      if (!content) return;
      const file = path.join(tmp, String(i));
      writeFileSync(file, content);
      const result = processFile({ path: c.path, absolute: file, size: content.length }, compiled, keywordFilter);
      const list: SecretCandidate[] = [...(result.output?.secrets ?? []), ...(result.tokens ?? [])];
      identifySecrets(c.path, opts.fingerprintKey, list);
      const scope = scopeFromPath(c.path);
      for (const s of list) {
        if (opts.atHead.has(valueIdentity(opts.fingerprintKey, s.value))) continue;
        const key = `${c.path}\u0000${s.valueId}`;
        const prev = found.get(key);
        if (prev && prev.commitDate! <= c.date) continue;
        found.set(key, {
          repo: opts.repoId, app: opts.appOf(c.path), file: c.path, line: s.line, kind: s.kind, fingerprint: s.fingerprint!,
          valueId: s.valueId!, masked: maskSecret(s.value), scope, severity: secretSeverity(s.kind, scope, profileFromPath(c.path), false),
          resource: s.resource, commit: c.commit, commitDate: c.date,
        });
      }
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return [...found.values()];
}
