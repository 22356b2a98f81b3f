/**
 * A scanned repository is untrusted input, and so is what its names carry into the inventory: file names that are not
 * UTF-8, directories whose name holds a line break and paths longer than the system can open are scanned or named as
 * skipped, inside a git work tree and outside one; text holding NUL or control characters is stored alike by both
 * stores; and a PostgreSQL password, however it is spelled, is in no name, message or API answer.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { scanRepository } from '../src/engine.js';
import { Inventory } from '../src/inventory.js';
import { storeName } from '../src/storage/postgres-location.js';
import { gitIn, startServe } from './helpers.js';
import { startPostgres, type PostgresServer } from '../bench/postgres-server.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-untrusted-')); });
// rm, not rmSync: Node removes a tree by whole paths, which fail below 4,096 bytes of depth; rm opens it level by level.
afterEach(() => { spawnSync('rm', ['-rf', dir]); });

/** A path of raw bytes under `root`: a name that is not UTF-8 cannot be written as a string. */
function bytePath(root: string, ...parts: Array<string | number[]>): Buffer {
  return Buffer.concat([Buffer.from(root), ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p)))]);
}

function properties(host: string): string {
  return `spring.datasource.url=jdbc:mysql://${host}:3306/app\n`;
}

/** The same tree is walked as a plain directory (fast-glob) and as a git work tree with everything committed (git ls-files). */
const WALKS = [
  { walk: 'outside git', prepare: (_repo: string) => {} },
  {
    walk: 'in a git work tree',
    prepare: (repo: string) => {
      const git = gitIn(repo);
      git('init', '-q', '.');
      // git cannot open a directory deeper than 4,096 bytes either: it warns, adds the rest, and the deep tree stays untracked.
      spawnSync('git', ['-C', repo, 'add', '-A'], { stdio: 'ignore' });
      git('commit', '-q', '-m', 'tree');
    },
  },
];

describe.each(WALKS)('walking $walk', ({ prepare }) => {
  it('names a file or directory whose name is not UTF-8 as skipped, and only where a readable one would be listed', async () => {
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, 'node_modules'), { recursive: true });
    writeFileSync(path.join(repo, 'ok.env'), 'DB_URL=postgres://app@db-ok.internal:5432/app\n');
    writeFileSync(bytePath(repo, '/conf', [0xff], '.env'), 'DB_URL=postgres://app@db-hidden.internal:5432/app\n');
    mkdirSync(bytePath(repo, '/bad', [0xfe]));
    writeFileSync(bytePath(repo, '/bad', [0xfe], '/app.env'), 'DB_URL=postgres://app@db-below.internal:5432/app\n');
    writeFileSync(bytePath(repo, '/node_modules/lib', [0xff], '.env'), 'x=1\n');
    prepare(repo);
    const result = await scanRepository(repo);
    expect(result.connections.map((c) => [c.file, c.host])).toEqual([['ok.env', 'db-ok.internal']]);
    expect(result.skipped.map(({ file, reason, detail }) => ({ file, reason, detail }))).toEqual([
      { file: 'bad\ufffd', reason: 'unreadable', detail: 'directory name is not valid UTF-8; nothing in it is read' },
      { file: 'conf\ufffd.env', reason: 'unreadable', detail: 'file name is not valid UTF-8' },
    ]);
  });

  it('scans the files of a directory whose name holds a line break, with the built-in ignores still applied below it', async () => {
    const repo = path.join(dir, 'repo');
    for (const d of ['svc\nprod', 'svc\nprod/node_modules/lib', 'a\r\u2028b']) mkdirSync(path.join(repo, d), { recursive: true });
    writeFileSync(path.join(repo, 'svc\nprod/application.properties'), properties('orders-db.internal'));
    writeFileSync(path.join(repo, 'svc\nprod/node_modules/lib/application.properties'), properties('vendored-db.internal'));
    writeFileSync(path.join(repo, 'a\r\u2028b/application.properties'), properties('other-db.internal'));
    prepare(repo);
    const result = await scanRepository(repo);
    expect(result.connections.map((c) => [c.file, c.host])).toEqual([
      ['a\r\u2028b/application.properties', 'other-db.internal'],
      ['svc\nprod/application.properties', 'orders-db.internal'],
    ]);
    expect(result.skipped).toEqual([]);
  });

  it('names a directory whose path is longer than the system can open instead of dropping what is below it', async () => {
    const repo = path.join(dir, 'repo');
    mkdirSync(repo);
    writeFileSync(path.join(repo, 'ok.env'), 'DB_URL=postgres://app@db-ok.internal:5432/app\n');
    // 22 levels of 200 bytes, about 4,400: made by bash one relative step at a time, as no single call can name the path
    // (dash's cd names the whole path, and so fails too).
    const level = 'd'.repeat(200);
    const made = spawnSync('bash', ['-c', `cd "$1" && for i in $(seq 1 22); do mkdir "${level}$i" && cd "${level}$i" || exit 1; done && echo 'DB_URL=postgres://app@db-deep.internal:5432/app' > app.env`, 'bash', repo]);
    expect(made.status, made.stderr.toString()).toBe(0);
    const deepDirectory = Array.from({ length: 22 }, (_, i) => `${level}${i + 1}`).join('/');
    prepare(repo);
    const result = await scanRepository(repo);
    expect(result.connections.map((c) => c.host)).toEqual(['db-ok.internal']);
    expect(result.skipped).toHaveLength(1);
    const [skip] = result.skipped;
    expect(skip!.reason).toBe('unreadable');
    // Outside git the directory that cannot be opened; in git its parent, as far as git's message (cut at 4,096 bytes) names it.
    expect(deepDirectory.startsWith(skip!.file) && skip!.file.length > 3000).toBe(true);
    expect(skip!.detail).toMatch(/path of \d+ bytes is longer than the system allows \(ENAMETOOLONG\)|path too long to open/);
  });
});

