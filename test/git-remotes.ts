/**
 * Local bare Git repositories standing in for the company's Git server: created by the
 * tests, reached as file:// URLs (or through an `insteadOf` rewrite of the URLs Jenkins
 * names), so batch tests need no network. Commits have fixed authors and dates.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function git(args: string[], cwd: string, date = '2026-10-01T10:00:00Z', author = 'Li Wei <li.wei@acme.example>'): void {
  const [name, email] = /^(.*) <(.*)>$/.exec(author)!.slice(1) as [string, string];
  execFileSync('git', args, {
    cwd, stdio: 'ignore',
    env: { ...process.env, GIT_AUTHOR_NAME: name, GIT_AUTHOR_EMAIL: email, GIT_COMMITTER_NAME: name, GIT_COMMITTER_EMAIL: email, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
  });
}

export interface Commit {
  files: Record<string, string | null>;
  author?: string;
  date?: string;
  message?: string;
}

/** A bare repository at `<root>/<name>.git` with one branch built from the given commits. */
export function createRemote(root: string, name: string, commits: Commit[], branch = 'main'): string {
  const bare = path.join(root, `${name}.git`);
  const work = mkdtempSync(path.join(os.tmpdir(), 'cmdb-work-'));
  try {
    git(['init', '-q', '-b', branch], work);
    for (const c of commits) writeCommit(work, c);
    mkdirSync(path.dirname(bare), { recursive: true });
    execFileSync('git', ['clone', '-q', '--bare', work, bare], { stdio: 'ignore' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return bare;
}

function writeCommit(work: string, c: Commit): void {
  for (const [file, content] of Object.entries(c.files)) {
    const abs = path.join(work, file);
    if (content === null) rmSync(abs, { force: true });
    else {
      mkdirSync(path.dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    }
  }
  git(['add', '-A'], work);
  git(['commit', '-q', '-m', c.message ?? 'change'], work, c.date, c.author);
}

/** Adds a commit to a branch of a bare repository (a push from a developer). */
export function pushCommit(bare: string, c: Commit, branch = 'main'): void {
  const work = mkdtempSync(path.join(os.tmpdir(), 'cmdb-work-'));
  try {
    execFileSync('git', ['clone', '-q', '--branch', branch, bare, work], { stdio: 'ignore' });
    writeCommit(work, c);
    execFileSync('git', ['push', '-q', 'origin', branch], { cwd: work, stdio: 'ignore' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Adds a branch (from the current default branch) with one more commit. */
export function pushBranch(bare: string, branch: string, c: Commit): void {
  const work = mkdtempSync(path.join(os.tmpdir(), 'cmdb-work-'));
  try {
    execFileSync('git', ['clone', '-q', bare, work], { stdio: 'ignore' });
    execFileSync('git', ['checkout', '-q', '-b', branch], { cwd: work, stdio: 'ignore' });
    writeCommit(work, c);
    execFileSync('git', ['push', '-q', 'origin', branch], { cwd: work, stdio: 'ignore' });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * Environment that makes git read `https://git.acme.internal/…` from `<root>/…` (GIT_CONFIG_COUNT, git ≥ 2.31). The
 * rewrite lands on git's file transport, which a batch refuses for URLs Jenkins names unless the operator allows it
 * (`GIT_ALLOW_PROTOCOL`, as one would for a mirror on disk).
 */
export function rewriteGitServer(root: string): Record<string, string> {
  return { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: `url.file://${root}/.insteadOf`, GIT_CONFIG_VALUE_0: 'https://git.acme.internal/', GIT_ALLOW_PROTOCOL: 'file' };
}
