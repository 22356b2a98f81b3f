import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scanRepository, type RepoScanResult } from '../src/engine.js';
import { toReport } from '../src/index.js';
import { Inventory, INVENTORY_SCHEMA_VERSION } from '../src/inventory.js';
import { openStore } from '../src/storage/open.js';
import { SqliteStore } from '../src/storage/sqlite.js';
import { FIXTURES } from './helpers.js';
import { startPostgres, type PostgresServer } from '../bench/postgres-server.js';

let dir: string;
let server: PostgresServer;
beforeAll(async () => { server = await startPostgres(); });
afterAll(() => server?.stop());
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-inv-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The same behaviour from both stores: a new SQLite file, or a new schema on the suite's PostgreSQL server. */
const STORES = [
  { store: 'SQLite', newInventory: () => path.join(dir, 'inv.db') },
  { store: 'PostgreSQL', newInventory: () => server.newSchema() },
];

async function scanFixture(name: string): Promise<RepoScanResult> {
  return scanRepository(path.join(FIXTURES, name));
}

/**
 * Makes a current inventory what version 6 was: one resource per (kind, host, port, database) whichever repositories
 * reference it, no realm. Copies of a repository-local name are merged into the first, as version 6 stored them.
 */
function asVersion6(inv: Inventory): void {
  inv.store.exec('ALTER TABLE apps DROP COLUMN config_server');
  inv.store.transaction(() => {
    for (const table of ['occurrences', 'secrets']) {
      inv.store.exec(`UPDATE ${table} SET resource_id = (SELECT min(r2.id) FROM resources r1 JOIN resources r2
        ON r2.kind = r1.kind AND r2.host = r1.host AND r2.port = r1.port AND r2.database = r1.database WHERE r1.id = ${table}.resource_id) WHERE resource_id IS NOT NULL`);
    }
    inv.store.exec('DELETE FROM resources WHERE id NOT IN (SELECT min(id) FROM resources GROUP BY kind, host, port, database)');
    if (inv.store.dialect === 'postgres') {
      inv.store.exec('ALTER TABLE resources DROP CONSTRAINT resources_identity; ALTER TABLE resources DROP COLUMN realm; ALTER TABLE resources ADD UNIQUE (kind, host, port, database)');
    } else {
      inv.store.exec(`PRAGMA defer_foreign_keys = ON;
        CREATE TEMP TABLE resources_v7 AS SELECT * FROM resources;
        DROP TABLE resources;
        CREATE TABLE resources (id INTEGER PRIMARY KEY, kind TEXT NOT NULL, host TEXT NOT NULL DEFAULT '', port INTEGER NOT NULL DEFAULT 0, database TEXT NOT NULL DEFAULT '',
          first_seen_scan_id INTEGER, last_seen_at TEXT, last_seen_repo TEXT, last_seen_app TEXT, UNIQUE (kind, host, port, database));
        INSERT INTO resources SELECT id, kind, host, port, database, first_seen_scan_id, last_seen_at, last_seen_repo, last_seen_app FROM resources_v7;
        DROP TABLE resources_v7;`);
    }
    inv.store.setSchemaVersion(6);
  }, { exclusive: true });
}

/** Makes a current inventory what version 5 was: no suppression counts or suppressed secrets, no config files per repository. */
function asVersion5(inv: Inventory): void {
  asVersion6(inv);
  inv.store.exec('DROP TABLE suppressions; DROP TABLE suppressed_secrets; ALTER TABLE repos DROP COLUMN config_files;');
  inv.store.setSchemaVersion(5);
}

/** Makes a current inventory what version 4 was: no change records, no last-seen columns. */
function asVersion4(inv: Inventory): void {
  asVersion5(inv);
  inv.store.exec(`DROP TABLE changes;
    ALTER TABLE resources DROP COLUMN last_seen_at; ALTER TABLE resources DROP COLUMN last_seen_repo; ALTER TABLE resources DROP COLUMN last_seen_app;`);
  inv.store.setSchemaVersion(4);
}

