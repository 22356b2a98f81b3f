/**
 * The `git` CLI for batch scans: shallow single-branch clones kept in a cache directory
 * and fetched again on rescans, the remote head without fetching (`ls-remote`, which
 * lets an unchanged repository be skipped for free), blob hashes of the checkout
 * (`ls-files -s`, which tells changed files without reading them) and recent committers.
 * Credentials come from the user's git configuration (credential helpers, SSH agent);
 * nothing here stores or prints them, and git is never allowed to prompt.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Read per call: the caller's environment (credential helpers, `insteadOf` rewrites) may change at run time.
 * Extra configuration goes after any the caller already set through `GIT_CONFIG_COUNT`.
 */
function gitEnv(config: ReadonlyArray<readonly [string, string]> = [], networkOnly = false): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'echo', GCM_INTERACTIVE: 'never', LC_ALL: 'C' };
  // git itself refuses other transports, also after an `insteadOf` rewrite; a GIT_ALLOW_PROTOCOL the operator set
  // (a mirror on disk behind such a rewrite) is theirs to keep.
  if (networkOnly) env.GIT_ALLOW_PROTOCOL ??= NETWORK_PROTOCOLS.join(':');
  let n = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  for (const [key, value] of config) {
    env[`GIT_CONFIG_KEY_${n}`] = key;
    env[`GIT_CONFIG_VALUE_${n}`] = value;
    n++;
  }
  if (config.length > 0) env.GIT_CONFIG_COUNT = String(n);
  return env;
}

export class GitError extends Error {}

/**
 * Credentials that came inside a repository URL (`https://bot:TOKEN@git.acme/x.git`). They reach git
 * only as an Authorization header in the environment of the command that needs it, scoped to the
 * URL's origin; the URL that is shown, stored and written into the clone's `.git/config` has none.
 * The header is a private field, so it cannot end up in JSON or in a log of the object.
 */
export class RemoteAuth {
  readonly #config: Array<readonly [string, string]>;

  constructor(origin: string, user: string, password: string) {
    const header = `Authorization: Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
    this.#config = [[`http.${origin}/.extraHeader`, header]];
  }

  gitConfig(): ReadonlyArray<readonly [string, string]> {
    return this.#config;
  }

  toJSON(): string {
    return '[credentials]';
  }
}

export interface Remote {
  /** The URL without credentials: what is shown, stored and configured in the clone. */
  url: string;
  auth: RemoteAuth | null;
}

/**
 * `scheme://user:password@rest` taken apart: the scheme, the user and password (percent-decoded) and the
 * rest after `@`. Null when the URL carries no userinfo. Shared by repository URLs and the Jenkins base URL.
 */
export function takeUserinfo(raw: string): { scheme: string; user: string; password: string; rawUser: string; rest: string } | null {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/@\s]*)@/i.exec(raw);
  if (!m) return null;
  const decode = (s: string) => { try { return decodeURIComponent(s); } catch { return s; } };
  const [user = '', password = ''] = m[2]!.split(/:(.*)/s);
  return { scheme: m[1]!, user: decode(user), password: decode(password), rawUser: user, rest: raw.slice(m[0].length) };
}

/** Splits a repository URL into a URL free of credentials and the credentials, which only git receives. */
export function splitRemote(raw: string): Remote {
  const info = takeUserinfo(raw);
  if (!info) return { url: raw, auth: null };
  const scheme = info.scheme.toLowerCase();
  if (scheme === 'ssh' || scheme === 'git+ssh') {
    // An SSH user name is not a secret (and is needed); a password in an SSH URL is never used by git.
    return { url: `${info.scheme}://${info.rawUser}@${info.rest}`, auth: null };
  }
  const url = `${info.scheme}://${info.rest}`;
  if (scheme !== 'http' && scheme !== 'https') return { url, auth: null };
  return { url, auth: new RemoteAuth(`${scheme}://${info.rest.split('/')[0]}`, info.user, info.password) };
}

/**
 * Refs and URLs come from job configs and list files, which the batch does not trust: one that git
 * could read as an option (`--upload-pack=…`) or that git itself would refuse as a ref is refused here,
 * before any git command sees it. Every git call also puts `--` before user-supplied arguments.
 */
