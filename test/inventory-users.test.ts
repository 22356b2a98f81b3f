/**
 * The inventory's users (issue 16), end to end with the built CLI: a CMDB maintainer asks what changed since
 * last night; the answer is read without changing the inventory.
 */
import { spawnSync } from 'node:child_process';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemote } from './git-remotes.js';
import { CLI, FIXTURES, ROOT, serviceRepo, startServe } from './helpers.js';

let dir: string;

function cli(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

beforeAll(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-users-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CMDB maintainers: what changed', () => {
  it('diff --since a scan lists connections and secrets added, removed and changed per app, and apps gone after forget', () => {
    const repo = path.join(dir, 'mall');
    cpSync(path.join(FIXTURES, 'spring-multimodule'), repo, { recursive: true });
    rmSync(path.join(repo, 'expected.json'));
    const db = path.join(dir, 'inv.db');
    expect(cli(['scan', repo, '--db', db, '-q', '-f', 'json']).code).toBe(0);

    // Last night's change: the order database moved, the user service got a production PostgreSQL with its password.
    const orderYml = path.join(repo, 'order-service/src/main/resources/application.yml');
    writeFileSync(orderYml, readFileSync(orderYml, 'utf8').replace('${DB_HOST:localhost}', '${DB_HOST:db-prod.internal}'));
    writeFileSync(path.join(repo, 'user-service/src/main/resources/application-prod.yml'),
      'spring:\n  datasource:\n    url: jdbc:postgresql://pg.internal:5432/users\n    password: Us3rs-Pg-2024!\n');
    expect(cli(['scan', repo, '--db', db, '-q', '-f', 'json']).code).toBe(0);

    const before = digest(db);
    // `scans` lists the ids diff takes, newest first.
    const scans = JSON.parse(cli(['scans', '--db', db, '-f', 'json']).stdout) as Array<{ id: number; repo: string }>;
    expect(scans.map((x) => [x.id, x.repo])).toEqual([[2, repo], [1, repo]]);
    // A scan says where it saved: the default inventory is a file in the current directory.
    expect(cli(['scan', repo, '--db', path.join(dir, 'where.db'), '-f', 'json']).stderr).toContain(`; saved in ${path.join(dir, 'where.db')}`);
    expect(cli(['scans', '--db', db, '-n', '1']).stdout.split('\n').filter(Boolean)).toHaveLength(2); // piped: a header and one row
    const r = cli(['diff', '--since', '1', '--db', db, '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const diff = JSON.parse(r.stdout) as { apps: unknown[]; connections: Array<{ app: string; change: string; detail: { resource: string; profiles: string[] } }>; secrets: Array<{ app: string; change: string; detail: { kind: string; masked: string } }> };
    expect(diff.apps).toEqual([]);
    expect(diff.connections.map((c) => [c.app, c.change, c.detail.resource, c.detail.profiles])).toEqual([
      ['mall-order', 'added', 'mysql://db-prod.internal:3306/mall_order', []],
      ['mall-order', 'removed', 'mysql://localhost:3306/mall_order', []],
      ['mall-user', 'added', 'postgresql://pg.internal:5432/users', ['prod']],
    ]);
    expect(diff.secrets.map((s) => [s.app, s.change, s.detail.kind])).toEqual([['mall-user', 'added', 'password']]);
    expect(r.stdout).not.toContain('Us3rs-Pg-2024!');
    expect(digest(db)).toBe(before); // a read command leaves the inventory as it was

    const table = cli(['diff', '--since', '1', '--db', db, '-f', 'table']).stdout;
    expect(table).toContain('+ postgresql://pg.internal:5432/users [prod]');
    expect(table).toContain('- mysql://localhost:3306/mall_order');

    // Nothing changed since the second scan; a repository forgotten afterwards (its scans go with it, so the
    // question is asked by date) shows as apps gone.
    const quiet = JSON.parse(cli(['diff', '--since', '2', '--db', db, '-f', 'json']).stdout) as { until: string; connections: unknown[] };
    expect(quiet.connections).toEqual([]);
    expect(cli(['forget', repo, '--db', db]).code).toBe(0);
    const gone = JSON.parse(cli(['diff', '--since', quiet.until, '--db', db, '-f', 'json']).stdout) as { apps: Array<{ app: string; change: string }>; connections: Array<{ change: string }> };
    expect(gone.apps.map((a) => [a.app, a.change])).toEqual([['mall-order', 'removed'], ['mall-parent', 'removed'], ['mall-user', 'removed']]);
    expect(gone.connections.length).toBeGreaterThan(0);
    expect(gone.connections.every((c) => c.change === 'removed')).toBe(true);

    const bad = cli(['diff', '--since', 'last tuesday', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--since last tuesday: not a scan id, a date (2026-11-28, yesterday) or a duration (30m, 0.5h, 7d, 2w)');
    // The forms people type (issue 27 §7: `2m`, `0.5h`, `yesterday` were refused): all read, all reach back to before the scans.
    for (const [since, atLeastMinutesBack] of [['30m', 30], ['0.5h', 30], ['2 days ago', 2880], ['yesterday', 1440], ['1w', 10080]] as const) {
      const r = cli(['diff', '--since', since, '--db', db, '-f', 'json']);
      expect(r.code, `${since}: ${r.stderr}`).toBe(0);
      const from = Date.parse((JSON.parse(r.stdout) as { since: string }).since);
      expect(Date.now() - from, since).toBeGreaterThanOrEqual(atLeastMinutesBack * 60_000);
      expect(Date.now() - from, since).toBeLessThan((atLeastMinutesBack + 1440) * 60_000);
    }
  });
});

describe('SREs and everyone at a terminal: filters, colour, usage errors', () => {
  it('narrows scan, report and query output by scope, profile, kind and severity, and keeps the inventory whole', () => {
    const db = path.join(dir, 'filters.db');
    const mall = path.join(FIXTURES, 'spring-multimodule');
    const all = JSON.parse(cli(['scan', mall, '--db', db, '-q', '-f', 'json']).stdout) as { connections: Array<{ scope: string; kind: string; profile: string | null }> };
    const json = (args: string[]) => {
      const r = cli(args);
      expect(r.code, r.stderr).toBe(0);
      return JSON.parse(r.stdout) as { connections: Array<{ scope: string; kind: string; profile: string | null; app: string }>; secrets: Array<{ severity: string; scope: string }> };
    };
    const testOnly = json(['report', '--db', db, '-f', 'json', '--scope', 'test']);
    expect(testOnly.connections.length).toBe(all.connections.filter((c) => c.scope === 'test').length);
    expect(testOnly.connections.length).toBeGreaterThan(0);
    expect(json(['report', '--db', db, '-f', 'json', '--no-tests']).connections.length).toBe(all.connections.filter((c) => c.scope !== 'test').length);
    const kinds = json(['report', '--db', db, '-f', 'json', '--kind', 'redis,kafka']).connections.map((c) => c.kind);
    expect([...new Set(kinds)].sort()).toEqual(['kafka', 'redis']);
    expect(json(['report', '--db', db, '-f', 'json', '--profile', 'prod']).connections.every((c) => c.profile === 'prod')).toBe(true);
    expect(json(['report', '--db', db, '-f', 'json', '--profile', 'default']).connections.every((c) => c.profile === null)).toBe(true);
    expect(json(['scan', mall, '--no-db', '-q', '-f', 'json', '--min-severity', 'high']).secrets.every((x) => x.severity === 'high')).toBe(true);
    expect(json(['query', 'app', 'mall-user', '--db', db, '-f', 'json', '--kind', 'mongodb']).connections.map((c) => `${c.app} ${c.kind}`))
      .toEqual(['mall-user mongodb', 'mall-user mongodb']);
    // The inventory still holds every row.
    expect(json(['report', '--db', db, '-f', 'json']).connections.length).toBe(all.connections.length);
    const bad = cli(['report', '--db', db, '--scope', 'prod']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('cmdb-scan: --scope prod: not a scope (main, test, example, docs, deploy)');
  });

  it('colours the table on a terminal unless NO_COLOR or --no-color says not to, and fits its width', () => {
    // `script` gives the command a terminal of 100 columns.
    const onTerminal = (env: string, flags = '') => spawnSync('script', ['-qec', `stty cols 100; ${env} ${process.execPath} ${CLI} scan ${path.join(FIXTURES, 'spring-multimodule')} --no-db -q ${flags}`, '/dev/null'], { encoding: 'utf8' }).stdout;
    expect(onTerminal('')).toContain('\u001b[');
    expect(onTerminal('NO_COLOR=1')).not.toContain('\u001b[');
    expect(onTerminal('', '--no-color')).not.toContain('\u001b[');
    const lines = onTerminal('NO_COLOR=1').split(/\r?\n/).filter((l) => /^[┌│├└]/.test(l));
    expect(lines.length).toBeGreaterThan(10);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
  });

  it('answers a usage error with one line that says where help is', () => {
    const r = cli(['scan', '.', '--no-db', '--bogus']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual(["cmdb-scan: unknown option '--bogus' (cmdb-scan scan --help for usage)"]);
    expect(cli(['query', 'uses']).stderr).toBe("cmdb-scan: missing required argument 'target' (cmdb-scan query uses --help for usage)\n");
  });

  it('help lists the options every run uses before the model stage, and ends with examples', () => {
    const help = cli(['scan', '--help']).stdout;
    expect(help.indexOf('--db <file|url>')).toBeLessThan(help.indexOf('Model stage'));
    expect(help.indexOf('Model stage')).toBeLessThan(help.indexOf('--llm <mode>'));
    expect(help).toMatch(/Examples:\n {2}\$ cmdb-scan scan \./);
    for (const command of [['batch'], ['report'], ['query', 'app'], ['query', 'uses'], ['diff'], ['scans'], ['unused'], ['serve']]) {
      expect(cli([...command, '--help']).stdout, command.join(' ')).toContain(`$ cmdb-scan ${command.join(' ')}`);
    }
  });
});

describe('capacity teams and SREs: what can be retired, who uses this', () => {
  it('unused --cmdb lists CMDB resources nobody references (with the last app that did) and referenced ones the CMDB lacks; query uses takes CIDRs, wildcards, URLs and aliases', () => {
    const db = path.join(dir, 'capacity.db');
    const orders = serviceRepo(dir, 'orders', [
      'spring.datasource.url=jdbc:mysql://10.20.1.15:3306/orders',
      'spring.redis.host=redis-cart.shop.svc.cluster.local',
      'spring.redis.port=6379',
      'spring.kafka.bootstrap-servers=kafka-1.acme.internal:9092',
      'report.datasource.url=jdbc:mysql://rm-bp1abc.mysql.rds.aliyuncs.com:3306/report',
      '',
    ].join('\n'));
    const billing = serviceRepo(dir, 'billing', 'spring.datasource.url=jdbc:mysql://10.20.9.9:3306/billing\n');
    for (const repo of [orders, billing]) expect(cli(['scan', repo, '--db', db, '-q', '-f', 'json']).code).toBe(0);
    // billing moves off its old database: the inventory remembers who used it last.
    writeFileSync(path.join(billing, 'src/main/resources/application.properties'), 'spring.application.name=billing\nspring.datasource.url=jdbc:mysql://10.20.1.15:3306/billing\n');
    expect(cli(['scan', billing, '--db', db, '-q', '-f', 'json']).code).toBe(0);

    const cmdb = path.join(dir, 'cmdb.csv');
    writeFileSync(cmdb, [
      'Name,IP Address,Port,Class,Owned By',
      'orders-db,10.20.1.15,3306,MySQL Instance,dba',
      'billing-db-old,db-legacy.acme.internal,3306,MySQL Instance,dba',
      'cart-cache,redis-cart,6379,Redis,platform',
      'search,10.99.0.1,9200,Elasticsearch,search-team',
      '',
    ].join('\n'));
    const hosts = path.join(dir, 'hosts');
    writeFileSync(hosts, '# from the DNS export\n10.20.9.9   db-legacy.acme.internal db-legacy\n');
    const before = digest(db);
    const r = cli(['unused', '--cmdb', cmdb, '--hosts', hosts, '--db', db, '-f', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as {
      unused: Array<{ name: string; lastSeenApp: string | null; lastSeenRepo: string | null; lastSeenAt: string | null }>;
      used: Array<{ name: string; apps: string[] }>;
      missing: Array<{ resource: string; apps: string[] }>;
    };
    expect(report.used.map((u) => [u.name, u.apps])).toEqual([['orders-db', ['billing', 'orders']], ['cart-cache', ['orders']]]);
    expect(report.unused.map((u) => [u.name, u.lastSeenApp, u.lastSeenRepo])).toEqual([['billing-db-old', 'billing', billing], ['search', null, null]]);
    expect(report.unused[0]!.lastSeenAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(report.missing.map((m) => [m.resource, m.apps])).toEqual([
      ['kafka://kafka-1.acme.internal:9092', ['orders']],
      ['mysql://rm-bp1abc.mysql.rds.aliyuncs.com:3306/report', ['orders']],
    ]);
    expect(digest(db)).toBe(before);
    const csv = cli(['unused', '--cmdb', cmdb, '--hosts', hosts, '--db', db, '-f', 'csv']).stdout.split('\r\n');
    expect(csv[0]).toBe('status,host,port,type,name,owner,cmdb_row,apps,last_seen_at,last_seen_app,last_seen_repo');
    expect(csv.filter((l) => l.startsWith('unused,'))).toHaveLength(2);
    expect(cli(['unused', '--cmdb', cmdb, '--hosts', hosts, '--db', db, '-f', 'table']).stdout).toMatch(/db-legacy\.acme\.internal:3306  MySQL Instance billing-db-old  owner dba  —  last referenced \d{4}-\d{2}-\d{2} by billing/);
    // `query unused` answers as `unused` does without a CMDB list, in every format (it had JSON only; issue 27 §7).
    for (const format of ['json', 'csv', 'table']) {
      const plain = cli(['unused', '--db', db, '-f', format]).stdout;
      expect(plain.length, format).toBeGreaterThan(0);
      expect(cli(['query', 'unused', '--db', db, '-f', format]).stdout, format).toBe(plain);
    }
    const noHost = path.join(dir, 'bad.csv');
    writeFileSync(noHost, 'Name,Owner\nx,y\n');
    const bad = cli(['unused', '--cmdb', noHost, '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${noHost}: no host column`);

    const uses = (target: string, ...extra: string[]) => {
      const q = cli(['query', 'uses', target, '--db', db, '-f', 'json', ...extra]);
      return { code: q.code, stderr: q.stderr, apps: q.code === 0 ? [...new Set((JSON.parse(q.stdout) as { connections: Array<{ app: string; host: string }> }).connections.map((c) => `${c.app}@${c.host}`))].sort() : [] };
    };
    expect(uses('10.20.0.0/16').apps).toEqual(['billing@10.20.1.15', 'orders@10.20.1.15']);
    expect(uses('*.rds.aliyuncs.com').apps).toEqual(['orders@rm-bp1abc.mysql.rds.aliyuncs.com']);
    expect(uses('jdbc:mysql://10.20.1.15:3306/orders').apps).toEqual(['orders@10.20.1.15']);
    expect(uses('redis-cart').apps).toEqual(['orders@redis-cart.shop.svc.cluster.local']);
    expect(uses('kafka-1.acme.internal:9092').apps).toEqual(['orders@kafka-1.acme.internal']);
    const typo = uses('kafak-1.acme.internal');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain(`nothing in ${db} matches kafak-1.acme.internal; nearest: kafka-1.acme.internal`);
    expect(cli(['query', 'uses', '10.20.0.0/33', '--db', db]).stderr).toContain('10.20.0.0/33: not a CIDR range');

    // Retired repositories stop holding resources alive once pruned.
    const dry = cli(['prune', '--not-scanned-since', '2100-01-01', '--dry-run', '--db', db]);
    expect(dry.stderr).toContain(`would forget ${billing}`);
    expect(digest(db)).toBe(before);
    expect(cli(['prune', '--not-scanned-since', '2000-01-01', '--db', db]).stderr).toContain('no repository');
  });
});

describe('CMDB maintainers and capacity teams: a local name is each repository\'s own resource (issue 27 §1)', () => {
  it('query uses, unused --cmdb and the exports keep three repositories\' Compose `redis` apart, and a hosts mapping ties a name to an address', () => {
    const db = path.join(dir, 'identity.db');
    const repos = ['shop', 'pay', 'search'].map((name) => {
      const repo = serviceRepo(path.join(dir, 'identity'), name, `spring.redis.host=redis\nspring.redis.port=6379\nspring.kafka.bootstrap-servers=kafka-1.acme.internal:9092\n`);
      writeFileSync(path.join(repo, 'docker-compose.yml'), 'services:\n  redis:\n    image: redis:7\n    ports: ["6379:6379"]\n');
      expect(cli(['scan', repo, '--db', db, '-q', '-f', 'json']).code).toBe(0);
      return repo;
    });
    const uses = cli(['query', 'uses', 'redis:6379', '--db', db, '-f', 'json']);
    expect(uses.code).toBe(0);
    expect(uses.stderr).toContain(`redis://redis:6379 names 3 different resources, each local to its repository (${[...repos].sort().join(', ')})`);
    // Global names are one resource: no such note.
    expect(cli(['query', 'uses', 'kafka-1.acme.internal:9092', '--db', db, '-f', 'json']).stderr).toBe('');

    const cmdb = path.join(dir, 'identity-cmdb.csv');
    writeFileSync(cmdb, 'name,host,port,type\nmall-redis,redis.mall.svc.cluster.local,6379,Redis\nshared-cache,10.0.0.9,6379,Redis\nbus,kafka-1.acme.internal,9092,Kafka\n');
    type Unused = { unused: Array<{ name: string }>; used: Array<{ name: string; apps: string[] }>; missing: Array<{ resource: string; within: string | null }> };
    const plain = JSON.parse(cli(['unused', '--cmdb', cmdb, '--db', db, '-f', 'json']).stdout) as Unused;
    expect(plain.used.map((u) => [u.name, u.apps])).toEqual([['bus', ['pay', 'search', 'shop']]]);
    expect(plain.unused.map((u) => u.name)).toEqual(['mall-redis', 'shared-cache']);
    expect(plain.missing.map((m) => [m.resource, m.within])).toEqual(repos.map((r) => [`redis://redis:6379 (${r})`, r]).sort());
    // The operator says where `redis` lives: then it is that address, for every repository that writes it.
    const hosts = path.join(dir, 'identity-hosts');
    writeFileSync(hosts, '10.0.0.9 redis\n');
    const mapped = JSON.parse(cli(['unused', '--cmdb', cmdb, '--hosts', hosts, '--db', db, '-f', 'json']).stdout) as Unused;
    // (So is a record whose short Kubernetes name is `redis`: the mapping is the operator's word for every `redis`.)
    expect(mapped.used.map((u) => [u.name, u.apps])).toEqual([['mall-redis', ['pay', 'search', 'shop']], ['shared-cache', ['pay', 'search', 'shop']], ['bus', ['pay', 'search', 'shop']]]);
    expect(cli(['query', 'uses', '10.0.0.9', '--hosts', hosts, '--db', db, '-f', 'json']).stderr).toBe('');

    const exported = JSON.parse(cli(['report', '--db', db, '-f', 'cmdb-json']).stdout) as { schema: string; resources: Array<{ id: string; within: string | null }> };
    expect(exported.schema).toBe('cmdb-scan/relations/v2');
    expect(exported.resources.map((r) => [r.id, r.within])).toEqual([
      ['kafka://kafka-1.acme.internal:9092', null], ...repos.map((r) => [`redis://redis:6379 (${r})`, r]).sort(),
    ]);
    const backstage = cli(['report', '--db', db, '-f', 'backstage']).stdout;
    expect(backstage.match(/^kind: Resource$/gm)).toHaveLength(4);
    for (const r of repos) expect(backstage).toContain(`cmdb-scan/repository: ${r}`);
  });
});

describe('SREs: config a config server serves belongs to the app it configures (issue 27 §2)', () => {
  it('query app shows an app\'s connections from the config server\'s shared files, and the report says which app serves them', () => {
    const db = path.join(dir, 'served.db');
    const repo = path.join(dir, 'bank-platform');
    cpSync(path.join(FIXTURES, 'spring-config-server'), repo, { recursive: true });
    rmSync(path.join(repo, 'expected.json'));
    expect(cli(['scan', repo, '--db', db, '-q', '-f', 'json']).code).toBe(0);
    const answer = cli(['query', 'app', 'notification-service', '--db', db, '-f', 'json']);
    expect(answer.code, answer.stderr).toBe(0);
    const report = JSON.parse(answer.stdout) as { repos: Array<{ apps: Array<{ name: string; configServer?: string }> }>; connections: Array<{ kind: string; file: string; profile: string | null }> };
    expect(report.connections.map((c) => [c.kind, c.file, c.profile])).toEqual([
      ['eureka', 'config/src/main/resources/shared/application.yml', null],
      ['http', 'notification-service/src/main/resources/bootstrap.yml', null],
      ['postgresql', 'config/src/main/resources/shared/notification-service-prod.yml', 'prod'],
      ['rabbitmq', 'config/src/main/resources/shared/application.yml', null],
      ['smtp', 'config/src/main/resources/shared/notification-service-prod.yml', 'prod'],
    ]);
    expect(report.repos[0]!.apps).toEqual([{ name: 'notification-service', root: 'notification-service', configServer: 'config' }]);
    // The config server itself connects to nothing its shared files name.
    expect(cli(['query', 'app', 'config', '--db', db, '-f', 'json']).code).toBe(1);
  });
});

describe('a service other tools call', () => {
  let db: string;
  beforeAll(() => {
    db = path.join(dir, 'service.db');
    const orders = serviceRepo(dir, 'order-service', 'spring.datasource.url=jdbc:mysql://10.20.1.15:3306/orders\nspring.datasource.password=Ord3rs-Db-2024!\nspring.redis.host=10.20.3.1\n');
    expect(cli(['scan', orders, '--db', db, '-q', '-f', 'json']).code).toBe(0);
  });

  it('serve answers GETs on 127.0.0.1 from the read-only inventory, refuses writes and changes nothing', async () => {
    const before = digest(db);
    const serve = await startServe(db);
    const { url } = serve;
    try {
      const get = async (p: string, init?: RequestInit) => { const r = await fetch(`${url}${p}`, init); return { status: r.status, body: await r.json() as Record<string, unknown> & Array<Record<string, unknown>> }; };
      expect((await get('/health')).body['ok']).toBe(true);
      expect((await get('/apps')).body.map((a) => a['app'])).toEqual(['order-service']);
      const app = await get('/apps/order-service');
      expect(app.status).toBe(200);
      const deps = (app.body['summary'] as { apps: Array<{ dependsOn: Record<string, Array<{ resource: string; passwordHardcoded: boolean }>> }> }).apps[0]!.dependsOn;
      expect(Object.keys(deps).sort()).toEqual(['mysql', 'redis']);
      expect(deps['mysql']![0]).toMatchObject({ resource: 'mysql://10.20.1.15:3306/orders', passwordHardcoded: true });
      const uses = await get('/uses?target=10.20.0.0/16');
      expect((uses.body['report'] as { connections: unknown[] }).connections).toHaveLength(2);
      const none = await get('/apps/orderservic');
      expect(none.status).toBe(404);
      expect(none.body['nearest']).toEqual(['order-service']);
      expect((await get('/diff?since=bogus')).status).toBe(400);
      expect((await get('/diff?since=7d')).body['connections']).toHaveLength(2);
      const secrets = await get('/secrets?min_severity=high');
      expect(secrets.body.map((x) => x['kind'])).toEqual(['password']);
      expect(JSON.stringify(secrets.body)).not.toContain('Ord3rs-Db-2024!');
      expect((await get('/apps', { method: 'POST' })).status).toBe(405);
      expect((await get('/unused')).status).toBe(200);

      // The web view (issue 27 §5): a page at /, and /apps/<name> as a page when a browser asks, JSON otherwise.
      const site = url.replace(/\/api\/v1$/, '');
      const browser = { headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } };
      const home = await fetch(`${site}/`, browser);
      expect([home.status, home.headers.get('content-type'), home.headers.get('x-content-type-options')]).toEqual([200, 'text/html; charset=utf-8', 'nosniff']);
      const homeHtml = await home.text();
      expect(homeHtml).toContain('"served":true');
      expect(homeHtml).toContain('"name":"order-service"');
      expect(homeHtml).not.toContain('Ord3rs-Db-2024!');
      const appPage = await fetch(`${site}/apps/order-service`, browser);
      expect([appPage.status, appPage.headers.get('content-type')]).toEqual([200, 'text/html; charset=utf-8']);
      expect(await appPage.text()).toContain('cmdb-scan report — order-service');
      const appJson = await fetch(`${site}/apps/order-service`);
      expect(appJson.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await appJson.json()).toEqual(app.body);
      const usesPage = await fetch(`${site}/uses?target=${encodeURIComponent('10.20.0.0/16')}`, browser);
      expect(await usesPage.text()).toContain('cmdb-scan report — 10.20.0.0/16');
      const missing = await fetch(`${site}/apps/orderservic`, browser);
      expect(missing.status).toBe(404);
      expect(await missing.text()).toContain('<a href="/apps/order-service">order-service</a>');
      expect((await fetch(`${site}/`, { method: 'POST' })).status).toBe(405);
    } finally {
      await serve.stop();
    }
    expect(digest(db)).toBe(before);
  });

  it('mcp exposes the same questions as read-only tools to an MCP client', async () => {
    const before = digest(db);
    const client = new Client({ name: 'ops-agent-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--db', db], stderr: 'pipe' }));
    try {
      const tools = await client.listTools();
      expect(tools.tools.map((t) => t.name).sort()).toEqual(['app_dependencies', 'changes_since', 'list_apps', 'secrets', 'unused_resources', 'who_uses']);
      expect(tools.tools.every((t) => t.annotations?.readOnlyHint === true)).toBe(true);
      const textOf = (r: Awaited<ReturnType<typeof client.callTool>>) => JSON.parse((r.content as Array<{ type: string; text: string }>)[0]!.text) as Record<string, unknown>;
      const answer = textOf(await client.callTool({ name: 'app_dependencies', arguments: { name: 'order-service' } }));
      const app = (answer['apps'] as Array<{ app: string; dependsOn: Record<string, Array<{ resource: string }>> }>)[0]!;
      expect(app.app).toBe('order-service');
      expect(app.dependsOn['redis']!.map((r) => r.resource)).toEqual(['redis://10.20.3.1:6379']);
      const who = textOf(await client.callTool({ name: 'who_uses', arguments: { target: 'jdbc:mysql://10.20.1.15:3306/orders' } }));
      expect((who['apps'] as Array<{ app: string }>).map((a) => a.app)).toEqual(['order-service']);
      const missing = await client.callTool({ name: 'who_uses', arguments: { target: 'kafka' } });
      expect(missing.isError).toBe(true);
      const secrets = await client.callTool({ name: 'secrets', arguments: {} });
      expect(JSON.stringify(secrets)).not.toContain('Ord3rs-Db-2024!');
    } finally {
      await client.close();
    }
    expect(digest(db)).toBe(before);
  });
});

describe('CMDB maintainers: batch runs they can trust', () => {
  it('--dry-run lists what discovery found without cloning; an empty discovery fails; an unchanged repository keeps its counts; --include narrows only with --replace', () => {
    const remotes = path.join(dir, 'remotes');
    const orders = createRemote(remotes, 'orders', [{ files: { 'src/main/resources/application.properties': 'spring.application.name=orders\nspring.datasource.url=jdbc:mysql://10.20.1.15:3306/orders\nspring.redis.host=10.20.3.1\n' } }]);
    const list = path.join(dir, 'jobs.txt');
    writeFileSync(list, `file://${orders} main orders\nfile://${path.join(remotes, 'never-cloned.git')} main ghost\n`);
    const db = path.join(dir, 'batch.db');
    const cache = path.join(dir, 'clones');
    const dry = cli(['batch', '--list', list, '--db', db, '--cache-dir', cache, '--dry-run', '-f', 'json']);
    expect(dry.code, dry.stderr).toBe(0);
    expect((JSON.parse(dry.stdout) as { repos: Array<{ url: string; branch: string }> }).repos.map((r) => path.basename(r.url))).toEqual(['orders.git', 'never-cloned.git']);
    expect(spawnSync('ls', [cache]).status).not.toBe(0); // nothing cloned
    expect(spawnSync('ls', [db]).status).not.toBe(0); // no inventory written

    const empty = path.join(dir, 'empty.txt');
    writeFileSync(empty, '# no repositories yet\n');
    const none = cli(['batch', '--list', empty, '--db', db, '--cache-dir', cache]);
    expect(none.code).toBe(2);
    expect(none.stderr.trim()).toBe(`cmdb-scan: discovery found no repositories in ${empty}; nothing scanned`);

    writeFileSync(list, `file://${orders} main orders\n`);
    const run = () => JSON.parse(cli(['batch', '--list', list, '--db', db, '--cache-dir', cache, '--owners-since', 'none', '-f', 'json', '-q']).stdout) as { repos: Array<{ status: string; connections: number }> };
    expect(run().repos.map((r) => [r.status, r.connections])).toEqual([['scanned', 2]]);
    expect(run().repos.map((r) => [r.status, r.connections])).toEqual([['unchanged', 2]]);
    const narrowed = cli(['batch', '--list', list, '--db', db, '--cache-dir', cache, '--include', '**/*.yml']);
    expect(narrowed.code).toBe(2);
    expect(narrowed.stderr).toContain('--include narrow the scan');
  });
});
