/**
 * ScanEngine: walk → read and decode → keyword filter → the scanner that claims the
 * file → attribute findings to apps. Knows nothing about any one format: scanners are
 * data it iterates over. One repository at a time, so a caller can persist each
 * repository as soon as it is done.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { availableParallelism } from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { promises as fs, realpathSync } from 'node:fs';
import path from 'node:path';
import { scanners as defaultScanners } from '../scanners/index.js';
import { servedConfigFiles } from './served-config.js';
import { AppLocator, type AppMarker } from './apps.js';
import { compileProjectRules, compileScanner, processFile, runScanner, withoutAllowed, withProjectRules, type CompiledProjectRules, type CompiledScanner, type FileResult, type ProjectFileRules, suppressionRows } from './file-processor.js';
import { createKeywordFilter, DEFAULT_KEYWORDS } from './keywords.js';
import type { CandidateOptions, SnippetCandidate } from './llm/candidates.js';
import { compareConnections, compareSecrets, compareSuppressions, resourceName, type Suppression, type SuppressedSecret, type Connection, type Finding, type ModelUsage, type RepoReport, type ScanStats, type Scope, type Secret, type Skipped } from './result-model.js';
import { profileFromPath } from './profiles.js';
import { isSeedScript, scopeFromPath } from './paths.js';
import { digestSecrets, identifySecrets, isGenericSecretKind, maskSecret, mergeSameValue, secretSeverity, type SecretCandidate } from './secrets/detect.js';
import type { Scanner, ScanOutput } from './scanner.js';
import { isLocalHost } from './hosts.js';
import { defaultPort, EMBEDDED_KINDS, RELATIONAL_KINDS } from './catalog/index.js';
import { serviceMapOf, withServiceMap } from './service-map.js';
import { gitReadEnvironment } from './untrusted-git.js';
import { walkRepository, type WalkedFile, type WalkOptions } from './walker.js';
import { FileQueue, FileWorkerPool, processInWorkers, workersAvailable, type FileSource } from './worker-pool.js';

export const DEFAULT_MAX_FILE_SIZE = 2 * 1024 * 1024;
export const DEFAULT_FILE_TIMEOUT_MS = 60_000;

export interface ScanOptions {
  include?: string[];
  exclude?: string[];
  /** Read files .gitignore lists too (`--no-ignore`). In a git work tree tracked files are always read. */
  noIgnore?: boolean;
  keywords?: readonly string[];
  maxFileSize?: number;
  scanners?: readonly Scanner[];
  /** Called for problems worth telling the user about (file named, never a secret). */
  onWarning?: (message: string) => void;
  /** Files this run writes (the SQLite inventory and its journal), never read as the repository's (absolute paths). */
  ownFiles?: ReadonlySet<string>;
  /** Key for secret value ids (`valueId`); an inventory keeps one so they compare across scans. Random per scan if absent. */
  fingerprintKey?: string;
  /** Put raw secret values in the result (`--show-secrets`). Off by default; never stored in the inventory. */
  revealSecrets?: boolean;
  /** Worker threads for large code bases (default 1: the main thread only; capped at the machine's parallelism). */
  threads?: number;
  /** Collect snippets for the model stage (src/llm/stage.ts); off unless a model will read them. */
  modelSnippets?: CandidateOptions;
  /** How the repository is named in results (`repo`): a batch scan uses the remote URL, not the clone's path. */
  repoId?: string;
  /** Name of the app at the repository root when nothing declares one (default: the directory's name). */
  repoName?: string;
  /** Incremental rescans: files whose content hash is unchanged take their previous result instead of being read. */
  reuse?: FileReuse;
  /** Stops the scan with the signal's reason, e.g. a per-repository timeout: between files, or at once with `isolate`. */
  signal?: AbortSignal;
  /**
   * Process files in a worker thread even with one thread, so that a file that makes a parser spin can be
   * stopped: by `signal`, or after `fileTimeoutMs` for that file alone (it is then skipped as `timeout`).
   */
  isolate?: boolean;
  /** With `isolate`: how long one file may take (default 60 s). */
  fileTimeoutMs?: number;
  /** Workers to borrow instead of starting new ones (a batch shares one pool across its repositories). */
  workerPool?: FileWorkerPool;
  /** A project config's token formats, products and placeholder words (src/project-config.ts). */
  project?: ProjectFileRules;
  /** A project config's path rules: unlike `include`/`exclude` (the operator's), what they keep out is counted. */
  projectPaths?: WalkOptions['projectPaths'];
}

