/**
 * Job discovery: which repositories and branches the Jenkins jobs build. Three sources
 * give the same BatchTarget list: the Jenkins REST API (folders and multibranch projects
 * walked recursively, each job's config.xml read), a JENKINS_HOME directory read offline,
 * and a plain list file. A job that cannot be read is reported, never fatal.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { normalizeBranch, parseJobConfig, type JobScm } from './jenkins-config.js';
import { isNetworkRemote, redactUrl, splitRemote, takeUserinfo } from './git.js';
import { describeFetchError, guardedFetch, HttpError } from '../http.js';
import { readJsonFile } from '../json-file.js';

export const BatchTarget = z.object({
  /** Full Jenkins job name (`team/order-service/main`), or null for a list entry without one. */
  job: z.string().nullable(),
  url: z.string(),
  branch: z.string().nullable(),
  /** The app name the list file gives, if any. */
  app: z.string().nullable(),
  credentialsId: z.string().nullable(),
  scriptPath: z.string().nullable(),
});
export type BatchTarget = z.infer<typeof BatchTarget>;

export interface DiscoveryProblem {
  job: string;
  reason: string;
}

export interface Discovery {
  targets: BatchTarget[];
  problems: DiscoveryProblem[];
  /**
   * The URLs are what Jenkins job configs say, which the batch does not trust: only network remotes were kept, and git
   * may reach them over network transports only. A list file is the operator's own and may name local repositories.
   */
  fromJenkins?: boolean;
}

/** Branch children of a multibranch project, best first: what a CMDB means by "the" branch of an app. */
const PREFERRED_BRANCHES = ['main', 'master', 'release', 'prod', 'production', 'develop', 'dev'];

function pickBranch(names: string[]): string | null {
  for (const p of PREFERRED_BRANCHES) if (names.includes(p)) return p;
  return [...names].sort()[0] ?? null;
}

/**
 * Why a URL a job config names is not cloned, or null when it is a network remote: `file://` and paths would scan any
 * repository the batch user can read into the inventory, `fd::` and `ext::` make git read a descriptor or run a command.
 */
function refusedRemote(url: string): string | null {
  if (isNetworkRemote(url)) return null;
  return `refused repository URL ${JSON.stringify(redactUrl(url).slice(0, 200))}: a Jenkins job may name https://, http://, ssh://, git:// or user@host:path repositories only`;
}

function target(job: string, scm: JobScm, branch = scm.branch): BatchTarget {
  return { job, url: scm.url!, branch, app: null, credentialsId: scm.credentialsId, scriptPath: scm.scriptPath };
}

export interface JenkinsOptions {
  user?: string;
  /** API token (from the environment; never printed). */
  token?: string;
  timeoutMs?: number;
  retries?: number;
  /** Jobs per listing page (`tree=jobs[…]{start,end}`). */
  pageSize?: number;
  /** A larger response is an error (default 64 MB): a listing is kilobytes per hundred jobs. */
  maxResponseBytes?: number;
}

interface JobEntry { name: string; url: string; _class?: string }

/** The Jenkins REST API, with basic auth, timeouts and retries on 5xx and network errors. */
export class JenkinsClient {
  private readonly auth: string | null;
  private readonly base: string;
  private readonly http: typeof fetch;

  /** Credentials written in the base URL (`https://bot:TOKEN@jenkins/`) are used as basic auth and removed from it, so no message shows them. */
  constructor(base: string, private readonly opts: JenkinsOptions = {}) {
    const info = takeUserinfo(base);
    this.base = info ? `${info.scheme}://${info.rest}` : base;
    const user = opts.user ?? (info?.user || undefined);
    const token = opts.token ?? (info?.password || undefined);
    this.auth = user && token ? `Basic ${Buffer.from(`${user}:${token}`).toString('base64')}` : null;
    this.http = guardedFetch({ timeoutMs: opts.timeoutMs ?? 30_000, maxBytes: opts.maxResponseBytes ?? 64 * 1024 * 1024, redirect: 'same-origin' });
  }

