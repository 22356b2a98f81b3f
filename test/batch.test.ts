import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { discoverJenkinsHome, JenkinsClient, readTargetList } from '../src/batch/jenkins.js';
import { parseJobConfig } from '../src/batch/jenkins-config.js';
import { groupTargets, parseShard, runBatch, selectShard, type BatchRepo } from '../src/batch/run.js';
import { Inventory } from '../src/inventory.js';
import { renderTable } from '../src/reporters/index.js';
import { startFakeJenkins, type FakeJenkins, type FakeJob } from './fake-jenkins.js';
import { createRemote, pushBranch, pushCommit, rewriteGitServer } from './git-remotes.js';
import { CLI, FIXTURES, ROOT, runAsync } from './helpers.js';
import { startPostgres, type PostgresServer } from '../bench/postgres-server.js';

const HOME = path.join(FIXTURES, 'jenkins-home');

let gitRoot: string;
let tmp: string;
const savedEnv = { ...process.env };

const ORDER_YML = `spring:
  application:
    name: order-service
  datasource:
    url: jdbc:mysql://10.20.1.5:3306/orders?useSSL=false
    username: order_rw
  redis:
    host: 10.20.1.9
    port: 6379
`;

/** The company's Git server: the repositories the JENKINS_HOME fixture's jobs name. */
function createAcmeRemotes(root: string): void {
  createRemote(root, 'team/order-service', [
    {
      author: 'Zhang San <zhang.san@acme.example>', date: '2026-09-01T10:00:00Z',
      files: {
        'pom.xml': '<project><modelVersion>4.0.0</modelVersion><artifactId>order-service</artifactId><developers><developer><id>zhang.san</id><name>Zhang San</name><email>zhang.san@acme.example</email></developer></developers></project>\n',
        '.github/CODEOWNERS': '# Order team owns everything here\n*       @acme/order-team\n/docs/  @acme/tech-writers\n',
        'src/main/resources/application.yml': ORDER_YML,
        'src/main/java/com/acme/order/OrderApplication.java': 'package com.acme.order;\n\npublic class OrderApplication {\n  public static void main(String[] args) {}\n}\n',
        'README.md': '# order-service\n',
      },
    },
    { author: 'Li Wei <li.wei@acme.example>', date: '2026-10-02T10:00:00Z', files: { 'src/main/resources/logback.xml': '<configuration/>\n' } },
    { author: 'Zhang San <zhang.san@acme.example>', date: '2026-10-03T10:00:00Z', files: { 'README.md': '# order-service\n\nOrders.\n' } },
  ]);
  const payments = createRemote(root, 'team/payments', [{
    author: 'Wang Fang <wang.fang@acme.example>',
    files: {
      'package.json': JSON.stringify({ name: 'payments', author: 'Wang Fang <wang.fang@acme.example>', maintainers: [{ name: 'Chen Jie', email: 'chen.jie@acme.example' }] }, null, 2) + '\n',
      '.env': 'DATABASE_URL=postgres://pay@pg-pay.acme.internal:5432/payments\nKAFKA_BROKERS=10.20.3.1:9092,10.20.3.2:9092\n',
    },
  }]);
  pushBranch(payments, 'feature/retry', { files: { 'retry.md': 'retry\n' } });
  createRemote(root, 'legacy/portal', [{ files: { 'src/main/resources/jdbc.properties': 'jdbc.url=jdbc:oracle:thin:@10.30.0.7:1521:PORTAL\njdbc.username=portal\n' } }], 'release');
  createRemote(root, 'data/report-jobs', [{
    files: { 'reports/daily.py': 'from clickhouse_driver import Client\n\nclient = Client(host="ch-report.acme.internal", port=9000, database="reports")\n' },
  }], 'develop');
}

beforeAll(() => {
  gitRoot = mkdtempSync(path.join(os.tmpdir(), 'cmdb-git-'));
  createAcmeRemotes(gitRoot);
});
afterAll(() => rmSync(gitRoot, { recursive: true, force: true }));

