/**
 * The inventory's users (issue 16), end to end with the built CLI: a CMDB maintainer asks what changed since
 * last night; the answer is read without changing the inventory.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURES, ROOT } from './helpers.js';

const CLI = path.join(ROOT, 'dist/src/cli.js');
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
    expect(bad.stderr).toContain('--since last tuesday: not a scan id, a date (2026-11-28) or a duration (24h, 7d, 2w)');
  });
});
