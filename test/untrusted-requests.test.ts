/**
 * What a request can do: what `serve`, `mcp` and `query` are asked, and the CMDB list `unused --cmdb` reads, is
 * untrusted text. Each case is an attack that used to freeze the server, cost quadratic time, widen a question to
 * every app, reach the inventory from a web page or leave a client without an answer. Time bounds are generous: a
 * bounded run finishes in well under a second, an unbounded one takes minutes.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PostgresServer } from '../bench/postgres-server.js';
import { matchCmdb, type CmdbRecord } from '../src/cmdb-resources.js';
import { scanRepository } from '../src/engine.js';
import { Inventory, type InventoryResource } from '../src/inventory.js';
import { nearestNames, parseTarget } from '../src/targets.js';
import { CLI, ROOT, runCli, serviceRepo, startServe } from './helpers.js';

const BOUND_MS = 5000;
/** A host that code references, and a wildcard a backtracking matcher takes minutes to reject against it. */
const LONG_HOST = `${'a'.repeat(36)}.acme.internal`;
const BACKTRACKING = `${'*a'.repeat(15)}x`;

let dir: string;
let db: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-requests-'));
  db = path.join(dir, 'inv.db');
  const orders = serviceRepo(dir, 'order-service', `spring.datasource.url=jdbc:mysql://10.20.1.15:3306/orders\nspring.redis.host=${LONG_HOST}\n`);
  const billing = serviceRepo(dir, 'billing', 'spring.datasource.url=jdbc:mysql://10.20.9.9:3306/billing\n');
  for (const repo of [orders, billing]) expect(runCli(['scan', repo, '--db', db, '-q', '-f', 'json']).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function timed<T>(work: () => T | Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await work();
  return { value, ms: performance.now() - started };
}

/** A GET with a Host header of our choosing (fetch sets its own): the status and the JSON body. */
function getAs(url: string, host: string | null, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const u = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname: '127.0.0.1', port: u.port, path: u.pathname, headers: host === null ? headers : { ...headers, host }, setHost: host !== null }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode!, body: (res.headers['content-type']?.startsWith('application/json') ? JSON.parse(text) : { text }) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('wildcards are matched in linear time', () => {
  it('a wildcard of many stars against a long host is answered at once, with the same meaning as before', async () => {
    const resource = (host: string, port: number | null = 3306) => ({ kind: 'mysql' as const, host, port, database: null });
    const { value, ms } = await timed(() => parseTarget(`${'*a'.repeat(20)}x`).matches(resource('a'.repeat(5000))));
    expect(value).toBe(false);
    expect(ms).toBeLessThan(BOUND_MS);
    const matches = (target: string, host: string, port?: number | null) => parseTarget(target).matches(resource(host, port));
    expect(matches('*.rds.aliyuncs.com', 'rm-bp1.mysql.rds.aliyuncs.com')).toBe(true);
    expect(matches('*.rds.aliyuncs.com', 'rds.aliyuncs.com')).toBe(false);
    expect(matches('db-?.acme.*', 'db-1.acme.internal')).toBe(true);
    expect(matches('db-?.acme.*', 'db-12.acme.internal')).toBe(false);
    expect(matches('DB-*', 'db-1')).toBe(true);
    expect(matches('*', 'anything')).toBe(true);
    expect(matches('a*b*c', 'abxbc')).toBe(true);
    expect(matches('a*b*c', 'abxbcx')).toBe(false);
    expect(matches('db-*:3306', 'db-1', 3306)).toBe(true);
    expect(matches('db-*:3306', 'db-1', 5432)).toBe(false);
    expect(() => parseTarget(`${'*'.repeat(256)}.x`)).toThrow(/a wildcard is at most 255 characters/);
    expect(() => parseTarget(`h${'.x'.repeat(3000)}`)).toThrow(/a target is at most 4096 characters/);
  });

  it('serve answers GET /uses?target=*a*a*a…x at once, keeps answering and stops on SIGTERM; an over-long wildcard is a 400', async () => {
    const serve = await startServe(db);
    try {
      const attack = await timed(() => fetch(`${serve.url}/uses?target=${encodeURIComponent(BACKTRACKING)}`, { signal: AbortSignal.timeout(BOUND_MS) }));
      expect(attack.value.status).toBe(404);
      expect(attack.ms).toBeLessThan(BOUND_MS);
      const found = await fetch(`${serve.url}/uses?target=${encodeURIComponent('*a.acme.internal')}`, { signal: AbortSignal.timeout(BOUND_MS) });
      expect(((await found.json()) as { report: { connections: Array<{ host: string }> } }).report.connections.map((c) => c.host)).toEqual([LONG_HOST]);
      const long = await fetch(`${serve.url}/uses?target=${'*'.repeat(300)}`, { signal: AbortSignal.timeout(BOUND_MS) });
      expect(long.status).toBe(400);
      expect(((await long.json()) as { error: string }).error).toContain('a wildcard is at most 255 characters');
      expect((await fetch(`${serve.url}/health`, { signal: AbortSignal.timeout(BOUND_MS) })).status).toBe(200);
    } finally {
      const stopped = await timed(() => serve.stop());
      expect(stopped.ms).toBeLessThan(BOUND_MS);
    }
  });
});

describe('"did you mean" does bounded work', () => {
  it('suggests nothing for a long typed name and compares few names, yet still finds the typo among 50,000', async () => {
    // A 20,000-character name against 5,000 names: an unbounded edit distance is 4·10⁹ steps.
    const names = Array.from({ length: 5000 }, (_, i) => `svc-${i}.${'m'.repeat(30)}.internal`);
    const long = await timed(() => nearestNames('x'.repeat(20_000), names));
    expect(long.value).toEqual([]);
    expect(long.ms).toBeLessThan(BOUND_MS);

    // 128 characters against 200,000 names of that length over the same few letters: 3·10⁹ steps unbounded.
    let state = 2_463_534_242;
    let text = '';
    for (let i = 0; i < 200_256; i++) {
      state ^= state << 13; state ^= state >>> 17; state ^= state << 5; // xorshift32
      text += 'abcdef.-'[(state >>> 0) % 8];
    }
    const names128 = Array.from({ length: 200_000 }, (_, i) => text.slice(i + 128, i + 256));
    const many = await timed(() => nearestNames(text.slice(0, 128), names128));
    expect(many.ms).toBeLessThan(BOUND_MS);

    const hosts = [...Array.from({ length: 50_000 }, (_, i) => `svc-${i}.acme.internal`), 'kafka-1.acme.internal', 'kafka-10.acme.internal'];
    const typo = await timed(() => nearestNames('kafak-1.acme.internal', hosts));
    expect(typo.value[0]).toBe('kafka-1.acme.internal');
    expect(typo.value).toContain('kafka-10.acme.internal');
    expect(typo.ms).toBeLessThan(BOUND_MS);
    expect(nearestNames('orderservic', ['order-service', 'billing'])).toEqual(['order-service']);
  });
});

describe('unused --cmdb matches a large CMDB near-linearly, and type words as whole words', () => {
  const resource = (host: string, kind: InventoryResource['kind'], apps: string[], port: number | null = 3306): InventoryResource => (
    { kind, host, port, database: null, within: null, apps, lastSeenAt: apps.length ? null : '2026-01-01T00:00:00.000Z', lastSeenApp: apps.length ? null : 'old', lastSeenRepo: null });
  const record = (row: number, host: string, type: string | null, port: number | null = 3306): CmdbRecord => ({ row, host, port, type, name: null, owner: null });

  it('40,000 CMDB rows against 3,000 resources in well under the bound', async () => {
    const ip = (i: number) => `10.1.${i >> 8}.${i & 255}`;
    const resources = Array.from({ length: 3000 }, (_, i) => resource(ip(i), 'mysql', i % 2 === 0 ? [`app-${i}`] : []));
    const records = Array.from({ length: 40_000 }, (_, j) => record(j + 2, ip(j), 'MySQL Instance', j % 3 === 0 ? null : 3306));
    const { value, ms } = await timed(() => matchCmdb(records, resources));
    expect(ms).toBeLessThan(BOUND_MS);
    expect(value.used).toHaveLength(1500);
    expect(value.used[1]).toMatchObject({ host: ip(2), apps: ['app-2'] });
    expect(value.unused).toHaveLength(38_500);
    expect(value.unused[0]).toMatchObject({ host: ip(1), lastSeenApp: 'old' });
    expect(value.missing).toEqual([]);
  });

  it('a type agrees with a kind by whole words: Postgres is not Elasticsearch, Cosmos DB is not COS', () => {
    const resources = [
      resource('10.0.0.1', 'elasticsearch', ['search'], 9200), resource('10.0.0.2', 'postgresql', ['orders'], 5432),
      resource('10.0.0.3', 'cos', ['files'], 443), resource('10.0.0.4', 'sqlserver', ['erp'], 1433), resource('10.0.0.5', 'redis', ['cart'], 6379),
    ];
    const verdict = (host: string, type: string) => matchCmdb([record(2, host, type, null)], resources).used.length === 1;
    expect(verdict('10.0.0.1', 'Postgres')).toBe(false);
    expect(verdict('10.0.0.1', 'ES Cluster')).toBe(true);
    expect(verdict('10.0.0.1', 'OpenSearch')).toBe(true);
    expect(verdict('10.0.0.2', 'PostgreSQL 14')).toBe(true);
    expect(verdict('10.0.0.2', 'Postgres')).toBe(true);
    expect(verdict('10.0.0.2', 'Upgrade Server')).toBe(false); // `pg` inside a word is not PostgreSQL
    expect(verdict('10.0.0.3', 'Cosmos DB')).toBe(false);
    expect(verdict('10.0.0.3', 'COS Bucket')).toBe(true);
    expect(verdict('10.0.0.4', 'Microsoft SQL Server')).toBe(true);
    expect(verdict('10.0.0.4', 'cmdb_ci_db_mssql_instance')).toBe(true);
    expect(verdict('10.0.0.5', 'Redis5')).toBe(true);
    expect(verdict('10.0.0.5', 'RedisCluster')).toBe(true);
    expect(verdict('10.0.0.5', '42')).toBe(true); // no word at all: the type says nothing
    const wrong = matchCmdb([record(2, '10.0.0.1', 'Postgres', null)], resources);
    expect(wrong.missing.map((m) => m.resource)).toContain('elasticsearch://10.0.0.1:9200');
  });
});

describe('LIKE wildcards in a name are text', () => {
  let server: PostgresServer;
  beforeAll(async () => { server = await startPostgres(); });
  afterAll(() => server?.stop());

  it.each(['SQLite', 'PostgreSQL'])('%s: LIKE wildcards and the escape character in a name are plain text', async (store) => {
    const inv = Inventory.open(store === 'SQLite' ? path.join(dir, 'like.db') : server.newSchema());
    try {
      for (const [name, url] of [['pay_100%', 'jdbc:mysql://10.20.7.7:3306/pay'], ['order-service', 'jdbc:mysql://10.20.1.15:3306/orders']]) {
        inv.saveRepo(await scanRepository(serviceRepo(path.join(dir, store), name!, `spring.datasource.url=${url}\n`)), new Date());
      }
      const apps = (name: string) => [...new Set(inv.connectionsOfApp(name).map((c) => c.app))];
      expect(apps('%')).toEqual(['pay_100%']);
      expect(apps('_')).toEqual(['pay_100%']);
      expect(apps('\\')).toEqual([]);
      expect(apps('order_service')).toEqual([]);
      expect(apps('y_100%')).toEqual(['pay_100%']);
      expect(apps('ORDER')).toEqual(['order-service']);
    } finally {
      inv.close();
    }
  });

  it('serve: /apps/%25 and /apps/order_service match no app; a plain substring still does', async () => {
    const serve = await startServe(db);
    try {
      const all = await fetch(`${serve.url}/apps/%25`);
      expect(all.status).toBe(404);
      const underscore = await fetch(`${serve.url}/apps/order_service`);
      expect(underscore.status).toBe(404);
      expect(((await underscore.json()) as { nearest: string[] }).nearest).toEqual(['order-service']);
      expect((await fetch(`${serve.url}/apps/order`)).status).toBe(200);
    } finally {
      await serve.stop();
    }
  });
});

describe('serve answers only its own names and, with a token, only its holder', () => {
  it('refuses a request addressed to another name (DNS rebinding) and answers loopback names and --allow-host ones', async () => {
    const serve = await startServe(db, { args: ['--allow-host', 'cmdb.acme.internal'] });
    try {
      const port = new URL(serve.url).port;
      const health = `${serve.url}/health`;
      const rebound = await getAs(health, `attacker.example:${port}`);
      expect(rebound.status).toBe(403);
      expect(rebound.body['error']).toContain('--allow-host');
      expect((await getAs(health, null)).status).toBe(400); // Node itself refuses HTTP/1.1 without a Host
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'LOCALHOST.', `cmdb.acme.internal:${port}`, 'CMDB.Acme.Internal.']) {
        expect((await getAs(health, host)).status, host).toBe(200);
      }
      expect((await getAs(health, 'cmdb.acme.internal.attacker.example')).status).toBe(403);
      expect(serve.stderr()).not.toContain('warning');
    } finally {
      await serve.stop();
    }
  });

  it('with a token from CMDB_SCAN_SERVE_TOKEN or --token-file, a request without it is a 401', async () => {
    const tokenFile = path.join(dir, 'serve.token');
    writeFileSync(tokenFile, 'file-Token-9f2c\n');
    for (const [options, token] of [
      [{ env: { ...process.env, CMDB_SCAN_SERVE_TOKEN: 'env-Token-41d7' } }, 'env-Token-41d7'],
      [{ args: ['--token-file', tokenFile] }, 'file-Token-9f2c'],
    ] as const) {
      const serve = await startServe(db, options);
      try {
        const apps = `${serve.url}/apps`;
        const port = new URL(serve.url).port;
        const none = await getAs(apps, `127.0.0.1:${port}`);
        expect(none.status).toBe(401);
        expect(none.body['error']).toContain('Bearer');
        expect((await getAs(apps, `127.0.0.1:${port}`, { authorization: 'Bearer wrong-token' })).status).toBe(401);
        expect((await getAs(apps, `127.0.0.1:${port}`, { authorization: `Bearer ${token}x` })).status).toBe(401);
        expect((await getAs(apps, `127.0.0.1:${port}`, { authorization: `Basic ${token}` })).status).toBe(401);
        expect((await getAs(apps, `127.0.0.1:${port}`, { authorization: `Bearer ${token}` })).status).toBe(200);
        expect((await getAs(apps, 'attacker.example', { authorization: `Bearer ${token}` })).status).toBe(403);
      } finally {
        await serve.stop();
      }
    }
    writeFileSync(tokenFile, '');
    const empty = runCli(['serve', '--db', db, '--port', '0', '--token-file', tokenFile]);
    expect([empty.code, empty.stderr.trim()]).toEqual([2, `cmdb-scan: ${tokenFile}: expected one token on one line`]);
  });

  it('warns on stderr when listening beyond loopback without a token, and answers there by the address it was reached at', async () => {
    const open = await startServe(db, { args: ['--host', '0.0.0.0'] });
    try {
      expect(open.stderr()).toMatch(/warning: listening on 0\.0\.0\.0, beyond this machine, without a token/);
      const port = new URL(open.url).port;
      expect((await getAs(`${open.url}/health`, `127.0.0.1:${port}`)).status).toBe(200);
      expect((await getAs(`${open.url}/health`, `attacker.example:${port}`)).status).toBe(403);
    } finally {
      await open.stop();
    }
    const guarded = await startServe(db, { args: ['--host', '0.0.0.0'], env: { ...process.env, CMDB_SCAN_SERVE_TOKEN: 't0ken' } });
    await guarded.stop();
    expect(guarded.stderr()).not.toContain('warning');
  });

  it('a port in use or an address not of this machine is one line on stderr and exit 2', async () => {
    const busy: Server = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    try {
      const port = (busy.address() as { port: number }).port;
      const inUse = runCli(['serve', '--db', db, '--port', String(port)]);
      expect([inUse.code, inUse.stderr]).toEqual([2, `cmdb-scan: cannot listen on 127.0.0.1:${port}: the port is in use\n`]);
    } finally {
      busy.close();
    }
    const elsewhere = runCli(['serve', '--db', db, '--port', '0', '--host', '192.0.2.1']);
    expect([elsewhere.code, elsewhere.stderr]).toEqual([2, 'cmdb-scan: cannot listen on 192.0.2.1:0: not an address of this machine\n']);
  });
});