let jenkins: FakeJenkins | undefined;
afterEach(async () => {
  await jenkins?.close();
  jenkins = undefined;
  process.env = { ...savedEnv };
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

function jobConfig(rel: string): string {
  return readFileSync(path.join(HOME, 'jobs', rel, 'config.xml'), 'utf8');
}

/** The JENKINS_HOME fixture served over REST, plus the faults a real instance has. */
function fakeJobs(): FakeJob[] {
  const pipeline = 'org.jenkinsci.plugins.workflow.job.WorkflowJob';
  return [
    { name: 'broken', _class: 'hudson.model.FreeStyleProject', config: jobConfig('broken') },
    { name: 'deploy-order-prod', _class: pipeline, config: jobConfig('deploy-order-prod') },
    { name: 'flaky', _class: pipeline, config: 500 },
    { name: 'forbidden', _class: pipeline, config: 403 },
    { name: 'legacy-portal', _class: 'hudson.model.FreeStyleProject', config: jobConfig('legacy-portal') },
    { name: 'nightly-report', _class: pipeline, config: jobConfig('nightly-report') },
    { name: 'no-scm', _class: 'hudson.model.FreeStyleProject', config: jobConfig('no-scm') },
    {
      name: 'team', _class: 'com.cloudbees.hudson.plugins.folder.Folder', config: jobConfig('team'),
      jobs: [
        { name: 'order-service', _class: pipeline, config: jobConfig('team/jobs/order-service') },
        {
          name: 'payments', _class: 'org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject', config: jobConfig('team/jobs/payments'),
          jobs: [{ name: 'feature%2Fretry', _class: pipeline, config: '<flow-definition/>' }, { name: 'main', _class: pipeline, config: '<flow-definition/>' }],
        },
      ],
    },
  ];
}

describe('job discovery', () => {
  const expected = JSON.parse(readFileSync(path.join(HOME, 'expected-discovery.json'), 'utf8')) as Awaited<ReturnType<typeof discoverJenkinsHome>>;

  it('reads a JENKINS_HOME offline: folders, multibranch, freestyle, pipelines from SCM and inline', async () => {
    expect(await discoverJenkinsHome(HOME)).toEqual(expected);
  });

  it('walks the REST API (paged, with auth) to the same targets, reporting unreadable jobs', async () => {
    jenkins = await startFakeJenkins(fakeJobs(), { user: 'cmdb', token: 's3cret-api-token' });
    const found = await new JenkinsClient(jenkins.url, { user: 'cmdb', token: 's3cret-api-token', pageSize: 3, retries: 1 }).discover();
    expect(found.targets).toEqual(expected.targets);
    expect(found.problems).toEqual([
      expected.problems[0],
      { job: 'flaky', reason: 'HTTP 500' },
      { job: 'forbidden', reason: 'HTTP 403: not authorised (set JENKINS_USER and JENKINS_TOKEN)' },
      expected.problems[1],
    ]);
    expect(jenkins.requests.filter((r) => r.startsWith('/job/flaky/config.xml'))).toHaveLength(2); // retried once
    expect(jenkins.requests.some((r) => /\{3,6\}/.test(decodeURIComponent(r)))).toBe(true); // second page asked for
  });

  it('says clearly when Jenkins wants credentials', async () => {
    jenkins = await startFakeJenkins(fakeJobs(), { user: 'cmdb', token: 's3cret-api-token' });
    await expect(new JenkinsClient(jenkins.url).discover()).rejects.toThrow(/HTTP 401: not authorised/);
  });

  it('says why a job has no repository, and reads branches as Jenkins writes them', () => {
    const gitJob = (url: string, branch: string) => `<project><scm class="hudson.plugins.git.GitSCM"><userRemoteConfigs><hudson.plugins.git.UserRemoteConfig><url>${url}</url></hudson.plugins.git.UserRemoteConfig></userRemoteConfigs><branches><hudson.plugins.git.BranchSpec><name>${branch}</name></hudson.plugins.git.BranchSpec></branches></scm></project>`;
    expect(parseJobConfig(gitJob('${REPO_URL}', '*/main'))).toMatchObject({ url: null, note: 'the repository URL is a build parameter (${REPO_URL})' });
    expect(parseJobConfig('<project><scm class="hudson.scm.SubversionSCM"><locations/></scm></project>')).toMatchObject({ url: null, note: 'uses SubversionSCM, not Git' });
    expect(parseJobConfig(gitJob('git@git.acme.internal:team/a.git', 'refs/tags/v1.2'))).toMatchObject({ url: 'git@git.acme.internal:team/a.git', branch: null });
    expect(parseJobConfig(gitJob('git@git.acme.internal:team/a.git', 'refs/heads/release/2026'))).toMatchObject({ branch: 'release/2026' });
    expect(parseJobConfig(gitJob('git@git.acme.internal:team/a.git', '${BRANCH}'))).toMatchObject({ branch: null });
    const github = '<org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject><sources><data><jenkins.branch.BranchSource><source class="org.jenkinsci.plugins.github_branch_source.GitHubSCMSource"><credentialsId>gh</credentialsId><repoOwner>acme</repoOwner><repository>billing</repository></source></jenkins.branch.BranchSource></data></sources></org.jenkinsci.plugins.workflow.multibranch.WorkflowMultiBranchProject>';
    expect(parseJobConfig(github)).toMatchObject({ type: 'multibranch', url: 'https://github.com/acme/billing.git', credentialsId: 'gh' });
  });

  it('reads a plain list or CSV of repositories', () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-batch-'));
    const file = path.join(tmp, 'repos.csv');
    writeFileSync(file, 'url,branch,app\nhttps://git.acme.internal/team/payments.git,main,payments\n# retired\ngit@git.acme.internal:legacy/portal.git,,\nnot-a-url\n');
    expect(readTargetList(file)).toEqual({
      targets: [
        { job: null, url: 'https://git.acme.internal/team/payments.git', branch: 'main', app: 'payments', credentialsId: null, scriptPath: null },
        { job: null, url: 'git@git.acme.internal:legacy/portal.git', branch: null, app: null, credentialsId: null, scriptPath: null },
      ],
      problems: [{ job: `${file}:5`, reason: 'not a repository URL: not-a-url' }],
    });
  });
});

describe('batch scan', () => {
  it('maps job → repository → app → resources and owners exactly, from JENKINS_HOME', async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-batch-'));
    Object.assign(process.env, rewriteGitServer(gitRoot));
    const inventory = Inventory.open(path.join(tmp, 'inv.db'));
    try {
      const summary = await runBatch(await discoverJenkinsHome(HOME), { inventory, cacheDir: path.join(tmp, 'cache'), concurrency: 2, ownersSince: '2026-01-01' });
      expect(summary.repos.map((r) => [r.url, r.branch, r.jobs, r.status, r.connections])).toEqual([
        ['https://git.acme.internal/data/report-jobs.git', 'develop', ['nightly-report'], 'scanned', 1],
        ['https://git.acme.internal/legacy/portal.git', 'release', ['legacy-portal'], 'scanned', 1],
        ['https://git.acme.internal/team/order-service.git', 'main', ['deploy-order-prod', 'team/order-service'], 'scanned', 2],
        ['https://git.acme.internal/team/payments.git', 'main', ['team/payments'], 'scanned', 3],
      ]);
      const apps = inventory.store.prepare(`SELECT r.remote_url AS url, r.branch, a.name, a.root, a.jenkins_job AS job, a.owner
        FROM apps a JOIN repos r ON r.id = a.repo_id ORDER BY r.remote_url, a.root`).all();
      expect(apps).toEqual([
        { url: 'https://git.acme.internal/data/report-jobs.git', branch: 'develop', name: 'report-jobs', root: '.', job: 'nightly-report', owner: 'Li Wei' },
        { url: 'https://git.acme.internal/legacy/portal.git', branch: 'release', name: 'portal', root: '.', job: 'legacy-portal', owner: 'Li Wei' },
        { url: 'https://git.acme.internal/team/order-service.git', branch: 'main', name: 'order-service', root: '.', job: 'deploy-order-prod, team/order-service', owner: '@acme/order-team' },
        { url: 'https://git.acme.internal/team/payments.git', branch: 'main', name: 'payments', root: '.', job: 'team/payments', owner: 'Wang Fang' },
      ]);
      const owners = inventory.store.prepare(`SELECT a.name AS app, o.owner, o.email, o.source FROM app_owners o JOIN apps a ON a.id = o.app_id
        WHERE a.name IN ('order-service', 'payments') ORDER BY a.name, o.id`).all();
      expect(owners).toEqual([
        { app: 'order-service', owner: '@acme/order-team', email: null, source: 'codeowners' },
        { app: 'order-service', owner: 'Zhang San', email: 'zhang.san@acme.example', source: 'maven' },
        { app: 'order-service', owner: 'Zhang San', email: 'zhang.san@acme.example', source: 'git-log' },
        { app: 'order-service', owner: 'Li Wei', email: 'li.wei@acme.example', source: 'git-log' },
        { app: 'payments', owner: 'Wang Fang', email: 'wang.fang@acme.example', source: 'package.json' },
        { app: 'payments', owner: 'Chen Jie', email: 'chen.jie@acme.example', source: 'package.json' },
        { app: 'payments', owner: 'Wang Fang', email: 'wang.fang@acme.example', source: 'git-log' },
      ]);
      const report = inventory.report();
      const order = report.repos.find((r) => r.path.endsWith('order-service.git#main'))!;
      expect(order.apps[0]).toMatchObject({ name: 'order-service', jenkinsJob: 'deploy-order-prod, team/order-service' });
      expect(order.apps[0]!.owners?.map((o) => o.source)).toEqual(['codeowners', 'maven', 'git-log', 'git-log']);
      expect(renderTable(report)).toContain('  order-service: jenkins deploy-order-prod, team/order-service; owners @acme/order-team, Zhang San, Li Wei\n');
      const uses = inventory.connectionsUsing('10.20.1.5:3306');
      expect(uses.map((c) => [c.repo, c.app, c.database])).toEqual([['https://git.acme.internal/team/order-service.git#main', 'order-service', 'orders']]);
    } finally {
      inventory.close();
    }
  });

  it('records a failing repository with its reason and goes on', async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-batch-'));
    const inventory = Inventory.open(path.join(tmp, 'inv.db'));
    try {
      const summary = await runBatch({
        targets: [
          { job: 'gone', url: `file://${gitRoot}/team/deleted.git`, branch: 'main', app: null, credentialsId: null, scriptPath: null },
          { job: 'wrong-branch', url: `file://${gitRoot}/legacy/portal.git`, branch: 'main', app: null, credentialsId: null, scriptPath: null },
          { job: 'ok', url: `file://${gitRoot}/legacy/portal.git`, branch: 'release', app: null, credentialsId: null, scriptPath: null },
          { job: 'huge', url: `file://${gitRoot}/team/order-service.git`, branch: 'main', app: null, credentialsId: null, scriptPath: null },
        ], problems: [],
      }, { inventory, cacheDir: path.join(tmp, 'cache'), ownersSince: null, maxRepoBytes: 400 });
      expect(summary.repos.map((r) => [r.jobs[0], r.status])).toEqual([['wrong-branch', 'failed'], ['ok', 'scanned'], ['gone', 'failed'], ['huge', 'failed']]);
      expect(summary.repos[3]!.reason).toMatch(/^too large: \d+ MB of files, over the 0 MB limit/);
      expect(summary.repos[0]!.reason).toBe('git ls-remote: branch main not found');
      expect(summary.repos[2]!.reason).toMatch(/^git ls-remote: .*(does not appear to be a git repository|Could not read)/);
      const failed = inventory.store.prepare("SELECT jobs, reason FROM batch_targets WHERE status = 'failed' ORDER BY jobs").all() as Array<{ jobs: string }>;
      expect(failed.map((f) => f.jobs)).toEqual(['gone', 'huge', 'wrong-branch']);
    } finally {
      inventory.close();
    }
  });

  it('rescans only what changed: unchanged repositories are skipped, changed ones re-read only changed files', async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-batch-'));
    const remote = createRemote(tmp, 'remotes/inc', [{
      files: Object.fromEntries([
        ['src/main/resources/application.yml', ORDER_YML],
        ...Array.from({ length: 20 }, (_, i) => [`src/main/java/com/acme/C${i}.java`, `package com.acme;\nclass C${i} { String jdbc = "jdbc:mysql://10.40.0.${i}:3306/db${i}"; }\n`]),
      ]),
    }]);
    const discovery = { targets: [{ job: 'inc', url: `file://${remote}`, branch: 'main', app: null, credentialsId: null, scriptPath: null }], problems: [] };
    const inventory = Inventory.open(path.join(tmp, 'inv.db'));
    const opts = { inventory, cacheDir: path.join(tmp, 'cache'), ownersSince: null };
    try {
      const first = await runBatch(discovery, opts);
      expect(first.repos[0]).toMatchObject({ status: 'scanned', filesRead: 21, filesReused: 0, connections: 22 });
      const unchanged = await runBatch(discovery, opts);
      expect(unchanged.repos[0]).toMatchObject({ status: 'unchanged', filesRead: 0 });
      // Other settings, other results: nothing stored is reused and the repository is scanned again.
      const otherKeywords = await runBatch(discovery, { ...opts, scan: { keywords: ['jdbc', 'redis'] } });
      expect(otherKeywords.repos[0]).toMatchObject({ status: 'scanned', filesRead: 21, filesReused: 0 });
      await runBatch(discovery, opts);
      pushCommit(remote, { files: { 'src/main/resources/application.yml': ORDER_YML.replace('10.20.1.9', '10.20.1.10'), 'src/main/java/com/acme/C3.java': null } });
      const changed = await runBatch(discovery, opts);
      expect(changed.repos[0]).toMatchObject({ status: 'scanned', filesRead: 1, filesReused: 19, connections: 21 });
      // The same inventory a full scan of the new commit gives.
      const fresh = Inventory.open(path.join(tmp, 'fresh.db'));
      try {
        await runBatch(discovery, { ...opts, inventory: fresh, cacheDir: path.join(tmp, 'cache2') });
        expect(inventory.report().connections).toEqual(fresh.report().connections);
        expect(inventory.report().connections.some((c) => c.host === '10.20.1.10')).toBe(true);
      } finally {
        fresh.close();
      }
    } finally {
      inventory.close();
    }
  });

  it('resumes after kill -9 midway and ends with the same database as an uninterrupted run', async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-batch-'));
    const urls: string[] = [];
    for (let i = 0; i < 10; i++) {
      const remote = createRemote(tmp, `remotes/svc-${i}`, [{ files: { 'config/app.env': `REDIS_URL=redis://10.50.${i}.1:6379/0\nDB_HOST=pg-${i}.acme.internal\nDB_PORT=5432\n`, 'CODEOWNERS': `* @team-${i}\n` } }]);
      urls.push(`file://${remote} main svc-${i}`);
    }
    const list = path.join(tmp, 'repos.txt');
    writeFileSync(list, urls.join('\n') + '\n');
    const run = (db: string, cache: string, killAfterScanned?: number) => new Promise<{ code: number | null; scannedAtKill: number }>((resolve) => {
      const child = spawn(process.execPath, [CLI, 'batch', '--list', list, '--db', db, '--cache-dir', cache, '--concurrency', '1', '--owners-since', 'none', '-f', 'json', '-q']);
      let scannedAtKill = -1;
      const poll = killAfterScanned === undefined ? null : setInterval(() => {
        try {
          const reader = Inventory.openReadOnly(db);
          const n = (reader.store.prepare("SELECT count(*) AS n FROM batch_targets WHERE status = 'scanned'").get() as { n: number }).n;
          reader.close();
          if (n >= killAfterScanned && scannedAtKill < 0) {
            scannedAtKill = n;
            child.kill('SIGKILL');
          }
        } catch { /* not created yet */ }
      }, 5);
      child.on('close', (code) => {
        if (poll) clearInterval(poll);
        resolve({ code, scannedAtKill });
      });
    });
    const killedDb = path.join(tmp, 'killed.db');
    const killed = await run(killedDb, path.join(tmp, 'cache-a'), 3);
    expect(killed.code).toBeNull(); // killed by the signal, not finished
    expect(killed.scannedAtKill).toBeGreaterThanOrEqual(3);
    expect(killed.scannedAtKill).toBeLessThan(10);
    // Every repository written so far is complete: its connections and its target row agree.
    const partial = Inventory.open(killedDb);
    const partialRepos = partial.report().repos.length;
    const partialConnections = partial.report().connections.length;
    partial.close();
    expect(partialConnections).toBe(partialRepos * 2);

    const resumed = await run(killedDb, path.join(tmp, 'cache-a'));
    expect(resumed.code).toBe(0);
    const cleanDb = path.join(tmp, 'clean.db');
    expect((await run(cleanDb, path.join(tmp, 'cache-b'))).code).toBe(0);

    const snapshot = (file: string) => {
      const inv = Inventory.open(file);
      try {
        const { tool: _tool, ...report } = inv.report();
        return {
          report,
          owners: inv.store.prepare('SELECT a.name, o.owner, o.source FROM app_owners o JOIN apps a ON a.id = o.app_id ORDER BY a.name, o.owner').all(),
          targets: inv.store.prepare('SELECT url, branch, status, commit_sha FROM batch_targets ORDER BY url').all(),
        };
      } finally {
        inv.close();
      }
    };
    const a = snapshot(killedDb);
    expect(a.report.connections).toHaveLength(20);
    expect(a).toEqual(snapshot(cleanDb));
  });

  it('splits repositories into shards that cover them all once, each repository staying on its shard as the list changes', () => {
    const repo = (i: number): BatchRepo => ({ url: `https://git.acme.internal/team/svc-${i}.git`, auth: null, branch: i % 4 === 0 ? 'release' : null, jobs: [], app: null, credentialsId: null, scriptPath: null });
    const all = Array.from({ length: 60 }, (_, i) => repo(i));
    const parts = [0, 1, 2].map((index) => selectShard(all, { index, count: 3 }));
    expect(parts.flat().map((r) => r.url + r.branch).sort()).toEqual(all.map((r) => r.url + r.branch).sort());
    for (const part of parts) expect(part.length).toBeGreaterThan(10); // no shard left nearly empty
    // A repository removed from discovery moves no other one.
    const fewer = all.filter((_, i) => i !== 7);
    expect([0, 1, 2].map((index) => selectShard(fewer, { index, count: 3 }))).toEqual(parts.map((part) => part.filter((r) => r.url !== all[7]!.url)));
    expect(selectShard(all, { index: 0, count: 1 })).toEqual(all);
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    for (const bad of ['3/3', '-1/3', '1/0', 'a/b', '1', '1/3/4']) expect(() => parseShard(bad), bad).toThrow(/--shard .*: expected i\/n/);
  });

  // The shards share one SQLite file on one machine, or one PostgreSQL database from any number of machines.
  let server: PostgresServer | undefined;
  afterAll(() => server?.stop());
  const SHARED = [
    { store: 'SQLite', inventory: async () => path.join(tmp, 'shared.db') },
    { store: 'PostgreSQL', inventory: async () => (server ??= await startPostgres()).newSchema() },
  ];

  it.each(SHARED)('three shard processes write one $store inventory; one killed and run again ends equal to a single SQLite run', async ({ inventory }) => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-batch-'));
    const lines: string[] = [];
    for (let i = 0; i < 9; i++) {
      // Every repository also uses one shared broker pair: concurrent writers meet on the same resource rows.
      const brokers = i % 2 === 0 ? 'kafka-1.acme.internal:9092,kafka-2.acme.internal:9092' : 'kafka-2.acme.internal:9092,kafka-1.acme.internal:9092';
      const remote = createRemote(tmp, `remotes/api-${i}`, [{ files: { 'config/app.env': `REDIS_URL=redis://10.60.${i}.1:6379/0\nDB_HOST=pg-${i}.acme.internal\nDB_PORT=5432\nKAFKA_BOOTSTRAP_SERVERS=${brokers}\n` } }]);
      lines.push(`file://${remote} main api-${i}`);
    }
    const list = path.join(tmp, 'repos.txt');
    writeFileSync(list, lines.join('\n') + '\n');
    // Discovered once; the shards run from the saved discovery, the single run from the list itself.
    const discovery = path.join(tmp, 'discovery.json');
    const source = (shard: string | null) => (shard ? ['--discovery', discovery, '--shard', shard] : ['--list', list]);
    const batch = (db: string, cache: string, shard: string | null) => spawn(process.execPath, [CLI, 'batch', ...source(shard), '--db', db, '--cache-dir', cache, '--concurrency', '1', '--owners-since', 'none', '-f', 'json', '-q']);
    const exit = (child: ReturnType<typeof spawn>) => new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    expect(await exit(spawn(process.execPath, [CLI, 'batch', '--list', list, '--save-discovery', discovery, '--dry-run', '-q']))).toBe(0);
    const shared = await inventory();
    // The shard with the most repositories (at least 3 of 9) is killed once its first one is written.
    const sizes = [0, 1, 2].map((index) => selectShard(groupTargets(readTargetList(list).targets), { index, count: 3 }).length);
    const victim = sizes.indexOf(Math.max(...sizes));
    const victimUrls = selectShard(groupTargets(readTargetList(list).targets), { index: victim, count: 3 }).map((r) => r.url);
    const shards = [0, 1, 2].map((i) => batch(shared, path.join(tmp, `cache-${i}`), `${i}/3`));
    let scannedAtKill = -1;
    const poll = setInterval(() => {
      try {
        const reader = Inventory.openReadOnly(shared);
        const rows = reader.store.prepare("SELECT url FROM batch_targets WHERE status = 'scanned'").all() as Array<{ url: string }>;
        reader.close();
        const n = rows.filter((r) => victimUrls.includes(r.url)).length;
        if (n >= 1 && scannedAtKill < 0) {
          scannedAtKill = n;
          shards[victim]!.kill('SIGKILL');
        }
      } catch { /* not created yet, or busy */ }
    }, 5);
    const stderr = shards.map((child) => {
      const text: string[] = [];
      child.stderr!.on('data', (d: Buffer) => text.push(d.toString()));
      return text;
    });
    const codes = await Promise.all(shards.map(exit));
    clearInterval(poll);
    expect(codes, stderr.flat().join('')).toEqual([0, 1, 2].map((i) => (i === victim ? null : 0)));
    expect(scannedAtKill).toBeGreaterThanOrEqual(1);
    expect(scannedAtKill).toBeLessThan(sizes[victim]!);
    // The engine (a Kubernetes Indexed Job, a Jenkins stage retry) runs the same shard again.
    expect(await exit(batch(shared, path.join(tmp, `cache-${victim}`), `${victim}/3`))).toBe(0);
    const single = path.join(tmp, 'single.db');
    expect(await exit(batch(single, path.join(tmp, 'cache-single'), null))).toBe(0);
    const snapshot = (file: string) => {
      const inv = Inventory.openReadOnly(file);
      try {
        const { tool: _tool, ...report } = inv.report();
        return { report, targets: inv.store.prepare('SELECT url, branch, status, commit_sha FROM batch_targets ORDER BY url').all() };
      } finally {
        inv.close();
      }
    };
    const sharded = snapshot(shared);
    expect(sharded.report.repos).toHaveLength(9);
    expect(sharded.report.connections).toHaveLength(36);
    expect(sharded).toEqual(snapshot(single));
  });

  it('discovers once for every shard: --save-discovery keeps jobs and branches, leaves URL credentials out; --discovery shards cover it', async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-batch-'));
    jenkins = await startFakeJenkins(fakeJobs(), { user: 'cmdb', token: 's3cret-api-token' });
    const env = { ...process.env, JENKINS_USER: 'cmdb', JENKINS_TOKEN: 's3cret-api-token' };
    const cli = (args: string[]) => runAsync(process.execPath, [CLI, 'batch', ...args, '--dry-run', '-f', 'json'], { env });
    const file = path.join(tmp, 'discovery.json');
    const once = await cli(['--jenkins', jenkins.url, '--save-discovery', file]);
    expect(once.code, once.stderr).toBe(0);
    const asked = jenkins.requests.length;
    const all = (JSON.parse(once.stdout) as { repos: Array<{ url: string; jobs: string[] }> }).repos;
    expect(all.length).toBeGreaterThan(2);
    const shards: typeof all = [];
    for (const i of [0, 1, 2]) shards.push(...(JSON.parse((await cli(['--discovery', file, '--shard', `${i}/3`])).stdout) as { repos: typeof all }).repos);
    expect(shards.sort((a, b) => (a.url < b.url ? -1 : 1))).toEqual([...all].sort((a, b) => (a.url < b.url ? -1 : 1)));
    expect(jenkins.requests.length).toBe(asked); // the shards never asked Jenkins
    // -o writes the same answer to a file and nothing to stdout (batch had no -o; issue 27 §7).
    const listFile = path.join(tmp, 'shard0.json');
    const toFile = await cli(['--discovery', file, '--shard', '0/3', '-o', listFile]);
    expect([toFile.code, toFile.stdout]).toEqual([0, '']);
    expect(JSON.parse(readFileSync(listFile, 'utf8'))).toEqual(JSON.parse((await cli(['--discovery', file, '--shard', '0/3'])).stdout));
    // A token written in a repository URL stays out of the shared file, and the user is told.
    const list = path.join(tmp, 'repos.txt');
    writeFileSync(list, 'https://ci-bot:glpat-Sh4redF1leT0ken@git.acme.example/team/a.git main a\nhttps://git.acme.example/team/b.git main b\n');
    const saved = await cli(['--list', list, '--save-discovery', file]);
    expect(saved.stderr).toContain('credentials left out of 1 URL(s)');
    expect(readFileSync(file, 'utf8')).not.toContain('Sh4redF1leT0ken');
    expect((JSON.parse((await cli(['--discovery', file])).stdout) as { repos: typeof all }).repos.map((r) => r.url)).toEqual(['https://git.acme.example/team/a.git', 'https://git.acme.example/team/b.git']);
    writeFileSync(file, '{"targets": []}');
    const bad = await cli(['--discovery', file]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}: not a discovery file`);
  });

  it('runs end to end from the CLI against Jenkins, never printing the API token', async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-batch-'));
    jenkins = await startFakeJenkins(fakeJobs(), { user: 'cmdb', token: 's3cret-api-token' });
    const env = { ...process.env, ...rewriteGitServer(gitRoot), JENKINS_USER: 'cmdb', JENKINS_TOKEN: 's3cret-api-token' };
    const db = path.join(tmp, 'inv.db');
    const r = await runAsync(process.execPath, [CLI, 'batch', '--jenkins', jenkins!.url, '--db', db, '--cache-dir', path.join(tmp, 'cache'), '-f', 'json'], { env });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('s3cret-api-token');
    expect(r.stderr).toContain('warning: job flaky: HTTP 500');
    // Repositories finish in any order at concurrency 2: the count is per line, the set is complete.
    expect(r.stderr).toMatch(/\[[1-4]\/4\] scanned team\/payments@main [0-9a-f]{12} \(\d+\.\d s\)/);
    expect(r.stderr).toMatch(/\[4\/4\] scanned /);
    const summary = JSON.parse(r.stdout) as { repos: Array<{ jobs: string[]; status: string }> };
    expect(summary.repos.map((x) => [x.jobs.join(', '), x.status])).toEqual([
      ['nightly-report', 'scanned'], ['legacy-portal', 'scanned'], ['deploy-order-prod, team/order-service', 'scanned'], ['team/payments', 'scanned'],
    ]);
    const inv = Inventory.open(db);
    try {
      expect(inv.connectionsOfApp('payments').map((c) => `${c.kind}://${c.host}:${c.port}`)).toEqual([
        'postgresql://pg-pay.acme.internal:5432', 'kafka://10.20.3.1:9092', 'kafka://10.20.3.2:9092',
      ]);
    } finally {
      inv.close();
    }
  });
});