  /** One GET, body included, within the deadline and the size cap; 5xx and network errors retried. */
  private async get(url: string): Promise<string> {
    const retries = this.opts.retries ?? 2;
    let last = '';
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 200 * 2 ** (attempt - 1)));
      let res: Response;
      try {
        res = await this.http(url, { headers: this.auth ? { authorization: this.auth } : {} });
        if (res.ok) return await res.text();
      } catch (e) {
        last = describeFetchError(e);
        if (e instanceof HttpError) break; // too large, redirected away: asking again changes nothing
        continue;
      }
      await res.body?.cancel().catch(() => undefined);
      // Auth and missing jobs do not get better by asking again.
      if (res.status === 401 || res.status === 403) throw new Error(`HTTP ${res.status}: not authorised (set JENKINS_USER and JENKINS_TOKEN)`);
      if (res.status < 500 && res.status !== 429) throw new Error(`HTTP ${res.status}`);
      last = `HTTP ${res.status}`;
    }
    throw new Error(last);
  }

  /** The direct children of a folder (or of Jenkins itself), page by page. */
  async list(folderUrl: string): Promise<JobEntry[]> {
    const size = this.opts.pageSize ?? 100;
    const out: JobEntry[] = [];
    let previous = '';
    for (let start = 0; ; start += size) {
      const json = JSON.parse(await this.get(`${folderUrl.replace(/\/?$/, '/')}api/json?tree=jobs[name,url,_class]{${start},${start + size}}`)) as { jobs?: unknown };
      const page = Array.isArray(json.jobs) ? (json.jobs as JobEntry[]).filter((j) => typeof j?.name === 'string') : [];
      // A server that ignores the range sends the same page again and again.
      const names = page.map((j) => j.name).join('\u0000');
      if (start > 0 && names === previous) return out;
      previous = names;
      out.push(...page);
      if (page.length < size) return out;
      if (out.length >= MAX_JOBS) throw new Error(`more than ${MAX_JOBS} jobs in one folder; stopped listing`);
    }
  }

  config(jobUrl: string): Promise<string> {
    return this.get(`${jobUrl.replace(/\/?$/, '/')}config.xml`);
  }

  /** Walks every folder and multibranch project below `base`. */
  discover(): Promise<Discovery> {
    return discoverJobs<string>({
      children: async (folderUrl) => (await this.list(folderUrl)).map((entry) => ({
        name: entry.name,
        // The `url` Jenkins reports uses its configured root URL, which is often not how this machine reaches it
        // (a proxy, http vs https, an internal name): job URLs are built from the base instead.
        ref: `${folderUrl.replace(/\/?$/, '/')}job/${encodeURIComponent(entry.name)}/`,
      })),
      config: (jobUrl) => this.config(jobUrl),
      branches: async (jobUrl) => (await this.list(jobUrl)).map((b) => decodeURIComponent(b.name)),
    }, this.base);
  }
}

/** Where job configurations come from: the REST API (refs are job URLs) or a JENKINS_HOME (refs are directories). */
interface JobTree<Ref> {
  children(folder: Ref): Promise<Array<{ name: string; ref: Ref }>>;
  config(job: Ref): Promise<string>;
  /** Branch names of a multibranch project. */
  branches(job: Ref): Promise<string[]>;
}

/** Bounds on what a Jenkins (or a JENKINS_HOME) may make discovery walk: real ones nest a few folders deep. */
const MAX_FOLDER_DEPTH = 16;
const MAX_JOBS = 100_000;

/**
 * One walk for both sources: folders recurse, multibranch projects pick a branch, jobs with Git become targets, the
 * rest are problems. The walk is bounded (depth, job count) and never visits a folder twice, whatever the server says.
 */
async function discoverJobs<Ref>(tree: JobTree<Ref>, root: Ref): Promise<Discovery> {
  const targets: BatchTarget[] = [];
  const problems: DiscoveryProblem[] = [];
  const visited = new Set<string>([String(root)]);
  let jobs = 0;
  const walk = async (folder: Ref, prefix: string, depth: number): Promise<void> => {
    for (const { name: entry, ref } of await tree.children(folder)) {
      const name = prefix ? `${prefix}/${entry}` : entry;
      if (entry === '' || entry === '.' || entry === '..' || /[/\\\0]/.test(entry)) {
        problems.push({ job: name, reason: 'not a job name; skipped' });
        continue;
      }
      if (visited.has(String(ref))) continue;
      visited.add(String(ref));
      if (++jobs > MAX_JOBS) throw new Error(`more than ${MAX_JOBS} jobs; stopped discovery`);
      let scm: JobScm;
      try {
        scm = parseJobConfig(await tree.config(ref));
      } catch (e) {
        problems.push({ job: name, reason: (e as Error).message });
        continue;
      }
      const refused = scm.url ? refusedRemote(scm.url) : null;
      if (refused) {
        problems.push({ job: name, reason: refused });
        continue;
      }
      if (scm.type === 'folder') {
        if (depth >= MAX_FOLDER_DEPTH) {
          problems.push({ job: name, reason: `folders nested deeper than ${MAX_FOLDER_DEPTH}; not walked` });
          continue;
        }
        try {
          await walk(ref, name, depth + 1);
        } catch (e) {
          problems.push({ job: name, reason: `cannot list folder: ${(e as Error).message}` });
        }
      } else if (scm.type === 'multibranch') {
        if (!scm.url) {
          problems.push({ job: name, reason: 'multibranch project without a Git source' });
          continue;
        }
        let branches: string[] = [];
        try {
          branches = await tree.branches(ref);
        } catch (e) {
          problems.push({ job: name, reason: `cannot list branches: ${(e as Error).message}` });
        }
        targets.push(target(name, scm, pickBranch(branches)));
      } else if (scm.url) {
        targets.push(target(name, scm));
      } else {
        problems.push({ job: name, reason: scm.note ?? 'no Git repository in the job configuration' });
      }
    }
  };
  await walk(root, '', 0);
  return { targets: sortTargets(targets), problems, fromJenkins: true };
}