/** Previous per-file results, keyed by content hash (a git blob hash: known without reading the file). */
export interface FileReuse {
  hashes: ReadonlyMap<string, string>;
  previous(path: string, hash: string): FileResult | undefined;
}

/** A per-file result to keep for the next incremental scan: secret values replaced by fingerprint and mask. */
export interface StoredFileResult {
  path: string;
  hash: string;
  result: FileResult;
}

/** A snippet with the app and scope of its file, as the model stage needs them. */
export interface AttributedSnippet extends SnippetCandidate {
  app: string;
  scope: Scope;
}

export interface RepoScanResult {
  repo: RepoReport;
  connections: Connection[];
  secrets: Secret[];
  skipped: Skipped[];
  stats: ScanStats;
  /** What each model endpoint cost and contributed, when the model stage ran. */
  models?: ModelUsage[];
  /** Snippets for the model stage, when ScanOptions.modelSnippets asked for them; never part of a report. */
  snippets?: AttributedSnippet[];
  /** With ScanOptions.reuse: the per-file results of this scan, to store for the next one. */
  fileResults?: StoredFileResult[];
  /** Findings kept out of the report, by mechanism and source (docs/security.md). */
  suppressions: Suppression[];
  /** Wall time of the scan's stages (ms): the walk and what follows the files are serial, the files' reading is not (bench/run.ts). */
  timings?: { walk: number; files: number; assemble: number };
  /** The secrets among them that have a fingerprint (hidden by an ignore entry), with what hid each. */
  suppressedSecrets: SuppressedSecret[];
}

/**
 * File texts are large strings that V8 keeps until a major collection, which its heuristics
 * start late: on a 941 MB tree the heap held ~150 MB of dead text and RSS reached 330 MB,
 * while the same scan under --max-old-space-size=128 peaked at 212 MB with identical output.
 * A full collection whenever RSS passes 224 MB keeps the footprint flat whatever the tree
 * size, and costs nothing on repositories that never get there.
 */
const COLLECT_ABOVE_RSS = 224 * 1024 * 1024;
/**
 * A forced collection costs as much as the live heap, which grows with a large repository's findings: run at every
 * check (each 8 files) above the mark, it made scan time quadratic (one repository of 72,000 files: 167 s for what
 * 12,000 files did in 10 s). It runs again only once the heap holds this much more than the last one left.
 * Measured on the heap, not on RSS: V8 keeps the pages a collection frees, so RSS after one rarely falls, and a
 * threshold on RSS ratcheted up by this step at every collection (4.5 GB in one repository reached 857 MB).
 */
const COLLECT_AGAIN_AFTER = 32 * 1024 * 1024;
let heapAfterCollection = 0;

/** A full collection when RSS is past the mark and the heap has grown since the last one; cheap to call often. */
export function collectGarbageIfGrown(): void {
  if (process.memoryUsage.rss() <= COLLECT_ABOVE_RSS || v8.getHeapStatistics().used_heap_size <= heapAfterCollection + COLLECT_AGAIN_AFTER) return;
  collectGarbage();
  heapAfterCollection = v8.getHeapStatistics().used_heap_size;
}

/**
 * tree-sitter frees a syntax tree only when its finalizer runs, which needs a collection and a turn of the event
 * loop: without these pauses a large code base holds every tree it has parsed (measured: 1.3 MB per file).
 */
async function pauseForFinalizers(): Promise<void> {
  collectGarbageIfGrown();
  await new Promise((resolve) => setImmediate(resolve));
}

let gcFunction: (() => void) | null | undefined;
function collectGarbage(): void {
  if (gcFunction === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gcFunction = vm.runInNewContext('gc') as () => void;
    } catch {
      gcFunction = null;
    }
  }
  gcFunction?.();
}

