/**
 * The CLI as a user runs it: the bundle the bin points at, `dist/bin/cli.js` (npm test builds first), real
 * files, exit codes. The JSON it prints must satisfy the published schema.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanRepository } from '../src/engine.js';
import { reportJsonSchema } from '../src/json-schema.js';
import { Report } from '../src/report-schema.js';
import { CLI, FIXTURES, ROOT, fixturePasswords, fixtureRepos } from './helpers.js';
import { FORMATS } from '../src/reporters/index.js';

let dir: string;
beforeEach(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-cli-')); });
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: dir, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cmdb-scan CLI', () => {
  it('never reads its own inventory: `scan .` with the default cmdb-scan.db in the scanned tree, twice, reads the same files', () => {
    cpSync(path.join(FIXTURES, 'deploy-repo'), dir, { recursive: true });
    const first = run(['scan', '.', '-f', 'json', '-q']);
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'cmdb-scan.db'))).toBe(true);
    const second = run(['scan', '.', '-f', 'json', '-q']);
    expect(second.code, second.stderr).toBe(0);
    const files = (text: string) => (JSON.parse(text) as Report).skipped.map((k) => k.file);
    expect(files(second.stdout).filter((f) => f.startsWith('cmdb-scan.db'))).toEqual([]);
    expect((JSON.parse(second.stdout) as Report).connections).toEqual((JSON.parse(first.stdout) as Report).connections);
  });

  it('scans a fixture into a database and prints schema-valid JSON', () => {
    const db = path.join(dir, 'inv.db');
    const r = run(['scan', path.join(FIXTURES, 'spring-multimodule'), '--db', db, '--format', 'json', '--quiet']);
    expect(r.code).toBe(0);
    const report = Report.parse(JSON.parse(r.stdout));
    // As many as the fixture's expected.json (compared field by field in fixtures.test.ts): the CLI adds and drops none.
    const expected = JSON.parse(readFileSync(path.join(FIXTURES, 'spring-multimodule', 'expected.json'), 'utf8')) as { connections: unknown[] };
    expect(report.connections.length).toBe(expected.connections.length);
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
    expect(app.connections.map((c) => c.kind)).toEqual(['http']);
  });

  it('gives the same report with worker threads as without', () => {
    // Workers start only for a repository of 16 MB or more (src/engine.ts): each fixture gets pages that name no
    // product, as a real repository has, so that the second run reads most of its files in a worker, and long notes
    // for the bytes (images are left out by the walk and would not count).
    const roots = ['spring-service-code', 'credentials-zoo', 'deploy-repo'].map((name) => {
      const root = path.join(dir, name);
      cpSync(path.join(FIXTURES, name), root, { recursive: true });
      mkdirSync(path.join(root, 'pages'));
      for (let i = 0; i < 300; i++) writeFileSync(path.join(root, 'pages', `page-${i}.md`), `# Page ${i}\n\nNothing to connect to here.\n`);
      const notes = `# Notes\n\n${'Nothing to connect to here.\n'.repeat(68_000)}`;
      for (let i = 0; i < 9; i++) writeFileSync(path.join(root, 'pages', `notes-${i}.md`), notes);
      return root;
    });
    for (const root of roots) {
      const db = `${root}.db`; // one inventory for both runs: its key makes the secrets' value ids comparable
      const one = run(['scan', root, '--db', db, '-f', 'json', '-q', '--threads', '1']);
      const two = run(['scan', root, '--db', db, '-f', 'json', '-q', '--threads', '2']);
      expect(two.code, two.stderr).toBe(0);
      expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
    }
    // Several repositories in one command share one pool of workers (src/scan.ts): the same report again.
    const one = run(['scan', ...roots, '--db', path.join(dir, 'all.db'), '-f', 'json', '-q', '--threads', '1']);
    const two = run(['scan', ...roots, '--db', path.join(dir, 'all.db'), '-f', 'json', '-q', '--threads', '2']);
    expect(two.code, two.stderr).toBe(0);
    expect(JSON.parse(two.stdout)).toEqual(JSON.parse(one.stdout));
  });

  it('exits 1 with --fail-on when a connection matches, 0 when none does', () => {
    expect(run(['scan', path.join(FIXTURES, 'gbk-legacy'), '--no-db', '-q', '-f', 'json', '--fail-on', 'hardcoded-password']).code).toBe(1);
    expect(run(['scan', path.join(FIXTURES, 'traps'), '--no-db', '-q', '-f', 'json', '--fail-on', 'hardcoded-password-main']).code).toBe(0);
  });

  it('applies --fail-on and --baseline to the inventory on report, as on scan', () => {
    const db = path.join(dir, 'gate.db');
    expect(run(['scan', path.join(FIXTURES, 'credentials-zoo'), '--db', db, '-q', '-f', 'json']).code).toBe(0);
    expect(run(['report', '--db', db, '-f', 'json', '--fail-on', 'secret']).code).toBe(1);
    const baseline = path.join(dir, 'zoo-baseline.json');
    expect(run(['scan', path.join(FIXTURES, 'credentials-zoo'), '--no-db', '-q', '-f', 'json', '--write-baseline', baseline]).code).toBe(0);
    const r = run(['report', '--db', db, '-f', 'json', '--fail-on', 'secret', '--baseline', baseline]);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as Report).secrets).toEqual([]);
  });

  it('exits 2 on usage errors and on a missing path, naming it, and still scans the other paths', () => {
    expect(run(['scan']).code).toBe(2);
    expect(run(['scan', FIXTURES, '--format', 'xml']).code).toBe(2);
    const r = run(['scan', path.join(dir, 'nope'), path.join(FIXTURES, 'gbk-legacy'), '--no-db', '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nope: does not exist');
    expect((JSON.parse(r.stdout) as Report).connections).toHaveLength(3);
    // Nothing scanned at all: nothing on stdout, where an empty report would read as "a clean repository".
    const none = run(['scan', path.join(dir, 'nope'), '--no-db', '-f', 'json']);
    expect([none.code, none.stdout]).toEqual([2, '']);
    expect(run(['report', '--db', path.join(dir, 'missing.db')]).stderr).toContain('no such inventory');
    // Commands that only change an existing inventory do not create one from a typo either.
    for (const change of [['forget', 'x'], ['prune', '--not-scanned-since', '90d']]) {
      const missing = run([...change, '--db', path.join(dir, 'missing.db')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toContain('missing.db: no such inventory');
    }
    expect(existsSync(path.join(dir, 'missing.db'))).toBe(false);
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
    // Every fixture in one scan; every format rendered from what it stored (scan and report render through the same
    // `render`; a scan per format made this the suite's slowest test, 62 s of its 60 s on a loaded machine).
    const all = fixtureRepos().map((name) => path.join(FIXTURES, name));
    const stored = run(['scan', ...all, '--db', db, '-f', 'json']);
    outputs.push(stored.stdout, stored.stderr);
    // SARIF is uploaded elsewhere: it must stay free of raw values even when the user asks to see them.
    outputs.push(run(['scan', ...all, '--no-db', '-f', 'sarif', '--show-secrets']).stdout);
    outputs.push(run(['scan', ...all, '--no-db', '-f', 'table']).stdout);
    for (const format of FORMATS) outputs.push(run(['report', '--db', db, '-f', format]).stdout);
    const printed = outputs.join('\n');
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
    for (const pw of raw) expect(printed.includes(pw), `secret ${pw.slice(0, 2)}… leaked`).toBe(false);
    // The database stores only masked URLs and fingerprints too.
    const dump = execFileSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(db)});for (const t of ['occurrences','secrets','resources','skipped_files']) console.log(JSON.stringify(d.prepare('select * from '+t).all()))`], { cwd: ROOT, encoding: 'utf8' });
    for (const pw of raw) expect(dump.includes(pw), `secret ${pw.slice(0, 2)}… stored`).toBe(false);
  });

  it('prints raw values only with --show-secrets, and warns that it does', () => {
    const plain = run(['scan', path.join(FIXTURES, 'gbk-legacy'), '--no-db', '-f', 'json', '-q']);
    const shown = run(['scan', path.join(FIXTURES, 'gbk-legacy'), '--no-db', '-f', 'json', '-q', '--show-secrets']);
    expect(plain.stdout).not.toContain('Sb#2019');
    expect((JSON.parse(shown.stdout) as Report).secrets.map((s) => s.value)).toEqual(['Sb#2019']);
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

/** Runs the CLI as an unprivileged user when the suite runs as root (root reads and writes everything). */
function runAsUser(args: string[]) {
  const asRoot = process.getuid?.() === 0;
  const cmd = asRoot ? 'setpriv' : process.execPath;
  const full = asRoot ? ['--reuid=nobody', '--regid=nogroup', '--clear-groups', process.execPath, CLI, ...args] : [CLI, ...args];
  const r = spawnSync(cmd, full, { cwd: os.tmpdir(), encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

const PROD_YML = 'spring:\n  datasource:\n    url: jdbc:mysql://10.9.0.5:3306/orders\n    username: app\n    password: Pr0d-Secret!\n';

describe('what a repository contains', () => {
  it('is what git tracks, even a file a later .gitignore lists; --no-ignore reads ignored files outside git', () => {
    const repo = path.join(dir, 'repo');
    writeTree(repo, { 'src/main/resources/application-prod.yml': PROD_YML });
    const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...a], { cwd: repo, stdio: 'ignore' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'config');
    writeTree(repo, { '.gitignore': 'application-prod.yml\nlocal.yml\n', 'local.yml': 'spring:\n  redis:\n    host: 10.9.0.9\n' });
    const tracked = JSON.parse(run(['scan', repo, '--no-db', '-f', 'json', '-q']).stdout) as Report;
    expect(tracked.connections.map((c) => c.host)).toEqual(['10.9.0.5']);
    expect(tracked.secrets).toHaveLength(1);
    rmSync(path.join(repo, '.git'), { recursive: true });
    expect((JSON.parse(run(['scan', repo, '--no-db', '-f', 'json', '-q']).stdout) as Report).connections).toEqual([]);
    const all = JSON.parse(run(['scan', repo, '--no-db', '-f', 'json', '-q', '--no-ignore']).stdout) as Report;
    expect(all.connections.map((c) => c.host).sort()).toEqual(['10.9.0.5', '10.9.0.9']);
  });
});

describe('shared inventories', () => {
  it('read commands refuse another program\'s database, naming it, and leave it unchanged', () => {
    const other = path.join(dir, 'other.sqlite');
    execFileSync(process.execPath, ['-e', `const D=require('better-sqlite3');const d=new D(${JSON.stringify(other)});d.exec('CREATE TABLE customers (id INTEGER)');d.close()`], { cwd: ROOT });
    const before = readFileSync(other);
    for (const args of [['report'], ['query', 'app', 'x'], ['scan', path.join(FIXTURES, 'gbk-legacy'), '-q']]) {
      const r = run([...args, '--db', other]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${other}: not a cmdb-scan inventory`);
    }
    expect(readFileSync(other).equals(before)).toBe(true);
  });

  it('read commands work for a user who can only read the inventory, in a directory they cannot write', () => {
    const shared = path.join(dir, 'srv');
    mkdirSync(shared);
    const db = path.join(shared, 'inventory.db');
    run(['scan', path.join(FIXTURES, 'deploy-repo'), '--db', db, '-q', '-f', 'json']);
    chmodSync(db, 0o444);
    chmodSync(shared, 0o555);
    chmodSync(dir, 0o755);
    const before = readFileSync(db);
    const app = runAsUser(['query', 'app', 'notifier', '--db', db, '-f', 'json']);
    expect(app.stderr).toBe('');
    expect((JSON.parse(app.stdout) as Report).connections.map((c) => c.kind)).toEqual(['http']);
    expect(runAsUser(['report', '--db', db, '-f', 'csv']).code).toBe(0);
    expect(readFileSync(db).equals(before)).toBe(true);
    chmodSync(shared, 0o755);
  });

  it('a narrowed scan does not replace a repository unless told to; forget removes one', () => {
    const db = path.join(dir, 'inv.db');
    const repo = path.join(FIXTURES, 'spring-multimodule');
    run(['scan', repo, '--db', db, '-q', '-f', 'json']);
    const full = (JSON.parse(run(['report', '--db', db, '-f', 'json']).stdout) as Report).connections.length;
    const narrowed = run(['scan', repo, '--db', db, '--include', '**/bootstrap.yml', '-f', 'json']);
    expect(narrowed.code).toBe(2);
    expect(narrowed.stderr).toContain('--include narrow the scan');
    expect((JSON.parse(run(['report', '--db', db, '-f', 'json']).stdout) as Report).connections).toHaveLength(full);
    expect(run(['scan', repo, '--db', db, '--keywords', '+tidb', '-q', '-f', 'json']).code).toBe(0); // widening is not narrowing
    expect(run(['scan', repo, '--db', db, '--include', '**/bootstrap.yml', '--replace', '-q', '-f', 'json']).code).toBe(0);
    expect((JSON.parse(run(['report', '--db', db, '-f', 'json']).stdout) as Report).connections.length).toBeLessThan(full);
    expect(run(['forget', repo, '--db', db]).code).toBe(0);
    expect((JSON.parse(run(['report', '--db', db, '-f', 'json']).stdout) as Report).repos).toEqual([]);
    expect(run(['forget', 'nope', '--db', db]).stderr).toContain('no repository nope');
  });
});

describe('errors', () => {
  it('-q keeps fatal errors; a missing path says so; no report file is written on a fatal error', () => {
    const out = path.join(dir, 'report.sarif');
    const r = run(['scan', path.join(dir, 'missing'), '--no-db', '-q', '-f', 'sarif', '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('missing: does not exist');
    expect(r.stderr).toContain('report.sarif not written');
    expect(existsSync(out)).toBe(false);
  });

  it('names an unreadable directory on stderr and in skipped', () => {
    const repo = path.join(dir, 'repo');
    writeTree(repo, { 'ok/application.yml': 'spring:\n  redis:\n    host: 10.1.1.1\n', 'locked/application.yml': 'spring:\n  redis:\n    host: 10.1.1.2\n' });
    chmodSync(dir, 0o755);
    for (const d of [repo, path.join(repo, 'ok')]) chmodSync(d, 0o755);
    chmodSync(path.join(repo, 'ok', 'application.yml'), 0o644);
    chmodSync(path.join(repo, 'locked'), 0o000);
    const r = runAsUser(['scan', repo, '--no-db', '-f', 'json']);
    chmodSync(path.join(repo, 'locked'), 0o755);
    expect(r.stderr).toContain('locked: EACCES');
    expect((JSON.parse(r.stdout) as Report).skipped.map((s) => [s.file, s.reason])).toEqual([['locked', 'unreadable']]);
  });
});

describe('start-up', () => {
  /**
   * The modules one run loaded: ES modules by a resolve hook, CommonJS ones (a library required on first use) from
   * the require cache at exit.
   */
  function loadedBy(args: string[], cwd: string): { loaded: string; stdout: string } {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-loaded-'));
    try {
      const log = path.join(dir, 'loaded.log');
      const hooks = `import { appendFileSync } from 'node:fs'; export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(log)}, r.url + '\\n'); return r; }`;
      writeFileSync(path.join(dir, 'preload.mjs'), [
        "import { appendFileSync } from 'node:fs';",
        "import { createRequire, register } from 'node:module';",
        `register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hooks)}));`,
        `process.on('exit', () => appendFileSync(${JSON.stringify(log)}, Object.keys(createRequire(import.meta.url)('node:module')._cache).join('\\n') + '\\n'));`,
      ].join('\n'));
      // The modules tsc wrote, not the bundle: which of them a command imports is what decides the bundle's chunks.
      const r = spawnSync(process.execPath, ['--import', path.join(dir, 'preload.mjs'), path.join(ROOT, 'dist/src/cli.js'), ...args], { cwd, encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
      return { loaded: readFileSync(log, 'utf8'), stdout: r.stdout };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('a pre-commit hook loads no inventory, tree scan, schema library, model client or parser its staged files do not need', () => {
    const repo = mkdtempSync(path.join(os.tmpdir(), 'cmdb-hook-'));
    try {
      const git = (...args: string[]) => execFileSync('git', ['-C', repo, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args]);
      git('init', '-q');
      writeFileSync(path.join(repo, 'application.properties'), 'spring.datasource.url=jdbc:mysql://db:3306/app\n');
      git('add', '.');
      git('commit', '-q', '-m', 'datasource');
      writeFileSync(path.join(repo, 'application.properties'), 'spring.datasource.url=jdbc:mysql://db:3306/app\nspring.datasource.password=Staged-Pw-2\n');
      git('add', '.');
      const { loaded, stdout } = loadedBy(['scan', '.', '--staged', '-q', '-f', 'json'], repo);
      // The hook did its work: the staged password is reported.
      expect((JSON.parse(stdout) as Report).secrets.map((s) => [s.file, s.line])).toEqual([['application.properties', 2]]);
      const libraries = ['better-sqlite3', 'pg', 'zod', 'fast-glob', 'openai', 'dockerfile-ast', '@xmldom/xmldom', 'smol-toml', 'jsonc-parser', 'chardet', 'iconv-lite', 'csv-parse'];
      expect(libraries.filter((l) => loaded.includes(`/node_modules/${l}/`))).toEqual([]);
      expect(['inventory', 'scan', 'engine', 'report-schema', 'baseline'].filter((m) => loaded.includes(`/dist/src/${m}.js`))).toEqual([]);
    } finally {
      rmSync(repo, { recursive: true, force: true });
    }
  });

  it('--version loads no command', () => {
    const { loaded, stdout } = loadedBy(['--version'], ROOT);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    expect(loaded).not.toContain('/dist/src/commands/scan.js');
    expect(loaded).not.toContain('/node_modules/yaml/');
  });
});
