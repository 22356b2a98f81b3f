/**
 * BatchRunner: every discovered target through fetch → scan → owners → one transaction,
 * several at a time. A target whose remote head is the commit already in the inventory
 * (scanned by this cmdb-scan version) is skipped without fetching: that is how a killed
 * batch resumes and how an unchanged rescan costs next to nothing. A changed repository
 * is fetched, and files whose git blob hash did not change take their stored result.
 * A failing target is recorded with its reason; the batch goes on.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pLimit from 'p-limit';
import type { ScanOptions } from '../engine.js';
import { scanOne, type ModelStageSettings, type ScanAllOptions } from '../scan.js';
import type { FileResult } from '../file-processor.js';
import type { Inventory } from '../inventory.js';
import { rulesVersion } from '../version.js';
import { FileWorkerPool, workersAvailable } from '../worker-pool.js';
import { claimCheckout, type Checkout } from './clone-cache.js';
import { blobHashes, cacheDirFor, fetchRepository, recentCommitters, redactUrl, remoteHead, repoNameFromUrl, splitRemote, treeSize, type Committer, type RemoteAuth } from './git.js';
import type { BatchTarget, Discovery } from './jenkins.js';
import { findOwners, gitlabMaintainers, type Owner } from './owners.js';
import type { App } from '../result-model.js';

export interface BatchOptions {
  inventory: Inventory;
  /** Where clones are kept between runs. */
  cacheDir?: string;
  concurrency?: number;
  /** Per repository: fetch and scan together (default 10 minutes). */
  timeoutPerRepoMs?: number;
  /** Static scan options (keywords, file size…); repo identity and reuse are set per target. */
  /** `config`: the operator's project config for every repository; `repositoryConfig`: apply each repository's own (off unless opted in). */
  scan?: Omit<ScanOptions, 'repoId' | 'repoName' | 'reuse' | 'signal' | 'fingerprintKey' | 'workerPool'> & Pick<ScanAllOptions, 'config' | 'repositoryConfig'>;
  /** History fetched for recent committers, as git understands it (`6 months ago`); null for none. */
  ownersSince?: string | null;
  gitlab?: { url: string; token: string };
  /** The model stage per repository; its reply cache is the inventory, so unchanged snippets cost nothing. */
  models?: ModelStageSettings;
  /** A repository whose files at HEAD add up to more is recorded as failed instead of scanned (default 2 GiB). */
  maxRepoBytes?: number;
  /** Rescan even when the remote head is the commit already scanned. */
  force?: boolean;
  /** Only this part of the repositories (`selectShard`): one of several processes or machines sharing the work. */
  shard?: Shard;
  onEvent?: (event: BatchEvent) => void;
}

/** One repository to scan: targets with the same URL and branch (several jobs) are one. */
export interface BatchRepo {
  /** The remote URL without credentials: the only form shown or stored. */
  url: string;
  /** Credentials that were written in the URL, for git alone (null when there were none). */
  auth: RemoteAuth | null;
  branch: string | null;
  jobs: string[];
  app: string | null;
  /** The Jenkins credentials id the job uses for the repository (an id, not a secret): tells an operator which access to grant. */
  credentialsId: string | null;
  scriptPath: string | null;
}

export type BatchStatus = 'scanned' | 'unchanged' | 'failed';

export interface BatchEvent {
  type: 'start' | BatchStatus;
  repo: BatchRepo;
  commit?: string;
  reason?: string;
  /** Files of the repository (read or reused). */
  files?: number;
  seconds?: number;
}

export interface BatchSummary {
  repos: Array<{ url: string; branch: string | null; jobs: string[]; credentialsId: string | null; status: BatchStatus; commit: string | null; reason: string | null; connections: number; filesRead: number; filesReused: number; seconds: number }>;
  discoveryProblems: Discovery['problems'];
}

export function defaultCacheDir(): string {
  return path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'cmdb-scan', 'repos');
}

/** Repository identity in the inventory: the remote URL (credentials removed), with the branch when one is named. */
export function repoKey(url: string, branch: string | null): string {
  return branch ? `${redactUrl(url)}#${branch}` : redactUrl(url);
}