/** The commit of a repository root, when the root is itself the top of a git work tree. */
export function gitCommit(root: string): string | null {
  try {
    const opts = { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] as ['ignore', 'pipe', 'ignore'], timeout: 5000, env: gitReadEnvironment() };
    // One git process for both answers (a pre-commit hook pays for each one started): the top, then the commit.
    const [top = '', commit = ''] = execFileSync('git', ['rev-parse', '--show-toplevel', 'HEAD'], opts).toString().trim().split('\n');
    if (realpathSync(top) !== realpathSync(root)) return null; // a folder inside another repository
    return commit.trim() || null;
  } catch {
    return null;
  }
}

const compiledCache = new WeakMap<readonly Scanner[], CompiledScanner[]>();

/**
 * Fewer bytes than this (as walked, before reading) are read on the main thread alone in a speed scan: a worker costs
 * ~0.3-0.5 s of CPU to start (the scanners and grammars), more than it saves on a small repository. Measured on this
 * project's machine (2 cores; `--threads 2` against 1, interleaved runs, wall medians): slower by 2-20 % on six
 * repositories of 1.9 to 8.6 MB (775 to 2,912 files), as fast on the ten bench trees (188 MB); the file count told
 * nothing (957 files and 970 behaved alike). A machine with idle cores gains from a worker sooner; this is where it
 * starts to pay here.
 */
const MIN_BYTES_FOR_WORKERS = 16 * 1024 * 1024;

