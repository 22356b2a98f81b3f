/**
 * The shared inventory as its users meet it: the built CLI writing to PostgreSQL through `$CMDB_SCAN_DB`; every
 * read command, serve and mcp answering from it as a role that may only read — the same output as from a SQLite
 * inventory of the same scans, and never the password of the URL; and copy moving a SQLite inventory over.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, FIXTURES, ROOT, startServe } from './helpers.js';
import { startPostgres, type PostgresServer } from '../bench/postgres-server.js';

/** With trust authentication the server ignores passwords: this one is there to be kept out of every message. */
const PASSWORD = 'Pg-Inventory-Pw-7731';

let server: PostgresServer;
let dir: string;
let writer: string;
let reader: string;
let sqlite: string;

function run(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(async () => {
  server = await startPostgres();
  dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-pg-cli-'));
  const url = new URL(server.newSchema());
  url.password = PASSWORD;
  writer = url.toString();
  sqlite = path.join(dir, 'inventory.db');
  for (const fixture of ['spring-multimodule', 'deploy-repo', 'gbk-legacy']) {
    // The writer through the environment, as a CI job sets it once; SQLite by flag.
    expect(run(['scan', path.join(FIXTURES, fixture), '-q', '-f', 'json'], { CMDB_SCAN_DB: writer }).code).toBe(0);
    expect(run(['scan', path.join(FIXTURES, fixture), '--db', sqlite, '-q', '-f', 'json']).code).toBe(0);
  }
  const schema = url.searchParams.get('options')!.replace('-csearch_path=', '');
  server.admin(`CREATE ROLE inventory_reader LOGIN; GRANT USAGE ON SCHEMA ${schema} TO inventory_reader;
    GRANT SELECT ON ALL TABLES IN SCHEMA ${schema} TO inventory_reader;`);
  url.username = 'inventory_reader';
  reader = url.toString();
}, 60_000);

afterAll(() => {
  server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a PostgreSQL inventory', () => {
  it('answers every read command as a read-only role, exactly as the SQLite inventory of the same scans does', () => {
    const commands = [
      ['report', '-f', 'json'], ['report', '-f', 'csv'], ['report', '-f', 'sarif'],
      ['query', 'app', 'mall-user', '-f', 'json'], ['query', 'uses', '10.20.0.0/16', '-f', 'json'], ['query', 'unused'], ['unused'],
      ['diff', '--since', '7d', '-f', 'json'], ['prune', '--not-scanned-since', '2100-01-01', '--dry-run'],
    ];
    for (const command of commands) {
      const fromPostgres = run([...command, '--db', reader]);
      const fromSqlite = run([...command, '--db', sqlite]);
      // Both outputs in the message: a diff window that once found nothing on PostgreSQL (exit 0 where SQLite gave 1,
      // not reproduced since) must say what each side saw if it happens again.
      expect(fromPostgres.code, `${command.join(' ')}\nPostgreSQL: ${fromPostgres.stderr}${fromPostgres.stdout.slice(0, 400)}\nSQLite: ${fromSqlite.stderr}${fromSqlite.stdout.slice(0, 400)}`).toBe(fromSqlite.code);
      expect(fromPostgres.stdout.length + fromPostgres.stderr.length, command.join(' ')).toBeGreaterThan(0);
      // Scan times differ, and a secret's value id is keyed per inventory (each has its own key): the rest is equal.
      const comparable = (text: string) => text.replace(/postgres:\/\/\S+|\S+\.db\b/g, '<db>').replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<time>').replace(/\b[0-9a-f]{32}\b/g, '<value id>');
      expect(comparable(fromPostgres.stdout), command.join(' ')).toBe(comparable(fromSqlite.stdout));
      expect(comparable(fromPostgres.stderr), command.join(' ')).toBe(comparable(fromSqlite.stderr));
    }
  });

  it('refuses writes from the read-only role and names the database without its password', () => {
    const forget = run(['forget', path.join(FIXTURES, 'deploy-repo'), '--db', reader]);
    expect(forget.code).not.toBe(0);
    expect(forget.stderr).toMatch(/permission denied|read-only/);
    expect(forget.stderr).toContain('postgres://inventory_reader@127.0.0.1');
    expect(forget.stderr).not.toContain(PASSWORD);
    const refused = run(['report', '--db', writer.replace(/:\d+\//, ':1/')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('cannot connect to the inventory');
    expect(refused.stderr).not.toContain(PASSWORD);
  });

  it('copy moves a SQLite inventory into PostgreSQL whole, and refuses a target that holds anything', () => {
    const target = new URL(server.newSchema());
    target.password = PASSWORD;
    const copied = run(['copy', '--db', sqlite, '--to', target.toString()]);
    expect(copied.code, copied.stderr).toBe(0);
    expect(copied.stdout + copied.stderr).toMatch(/copied .*inventory\.db to postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres.*repos 3, scans 3/);
    expect(copied.stdout + copied.stderr).not.toContain(PASSWORD);
    // Value ids too: the fingerprint key travels with the inventory.
    expect(run(['report', '--db', target.toString(), '-f', 'json']).stdout).toBe(run(['report', '--db', sqlite, '-f', 'json']).stdout);
    const again = run(['copy', '--db', sqlite, '--to', target.toString()]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('not empty (repos has rows)');
  });

  it('answers an MCP client from it with the same tools and answers as from SQLite', async () => {
    const answers = async (db: string) => {
      const client = new Client({ name: 'ops-agent-test', version: '1.0.0' });
      await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, 'mcp', '--db', db], stderr: 'pipe' }));
      try {
        const tools = (await client.listTools()).tools.map((t) => t.name).sort();
        const calls = [
          { name: 'app_dependencies', arguments: { name: 'mall-user' } }, { name: 'who_uses', arguments: { target: '10.20.0.0/16' } },
          { name: 'list_apps', arguments: {} }, { name: 'unused_resources', arguments: {} }, { name: 'secrets', arguments: {} },
        ];
        const results: unknown[] = [];
        for (const call of calls) results.push(await client.callTool(call));
        return { tools, results: JSON.stringify(results).replace(/\b[0-9a-f]{32}\b/g, '<value id>') };
      } finally {
        await client.close();
      }
    };
    const fromPostgres = await answers(reader);
    expect(fromPostgres.tools).toContain('who_uses');
    expect(fromPostgres.results).toContain('mall-user');
    expect(fromPostgres).toEqual(await answers(sqlite));
  });

  it('serves the API from it, naming it without the password', async () => {
    const serve = await startServe(reader);
    const { url } = serve;
    try {
      const health = await (await fetch(`${url}/health`)).json() as { ok: boolean; inventory: string };
      expect(health.ok).toBe(true);
      expect(health.inventory).toMatch(/^postgres:\/\/inventory_reader@127\.0\.0\.1:\d+\/postgres/);
      const apps = await (await fetch(`${url}/apps`)).json() as Array<{ app: string }>;
      expect(apps.map((a) => a.app)).toContain('mall-user');
      expect(serve.stderr() + JSON.stringify(health)).not.toContain(PASSWORD);
    } finally {
      await serve.stop();
    }
  });
});