describe.each(STORES)('Inventory in $store', ({ store, newInventory }) => {
  let dbFile: string;
  beforeEach(() => { dbFile = newInventory(); });

  it('migrates a new database to the current schema version and keeps a fingerprint key', () => {
    const inv = Inventory.open(dbFile);
    expect(inv.store.schemaVersion()).toBe(INVENTORY_SCHEMA_VERSION);
    if (store === 'SQLite') expect((inv.store as SqliteStore).database.pragma('journal_mode', { simple: true })).toBe('wal');
    const key = (inv.store.prepare("SELECT value FROM meta WHERE key = 'fingerprint_key'").get() as { value: string }).value;
    inv.close();
    const again = Inventory.open(dbFile);
    expect((again.store.prepare("SELECT value FROM meta WHERE key = 'fingerprint_key'").get() as { value: string }).value).toBe(key);
    again.close();
  });

  it('keeps a repository-local name one resource per repository, a global name one resource; upgrades a version 6 inventory by splitting', async () => {
    const scanned = await scanFixture('deploy-repo');
    const as = (repo: string): RepoScanResult => ({
      ...scanned, repo: { ...scanned.repo, path: repo }, connections: scanned.connections.map((c) => ({ ...c, repo })), secrets: scanned.secrets.map((x) => ({ ...x, repo })),
    });
    const inv = Inventory.open(dbFile);
    inv.saveRepo(as('shop'), new Date('2026-11-01T00:00:00Z'), new Date('2026-11-01T00:01:00Z'));
    inv.saveRepo(as('pay'), new Date('2026-11-01T00:02:00Z'), new Date('2026-11-01T00:03:00Z'));
    const identities = (i: Inventory) => i.resources().filter((r) => ['redis', 'kafka', 'rocketmq'].includes(r.kind) && r.host !== null)
      .map((r) => `${r.kind}://${r.host}:${r.port} ${r.within ?? '(global)'}`);
    const expected = [
      'kafka://kafka:9092 pay', 'kafka://kafka:9092 shop', 'kafka://kafka-0.kafka-headless:9092 pay', 'kafka://kafka-0.kafka-headless:9092 shop',
      'kafka://kafka-1.kafka-headless:9092 pay', 'kafka://kafka-1.kafka-headless:9092 shop',
      'redis://pay-redis.cache.svc.cluster.local:6379 (global)', 'redis://pay-redis.internal:6379 (global)', 'redis://redis:6379 pay', 'redis://redis:6379 shop',
      'rocketmq://10.50.1.1:9876 (global)', 'rocketmq://10.50.1.2:9876 (global)',
    ];
    expect(identities(inv)).toEqual(expected);
    const report = inv.report();

    // What version 6 stored: one `redis:6379` for both repositories. The upgrade splits it again, and the report is the same.
    asVersion6(inv);
    expect((inv.store.prepare("SELECT count(*) AS n FROM resources WHERE host = 'redis'").get() as { n: number }).n).toBe(1);
    inv.close();
    const upgraded = Inventory.open(dbFile);
    expect(upgraded.store.schemaVersion()).toBe(INVENTORY_SCHEMA_VERSION);
    expect(identities(upgraded)).toEqual(expected);
    expect(upgraded.report()).toEqual(report);
    const redis = upgraded.resources().filter((r) => r.host === 'redis');
    expect(redis.map((r) => [r.within, r.lastSeenRepo, r.lastSeenAt])).toEqual([['pay', 'pay', '2026-11-01T00:03:00.000Z'], ['shop', 'shop', '2026-11-01T00:01:00.000Z']]);

    // A forgotten repository's own resources go with it; global ones stay, unused, for the capacity team.
    upgraded.forget('pay');
    expect(upgraded.resources().filter((r) => r.host === 'redis').map((r) => r.within)).toEqual(['shop']);
    upgraded.forget('shop');
    expect(upgraded.resources().filter((r) => r.within !== null)).toEqual([]);
    expect(upgraded.unusedResources().map((r) => r.host)).toContain('10.50.1.1');
    upgraded.close();
  });

  it('upgrades a version 3 inventory: old secrets keep their rows, stored file results are dropped to be read again', async () => {
    const inv = Inventory.open(dbFile);
    inv.saveRepo(await scanFixture('credentials-zoo'), new Date());
    // Make it what version 3 was: no value_id column, a stored file result holding an old-style fingerprint.
    asVersion4(inv);
    inv.store.exec('ALTER TABLE secrets DROP COLUMN value_id');
    inv.store.prepare("INSERT INTO file_results (repo_id, path, blob, result) SELECT id, 'a.yml', 'b1', '{}' FROM repos LIMIT 1").run();
    const secretsBefore = (inv.store.prepare('SELECT count(*) AS n FROM secrets').get() as { n: number }).n;
    inv.store.setSchemaVersion(3);
    inv.close();
    const upgraded = Inventory.open(dbFile);
    expect(upgraded.store.schemaVersion()).toBe(INVENTORY_SCHEMA_VERSION);
    expect((upgraded.store.prepare('SELECT count(*) AS n FROM file_results').get() as { n: number }).n).toBe(0);
    expect((upgraded.store.prepare('SELECT count(*) AS n FROM secrets WHERE value_id IS NULL').get() as { n: number }).n).toBe(secretsBefore);
    const report = upgraded.report();
    expect(report.secrets.length).toBe(secretsBefore);
    expect(report.secrets.every((s) => s.valueId === undefined)).toBe(true);
    upgraded.close();
  });

  it('upgrades a version 5 inventory: its report has no suppressions and says no config files; the next save records both', async () => {
    const inv = Inventory.open(dbFile);
    const first = await scanFixture('credentials-zoo');
    inv.saveRepo(first, new Date());
    asVersion5(inv);
    inv.close();
    const upgraded = Inventory.open(dbFile);
    expect(upgraded.store.schemaVersion()).toBe(INVENTORY_SCHEMA_VERSION);
    const before = upgraded.report();
    expect([before.suppressions, before.suppressedSecrets, before.repos.map((r) => r.configFiles)]).toEqual([[], [], [undefined]]);
    const hidden = first.secrets[0]!;
    const { value: _value, ...kept } = hidden;
    upgraded.saveRepo({
      ...first, repo: { ...first.repo, configFiles: ['.cmdbscanignore'] }, secrets: first.secrets.slice(1),
      suppressions: [{ repo: first.repo.path, mechanism: 'ignore-file', source: '.cmdbscanignore:1', count: 1 }],
      suppressedSecrets: [{ ...kept, suppressedBy: { mechanism: 'ignore-file', source: '.cmdbscanignore:1' } }],
    }, new Date());
    const after = upgraded.report();
    expect(after.repos.map((r) => r.configFiles)).toEqual([['.cmdbscanignore']]);
    expect(after.suppressions).toEqual([{ repo: first.repo.path, mechanism: 'ignore-file', source: '.cmdbscanignore:1', count: 1 }]);
    expect(after.suppressedSecrets.map((s) => [s.fingerprint, s.file, s.line, s.suppressedBy.source])).toEqual([[hidden.fingerprint, hidden.file, hidden.line, '.cmdbscanignore:1']]);
    expect(after.secrets).toHaveLength(first.secrets.length - 1);
    upgraded.close();
  });

  it('upgrades a version 4 inventory: each resource learns when and by whom it was last referenced, and the next save records changes', async () => {
    const inv = Inventory.open(dbFile);
    const first = await scanFixture('spring-multimodule');
    inv.saveRepo(first, new Date('2026-11-01T00:00:00Z'), new Date('2026-11-01T00:01:00Z'));
    asVersion4(inv);
    inv.close();
    const upgraded = Inventory.open(dbFile);
    expect(upgraded.store.schemaVersion()).toBe(INVENTORY_SCHEMA_VERSION);
    const seen = upgraded.store.prepare('SELECT DISTINCT last_seen_at, last_seen_repo FROM resources').all();
    expect(seen).toEqual([{ last_seen_at: '2026-11-01T00:01:00.000Z', last_seen_repo: first.repo.path }]);
    expect(upgraded.changesIn('2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z')).toEqual([]);
    // One connection fewer on the next save: recorded as removed, against what the upgraded inventory held.
    const gone = first.connections[0]!;
    upgraded.saveRepo({ ...first, connections: first.connections.filter((c) => c !== gone && !(c.app === gone.app && c.kind === gone.kind && c.host === gone.host && c.port === gone.port && c.database === gone.database)) }, new Date('2026-11-02T00:00:00Z'), new Date('2026-11-02T00:01:00Z'));
    const changes = upgraded.changesIn('2026-11-01T00:01:00.000Z', '2026-11-03T00:00:00.000Z');
    expect(changes.map((c) => [c.subject, c.change, c.app, c.detail['resource']])).toEqual([['connection', 'removed', gone.app, `${gone.kind}://${gone.host}:${gone.port}${gone.database ? `/${gone.database}` : ''}`]]);
    upgraded.close();
  });

  it('stores change keys without NUL (PostgreSQL text cannot hold it) and reads them back, old SQLite ones too', async () => {
    const inv = Inventory.open(dbFile);
    inv.saveRepo(await scanFixture('gbk-legacy'), new Date('2026-11-01T00:00:00Z'), new Date('2026-11-01T00:01:00Z'));
    const stored = inv.store.prepare("SELECT key FROM changes WHERE subject = 'connection' ORDER BY id").all() as Array<{ key: string }>;
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.every((r) => !r.key.includes('\u0000') && r.key.includes('\ufffd'))).toBe(true);
    // As older versions stored them: with NUL in SQLite, with U+001F in PostgreSQL.
    inv.store.prepare(store === 'SQLite' ? 'UPDATE changes SET key = replace(key, char(65533), char(0))' : 'UPDATE changes SET key = replace(key, chr(65533), chr(31))').run();
    const read = inv.changesIn('2026-10-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z').filter((c) => c.subject === 'connection');
    expect(read.map((c) => c.key)).toEqual(stored.map((r) => r.key.replaceAll('\ufffd', '\u0000')));
    inv.close();
  });

  it('keeps batch state, per-file results and the model cache, and forgets a repository with its change records', async () => {
    const inv = Inventory.open(dbFile);
    const result = await scanFixture('gbk-legacy');
    const target = { url: 'https://git.acme.example/legacy.git', branch: 'main', jobs: ['legacy/build'] };
    inv.recordTargetFailure(target, 'git clone: timed out');
    expect(inv.targetState(target.url, target.branch)).toEqual({ status: 'failed', commit: null, settings: null });
    const withFiles = { ...result, fileResults: [{ path: 'a.properties', hash: 'b1', result: { findings: [] } }] } as unknown as RepoScanResult;
    inv.saveBatchRepo(target, withFiles, [{ app: result.repo.apps[0]!.name, owner: 'zhang.wei', email: 'zhang.wei@acme.example', source: 'codeowners' }], new Date('2026-11-01T00:00:00Z'), 'settings-1');
    expect(inv.targetState(target.url, target.branch)).toMatchObject({ status: 'scanned', settings: 'settings-1' });
    inv.recordTargetUnchanged(target);
    expect(inv.fileResults(result.repo.path)).toEqual(new Map([['a.properties', { hash: 'b1', result: '{"findings":[]}' }]]));
    expect(inv.storedConnectionCount(result.repo.path)).toBe(result.connections.length);
    expect(inv.report().repos[0]!.apps[0]!.owners).toEqual([{ owner: 'zhang.wei', email: 'zhang.wei@acme.example', source: 'codeowners' }]);
    // A reply cached twice for the same snippet is replaced, not duplicated.
    inv.cacheReply('qwen', 'p1', 'h1', []);
    inv.cacheReply('qwen', 'p1', 'h1', [{ kind: 'redis' } as never]);
    expect(inv.cachedReply('qwen', 'p1', 'h1')).toEqual([{ kind: 'redis' }]);
    expect(inv.cachedReply('qwen', 'p2', 'h1')).toBeUndefined();
    // Never scanned sorts first (NULLS FIRST in both databases), then oldest (the batch save above finished now).
    inv.saveRepo({ ...result, repo: { ...result.repo, path: '/repos/older' } }, new Date('2026-11-05T00:00:00Z'), new Date('2026-11-05T00:01:00Z'));
    inv.store.prepare('INSERT INTO repos (path) VALUES (?)').run('/repos/never');
    expect(inv.reposNotScannedSince('2100-01-01T00:00:00.000Z').map((r) => r.path)).toEqual(['/repos/never', '/repos/older', result.repo.path]);
    const before = inv.unusedResources().length;
    inv.forget(result.repo.path);
    expect(inv.repoPaths()).toEqual(['/repos/never', '/repos/older']);
    expect(inv.targetState(target.url, target.branch)).toBeUndefined();
    expect(inv.changesIn('2026-11-06T00:00:00.000Z', '2100-01-01T00:00:00.000Z').filter((c) => c.change === 'removed').map((c) => c.subject).sort())
      .toEqual(['app', ...result.connections.map(() => 'connection'), ...result.secrets.map(() => 'secret')].sort());
    expect(inv.unusedResources().length).toBe(before); // /repos/older still uses the same resources
    inv.close();
  });

  it('copies into a new inventory of the other store with everything it holds, and new rows continue after the copied ids', async () => {
    const inv = Inventory.open(dbFile);
    const legacy = await scanFixture('gbk-legacy');
    inv.saveBatchRepo({ url: 'https://git.acme.example/legacy.git', branch: 'main', jobs: ['legacy/build'] },
      { ...legacy, fileResults: [{ path: 'a.properties', hash: 'b1', result: { findings: [] } }] } as unknown as RepoScanResult,
      [{ app: legacy.repo.apps[0]!.name, owner: 'li.na', email: null, source: 'codeowners' }], new Date('2026-11-01T00:00:00Z'), 'settings-1');
    inv.saveRepo({ ...legacy, connections: legacy.connections.slice(1) }, new Date('2026-11-02T00:00:00Z'), new Date('2026-11-02T00:01:00Z'));
    inv.cacheReply('qwen', 'p1', 'h1', [{ kind: 'redis' } as never]);
    // A change key as SQLite inventories before PostgreSQL support stored it (NUL): copied as the separator.
    if (store === 'SQLite') inv.store.prepare('UPDATE changes SET key = replace(key, char(31), char(0))').run();
    const other = store === 'SQLite' ? server.newSchema() : path.join(dir, 'copy.db');
    const target = Inventory.open(other);
    const counts = inv.copyTo(target);
    expect(counts.find((c) => c.table === 'file_results')!.rows).toBe(1);
    const all = ['2000-01-01T00:00:00.000Z', '2100-01-01T00:00:00.000Z'] as const;
    for (const read of [(i: Inventory) => i.report(), (i: Inventory) => i.resources(), (i: Inventory) => i.changesIn(...all), (i: Inventory) => i.fingerprintKey(),
      (i: Inventory) => i.targetState('https://git.acme.example/legacy.git', 'main'), (i: Inventory) => i.fileResults(legacy.repo.path),
      (i: Inventory) => i.cachedReply('qwen', 'p1', 'h1'), (i: Inventory) => i.reposNotScannedSince(all[1]), (i: Inventory) => i.scanFinishedAt(1)]) {
      expect(read(target)).toEqual(read(inv));
    }
    // New scans get new ids after the copied ones, and the copy refuses a second run into the now full target.
    const next = target.saveRepo({ ...legacy, repo: { ...legacy.repo, path: '/repos/next' } }, new Date());
    expect(next).toBe(3);
    expect(() => inv.copyTo(target)).toThrow(/not empty/);
    target.close();
    inv.close();
  });

  it("refuses another program's database untouched, naming it", () => {
    const foreign = openStore(dbFile, { readOnly: false });
    foreign.exec("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO customers VALUES (1, 'acme')");
    foreign.close();
    expect(() => Inventory.open(dbFile)).toThrow(/not a cmdb-scan inventory \(it holds other tables: customers\)/);
    expect(() => Inventory.openReadOnly(dbFile)).toThrow(/not a cmdb-scan inventory/);
    const after = openStore(dbFile, { readOnly: true });
    expect(after.tableNames()).toEqual(['customers']);
    expect(after.marked()).toBe(false);
    after.close();
  });

  it('refuses a database written by a newer cmdb-scan', () => {
    const inv = Inventory.open(dbFile);
    inv.store.setSchemaVersion(INVENTORY_SCHEMA_VERSION + 1);
    inv.close();
    expect(() => Inventory.open(dbFile)).toThrow(/newer than this cmdb-scan supports/);
  });

  it('reports back exactly what was scanned', async () => {
    const results = [await scanFixture('spring-multimodule'), await scanFixture('deploy-repo')];
    const inv = Inventory.open(dbFile);
    for (const r of results) inv.saveRepo(r, new Date());
    const fromDb = inv.report();
    inv.close();
    const direct = toReport(results);
    expect(fromDb.connections).toEqual(direct.connections);
    expect(fromDb.skipped).toEqual(direct.skipped);
    expect(fromDb.repos.map((r) => r.apps)).toEqual([...direct.repos].sort((a, b) => (a.path < b.path ? -1 : 1)).map((r) => r.apps));
  });

  it('shares one resource row between apps and repos that use the same endpoint', async () => {
    const inv = Inventory.open(dbFile);
    inv.saveRepo(await scanFixture('spring-multimodule'), new Date());
    const rows = inv.store.prepare(`SELECT COUNT(*) AS n FROM occurrences o JOIN resources r ON r.id = o.resource_id
      WHERE r.kind = 'nacos' AND r.host = 'nacos-1.acme.internal' AND r.port = 8848`).get() as { n: number };
    const resources = inv.store.prepare(`SELECT COUNT(*) AS n FROM resources WHERE kind = 'nacos' AND host = 'nacos-1.acme.internal'`).get() as { n: number };
    inv.close();
    expect(rows.n).toBe(2);
    expect(resources.n).toBe(1);
  });

  it('replaces a repository on rescan and keeps resources nobody uses any more as unused', async () => {
    const result = await scanFixture('gbk-legacy');
    const inv = Inventory.open(dbFile);
    inv.saveRepo(result, new Date('2026-11-01T00:00:00Z'), new Date('2026-11-01T00:01:00Z'));
    inv.store.prepare("UPDATE apps SET jenkins_job = 'shebao/query'").run();
    const withoutRedis = { ...result, connections: result.connections.filter((c) => c.kind !== 'redis') };
    inv.saveRepo(withoutRedis, new Date());
    expect(inv.report().connections.map((c) => c.kind)).toEqual(['dm', 'nacos']);
    // Unused, with who used it last and when: the first save.
    const redisApp = result.connections.find((c) => c.kind === 'redis')!.app;
    expect(inv.unusedResources()).toEqual([{
      kind: 'redis', host: '10.80.1.30', port: 6379, database: null, within: null, occurrences: 0,
      lastSeenAt: '2026-11-01T00:01:00.000Z', lastSeenApp: redisApp, lastSeenRepo: result.repo.path,
    }]);
    // Columns other tools fill survive a rescan of the same app.
    expect(inv.store.prepare('SELECT jenkins_job FROM apps').all()).toEqual([{ jenkins_job: 'shebao/query' }]);
    inv.close();
  });

  it('keeps the previous complete state when a save fails half-way', async () => {
    const result = await scanFixture('legacy-java-webapp');
    const inv = Inventory.open(dbFile);
    inv.saveRepo(result, new Date());
    const before = inv.report();
    const broken = { ...result, connections: [...result.connections.slice(0, 3), { ...result.connections[0]!, app: 'no-such-app' }] };
    expect(() => inv.saveRepo(broken, new Date())).toThrow(/unknown app/);
    expect(inv.report()).toEqual(before);
    inv.close();
  });

  it('answers "what does this app use" and "who uses this"', async () => {
    const inv = Inventory.open(dbFile);
    inv.saveRepo(await scanFixture('spring-multimodule'), new Date());
    inv.saveRepo(await scanFixture('deploy-repo'), new Date());
    expect(new Set(inv.connectionsOfApp('mall-user').map((c) => c.kind))).toEqual(new Set(['mysql', 'mongodb', 'elasticsearch', 'rabbitmq', 'xxl-job']));
    expect(inv.connectionsUsing('10.20.6.2:27017').map((c) => c.app)).toEqual(['mall-user']);
    expect(new Set(inv.connectionsUsing('rocketmq').map((c) => c.app))).toEqual(new Set(['mall-order', 'deploy-repo']));
    expect(inv.connectionsUsing('10.20.1.21').map((c) => c.database)).toEqual(['mall_user']);
    inv.close();
  });
});