export async function scanRepository(root: string, options: ScanOptions = {}): Promise<RepoScanResult> {
  const absRoot = path.resolve(root);
  const stat = await fs.stat(absRoot).catch((e: NodeJS.ErrnoException) => e);
  if (stat instanceof Error) throw new Error(stat.code === 'ENOENT' ? `${root}: does not exist` : `${root}: cannot read (${stat.code ?? stat.message})`);
  if (!stat.isDirectory()) throw new Error(`${root}: not a directory`);
  const scannerList = options.scanners ?? defaultScanners;
  let compiled = compiledCache.get(scannerList);
  if (!compiled) compiledCache.set(scannerList, (compiled = scannerList.map(compileScanner)));
  const keywordFilter = createKeywordFilter(options.keywords ?? DEFAULT_KEYWORDS);
  const warn = options.onWarning ?? (() => undefined);
  const repoPath = options.repoId ?? absRoot;
  const fingerprintKey = options.fingerprintKey ?? randomBytes(32).toString('hex');
  const project = compileProjectRules(options.project);

  const started = performance.now();
  const walk = await walkRepository(absRoot, {
    maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE,
    ...(options.include ? { include: options.include } : {}),
    ...(options.exclude ? { exclude: options.exclude } : {}),
    ...(options.noIgnore ? { noIgnore: true } : {}),
    ...(options.projectPaths ? { projectPaths: options.projectPaths } : {}),
    ...(options.ownFiles ? { ownFiles: options.ownFiles } : {}),
  });
  const walked = performance.now();
  const skipped: Skipped[] = walk.skipped.map((s) => ({ repo: repoPath, file: s.path, reason: s.reason, detail: s.detail }));
  for (const s of walk.skipped) if (s.reason === 'unreadable' || s.reason === 'symlink-loop') warn(`${s.path}: ${s.detail}`);
  const stats: ScanStats = {
    filesSeen: walk.files.length + walk.skipped.length, bytesSeen: walk.files.reduce((n, f) => n + f.size, 0),
    filesScanned: 0, bytesScanned: 0, filesSkippedByKeyword: 0, bytesRead: 0, filesReused: 0,
  };
  const stored: StoredFileResult[] | undefined = options.reuse ? [] : undefined;
  const suppressions: Suppression[] = [
    ...[...walk.hiddenByProject].map(([source, count]) => ({ repo: repoPath, mechanism: 'config-path' as const, source, count })),
    ...[...walk.hiddenAsVendored].map(([dir, count]) => ({ repo: repoPath, mechanism: 'vendored-copy' as const, source: `${dir}/ (its own licence file)`, count })),
  ];

  const markers: AppMarker[] = [];
  const outputs: Array<{ file: string; scanner: Scanner; output: ScanOutput; text?: string }> = [];
  /** Known-format tokens per file, found in every text file read, claimed or not. */
  const tokens = new Map<string, SecretCandidate[]>();
  const scannerById = new Map(scannerList.map((sc) => [sc.id, sc]));
  // Texts kept for the second pass are bounded: code produces many unresolved `${name}`s, and a large
  // code base would otherwise keep most of its source in memory until the end.
  let keptTextBytes = 0;
  const KEPT_TEXT_LIMIT = 16 * 1024 * 1024;
  // Snippets wait in memory for the model stage; past this, files are left out (and the user told).
  const snippets: SnippetCandidate[] = [];
  let snippetBytes = 0;
  const SNIPPET_LIMIT = 32 * 1024 * 1024;
  /** Folds one file's result into the scan as soon as it exists, so nothing per file outlives this call. */
  const take = (r: FileResult): void => {
    stats.bytesRead += r.bytesRead;
    if (r.warning) warn(r.warning);
    if (r.skipped) skipped.push({ repo: repoPath, file: r.path, reason: r.skipped.reason, detail: r.skipped.detail });
    if (r.marker) markers.push(r.marker);
    if (r.tokens) tokens.set(r.path, r.tokens);
    if (r.keywordSkipped) stats.filesSkippedByKeyword++;
    if (r.suppressed) suppressions.push(...suppressionRows(repoPath, r.path, r.suppressed));
    for (const sn of r.snippets ?? []) {
      if (snippetBytes + sn.text.length > SNIPPET_LIMIT) {
        if (snippetBytes <= SNIPPET_LIMIT) warn(`${r.path}: more than ${SNIPPET_LIMIT / 1048576} MB of snippets; later files are not sent to models`);
        snippetBytes = SNIPPET_LIMIT + 1;
        break;
      }
      snippetBytes += sn.text.length;
      snippets.push(sn);
    }
    if (!r.output || !r.scannerId) return;
    stats.filesScanned++;
    stats.bytesScanned += r.bytesRead;
    const output = r.output;
    if (output.error) skipped.push({ repo: repoPath, file: r.path, reason: output.error.reason, detail: output.error.detail });
    // A file that yielded nothing and offers nothing to others need not be remembered (its error is in `skipped`).
    if (output.findings.length === 0 && !output.secrets?.length && !output.appName && Object.keys(output.definitions ?? {}).length === 0 && !output.services?.length && !output.lookups) return;
    const keep = r.text !== undefined && keptTextBytes + r.text.length <= KEPT_TEXT_LIMIT;
    if (keep) keptTextBytes += r.text!.length;
    outputs.push({ file: r.path, scanner: scannerById.get(r.scannerId)!, output, ...(keep ? { text: r.text! } : {}) });
  };

  // Files with an unchanged content hash take their previous result; the rest are read.
  const reuse = options.reuse;
  const pending: WalkedFile[] = [];
  for (const file of walk.files) {
    const hash = reuse?.hashes.get(file.path);
    const previous = hash !== undefined ? reuse!.previous(file.path, hash) : undefined;
    if (previous) {
      stats.filesReused++;
      take({ ...previous, bytesRead: 0 });
      stored!.push({ path: file.path, hash: hash!, result: previous });
    } else {
      pending.push(file);
    }
  }
  const processed = (file: WalkedFile, r: FileResult): void => {
    take(r);
    // Results that need the text again (second pass) or carry model snippets are not kept: the file is read next time.
    const hash = reuse?.hashes.get(file.path);
    const keep = stored && hash !== undefined && r.text === undefined && r.snippets === undefined && r.skipped?.reason !== 'timeout' ? storable(r, fingerprintKey) : null;
    if (keep) stored!.push({ path: file.path, hash: hash!, result: keep });
  };

  // Workers: for speed (threads), or for isolation (a batch's per-repository timeout must be able to stop a file that
  // spins); only the built-in scanners cross to a worker. In a speed scan the main thread takes files from the same
  // queue as the workers (one worker fewer to start and feed); isolated, every file goes to a worker, where it can be
  // stopped.
  const isolate = options.isolate === true;
  const threads = Math.min(options.threads ?? 1, availableParallelism());
  const workers = isolate ? threads : pending.reduce((n, f) => n + f.size, 0) >= MIN_BYTES_FOR_WORKERS ? threads - 1 : 0;
  const wantWorkers = workers > 0 && !options.scanners && workersAvailable();
  const ownPool = wantWorkers && !options.workerPool ? new FileWorkerPool(workers) : undefined;
  const pool = options.workerPool ?? ownPool;
  walk.files.length = 0;
  const queue = new FileQueue(pending);
  /** Files a worker took and has not answered for: read here if the workers fail. */
  const outstanding = new Map<string, WalkedFile>();
  const forWorkers: FileSource = {
    take: (n) => {
      const files = queue.take(n);
      for (const f of files) outstanding.set(f.path, f);
      return files;
    },
    get done() { return queue.done; },
  };
  const workersDone = wantWorkers && !queue.done
    ? processInWorkers(forWorkers, keywordFilter.keywords, {
      threads: workers, ...(options.modelSnippets ? { snippets: options.modelSnippets } : {}), ...(options.signal ? { signal: options.signal } : {}),
      ...(pool ? { pool } : {}), ...(options.project ? { project: options.project } : {}),
      ...(isolate ? { fileTimeoutMs: options.fileTimeoutMs ?? DEFAULT_FILE_TIMEOUT_MS } : {}),
      onResult: (file, r) => { outstanding.delete(file.path); processed(file, r); },
    }).then(() => null, (e: unknown) => e as Error)
    : Promise.resolve(null);
  /** The main thread's share, a few files at a time, pausing for tree-sitter's finalizers and the workers' results. */
  const processHere = async (source: FileSource) => {
    while (!source.done) {
      for (const file of source.take(8)) processed(file, processFile(file, compiled, keywordFilter, options.modelSnippets, project));
      options.signal?.throwIfAborted();
      await pauseForFinalizers();
    }
  };
  try {
    if (!(wantWorkers && isolate)) await processHere(queue);
    const failed = await workersDone;
    if (failed) {
      options.signal?.throwIfAborted();
      warn(`worker threads failed (${failed.message}); scanning on the main thread`);
      await processHere(new FileQueue([...outstanding.values()]));
      await processHere(queue);
    }
  } finally {
    await ownPool?.close();
  }

  const filesRead = performance.now();
  const repoName = options.repoName ?? path.basename(absRoot);
  const apps = new AppLocator(repoName, markers.sort((a, b) => (a.dir < b.dir ? -1 : 1)));
  const priority = (o: ScanOutput) => o.appNamePriority ?? 10;
  outputs.sort((a, b) => priority(a.output) - priority(b.output) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  // A config server's served files (src/served-config.ts) name their apps by file name; one that sets
  // spring.application.name names the client, not the server.
  const served = servedConfigFiles(outputs, [...outputs.map((o) => o.file), ...tokens.keys()], (f) => apps.rootOf(f), (f) => apps.nameOf(f));
  for (const { file, output } of outputs) {
    if (output.appName && scopeFromPath(file) === 'main' && !served.has(file)) apps.declareName(file, output.appName);
  }
  // Each served file's apps, found once: its connections and secrets all ask.
  const servedAppsOf = new Map([...served].map(([file, s]) => [file, s.apps.map((name) => apps.configuredBy(file, name, s.server))]));
  const servedApps = (file: string) => servedAppsOf.get(file) ?? null;
  await resolveAcrossFiles(outputs, apps, project);
  const services = serviceMapOf(outputs.map((o) => o.output));
  // What the reading left behind goes before the report is assembled, which needs room of its own.
  collectGarbageIfGrown();
  const connections: Connection[] = [];
  for (const { file, scanner, output } of outputs) {
    const fileScope = effectiveScope(file, scanner.scope, output.scope);
    for (const f of withServiceMap(output.findings, services)) {
      if (fileScope === 'test' && scanner.sourceCode && isTestsOwnServer(f)) continue;
      // The URLs a seed script writes are rows (a bookmark, an avatar), not endpoints; its database client still counts.
      if (f.kind === 'http' && scanner.sourceCode && isSeedScript(file)) continue;
      const { appHint, ...finding } = f;
      for (const app of servedApps(file) ?? [appHint ? apps.hinted(file, appHint).name : apps.nameOf(file)]) {
        connections.push({ ...finding, repo: repoPath, app, file, scope: fileScope, scanner: scanner.id, local: isLocalHost(f.host) || EMBEDDED_KINDS.has(f.kind), sources: ['static'] });
      }
    }
  }
  withRepositoryEngine(connections);
  connections.sort(compareConnections);
  const secrets = await collectSecrets({
    repoPath, outputs, tokens, connections, apps, servedApps,
    key: fingerprintKey, reveal: options.revealSecrets === true,
  });
  skipped.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const repo: RepoReport = { path: repoPath, commit: gitCommit(absRoot), apps: apps.list() };
  suppressions.sort(compareSuppressions);
  const timings = { walk: walked - started, files: filesRead - walked, assemble: performance.now() - filesRead };
  const result: RepoScanResult = { repo, connections, secrets, skipped, stats, suppressions, suppressedSecrets: [], timings, ...(stored ? { fileResults: stored } : {}) };
  if (options.modelSnippets) {
    const outputOf = new Map(outputs.map((o) => [o.file, o]));
    result.snippets = snippets.map((sn) => {
      const o = outputOf.get(sn.file);
      return { ...sn, app: apps.nameOf(sn.file), scope: effectiveScope(sn.file, o?.scanner.scope, o?.output.scope) };
    });
  }
  return result;
}

/** Names of keys whose values are credentials, whatever the detector made of the value. */
const SECRET_KEY_NAME = /pass(word|wd)?$|pwd$|secret|token|credential|private|(^|[._-])(api|access|signing|encrypt\w*)[._-]?key$/i;

/**
 * Whether a file's definitions (key → value, offered to other files' `${key}`) would put a credential in
 * the inventory: a value holding one of the file's secrets, a secret-named key, or a URL with a password.
 * Such a file is read again next time instead of being stored.
 */
function definitionsHoldSecrets(r: FileResult): boolean {
  const defs = Object.entries(r.output?.definitions ?? {});
  if (defs.length === 0) return false;
  const values = [...(r.output?.secrets ?? []), ...(r.tokens ?? [])].map((c) => c.value).filter((v) => v.length > 0);
  return defs.some(([k, v]) => SECRET_KEY_NAME.test(k) || /:\/\/[^/@\s:]*:[^/@\s]+@/.test(v) || values.some((s) => v.includes(s)));
}

/** A copy of a file result fit to store: no text, no snippets, secrets as fingerprint and mask only; null when it cannot be stored without a secret. */
function storable(r: FileResult, key: string): FileResult | null {
  if (definitionsHoldSecrets(r)) return null;
  identifySecrets(r.path, key, [...(r.output?.secrets ?? []), ...(r.tokens ?? [])]);
  const strip = (list: SecretCandidate[] | undefined) => list?.map((c) => ({ ...c, value: '', masked: c.masked ?? maskSecret(c.value) }));
  const { text: _text, snippets: _snippets, ...rest } = r;
  const out: FileResult = { ...rest };
  if (r.tokens) out.tokens = strip(r.tokens)!;
  if (r.output) {
    const secrets = strip(r.output.secrets);
    out.output = { ...r.output, ...(secrets ? { secrets } : {}) };
  }
  return out;
}

/**
 * In test code, `http://localhost:${port}/…` with a port chosen at run time is the server the test started (the
 * system under test, or a stub beside it), not a resource (LABELLING's settled call); a fixed port is a service the
 * test connects to.
 */
function isTestsOwnServer(f: Finding): boolean {
  if (f.kind !== 'http' || !isLocalHost(f.host)) return false;
  // A loopback URL with no port written (`client.get("http://localhost/login")`) is the base a framework's test
  // client gives the app it runs in process (Werkzeug, Django, Rails); a service the test reaches has its port.
  return f.port === null || (f.url !== null && /^https?:\/\/[^/:?#]+(?:[/?#]|$)/i.test(f.url));
}

/**
 * A datasource whose URL is only a placeholder (`url: ${blade.datasource.dev.url}`, filled in by a config centre), or
 * whose keys say only "database" (`DATABASE_HOSTNAME=localhost` in a CI job and a dev container), names no engine.
 * When every datasource of the repository that does name one names the same engine (an in-process H2 or SQLite beside
 * it aside), that is the one, with its default port where none is written; when they disagree, it stays `database`.
 */
function withRepositoryEngine(connections: Connection[]): void {
  // Rows of a seed script's datasource table are data the app holds, not the app's own datasource.
  const engines = new Set(connections.filter((c) => RELATIONAL_KINDS.has(c.kind) && c.kind !== 'database' && !EMBEDDED_KINDS.has(c.kind) && c.scanner !== 'sql-seed').map((c) => c.kind));
  if (engines.size !== 1) return;
  const [engine] = engines;
  for (const c of connections) {
    if (c.kind !== 'database') continue;
    c.kind = engine!;
    if (c.host !== null && c.port === null) c.port = defaultPort(engine!);
  }
}

/** What the content says (a k8s manifest is deploy) refines a plain `main` path, never a test/example/docs one. */
function effectiveScope(file: string, scannerScope: Scope | undefined, contentScope: Scope | undefined): Scope {
  const pathScope = scopeFromPath(file, scannerScope);
  return contentScope && pathScope === 'main' ? contentScope : pathScope;
}

interface SecretContext {
  repoPath: string;
  outputs: Array<{ file: string; scanner: Scanner; output: ScanOutput }>;
  tokens: Map<string, SecretCandidate[]>;
  /** The apps a config server's file configures (src/served-config.ts), null for any other file. */
  servedApps: (file: string) => string[] | null;
  connections: Connection[];
  apps: AppLocator;
  key: string;
  reveal: boolean;
}

/**
 * Turns raw candidates into reportable secrets: one per (file, line, value), the
 * specific token kind preferred over `password`, linked to the connection it opens,
 * masked and fingerprinted. The raw value is dropped here unless the user asked for it.
 */
async function collectSecrets(ctx: SecretContext): Promise<Secret[]> {
  const byFile = new Map<string, { scanner?: Scanner; scope?: Scope; candidates: SecretCandidate[] }>();
  for (const { file, scanner, output } of ctx.outputs) {
    byFile.set(file, { scanner, ...(output.scope ? { scope: output.scope } : {}), candidates: [...(output.secrets ?? [])] });
  }
  for (const [file, found] of ctx.tokens) {
    const entry = byFile.get(file) ?? { candidates: [] };
    entry.candidates.push(...found);
    byFile.set(file, entry);
  }
  // Connections by file and resource name, so linking a secret costs one lookup (it was a scan of every connection per secret).
  const byResource = new Map<string, Connection[]>();
  // Lines where a file names a database or broker it reaches (not an HTTP API): where a test's own credentials sit.
  const serverLines = new Map<string, number[]>();
  for (const x of ctx.connections) {
    const k = `${x.file}\u0000${resourceName(x)}`;
    const list = byResource.get(k);
    if (list) list.push(x);
    else byResource.set(k, [x]);
    if (x.kind !== 'http' && x.host !== null) {
      const lines = serverLines.get(x.file);
      if (lines) lines.push(x.line);
      else serverLines.set(x.file, [x.line]);
    }
  }
  const digests = await digestSecrets([...byFile].flatMap(([file, e]) => e.candidates.filter((c) => c.fingerprint === undefined).map((c) => ({ file, value: c.value }))));
  const secrets: Secret[] = [];
  for (const [file, entry] of byFile) {
    identifySecrets(file, ctx.key, entry.candidates, digests);
    const merged = mergeSameValue(entry.candidates);
    const scope = effectiveScope(file, entry.scanner?.scope, entry.scope);
    // A test's secret-named values are the inputs it hands the code under test, unless they sit beside an address the
    // test connects to a database or broker with (canal's `TestConstant.jdbcPassword` under its `jdbcUrl`): then they
    // are that connection's credentials, as LABELLING's settled call on test code says.
    const testInputs = scope === 'test' && entry.scanner?.sourceCode === true;
    const ownConnectionLines = testInputs ? serverLines.get(file) ?? [] : [];
    // A file in a test folder from which no scanner reported anything (one no scanner claims: another tool's report, a
    // recorded response) is data a test loads: a password or credential URL in it is payload; a provider's token
    // format is still a leak wherever it is.
    const testData = scope === 'test' && entry.scanner === undefined;
    for (const c of merged) {
      if (testData && isGenericSecretKind(c.kind)) continue;
      if (testInputs && c.resource === null && isGenericSecretKind(c.kind) && !ownConnectionLines.some((l) => Math.abs(l - c.line) <= 3)) continue;
      const app = c.appHint !== undefined ? ctx.apps.hinted(file, c.appHint).name : undefined;
      const candidates = c.resource ? byResource.get(`${file}\u0000${c.resource}`) ?? [] : [];
      const conn = candidates.find((x) => x.app === app && x.line === c.line) ?? candidates.find((x) => x.app === app) ?? candidates[0];
      const profile = conn?.profile ?? profileFromPath(file);
      const secret: Secret = {
        repo: ctx.repoPath, app: app ?? conn?.app ?? ctx.servedApps(file)?.[0] ?? ctx.apps.nameOf(file), file, line: c.line, kind: c.kind,
        fingerprint: c.fingerprint!, valueId: c.valueId!, masked: c.masked ?? maskSecret(c.value), scope,
        severity: secretSeverity(c.kind, scope, profile, conn?.local ?? false, c.expired === true), resource: c.resource,
      };
      if (ctx.reveal && c.value !== '') secret.value = c.value;
      secrets.push(secret);
    }
  }
  return secrets.sort(compareSecrets);
}

/**
 * Second pass: a `${jdbc.url}` in an XML bean or a `${db.host}` in application.yml is
 * often defined by another file of the same app (jdbc.properties, the base
 * application.yml, the .env beside a compose file). Files whose findings still hold
 * such placeholders are scanned again with the app's base definitions; the first
 * definition in declaration order wins, as Spring's first property source does.
 */
async function resolveAcrossFiles(outputs: Array<{ file: string; scanner: Scanner; output: ScanOutput; text?: string }>, apps: AppLocator, project: CompiledProjectRules): Promise<void> {
  const byApp = new Map<string, Map<string, string>>();
  for (const { file, output } of outputs) {
    if (!output.definitions) continue;
    const scope = scopeFromPath(file);
    if (scope !== 'main' && scope !== 'deploy') continue;
    const root = apps.rootOf(file);
    let defs = byApp.get(root);
    if (!defs) byApp.set(root, (defs = new Map()));
    for (const [k, v] of Object.entries(output.definitions)) if (!defs.has(k)) defs.set(k, v);
  }
  // The repository's own `.env` is what compose interpolates and passes into every service's environment: a
  // fallback for any app's `${VAR}` (`${env:OTEL_COLLECTOR_HOST}` in a collector config the compose file mounts).
  const projectEnv = outputs.find((o) => o.file === '.env')?.output.definitions;
  // A Maven module inherits its parent poms' properties: a pom's `@name` definitions reach every app below it.
  const poms = outputs.filter((o) => /(^|\/)pom\.xml$/.test(o.file) && o.output.definitions)
    .map((o) => ({ dir: o.file.replace(/\/?pom\.xml$/, ''), definitions: o.output.definitions! }))
    .sort((a, b) => b.dir.length - a.dir.length);
  const inherited = (root: string) => poms.filter((p) => p.dir === '' || root === p.dir || root.startsWith(`${p.dir}/`))
    .flatMap((p) => Object.entries(p.definitions).filter(([k]) => k.startsWith('@')));
  let read = 0;
  for (const entry of outputs) {
    if (entry.text === undefined) continue;
    const root = apps.rootOf(entry.file);
    const own = byApp.get(root);
    const fromPoms = inherited(root);
    const definitions = projectEnv === undefined && fromPoms.length === 0 ? own
      : new Map([...Object.entries(projectEnv ?? {}), ...fromPoms.reverse(), ...(own ?? [])]);
    if (!definitions) continue;
    // As in the first pass: syntax trees are freed by finalizers, which need collections and event-loop turns
    // (without them, a repository's 16 MB of kept source re-parsed at once added 58 MB of RSS at the end).
    if (++read % 8 === 0) await pauseForFinalizers();
    try {
      const again = withProjectRules(project, () => runScanner(entry.scanner, { path: entry.file, text: entry.text!, definitions }));
      entry.output = again.secrets?.length ? { ...again, secrets: withoutAllowed(again.secrets, entry.text) } : again;
    } catch {
      // keep the first pass's output; the first pass already reported any failure
    }
    delete entry.text;
  }
}