export function checkRemote(url: string, branch: string | null): void {
  if (url.startsWith('-') || /[\0-\x1f\x7f]/.test(url)) throw new GitError(`refused repository URL ${JSON.stringify(redactUrl(url).slice(0, 200))}: it starts with "-" or holds control characters`);
  if (branch !== null && !isSafeBranch(branch)) throw new GitError(`refused branch name ${JSON.stringify(branch.slice(0, 200))}: not a valid Git branch name`);
}

/** The transports a repository URL from a Jenkins job config may use, as git names them (`GIT_ALLOW_PROTOCOL`). */
const NETWORK_PROTOCOLS = ['https', 'http', 'ssh', 'git'] as const;

/**
 * Whether git would reach `url` over the network: `https://`, `http://`, `ssh://` (and git's `git+ssh://`),
 * `git://`, or scp-like `user@host:path`. Not `file://` or a path (any repository the batch user can read), nor git's
 * `<helper>::` forms (`fd::` reads a descriptor, `ext::` runs a command). A host starting with `-` would be an option to ssh.
 */
export function isNetworkRemote(url: string): boolean {
  if (/^(?:https?|ssh|git\+ssh|ssh\+git|git):\/\/(?:[^/@\s]*@)?[^-/@\s][^/@\s]*(?:\/|$)/i.test(url)) return true;
  // git reads `user@host:path` as SSH when the colon comes before any slash.
  return /^[^-/@:\s][^/@:\s]*@[^-/@:\s][^/:\s]*:(?!\/\/)/.test(url);
}

/** `git check-ref-format --branch` rules, plus no leading `-`. */
export function isSafeBranch(name: string): boolean {
  if (name === '' || name.startsWith('-') || name.startsWith('/') || name.endsWith('/') || name.endsWith('.') || name.endsWith('.lock')) return false;
  if (/[\0-\x20\x7f~^:?*[\\]|\.\.|@\{|\/\/|(^|\/)\./.test(name)) return false;
  return name !== '@';
}

/** Runs git; the error carries git's last stderr line with any URL credentials removed. */
export function git(args: string[], opts: { cwd?: string; timeoutMs?: number } & RemoteAccess = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd: opts.cwd, env: gitEnv(opts.auth?.gitConfig(), opts.networkOnly), timeout: opts.timeoutMs ?? 300_000, maxBuffer: 256 * 1024 * 1024, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      const timedOut = (err as NodeJS.ErrnoException & { killed?: boolean }).killed === true;
      const detail = timedOut ? `timed out after ${Math.round((opts.timeoutMs ?? 300_000) / 1000)} s`
        : (firstProblem(stderr) ?? err.message);
      reject(new GitError(`git ${args[0]}: ${redactUrl(detail)}`));
    });
  });
}

/** git's own diagnosis (`fatal: …`), not the generic advice it prints after it. */
function firstProblem(stderr: string): string | null {
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /^(fatal|error):/.test(l)) ?? lines.pop() ?? null;
}

/** `https://user:token@host/x.git` → `https://host/x.git`: repository URLs may carry credentials. */
export function redactUrl(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1');
}

