/**
 * The package as users get it: `npm pack`, installed from the tarball into an empty prefix (native
 * modules compile there, as on a user's machine), and run by its bin name. This is the test that
 * would have caught an installed `cmdb-scan` that printed nothing and exited 0.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAI, type FakeServer } from '../models/fake-vllm.js';
import { startPostgres } from '../bench/postgres-server.js';
import { FIXTURES, ROOT, runAsync } from './helpers.js';

let prefix: string;
let bin: string;

beforeAll(() => {
  prefix = mkdtempSync(path.join(os.tmpdir(), 'cmdb-pkg-'));
  // --ignore-scripts: `prepare` would run tsc into dist/ while the other test files run the CLI from it, and a
  // process that loaded a half-written module crashed (exit 1, "does not provide an export named …": the two
  // flakes of earlier stops). `npm test` builds dist/ before any test starts; the tarball packs that build.
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', prefix, '--silent'], { cwd: ROOT, stdio: 'ignore' });
  const tarball = readdirSync(prefix).find((f) => f.endsWith('.tgz'))!;
  execFileSync('npm', ['install', '--prefix', path.join(prefix, 'app'), '--no-audit', '--no-fund', '--prefer-offline', '--loglevel', 'error', path.join(prefix, tarball)], { cwd: prefix, stdio: 'ignore' });
  bin = path.join(prefix, 'app', 'node_modules', '.bin', 'cmdb-scan');
}, 420_000);
afterAll(() => rmSync(prefix, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(bin, args, { cwd: prefix, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}


describe('the installed package', () => {
  it('answers --version through its bin link', () => {
    const version = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    expect(run(['--version'])).toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('writes and reads a shared PostgreSQL inventory: its optional libpq binding built on install', async () => {
    const server = await startPostgres();
    try {
      const db = server.newSchema();
      expect(run(['scan', path.join(FIXTURES, 'gbk-legacy'), '--db', db, '-q', '-f', 'json']).code).toBe(0);
      const report = run(['report', '--db', db, '-f', 'json']);
      expect(report.stderr).toBe('');
      expect((JSON.parse(report.stdout) as { connections: unknown[] }).connections.length).toBeGreaterThan(0);
    } finally {
      server.stop();
    }
  });

  it('scans, prints JSON and sets the --fail-on exit code', () => {
    const found = run(['scan', path.join(FIXTURES, 'credentials-zoo'), '--no-db', '-f', 'json', '--fail-on', 'secret', '-q']);
    expect(found.code).toBe(1);
    expect((JSON.parse(found.stdout) as { secrets: unknown[] }).secrets.length).toBeGreaterThan(20);
    expect(run(['scan', path.join(FIXTURES, 'traps'), '--no-db', '-f', 'json', '--fail-on', 'hardcoded-password-main', '-q']).code).toBe(0);
  });

  it('writes the self-contained HTML report, with the graph library it inlines from its own dependencies', () => {
    const html = run(['scan', path.join(FIXTURES, 'spring-multimodule'), '--no-db', '-f', 'html', '-q']);
    expect(html.code).toBe(0);
    expect(html.stdout).toContain('<script id="cmdb-data" type="application/json">');
    expect(html.stdout).toMatch(/cytoscape/);
    expect(html.stdout.length).toBeGreaterThan(200_000);
  });

  it('ships what the model stage reads (its prompts), and no test doubles', async () => {
    let server: FakeServer | undefined;
    try {
      server = await startFakeOpenAI({ reader: () => ({ content: JSON.stringify({ connections: [] }) }) });
      // Asynchronously: the fake server answers from this process while the installed command runs.
      const r = await runAsync(bin, ['scan', path.join(FIXTURES, 'inhouse-clients'), '--no-db', '-f', 'json', '--llm', 'required', '--llm-endpoint', `name=reader,url=${server.baseURL},model=reader`], { cwd: prefix });
      expect(r.stderr).not.toContain('ENOENT');
      expect(r.code).toBe(0);
      expect(server.requests.length).toBeGreaterThan(0);
    } finally {
      await server?.close();
    }
    const shipped = path.join(prefix, 'app', 'node_modules', 'cmdb-scan');
    expect(readdirSync(path.join(shipped, 'dist'))).toEqual(['bin', 'models', 'scanners', 'src']);
    expect(readdirSync(path.join(shipped, 'dist', 'models')).some((f) => f.startsWith('fake-vllm'))).toBe(false);
  });
});