describe('mcp', () => {
  /** Reads a child's stdout by lines: each call resolves with the next line, or fails after the bound. */
  function lineReader(child: ChildProcessWithoutNullStreams): () => Promise<string> {
    let text = '';
    const ready: string[] = [];
    const waiting: Array<(line: string) => void> = [];
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n')) {
        const line = text.slice(0, end);
        text = text.slice(end + 1);
        const waiter = waiting.shift();
        if (waiter) waiter(line);
        else ready.push(line);
      }
    });
    return () => (ready.length > 0 ? Promise.resolve(ready.shift()!) : new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no reply within ${BOUND_MS} ms`)), BOUND_MS);
      waiting.push((line) => { clearTimeout(timer); resolve(line); });
    }));
  }

  it('answers a line that is not JSON, or not JSON-RPC, with a -32700 parse error and keeps serving', async () => {
    const child = spawn(process.execPath, [CLI, 'mcp', '--db', db], { stdio: ['pipe', 'pipe', 'pipe'] });
    const nextLine = lineReader(child);
    try {
      child.stdin.write('this is not json\n');
      expect(JSON.parse(await nextLine())).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: not JSON' } });
      child.stdin.write('{"hello": "world"}\n');
      expect(JSON.parse(await nextLine())).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error: not a JSON-RPC 2.0 message' } });
      child.stdin.write('{"jsonrpc": "2.0", "id": 7, "method": "ping"}\n');
      expect(JSON.parse(await nextLine())).toEqual({ jsonrpc: '2.0', id: 7, result: {} });
    } finally {
      child.kill();
    }
  });

  it('who_uses with a backtracking wildcard answers at once; app_dependencies {"name": "%"} matches no app', async () => {
    const client = new Client({ name: 'untrusted-requests-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--db', db], stderr: 'pipe' }));
    try {
      const attack = await timed(() => client.callTool({ name: 'who_uses', arguments: { target: BACKTRACKING } }, undefined, { timeout: BOUND_MS }));
      expect(attack.value.isError).toBe(true);
      expect(attack.ms).toBeLessThan(BOUND_MS);
      const long = await client.callTool({ name: 'who_uses', arguments: { target: `${'*'.repeat(300)}` } }, undefined, { timeout: BOUND_MS });
      expect(JSON.stringify(long.content)).toContain('a wildcard is at most 255 characters');
      const all = await client.callTool({ name: 'app_dependencies', arguments: { name: '%' } }, undefined, { timeout: BOUND_MS });
      expect(all.isError).toBe(true);
      const one = await client.callTool({ name: 'app_dependencies', arguments: { name: 'billing' } }, undefined, { timeout: BOUND_MS });
      expect(one.isError).toBeFalsy();
    } finally {
      await client.close();
    }
  });
});