let server: PostgresServer;
beforeAll(async () => { server = await startPostgres(); });
afterAll(() => server?.stop());

const STORES = [
  { store: 'SQLite', newInventory: () => path.join(dir, 'inv.db') },
  { store: 'PostgreSQL', newInventory: () => server.newSchema() },
];

describe.each(STORES)('text from a repository in $store', ({ newInventory }) => {
  /** A repository whose properties file names its app (a `\uXXXX` escape is how a properties file writes NUL). */
  function appRepo(name: string, appName: string, host: string): string {
    const repo = path.join(dir, name);
    mkdirSync(path.join(repo, 'src/main/resources'), { recursive: true });
    writeFileSync(path.join(repo, 'src/main/resources/application.properties'), `spring.application.name=${appName}\n${properties(host)}`);
    return repo;
  }

  it('keeps an app whose name holds NUL apart from the real one, stored with U+FFFD for each control character', async () => {
    const inv = Inventory.open(newInventory());
    try {
      inv.saveRepo(await scanRepository(appRepo('orders', 'order-svc', 'orders-db.internal')), new Date());
      inv.saveRepo(await scanRepository(appRepo('shadow', 'order-svc\\u0000shadow', 'attacker-db.internal')), new Date());
      inv.saveRepo(await scanRepository(appRepo('painted', 'pay\\u001b[31m\\tsvc\\u0085', 'pay-db.internal')), new Date());
      expect(inv.connectionsOfApp('order-svc').map((c) => c.host)).toEqual(['orders-db.internal']);
      expect(inv.report().repos.flatMap((r) => r.apps.map((a) => a.name)).sort()).toEqual(['order-svc', 'order-svc\ufffdshadow', 'pay\ufffd[31m\ufffdsvc\ufffd']);
      // Looked up as it was written, the name finds what was stored for it.
      expect(inv.connectionsOfApp('order-svc\u0000shadow').map((c) => c.host)).toEqual(['attacker-db.internal']);
    } finally {
      inv.close();
    }
  });

  it('stores a path holding a line break as it stores every control character, and a rescan records no change', async () => {
    const repo = path.join(dir, 'repo');
    mkdirSync(path.join(repo, 'svc\nprod'), { recursive: true });
    writeFileSync(path.join(repo, 'svc\nprod/application.properties'), `spring.application.name=svc\\tprod\n${properties('orders-db.internal')}`);
    const result = await scanRepository(repo);
    const inv = Inventory.open(newInventory());
    try {
      inv.saveRepo(result, new Date('2026-11-01T00:00:00Z'), new Date('2026-11-01T00:01:00Z'));
      inv.saveRepo(result, new Date('2026-11-02T00:00:00Z'), new Date('2026-11-02T00:01:00Z'));
      expect(inv.report().connections.map((c) => [c.app, c.file])).toEqual([['svc\ufffdprod', 'svc\ufffdprod/application.properties']]);
      expect(inv.changesIn('2026-11-01T00:01:00.000Z', '2026-11-02T00:01:00.000Z')).toEqual([]);
    } finally {
      inv.close();
    }
  });
});

