/**
 * Scan orchestration: one repository (the static scan, then the model stage when endpoints are
 * given), several repositories into one report. The CLI's `scan`, `batch` and the library all
 * call these; the public entry (./index.ts) only re-exports them.
 */
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { collectGarbageIfGrown, scanRepository, type RepoScanResult, type ScanOptions } from './engine.js';
import { FileWorkerPool, workersAvailable } from './worker-pool.js';
import { DEFAULT_KEYWORDS } from './keywords.js';
import { configChoice, ignoredSecrets, projectConfigFor, type ProjectConfig } from './project-config.js';
import { capGenericSecrets, combineSuppressions, compareConnections, compareSecrets, compareSuppressions, partitionSuppressed, REPORT_SCHEMA_VERSION, type Report } from './result-model.js';
import type { Inventory } from './inventory.js';
import { isCappedKind, MAX_TOKENS_PER_RULE } from './secrets/detect.js';
import { TOOL_VERSION } from './version.js';
import type { ModelClient } from '../models/client.js';
import type { ModelCache } from './llm/stage.js';

export interface ModelStageSettings {
  /** Healthy clients (models/config.ts `connectEndpoints`); none means a static-only scan. */
  clients: readonly ModelClient[];
  /** Send snippets the rules already explained too (`--llm-all`). */
  all?: boolean;
  /** Leave secret values in snippets (`--llm-send-secrets`). */
  sendSecrets?: boolean;
  /** Reply cache; the inventory when there is one, else one for this process. */
  cache?: ModelCache;
}

export interface ScanAllOptions extends ScanOptions {
  /** The operator's project config file (`--config`); `false` reads no config at all (`--no-config`). */
  config?: string | false;
  /**
   * Apply what the repository supplies: its `.cmdb-scan.yml` (when `config` names none) and `.cmdbscanignore`.
   * Default true for `scan`; `batch` (code from many teams) sets it only when the operator opts in.
   */
  repositoryConfig?: boolean;
  /**
   * Fingerprints a baseline accepts: they take no room under the generic rules' cap, so that accepted decoys cannot
   * push a new value out (the baseline itself is applied to the report, not to what the inventory stores).
   */
  baseline?: ReadonlySet<string>;
  /** Persist each repository as soon as it is scanned, so a later failure loses nothing already done. */
  inventory?: Inventory;
  models?: ModelStageSettings;
}

/** Replies cached for this process when there is no inventory; the model stage is loaded only when endpoints are given. */
let processCache: ModelCache | undefined;

/**
 * One repository: the static scan, then, when endpoints are given, the model stage over
 * the snippets the rules left doubtful. Model problems are warnings; the static result stands.
 */
export async function scanOne(root: string, options: ScanAllOptions = {}): Promise<RepoScanResult> {
  const project = projectConfigFor(root, configChoice(options.config, options.repositoryConfig !== false));
  for (const w of project.warnings) options.onWarning?.(w);
  const result = await scanWithModels(root, applyProjectConfig(options, project));
  return withGenericCap(withIgnoreEntries({ ...result, repo: { ...result.repo, configFiles: project.files } }, project), project, options.baseline);
}

/** The second stage of the generic rules' cap, after ignore entries and with the baseline's findings exempt (secrets/detect.ts). */
function withGenericCap(result: RepoScanResult, project: ProjectConfig, baseline: ReadonlySet<string> | undefined): RepoScanResult {
  const own = new Set(project.fileRules.secretRules.map((r) => r.id));
  const capped = capGenericSecrets(result.secrets, isCappedKind(own), MAX_TOKENS_PER_RULE, (s) => baseline?.has(s.fingerprint) === true);
  if (capped.suppressions.length === 0) return result;
  return { ...result, secrets: capped.secrets, suppressions: combineSuppressions([...result.suppressions, ...capped.suppressions]) };
}

/** The result without the secrets the project's ignore entries accept, each counted against the entry that accepted it. */
function withIgnoreEntries(result: RepoScanResult, project: ProjectConfig): RepoScanResult {
  if (project.ignore.length === 0) return result;
  const hidden = partitionSuppressed(result.secrets, ignoredSecrets(project.ignore));
  return {
    ...result, secrets: hidden.secrets, suppressions: combineSuppressions([...result.suppressions, ...hidden.suppressions]),
    suppressedSecrets: [...result.suppressedSecrets, ...hidden.suppressedSecrets].sort(compareSecrets),
  };
}

