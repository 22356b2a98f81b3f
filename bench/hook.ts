/**
 * What a pre-commit hook costs (issue 28 §2): `cmdb-scan scan --staged` on a three-file change in a large
 * repository, by its bin, in a fresh process each time, beside Node's own start-up and `--version` (what loading the
 * CLI costs before any work). The repository is the bench's tree, hard-linked into a temporary git repository and
 * committed once; three of its files get a line each and are staged.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Wall and CPU of one run, from GNU time. */
function timed(command: string, args: string[], cwd: string): { wall: number; cpu: number } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', command, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+)\s*$/.exec(r.stderr ?? '');
  if (!m) throw new Error(`${command} ${args.join(' ')}: ${r.stderr}`);
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Files of the tree a change would touch: the first config YAML, properties file and code file found. */
function pickFiles(root: string): string[] {
  const wanted = [/\.ya?ml$/, /\.properties$/, /\.(java|py|ts|js|go)$/];
  const found: Array<string | undefined> = wanted.map(() => undefined);
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (found.every(Boolean)) return;
      if (e.name === '.git' || e.name === 'node_modules') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else wanted.forEach((re, i) => { if (!found[i] && re.test(e.name)) found[i] = p; });
    }
  };
  walk(root);
  return found.filter((f): f is string => f !== undefined);
}

export function benchStagedHook(tree: string, link: (from: string, to: string) => void, runs = 9): string[] {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-hook-'));
  try {
    const repo = path.join(tmp, 'repo');
    link(tree, repo);
    const git = (...args: string[]) => {
      const r = spawnSync('git', ['-C', repo, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', ...args], { stdio: 'ignore' });
      if (r.status !== 0) throw new Error(`git ${args[0]} failed`);
    };
    git('init', '-q');
    git('add', '-A');
    git('commit', '-q', '-m', 'tree');
    const files = pickFiles(repo);
    for (const f of files) {
      // A hard link would change the bench's own tree: each file is made a copy of its own first.
      copyFileSync(f, `${f}.copy`);
      unlinkSync(f);
      copyFileSync(`${f}.copy`, f);
      unlinkSync(`${f}.copy`);
      appendFileSync(f, f.endsWith('.properties') ? '\nspring.redis.password=Hook-Bench-2026\n' : '\n');
    }
    git('add', '-f', ...files.map((f) => path.relative(repo, f)));
    const cli = path.resolve('dist/bin/cli.js');
    const node = Array.from({ length: runs }, () => timed(process.execPath, ['-e', ''], repo));
    const version = Array.from({ length: runs }, () => timed(process.execPath, [cli, '--version'], repo));
    const staged = Array.from({ length: runs }, () => timed(process.execPath, [cli, 'scan', '.', '--staged', '-q', '-f', 'json'], repo));
    const fmt = (xs: Array<{ wall: number; cpu: number }>) => `median ${median(xs.map((x) => x.wall)).toFixed(2)} s wall, ${median(xs.map((x) => x.cpu)).toFixed(2)} s CPU`;
    return [
      `pre-commit hook (scan --staged, ${files.length} staged files of ${path.basename(tree)}), ${runs} runs each: ${fmt(staged)}`,
      `  node -e '': ${fmt(node)}; cmdb-scan --version (loading the CLI): ${fmt(version)}`,
    ];
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