describe('a PostgreSQL password, however it is spelled', () => {
  /** The suite server's schema URL, taken apart to be spelled again. */
  function connection() {
    const url = new URL(server.newSchema());
    return { host: url.hostname, port: url.port, schema: decodeURIComponent(url.searchParams.get('options')!).replace('-csearch_path=', '') };
  }
  // With trust authentication the server ignores the password: each is there to be kept out of every message.
  const SPELLINGS = [
    { spelling: 'a space', password: 'Pw Space71', location: (c: ReturnType<typeof connection>) => `postgres://postgres:Pw Space71@${c.host}:${c.port}/postgres?options=-csearch_path%3D${c.schema}` },
    { spelling: 'colons', password: 'Pw:Colon:72', location: (c: ReturnType<typeof connection>) => `postgres://postgres:Pw:Colon:72@${c.host}:${c.port}/postgres?options=-csearch_path%3D${c.schema}` },
    { spelling: '%40', password: 'Pw%40At73', location: (c: ReturnType<typeof connection>) => `postgresql://postgres:Pw%40At73@${c.host}:${c.port}/postgres?options=-csearch_path%3D${c.schema}` },
    { spelling: 'a query parameter with a space', password: 'Pw Query74', location: (c: ReturnType<typeof connection>) => `postgres://postgres@${c.host}:${c.port}/postgres?password=Pw Query74&options=-csearch_path%3D${c.schema}` },
    { spelling: 'keyword=value', password: 'PwConn75', location: (c: ReturnType<typeof connection>) => `host=${c.host} port=${c.port} user=postgres password=PwConn75 dbname=postgres options='-csearch_path=${c.schema}'` },
    { spelling: 'keyword=value, quoted', password: "Pw Conn 'q' 76", location: (c: ReturnType<typeof connection>) => `host=${c.host} port=${c.port} password='Pw Conn \\'q\\' 76' user=postgres dbname=postgres options='-csearch_path=${c.schema}'` },
  ];
  /** The password, decoded, and every piece of it a parser could split off. */
  function pieces(password: string): string[] {
    const decoded = /%[0-9a-f]{2}/i.test(password) ? decodeURIComponent(password) : password;
    return [password, decoded, ...password.split(/[ :@'%]|40/).filter((p) => p.length >= 3)];
  }

  it.each(SPELLINGS)('with $spelling is in no store name, serve banner or /health answer', async ({ password, location }) => {
    const db = location(connection());
    const inv = Inventory.open(db);
    const name = inv.name;
    inv.close();
    const serve = await startServe(db);
    try {
      const health = await (await fetch(`${serve.url}/health`)).text();
      for (const text of [name, storeName(db), health, serve.stderr()]) for (const piece of pieces(password)) expect(text).not.toContain(piece);
      expect(JSON.parse(health).inventory).toBe(name);
    } finally {
      await serve.stop();
    }
  });

  it('is in no error: a server that does not answer, a bad percent-encoding libpq quotes, an unencoded @', async () => {
    const errorOf = (db: string) => { try { Inventory.open(db).close(); } catch (e) { return (e as Error).message; } throw new Error('opened'); };
    const refused = errorOf('postgres://u:Pw Refused81@127.0.0.1:1/db');
    expect(refused).toMatch(/^postgres:\/\/u@127\.0\.0\.1:1\/db: cannot connect/);
    const badEncoding = errorOf('postgres://u:Pw%zzEnc82@127.0.0.1:1/db');
    expect(badEncoding).toMatch(/cannot connect/);
    const conninfo = errorOf('host=127.0.0.1 port=1 password=PwWord83 sslmode=bogus');
    expect(conninfo).toMatch(/^host=127\.0\.0\.1 port=1 password=… sslmode=bogus: cannot connect/);
    // libpq reads the password up to the first `@` and the rest as the host: refused before libpq sees it.
    const at = errorOf('postgres://u:Pw Sp@ce84@127.0.0.1:1/db');
    expect(at).toMatch(/must be percent-encoded \(%40/);
    const unreadable = errorOf('host=127.0.0.1 password=Pw Unquoted85');
    expect(unreadable).toMatch(/not keyword=value/);
    for (const [message, password] of [[refused, 'Pw Refused81'], [badEncoding, 'Pw%zzEnc82'], [conninfo, 'PwWord83'], [at, 'Pw Sp@ce84'], [unreadable, 'Pw Unquoted85']] as const) {
      for (const piece of pieces(password).concat(password.split(/[ @%]/).filter((p) => p.length >= 2))) expect(message).not.toContain(piece);
    }
    const serve = startServe('postgres://u:Pw Sp@ce86@127.0.0.1:1/db');
    await expect(serve).rejects.toThrow(/must be percent-encoded/);
    await serve.catch((e: Error) => { for (const piece of ['Pw Sp', 'ce86', 'Sp@ce']) expect(e.message).not.toContain(piece); });
  });
});