/** Scan options with a project config's paths, keywords and per-file rules added to the caller's. */
function applyProjectConfig(options: ScanAllOptions, project: ProjectConfig): ScanAllOptions {
  const { fileRules } = project;
  const perFile = fileRules.secretRules.length + fileRules.products.length + fileRules.placeholders.length > 0;
  // Stored per-file results were made without these rules; files are read again while a project has them.
  const { reuse, ...rest } = options;
  return {
    ...(perFile || !reuse ? rest : { ...rest, reuse }),
    ...(project.exclude.length + project.include.length > 0 ? { projectPaths: { exclude: project.exclude, include: project.include } } : {}),
    ...(project.keywords.length > 0 ? { keywords: [...new Set([...(options.keywords ?? DEFAULT_KEYWORDS), ...project.keywords])] } : {}),
    ...(perFile ? { project: fileRules } : {}),
  };
}

async function scanWithModels(root: string, options: ScanAllOptions): Promise<RepoScanResult> {
  const models = options.models;
  if (!models || models.clients.length === 0) return scanRepository(root, options);
  const result = await scanRepository(root, { ...options, modelSnippets: { all: models.all === true, sendSecrets: models.sendSecrets === true } });
  const { MemoryModelCache, runModelStage } = await import('./llm/stage.js');
  const { modelErrors, ...merged } = await runModelStage(result, { clients: models.clients, cache: models.cache ?? options.inventory ?? (processCache ??= new MemoryModelCache()) });
  for (const e of modelErrors) options.onWarning?.(`model ${e}`);
  return merged;
}

/** Builds a report from per-repository results. */
export function toReport(results: RepoScanResult[]): Report {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: 'cmdb-scan', version: TOOL_VERSION },
    repos: results.map((r) => r.repo),
    connections: results.flatMap((r) => r.connections).sort(compareConnections),
    secrets: results.flatMap((r) => r.secrets),
    skipped: results.flatMap((r) => r.skipped).sort((a, b) => (a.repo + '\u0000' + a.file < b.repo + '\u0000' + b.file ? -1 : 1)),
    suppressions: results.flatMap((r) => r.suppressions).sort(compareSuppressions),
    suppressedSecrets: results.flatMap((r) => r.suppressedSecrets).sort(compareSecrets),
    ...(results.some((r) => r.models) ? { models: results.flatMap((r) => r.models ?? []) } : {}),
  };
}

/** What `scan` tells its caller as it goes; without `onFailed` a repository that cannot be scanned ends the scan. */
export interface ScanProgress {
  onStart?(root: string): void;
  /** Called after the repository is saved to the inventory (when there is one). */
  onScanned?(root: string, result: RepoScanResult): void;
  /** A repository that could not be scanned; the others are still scanned and saved. */
  onFailed?(root: string, error: Error): void;
}

/**
 * Scans each root as one repository, saving each to the inventory as soon as it is done (so a later
 * failure loses nothing), and returns the combined report. The CLI's `scan` is this with progress lines.
 */
export async function scan(roots: string | string[], options: ScanAllOptions & ScanProgress = {}): Promise<Report> {
  const list = Array.isArray(roots) ? roots : [roots];
  // With threads, one pool serves every repository: a worker loads the grammars once, not once per repository. The
  // main thread is one of the threads (src/engine.ts).
  const threads = Math.min(options.threads ?? 1, availableParallelism());
  const pool = threads > 1 && list.length > 1 && !options.workerPool && workersAvailable() ? new FileWorkerPool(threads - 1) : undefined;
  try {
    return await scanEach(list, pool ? { ...options, workerPool: pool } : options);
  } finally {
    await pool?.close();
  }
}

async function scanEach(list: string[], options: ScanAllOptions & ScanProgress): Promise<Report> {
  const results: RepoScanResult[] = [];
  for (const root of list) {
    options.onStart?.(root);
    const started = new Date();
    let result: RepoScanResult;
    try {
      result = await scanOne(path.resolve(root), options);
    } catch (e) {
      if (!options.onFailed) throw e;
      options.onFailed(root, e as Error);
      continue;
    }
    options.inventory?.saveRepo(result, started);
    results.push(result);
    options.onScanned?.(root, result);
  }
  const report = toReport(results);
  // The per-repository results are garbage now; collected before the caller renders the report, the rendering
  // reuses their pages instead of growing the heap (a 4.5 GB repository's 10 MB report peaked 42 MB higher).
  results.length = 0;
  collectGarbageIfGrown();
  return report;
}