/** Groups targets by URL and branch; the jobs of a group are its Jenkins links. Credentials leave the URL here. */
export function groupTargets(targets: BatchTarget[]): BatchRepo[] {
  const map = new Map<string, BatchRepo>();
  for (const t of targets) {
    const { url, auth } = splitRemote(t.url);
    const key = `${url}\u0000${t.branch ?? ''}`;
    const repo = map.get(key) ?? { url, auth, branch: t.branch, jobs: [], app: t.app, credentialsId: t.credentialsId, scriptPath: t.scriptPath };
    repo.auth ??= auth;
    if (t.job && !repo.jobs.includes(t.job)) repo.jobs.push(t.job);
    repo.app ??= t.app;
    repo.credentialsId ??= t.credentialsId;
    repo.scriptPath ??= t.scriptPath;
    map.set(key, repo);
  }
  return [...map.values()].map((r) => ({ ...r, jobs: r.jobs.sort() }));
}

/** Part `index` (from 0) of `count` equal parts of a batch's repositories. */
export interface Shard {
  index: number;
  count: number;
}

/** `i/n` as `--shard` takes it (a Kubernetes Indexed Job passes `$(JOB_COMPLETION_INDEX)/n`). */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(count >= 1 && index >= 0 && index < count)) throw new Error(`--shard ${text}: expected i/n with 0 <= i < n (for example 0/4)`);
  return { index, count };
}

/**
 * The repositories of one shard. A repository's shard follows from its identity alone (a hash of URL and branch),
 * not from its place in the list: Jenkins gaining or losing a job moves no other repository to another shard, so
 * each machine keeps finding its clones in its cache, and the shards of one discovery never overlap or miss one.
 */
export function selectShard(repos: BatchRepo[], shard: Shard | undefined): BatchRepo[] {
  if (!shard || shard.count === 1) return repos;
  return repos.filter((r) => createHash('sha256').update(repoKey(r.url, r.branch)).digest().readUInt32BE(0) % shard.count === shard.index);
}

/** Stored results and the "unchanged" shortcut hold only for the same rules and settings. */
function scanSettingsHash(opts: BatchOptions, withModels: boolean): string {
  return createHash('sha256').update(JSON.stringify({
    tool: rulesVersion(), keywords: opts.scan?.keywords ?? null, maxFileSize: opts.scan?.maxFileSize ?? null, include: opts.scan?.include ?? null,
    exclude: opts.scan?.exclude ?? null, models: withModels ? { all: opts.models!.all === true, sendSecrets: opts.models!.sendSecrets === true } : null,
    config: typeof opts.scan?.config === 'string' ? readFileSync(opts.scan.config, 'utf8') : null, repositoryConfig: opts.scan?.repositoryConfig === true,
  })).digest('hex').slice(0, 16);
}

/** Owners from the checkout, recent committers per app directory (a monorepo's apps have different people), GitLab maintainers. */
async function ownersOf(dir: string, url: string, apps: App[], opts: BatchOptions): Promise<Owner[]> {
  const committers = new Map<string, Committer[]>();
  if (opts.ownersSince) {
    for (const root of new Set(apps.map((a) => a.root))) committers.set(root, await recentCommitters(dir, opts.ownersSince, 3, root).catch(() => []));
  }
  // Owners are context, not the scan: an unreachable GitLab costs its owners only.
  const maintainers = opts.gitlab ? await gitlabMaintainers(opts.gitlab.url, opts.gitlab.token, url).catch(() => []) : [];
  return findOwners(dir, apps, committers, maintainers);
}

