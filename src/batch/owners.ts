/**
 * Who owns an app: CODEOWNERS (root, .github/, docs/, .gitlab/; the last matching rule
 * wins, as on GitHub and GitLab), Maven `<developers>`, package.json `author` and
 * `maintainers`, the top committers of recent months, and, when configured, the GitLab
 * project's maintainers. Every owner keeps the source it came from.
 */
import { DOMParser } from '@xmldom/xmldom';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { z } from 'zod';
import type { App } from '../result-model.js';
import type { Committer } from './git.js';
import { guardedFetch } from '../http.js';

export const OwnerSource = z.enum(['codeowners', 'maven', 'package.json', 'git-log', 'gitlab']);
export const Owner = z.object({
  app: z.string(),
  /** A person, a team (`@acme/payments`) or an email address. */
  owner: z.string(),
  email: z.string().nullable(),
  source: OwnerSource,
});
export type Owner = z.infer<typeof Owner>;

const CODEOWNERS_LOCATIONS = ['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS'];

function readIf(file: string): string | null {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}

/** Owners of a directory from CODEOWNERS: the last rule matching a file in it. */
export function codeOwnersOf(text: string, dir: string): string[] {
  let owners: string[] = [];
  const probe = dir === '.' ? 'any-file' : `${dir}/any-file`;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line || line.startsWith('[')) continue; // GitLab sections
    const [pattern, ...names] = line.split(/\s+/);
    if (!pattern) continue;
    if (ignore().add(pattern).ignores(probe) || (pattern.replace(/^\//, '').replace(/\/?\*{0,2}$/, '') === dir)) owners = names;
  }
  return owners;
}

function mavenDevelopers(pom: string): Array<{ owner: string; email: string | null }> {
  const doc = new DOMParser({ onError: () => undefined }).parseFromString(pom, 'text/xml');
  const out: Array<{ owner: string; email: string | null }> = [];
  for (const dev of Array.from(doc.getElementsByTagName('developer'))) {
    const get = (tag: string) => dev.getElementsByTagName(tag)[0]?.textContent?.trim() || null;
    const owner = get('name') ?? get('id') ?? get('email');
    if (owner) out.push({ owner, email: get('email') });
  }
  return out;
}

function packagePeople(json: string): Array<{ owner: string; email: string | null }> {
  let pkg: { author?: unknown; maintainers?: unknown };
  try {
    pkg = JSON.parse(json) as typeof pkg;
  } catch {
    return [];
  }
  const person = (p: unknown): { owner: string; email: string | null } | null => {
    if (typeof p === 'string') {
      const m = /^([^<(]+?)\s*(?:<([^>]+)>)?\s*(?:\(.*\))?$/.exec(p.trim());
      return m?.[1] ? { owner: m[1], email: m[2] ?? null } : null;
    }
    if (p && typeof p === 'object' && typeof (p as { name?: unknown }).name === 'string') {
      const o = p as { name: string; email?: string };
      return { owner: o.name, email: o.email ?? null };
    }
    return null;
  };
  return [pkg.author, ...(Array.isArray(pkg.maintainers) ? pkg.maintainers : [])].map(person).filter((x): x is { owner: string; email: string | null } => x !== null);
}

/** Owners of each app found in files of the checkout, plus the recent committers of its directory (by app root). */
export function findOwners(checkout: string, apps: App[], committers: ReadonlyMap<string, Committer[]> = new Map(), gitlabMaintainers: Array<{ owner: string; email: string | null }> = []): Owner[] {
  let codeowners: string | null = null;
  for (const f of CODEOWNERS_LOCATIONS) if ((codeowners = readIf(path.join(checkout, f))) !== null) break;
  const out: Owner[] = [];
  const add = (o: Owner) => {
    if (!out.some((x) => x.app === o.app && x.owner === o.owner && x.source === o.source)) out.push(o);
  };
  for (const app of apps) {
    if (codeowners) for (const name of codeOwnersOf(codeowners, app.root)) add({ app: app.name, owner: name, email: name.includes('@') && !name.startsWith('@') ? name : null, source: 'codeowners' });
    const pom = readIf(path.join(checkout, app.root, 'pom.xml'));
    if (pom !== null) for (const d of mavenDevelopers(pom)) add({ app: app.name, ...d, source: 'maven' });
    const pkg = readIf(path.join(checkout, app.root, 'package.json'));
    if (pkg !== null) for (const p of packagePeople(pkg)) add({ app: app.name, ...p, source: 'package.json' });
    for (const c of committers.get(app.root) ?? []) add({ app: app.name, owner: c.name, email: c.email, source: 'git-log' });
    for (const m of gitlabMaintainers) add({ app: app.name, ...m, source: 'gitlab' });
  }
  return out;
}

/** GitLab project maintainers (access level 40+) for a repository URL on that GitLab. */
export async function gitlabMaintainers(gitlabUrl: string, token: string, repoUrl: string): Promise<Array<{ owner: string; email: string | null }>> {
  const base = gitlabUrl.replace(/\/$/, '');
  const host = new URL(base).host;
  const m = new RegExp(`${host.replace(/[.]/g, '\\.')}[:/](.+?)(?:\\.git)?/?$`).exec(repoUrl);
  if (!m) return [];
  // The token is a header: a redirect to another origin is refused rather than followed with it (fetch would keep it).
  const res = await guardedFetch({ timeoutMs: 15_000, maxBytes: 16 * 1024 * 1024, redirect: 'same-origin' })(
    `${base}/api/v4/projects/${encodeURIComponent(m[1]!)}/members/all?per_page=100`, { headers: { 'private-token': token } },
  );
  if (!res.ok) throw new Error(`GitLab members of ${m[1]}: HTTP ${res.status}`);
  const members = await res.json() as Array<{ username: string; name: string; access_level: number; state?: string; public_email?: string }>;
  return members.filter((x) => x.access_level >= 40 && x.state !== 'blocked').map((x) => ({ owner: x.username, email: x.public_email || null }));
}
