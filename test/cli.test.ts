/**
 * The CLI as a user runs it: the built `dist/src/cli.js` (npm test builds first), real
 * files, exit codes. The JSON it prints must satisfy the published schema.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanRepository } from '../src/engine.js';
import { reportJsonSchema } from '../src/json-schema.js';
import { Report } from '../src/model.js';
import { FIXTURES, fixturePasswords, fixtureRepos, ROOT } from './helpers.js';
import { FORMATS } from '../src/reporters/index.js';

const CLI = path.join(ROOT, 'dist/src/cli.js');
let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-cli-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cmdb-scan CLI', () => {
  it('scans a fixture into a database and prints schema-valid JSON', () => {
    const db = path.join(dir, 'inv.db');
    const r = run(['scan', path.join(FIXTURES, 'spring-multimodule'), '--db', db, '--format', 'json', '--quiet']);
    expect(r.code).toBe(0);
    const report = Report.parse(JSON.parse(r.stdout));
    expect(report.connections.length).toBe(27);
    expect(report.repos[0]!.apps.map((a) => a.name)).toEqual(['mall-parent', 'mall-order', 'mall-user']);
    const fromDb = run(['report', '--db', db, '--format', 'json']);
    expect(JSON.parse(fromDb.stdout)).toEqual(report);
  });

  it('answers queries from the inventory', () => {
    const db = path.join(dir, 'inv.db');
    run(['scan', path.join(FIXTURES, 'deploy-repo'), '--db', db, '-q', '-f', 'json']);
    const uses = JSON.parse(run(['query', 'uses', 'mongodb', '--db', db, '-f', 'json']).stdout) as Report;
    expect(uses.connections.map((c) => `${c.host}:${c.port}`)).toEqual(['mongo-0.db.svc:27017']);
    const app = JSON.parse(run(['query', 'app', 'notifier', '--db', db, '-f', 'json']).stdout) as Report;
    expect(app.connections.map((c) => c.kind)).toEqual(['redis', 'http']);
  });

  it('gives the same report with worker threads as without', () => {
    for (const name of ['spring-service-code', 'credentials-zoo', 'deploy-repo']) {
      const one = run(['scan', path.join(FIXTURES, name), '--db', path.join(dir, `${name}.db`), '-f', 'json', '-q']);
      const two = run(['scan', path.join(FIXTURES, name), '--db', path.join(dir, `${name}.db`), '-f', 'json', '-q', '--threads', '2']);
      expect(two.code).toBe(0);
      expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    }
  });

  it('exits 1 with --fail-on when a connection matches, 0 when none does', () => {
    expect(run(['scan', path.join(FIXTURES, 'gbk-legacy'), '--no-db', '-q', '-f', 'json', '--fail-on', 'hardcoded-password']).code).toBe(1);
    expect(run(['scan', path.join(FIXTURES, 'traps'), '--no-db', '-q', '-f', 'json', '--fail-on', 'hardcoded-password-main']).code).toBe(0);
  });

  it('exits 2 on usage errors and on a missing path, naming it, and still scans the other paths', () => {
    expect(run(['scan']).code).toBe(2);
    expect(run(['scan', FIXTURES, '--format', 'xml']).code).toBe(2);
    const r = run(['scan', path.join(dir, 'nope'), path.join(FIXTURES, 'gbk-legacy'), '--no-db', '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope: not a directory');
    expect((JSON.parse(r.stdout) as Report).connections).toHaveLength(3);
    expect(run(['report', '--db', path.join(dir, 'missing.db')]).stderr).toContain('no such inventory');
  });

  it('names files it could not read on stderr and keeps going', () => {
    const r = run(['scan', path.join(FIXTURES, 'bad-input'), '--no-db', '-f', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('config/broken.yml: invalid YAML');
    expect(r.stderr).toContain('config/broken-beans.xml: invalid XML');
  });

  it('never prints a secret from the fixtures in any format, nor stores one', async () => {
    const db = path.join(dir, 'inv.db');
    const outputs: string[] = [];
    for (const name of fixtureRepos()) {
      for (const format of FORMATS) {
        // SARIF is uploaded elsewhere: it must stay free of raw values even when the user asks to see them.
        const r = run(['scan', path.join(FIXTURES, name), '--db', db, '-f', format, ...(format === 'sarif' ? ['--show-secrets'] : [])]);
        if (format === 'sarif') r.stderr = '';
        outputs.push(r.stdout, r.stderr);
      }
    }
    outputs.push(run(['report', '--db', db, '-f', 'csv']).stdout);
    const all = outputs.join('\n');
    // Every raw value the detector knows, from every fixture, plus the passwords written by hand above.
    const raw = new Set(fixturePasswords());
    // A password equal to a user or database name somewhere (`cmdb:cmdb@…/cmdb`, guest/guest) is printed as that name, legitimately.
    const names = new Set<string | null>();
    const found: string[] = [];
    for (const name of fixtureRepos()) {
      const r = await scanRepository(path.join(FIXTURES, name), { revealSecrets: true });
      for (const c of r.connections) names.add(c.username).add(c.database);
      for (const s of r.secrets) if (s.value!.length >= 4) found.push(s.value!);
    }
    for (const v of found) if (!names.has(v)) raw.add(v);
    expect(raw.size).toBeGreaterThan(40);
    for (const pw of raw) expect(all.includes(pw), `secret ${pw.slice(0, 2)}… leaked`).toBe(false);
    // The database stores only masked URLs and fingerprints too.
    const dump = execFileSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(db)});for (const t of ['occurrences','secrets','resources','skipped_files']) console.log(JSON.stringify(d.prepare('select * from '+t).all()))`], { cwd: ROOT, encoding: 'utf8' });
    for (const pw of raw) expect(dump.includes(pw), `secret ${pw.slice(0, 2)}… stored`).toBe(false);
  });

  it('prints raw values only with --show-secrets, and warns that it does', () => {
    const plain = run(['scan', path.join(FIXTURES, 'gbk-legacy'), '--no-db', '-f', 'json', '-q']);
    const shown = run(['scan', path.join(FIXTURES, 'gbk-legacy'), '--no-db', '-f', 'json', '-q', '--show-secrets']);
    expect(plain.stdout).not.toContain('Sb#2019');
    expect((JSON.parse(shown.stdout) as Report).secrets.map((s) => s.value)).toEqual(['Sb#2019', '缓存密码']);
    expect(shown.stderr).toContain('--show-secrets');
  });

  it('publishes a JSON Schema file that matches the zod schema', () => {
    expect(readFileSync(path.join(ROOT, 'schema/report.schema.json'), 'utf8')).toBe(reportJsonSchema());
    expect(run(['schema']).stdout).toBe(reportJsonSchema());
  });
});

describe('interrupted scans', () => {
  it('keeps every repository saved before the process was killed', async () => {
    const { spawn } = await import('node:child_process');
    const { generateTree } = await import('../bench/generate.js');
    const big = path.join(dir, 'big');
    generateTree(big, 80 * 1024 * 1024);
    const db = path.join(dir, 'inv.db');
    const child = spawn(process.execPath, [CLI, 'scan', path.join(FIXTURES, 'gbk-legacy'), big, '--db', db, '-f', 'json'], { cwd: dir });
    await new Promise<void>((resolve, reject) => {
      let err = '';
      child.stderr.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        // The first repository is committed before this line is printed; kill during the second.
        if (err.includes('scanned ') && !child.killed) child.kill('SIGKILL');
      });
      child.on('exit', () => resolve());
      child.on('error', reject);
    });
    const report = JSON.parse(run(['report', '--db', db, '-f', 'json']).stdout) as Report;
    expect(report.repos.map((r) => path.basename(r.path))).toEqual(['gbk-legacy']);
    expect(report.connections.map((c) => c.kind)).toEqual(['dm', 'redis', 'nacos']);
  });
});