export async function runBatch(discovery: Discovery, opts: BatchOptions): Promise<BatchSummary> {
  const inventory = opts.inventory;
  const cacheDir = opts.cacheDir ?? defaultCacheDir();
  const limit = pLimit(opts.concurrency ?? 2);
  const timeoutMs = opts.timeoutPerRepoMs ?? 10 * 60_000;
  const emit = opts.onEvent ?? (() => undefined);
  const key = inventory.fingerprintKey();
  const repos = selectShard(groupTargets(discovery.targets), opts.shard);
  const withModels = (opts.models?.clients.length ?? 0) > 0;
  const settings = scanSettingsHash(opts, withModels);
  const summary: BatchSummary = { repos: [], discoveryProblems: discovery.problems };
  // One worker per concurrent repository, kept for the whole batch: starting one costs more than a small repository's scan.
  const workerPool = workersAvailable() ? new FileWorkerPool(opts.concurrency ?? 2) : undefined;
  // URLs Jenkins job configs name reach git only over network transports; a list file's may be local paths.
  const networkOnly = discovery.fromJenkins === true;

  const one = async (repo: BatchRepo): Promise<void> => {
    const started = new Date();
    const t0 = performance.now();
    const id = repoKey(repo.url, repo.branch);
    const done = (status: BatchStatus, extra: Partial<BatchSummary['repos'][number]> = {}) => {
      const seconds = (performance.now() - t0) / 1000;
      summary.repos.push({ url: repo.url, branch: repo.branch, jobs: repo.jobs, credentialsId: repo.credentialsId, status, commit: null, reason: null, connections: 0, filesRead: 0, filesReused: 0, seconds, ...extra });
      emit({ type: status, repo, seconds, files: (extra.filesRead ?? 0) + (extra.filesReused ?? 0), ...(extra.commit ? { commit: extra.commit } : {}), ...(extra.reason ? { reason: extra.reason } : {}) });
    };
    emit({ type: 'start', repo });
    const signal = AbortSignal.timeout(timeoutMs);
    let checkout: Checkout | null = null;
    try {
      const head = await remoteHead(repo.url, repo.branch, Math.min(timeoutMs, 120_000), { auth: repo.auth, networkOnly });
      const state = inventory.targetState(repo.url, repo.branch);
      if (!opts.force && state?.status === 'scanned' && state.commit === head && state.settings === settings) {
        inventory.recordTargetUnchanged(repo);
        // What the inventory holds for it: an unchanged repository still shows its connections in the summary.
        done('unchanged', { commit: head, connections: inventory.storedConnectionCount(id) });
        return;
      }
      checkout = claimCheckout(cacheDirFor(cacheDir, repo.url, repo.branch));
      const dir = checkout.dir;
      const commit = await fetchRepository(repo.url, repo.branch, dir, { timeoutMs, auth: repo.auth, networkOnly, ...(opts.ownersSince ? { historySince: opts.ownersSince } : {}) });
      signal.throwIfAborted();
      const size = await treeSize(dir);
      const maxBytes = opts.maxRepoBytes ?? 2 * 1024 ** 3;
      if (size > maxBytes) throw new Error(`too large: ${(size / 1048576).toFixed(0)} MB of files, over the ${(maxBytes / 1048576).toFixed(0)} MB limit (--max-repo-size)`);
      const hashes = await blobHashes(dir);
      const previous = state?.settings === settings ? inventory.fileResults(id) : new Map<string, { hash: string; result: string }>();
      const result = await scanOne(dir, {
        // A repository's own config applies only when the operator opts in: code from many teams decides nothing here.
        repositoryConfig: false, ...opts.scan, repoId: id, repoName: repo.app ?? repoNameFromUrl(repo.url), fingerprintKey: key, signal, inventory, isolate: true, ...(workerPool ? { workerPool } : {}),
        ...(withModels ? { models: opts.models! } : {}),
        reuse: {
          hashes,
          previous: (file, hash) => {
            const p = previous.get(file);
            if (!p || p.hash !== hash) return undefined;
            return JSON.parse(p.result) as FileResult;
          },
        },
      });
      const owners = await ownersOf(dir, repo.url, result.repo.apps, opts);
      signal.throwIfAborted();
      inventory.saveBatchRepo(repo, result, owners, started, settings);
      done('scanned', { commit, connections: result.connections.length, filesRead: result.stats.filesSeen - result.stats.filesReused, filesReused: result.stats.filesReused });
    } catch (e) {
      const reason = signal.aborted ? `timed out after ${Math.round(timeoutMs / 1000)} s` : redactUrl((e as Error).message);
      inventory.recordTargetFailure(repo, reason);
      done('failed', { reason });
    } finally {
      checkout?.release();
    }
  };
  try {
    await Promise.all(repos.map((r) => limit(() => one(r))));
  } finally {
    await workerPool?.close();
  }
  summary.repos.sort((a, b) => (a.url + (a.branch ?? '') < b.url + (b.branch ?? '') ? -1 : 1));
  return summary;
}