/** The repository's name from its URL: `git@host:team/order-service.git` → `order-service`. */
export function repoNameFromUrl(url: string): string {
  const last = url.replace(/[#?].*$/, '').replace(/\/+$/, '').split(/[/:]/).pop() ?? 'repo';
  return last.replace(/\.git$/, '') || 'repo';
}

/** A stable directory for one (url, branch) in the clone cache. */
export function cacheDirFor(cacheRoot: string, url: string, branch: string | null): string {
  const hash = createHash('sha256').update(`${url}\u0000${branch ?? ''}`).digest('hex').slice(0, 12);
  return path.join(cacheRoot, `${repoNameFromUrl(url).replace(/[^\w.-]/g, '_')}-${hash}`);
}

/** How git may reach a remote: the credentials from its URL, and whether only network transports are allowed. */
export interface RemoteAccess {
  auth?: RemoteAuth | null;
  /** The URL came from a Jenkins job config: git may use `NETWORK_PROTOCOLS` only (no `file://`, path, `fd::`, `ext::`). */
  networkOnly?: boolean;
}

/** The commit the branch (or the default branch) points at on the remote, without fetching. */
export async function remoteHead(url: string, branch: string | null, timeoutMs?: number, access: RemoteAccess = {}): Promise<string> {
  checkRemote(url, branch);
  const ref = branch ? `refs/heads/${branch}` : 'HEAD';
  const out = await git(['ls-remote', '--', url, ref], { timeoutMs: timeoutMs ?? 60_000, ...access });
  const sha = out.split('\n').find((l) => l.endsWith(`\t${ref}`))?.split('\t')[0];
  if (!sha) throw new GitError(`git ls-remote: ${branch ? `branch ${branch}` : 'HEAD'} not found`);
  return sha;
}

export interface FetchOptions extends RemoteAccess {
  timeoutMs?: number;
  /** Fetch this much history (for recent committers) instead of a single commit; falls back to one. */
  historySince?: string;
}

/** Clones (or re-fetches) one branch shallowly into `dir` and checks it out; returns the commit. */
export async function fetchRepository(url: string, branch: string | null, dir: string, opts: FetchOptions = {}): Promise<string> {
  checkRemote(url, branch);
  const timeoutMs = opts.timeoutMs;
  const access: RemoteAccess = { auth: opts.auth ?? null, networkOnly: opts.networkOnly === true };
  const depthArgs = async (run: (depth: string[]) => Promise<unknown>) => {
    if (opts.historySince) {
      try {
        return await run([`--shallow-since=${opts.historySince}`]);
      } catch (e) {
        // No commit in the window ("no commits selected for shallow requests"): one commit will do.
        if (!/shallow|commits selected/i.test((e as Error).message)) throw e;
      }
    }
    return run(['--depth', '1']);
  };
  if (existsSync(path.join(dir, '.git'))) {
    try {
      // A cache written by an older version may hold credentials in its origin URL: it gets the clean one.
      await git(['config', 'remote.origin.url', url], { cwd: dir });
      await depthArgs((depth) => git(['fetch', '--quiet', '--no-tags', ...depth, '--', 'origin', branch ?? 'HEAD'], { cwd: dir, timeoutMs, ...access }));
      await git(['reset', '--quiet', '--hard', 'FETCH_HEAD'], { cwd: dir, timeoutMs });
      await git(['clean', '-qfdx'], { cwd: dir, timeoutMs });
      return (await git(['rev-parse', 'HEAD'], { cwd: dir })).trim();
    } catch {
      rmSync(dir, { recursive: true, force: true }); // a broken cache entry is cloned afresh
    }
  }
  mkdirSync(path.dirname(dir), { recursive: true });
  await depthArgs(async (depth) => {
    rmSync(dir, { recursive: true, force: true });
    await git(['clone', '--quiet', '--no-tags', '--single-branch', ...depth, ...(branch ? ['--branch', branch] : []), '--', url, dir], { timeoutMs, ...access });
  });
  return (await git(['rev-parse', 'HEAD'], { cwd: dir })).trim();
}

/** Blob hash of every tracked file: equal hash, equal content, without reading the file. */
export async function blobHashes(dir: string): Promise<Map<string, string>> {
  const out = await git(['ls-files', '-s', '-z'], { cwd: dir });
  const map = new Map<string, string>();
  for (const entry of out.split('\0')) {
    const m = /^\d+ ([0-9a-f]+) \d+\t(.*)$/s.exec(entry);
    if (m) map.set(m[2]!, m[1]!);
  }
  return map;
}

/** Total size of the files at HEAD, from the tree objects (no file is read). */
export async function treeSize(dir: string): Promise<number> {
  const out = await git(['ls-tree', '-r', '-l', '-z', 'HEAD'], { cwd: dir });
  let total = 0;
  for (const entry of out.split('\0')) {
    const size = /^\d+ blob [0-9a-f]+\s+(\d+)\t/.exec(entry)?.[1];
    if (size) total += Number(size);
  }
  return total;
}

export interface Committer {
  name: string;
  email: string;
  commits: number;
}

/** Authors of the commits since `since` (what the clone holds) touching `root`, most commits first. */
export async function recentCommitters(dir: string, since: string, top = 3, root = '.'): Promise<Committer[]> {
  const out = await git(['log', `--since=${since}`, '--no-merges', '--format=%aN%x09%aE', '--', root], { cwd: dir });
  const counts = new Map<string, Committer>();
  for (const line of out.split('\n')) {
    const [name, email] = line.split('\t');
    if (!name || !email || /\[bot\]|noreply|jenkins/i.test(`${name} ${email}`)) continue;
    const c = counts.get(email.toLowerCase()) ?? { name, email, commits: 0 };
    c.commits++;
    counts.set(email.toLowerCase(), c);
  }
  return [...counts.values()].sort((a, b) => b.commits - a.commits || (a.email < b.email ? -1 : 1)).slice(0, top);
}