/** JENKINS_HOME read directly: `jobs/<name>/config.xml`, folders nesting `jobs/`, multibranch `branches/`. */
export async function discoverJenkinsHome(home: string): Promise<Discovery> {
  const jobsDir = path.join(home, 'jobs');
  if (!existsSync(jobsDir)) throw new Error(`${home}: not a JENKINS_HOME (no jobs/ directory)`);
  const decode = (b: string) => { try { return decodeURIComponent(b); } catch { return b; } };
  return discoverJobs<string>({
    // A folder's jobs live in its `jobs/`; the top level is JENKINS_HOME/jobs itself.
    children: async (dir) => {
      const jobs = dir === jobsDir ? dir : path.join(dir, 'jobs');
      if (!existsSync(jobs)) return [];
      // A dangling link or an unreadable entry is one job less, not the end of discovery.
      const isDir = (e: string) => { try { return statSync(path.join(jobs, e)).isDirectory(); } catch { return false; } };
      return readdirSync(jobs).sort().filter(isDir).map((e) => ({ name: e, ref: path.join(jobs, e) }));
    },
    config: async (dir) => {
      try {
        return readFileSync(path.join(dir, 'config.xml'), 'utf8');
      } catch (e) {
        throw (e as NodeJS.ErrnoException).code === 'ENOENT' ? new Error('no config.xml') : e;
      }
    },
    branches: async (dir) => {
      const branchDir = path.join(dir, 'branches');
      return existsSync(branchDir) ? readdirSync(branchDir).map(decode) : [];
    },
  }, jobsDir);
}

/** What `--save-discovery` writes and `--discovery` reads: one discovery, shared by every shard of a batch. */
const DiscoveryFile = z.object({
  cmdbScanDiscovery: z.literal(1),
  discoveredAt: z.string(),
  targets: z.array(BatchTarget),
  problems: z.array(z.object({ job: z.string(), reason: z.string() })),
  fromJenkins: z.boolean().optional(),
});

/**
 * Writes a discovery for the shards of a batch to read, so Jenkins is asked once, not once per shard (a listing
 * page per 100 jobs and one config.xml per job each time). Credentials written in repository URLs are left out —
 * the file is shared with every shard's machine; those repositories then clone with git's own credential helpers.
 * Returns how many URLs lost credentials.
 */
export function writeDiscoveryFile(file: string, discovery: Discovery, now = new Date()): number {
  let stripped = 0;
  const targets = discovery.targets.map((t) => {
    // As a clone stores it: an SSH user name stays (it is needed, and no secret), everything else in userinfo goes.
    const { url } = splitRemote(t.url);
    if (url !== t.url) stripped++;
    return { ...t, url };
  });
  const content: z.infer<typeof DiscoveryFile> = {
    cmdbScanDiscovery: 1, discoveredAt: now.toISOString(), targets, problems: discovery.problems, ...(discovery.fromJenkins ? { fromJenkins: true } : {}),
  };
  writeFileSync(file, JSON.stringify(content, null, 2) + '\n');
  return stripped;
}

/**
 * A discovery `--save-discovery` wrote; anything else is refused with the file and the first problem named. Jenkins
 * targets are held to what discovery holds them to (a file written before that rule, or edited, may name others);
 * only Jenkins targets have jobs, which tells them apart in a file written before `fromJenkins` was.
 */
export function readDiscoveryFile(file: string): Discovery {
  const saved = readJsonFile(file, DiscoveryFile, { the: 'the discovery', a: 'a discovery file written by cmdb-scan batch --save-discovery' });
  const fromJenkins = saved.fromJenkins ?? saved.targets.some((t) => t.job !== null);
  if (!fromJenkins) return { targets: saved.targets, problems: saved.problems };
  const problems = [...saved.problems];
  const targets = saved.targets.filter((t) => {
    const refused = refusedRemote(t.url);
    if (refused) problems.push({ job: t.job ?? file, reason: refused });
    return !refused;
  });
  return { targets, problems, fromJenkins: true };
}

/**
 * A list file: one repository per line, `url [branch] [app]` separated by spaces, tabs or
 * commas (so a CSV `url,branch,app` with or without that header works); `#` comments.
 */
export function readTargetList(file: string): Discovery {
  const targets: BatchTarget[] = [];
  const problems: DiscoveryProblem[] = [];
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    const [url, branch, app] = line.split(/\s*[,\t ]\s*/);
    if (i === 0 && url?.toLowerCase() === 'url') return; // CSV header
    if (!url || !/^(https?:\/\/|ssh:\/\/|git:\/\/|file:\/\/|git@|\/|\.)/.test(url)) {
      problems.push({ job: `${file}:${i + 1}`, reason: `not a repository URL: ${redactUrl(url ?? '')}` });
      return;
    }
    targets.push({ job: null, url, branch: normalizeBranch(branch || null), app: app || null, credentialsId: null, scriptPath: null });
  });
  return { targets, problems };
}

function sortTargets(targets: BatchTarget[]): BatchTarget[] {
  return targets.sort((a, b) => ((a.job ?? '') < (b.job ?? '') ? -1 : (a.job ?? '') > (b.job ?? '') ? 1 : 0));
}
