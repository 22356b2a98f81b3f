/**
 * What a scanned repository's own config, ignore file and comments can do to a reviewer's view (issue 25, cause A),
 * each as the hostile repository author would write it: nothing it supplies hides a finding without the report
 * counting it, an entry that would hide everything is refused, and a config outside the repository never applies.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { scanOne } from '../src/scan.js';
import { createRemote } from './git-remotes.js';
import { gitIn, runCli, sarifSchemaErrors, writeFiles } from './helpers.js';

let dir: string;
let repo: string;

interface ScanJson {
  secrets: Array<{ file: string; line: number; kind: string; fingerprint: string }>;
  connections: Array<{ kind: string; host: string | null }>;
  suppressions: Array<{ mechanism: string; source: string; count: number }>;
  suppressedSecrets: Array<{ file: string; suppressedBy: { mechanism: string; source: string } }>;
  repos: Array<{ configFiles?: string[] }>;
}

function scanJson(args: string[] = [], root = repo): { json: ScanJson; stderr: string; code: number | null } {
  const r = runCli(['scan', root, '--no-db', '-f', 'json', ...args], { cwd: dir });
  expect(r.code === 0 || r.code === 1, r.stderr).toBe(true);
  return { json: JSON.parse(r.stdout) as ScanJson, stderr: r.stderr, code: r.code };
}

const PASSWORD_YML = 'spring:\n  datasource:\n    url: jdbc:mysql://10.8.0.4:3306/pay\n    username: pay\n    password: Pay-db-2024!\n';
const TOKEN_ENV = 'PAYMENT_API_TOKEN=pk8Zr2Vx9Lq4Tn7Wb3Hc6Jd1Mf5Gs0Ak\n';

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-untrusted-config-'));
  repo = path.join(dir, 'payments');
  mkdirSync(repo);
  gitIn(repo)('init', '-q');
  writeFileSync(path.join(repo, 'application.yml'), PASSWORD_YML);
  writeFileSync(path.join(repo, '.env'), TOKEN_ENV);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a repository\'s own config cannot hide findings without a trace', () => {
  it('refuses entries that match every file, and the secrets stay in the report (--fail-on secret fails)', () => {
    writeFileSync(path.join(repo, '.cmdb-scan.yml'), 'paths:\n  exclude: ["**"]\nsecrets:\n  ignore:\n    - path: "**"\n    - path: "{**,x}"\n');
    writeFileSync(path.join(repo, '.cmdbscanignore'), '**\n**/*\n');
    const { json, stderr, code } = scanJson(['--fail-on', 'secret']);
    expect(json.secrets.map((s) => s.file).sort()).toEqual(['.env', 'application.yml']);
    expect(code).toBe(1);
    expect(json.suppressions).toEqual([]);
    for (const where of ['paths.exclude[0]', 'secrets.ignore[0]', 'secrets.ignore[1]', '.cmdbscanignore:1', '.cmdbscanignore:2']) {
      expect(stderr).toContain(where);
    }
    expect(stderr).toContain('matches every file');
    expect(json.repos[0]!.configFiles).toEqual(['.cmdb-scan.yml', '.cmdbscanignore']);
  });

  it('keeps a library copy below lib/ or third_party/ out by its own licence file, and says which folder and how many files', () => {
    writeFiles(repo, {
      // A mail library copied in whole, its test config included (FreshRSS's lib/phpmailer/phpmailer, Kanboard's libs/swiftmailer).
      'lib/mailer/mailer/LICENSE': 'MIT License\n',
      'lib/mailer/mailer/tests/smtp.yml': 'smtp:\n  host: smtp.mailer-tests.org\n  port: 587\n',
      // REUSE's LICENSES/ folder marks a copy too (SimplePie).
      'third_party/feeds/LICENSES/BSD-3-Clause.txt': 'BSD\n',
      'third_party/feeds/cache.yml': 'redis:\n  host: 10.9.0.7\n  port: 6379\n',
      // The app's own library folder has no licence of its own, and a licence directly in lib/ names no copy: both read.
      'libs/billing/config.yml': 'mongodb:\n  uri: mongodb://10.9.0.8:27017/billing\n',
      'lib/LICENSE': 'Apache-2.0\n',
      'lib/queue.yml': 'kafka:\n  bootstrap-servers: 10.9.0.9:9092\n',
    });
    const { json } = scanJson();
    expect(json.connections.map((c) => [c.kind, c.host]).sort()).toEqual([['kafka', '10.9.0.9'], ['mongodb', '10.9.0.8'], ['mysql', '10.8.0.4']]);
    expect(json.suppressions.filter((x) => x.mechanism === 'vendored-copy').map(({ source, count }) => [source, count])).toEqual([
      ['lib/mailer/mailer/ (its own licence file)', 2], ['third_party/feeds/ (its own licence file)', 2],
    ]);
    const table = runCli(['scan', repo, '--no-db', '-q', '-f', 'table'], { cwd: dir }).stdout;
    expect(table).toContain('2 file(s) not read by vendored-copy: lib/mailer/mailer/ (its own licence file)');
  });

  it('counts what each narrower entry hides, by mechanism and where it is written, in JSON, the table and SARIF', () => {
    writeFileSync(path.join(repo, '.cmdb-scan.yml'), 'paths:\n  exclude: ["*.yml"]\nsecrets:\n  placeholders: [pk8Zr2Vx9Lq4Tn7Wb3Hc6Jd1Mf5Gs0Ak]\n');
    mkdirSync(path.join(repo, 'seed'));
    writeFileSync(path.join(repo, 'seed', 'a.env'), 'SEED_PASSWORD=Seed-Pass-1177\n');
    writeFileSync(path.join(repo, 'seed', 'b.env'), 'OTHER_PASSWORD=Other-Pass-8842\n');
    // One allow comment anywhere on a one-line file accepts the whole line: counted, as every inline acceptance is.
    writeFileSync(path.join(repo, 'seed', 'c.json'), '{"url": "https://u:Url-Pass-77x@h.acme.internal/", "note": "gitleaks:allow"}');
    writeFileSync(path.join(repo, '.cmdbscanignore'), '# accepted seed data\nseed/a.env\nrule:password\n');
    const { json, stderr } = scanJson();
    expect(json.secrets).toEqual([]);
    expect(json.suppressions).toEqual([
      { mechanism: 'config-path', source: '.cmdb-scan.yml paths.exclude[0]', count: 2, repo }, // application.yml and the config itself
      { mechanism: 'ignore-file', source: '.cmdbscanignore:2', count: 1, repo },
      { mechanism: 'ignore-file', source: '.cmdbscanignore:3', count: 1, repo },
      { mechanism: 'inline-comment', source: 'seed/c.json', count: 1, repo },
      { mechanism: 'placeholder-word', source: '.env', count: 1, repo },
    ].map(({ repo: r, mechanism, source, count }) => ({ repo: r, mechanism, source, count })));
    expect(json.suppressedSecrets.map((s) => [s.file, s.suppressedBy.source])).toEqual([['seed/a.env', '.cmdbscanignore:2'], ['seed/b.env', '.cmdbscanignore:3']]);
    expect(stderr).toContain('.cmdbscanignore:3: hides every finding of rule password');

    const table = runCli(['scan', repo, '--no-db', '-q', '-f', 'table'], { cwd: dir }).stdout;
    expect(table).toContain('suppressed: 2 by config-path, 2 by ignore-file, 1 by inline-comment, 1 by placeholder-word (config: .cmdb-scan.yml, .cmdbscanignore)');
    expect(table).toContain('2 file(s) not read by config-path: .cmdb-scan.yml paths.exclude[0]');

    const sarif = JSON.parse(runCli(['scan', repo, '--no-db', '-q', '-f', 'sarif'], { cwd: dir }).stdout);
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const run = sarif.runs[0];
    expect(run.results.map((r: { suppressions?: unknown[]; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => [r.locations[0]!.physicalLocation.artifactLocation.uri, r.suppressions])).toEqual([
      ['seed/a.env', [{ kind: 'inSource', status: 'accepted', justification: 'ignore-file: .cmdbscanignore:2' }]],
      ['seed/b.env', [{ kind: 'inSource', status: 'accepted', justification: 'ignore-file: .cmdbscanignore:3' }]],
    ]);
    expect(run.invocations[0].toolExecutionNotifications.map((n: { descriptor: { id: string }; properties: { count: number } }) => [n.descriptor.id, n.properties.count]))
      .toEqual([['suppressed/config-path', 2], ['suppressed/inline-comment', 1], ['suppressed/placeholder-word', 1]]);
    expect(run.invocations[0].properties.configFiles).toEqual(['.cmdb-scan.yml', '.cmdbscanignore']);
  });

  it('applies one repository\'s ignore entries to that repository only, when one run scans several', () => {
    const other = path.join(dir, 'billing');
    mkdirSync(other);
    gitIn(other)('init', '-q');
    writeFileSync(path.join(other, '.env'), 'BILLING_PASSWORD=Billing-Pass-3391\n');
    writeFileSync(path.join(repo, '.cmdbscanignore'), 'rule:password\nrule:generic-secret\n');
    const r = runCli(['scan', repo, other, '--no-db', '-q', '-f', 'json'], { cwd: dir });
    const json = JSON.parse(r.stdout) as ScanJson & { secrets: Array<{ repo: string }> };
    expect(json.secrets.map((s) => [s.repo, s.file])).toEqual([[other, '.env']]);
    expect(json.repos.map((x) => x.configFiles)).toEqual([['.cmdbscanignore'], []]);
  });

  it('reads config from the scanned root up to its git root, never from a shared folder above it', () => {
    writeFileSync(path.join(dir, '.cmdb-scan.yml'), 'secrets:\n  ignore:\n    - rule: password\n    - rule: generic-secret\n');
    const { json } = scanJson();
    expect(json.secrets.map((s) => s.file).sort()).toEqual(['.env', 'application.yml']);
    expect(json.repos[0]!.configFiles).toEqual([]);
    // Inside the repository, above the scanned folder: the repository's own.
    mkdirSync(path.join(repo, 'svc'));
    writeFileSync(path.join(repo, 'svc', '.env'), TOKEN_ENV);
    writeFileSync(path.join(repo, '.cmdb-scan.yml'), 'secrets:\n  ignore:\n    - path: ".env"\n      reason: rotated\n');
    const inner = scanJson([], path.join(repo, 'svc')).json;
    expect(inner.secrets).toEqual([]);
    expect(inner.repos[0]!.configFiles).toEqual([path.join(repo, '.cmdb-scan.yml')]);
  });

  it('lets built-in products win over a repository\'s kinds that reuse their key words or schemes', () => {
    writeFileSync(path.join(repo, 'application.yml'), 'spring:\n  redis:\n    host: 10.9.0.7\n    port: 6379\nacme:\n  bus:\n    host: 10.9.0.8\n');
    writeFileSync(path.join(repo, '.cmdb-scan.yml'), [
      'connections:', '  kinds:',
      '    - kind: x-cache', '      keyWords: [redis]',
      '    - kind: x-stealer', '      keyWords: [spring, acme-bus]', '      schemes: [redis]',
      '    - kind: x-bus', '      keyWords: [bus]', '',
    ].join('\n'));
    const { json, stderr } = scanJson();
    expect(json.connections.map((c) => [c.kind, c.host]).sort()).toEqual([['redis', '10.9.0.7'], ['x-bus', '10.9.0.8']]);
    expect(stderr).toContain('connections.kinds[0] (x-cache): key word "redis" names the built-in kind redis; kind not applied');
    expect(stderr).toContain('connections.kinds[1] (x-stealer): scheme "redis" names the built-in kind redis; kind not applied');
  });

  it('applies ignore entries and the baseline before the cap, never caps a vendor format, and counts what a cap leaves out', () => {
    // 200 decoy URLs the repository accepts by fingerprint, then the real one.
    const decoys = Array.from({ length: 200 }, (_, i) => `u${i}=https://svc:Decoy-${i}-x9@h${i}.acme.internal/`);
    writeFileSync(path.join(repo, 'urls.txt'), [...decoys, ''].join('\n'));
    const base32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const keys = Array.from({ length: 250 }, (_, i) => `key${i}=AKIA${base32[i % 32]}${base32[i >> 5]}QWERTYUIOPASDF`);
    writeFileSync(path.join(repo, 'keys.txt'), keys.join('\n') + '\n');
    const first = scanJson().json;
    expect(first.secrets.filter((s) => s.file === 'keys.txt')).toHaveLength(250);
    const decoyPrints = first.secrets.filter((s) => s.file === 'urls.txt').map((s) => s.fingerprint);
    expect(decoyPrints).toHaveLength(200);
    writeFileSync(path.join(repo, 'urls.txt'), [...decoys, 'real=https://svc:Real-Secret-77@billing.acme.internal/', ''].join('\n'));
    const real = (json: ScanJson) => json.secrets.filter((s) => s.file === 'urls.txt').map((s) => [s.line, s.masked]);
    // The baseline alone: accepted decoys take no room.
    const baselined = scanJson(['--fail-on', 'secret', '--baseline', baselineOf(first)]);
    expect([real(baselined.json), baselined.json.suppressions.map((s) => s.mechanism), baselined.code]).toEqual([[[201, 'R…7']], ['baseline'], 1]);
    // The repository's own ignore file alone: likewise.
    writeFileSync(path.join(repo, '.cmdbscanignore'), decoyPrints.join('\n') + '\n');
    const ignored = scanJson(['--fail-on', 'secret']);
    const hiddenBy = [...new Set(ignored.json.suppressions.map((s) => s.mechanism))];
    expect([real(ignored.json), hiddenBy, ignored.json.suppressedSecrets.length, ignored.code]).toEqual([[[201, 'R…7']], ['ignore-file'], 200, 1]);
    // A flood past what is read (1,000 distinct values) and past what is reported (200): both counted on one row.
    rmSync(path.join(repo, '.cmdbscanignore'));
    writeFileSync(path.join(repo, 'urls.txt'), Array.from({ length: 1_050 }, (_, i) => `u${i}=https://svc:Flood-${i}-x9@f${i}.acme.internal/`).join('\n') + '\n');
    const flooded = scanJson(['--fail-on', 'secret']);
    expect(flooded.json.secrets.filter((s) => s.file === 'urls.txt')).toHaveLength(200);
    expect(flooded.json.suppressions.filter((s) => s.mechanism === 'cap')).toEqual([{ repo, mechanism: 'cap', source: 'urls.txt (basic-auth-url)', count: 850 }]);
  });
});

/** A baseline accepting every secret of a report, written next to the repository. */
function baselineOf(report: ScanJson): string {
  const file = path.join(dir, 'baseline.json');
  writeFileSync(file, JSON.stringify({ tool: 'cmdb-scan', version: 1, findings: report.secrets.map((s) => ({ fingerprint: s.fingerprint, rule: s.kind, file: s.file, line: s.line, masked: '****' })) }));
  return file;
}

describe('--staged and --history count what the repository\'s config hides, as a tree scan does', () => {
  it('reports the ignore entry and the hidden secret for a staged file and for one in history', () => {
    const g = gitIn(repo);
    writeFileSync(path.join(repo, '.cmdbscanignore'), 'old.env\nnew.env\n');
    writeFileSync(path.join(repo, 'old.env'), 'OLD_PASSWORD=Old-Pass-4410\n');
    g('add', '.');
    g('commit', '-q', '-m', 'first');
    g('rm', '-q', 'old.env');
    g('commit', '-q', '-m', 'gone');
    writeFileSync(path.join(repo, 'new.env'), 'NEW_PASSWORD=New-Pass-5520\n');
    g('add', 'new.env');
    const staged = scanJson(['--staged']).json;
    expect([staged.secrets, staged.suppressions.map((x) => [x.mechanism, x.source, x.count])]).toEqual([[], [['ignore-file', '.cmdbscanignore:2', 1]]]);
    expect(staged.suppressedSecrets.map((x) => x.file)).toEqual(['new.env']);
    const history = scanJson(['--history']).json;
    expect(history.suppressions.map((x) => [x.mechanism, x.source, x.count])).toEqual([['ignore-file', '.cmdbscanignore:1', 1], ['ignore-file', '.cmdbscanignore:2', 1]]);
    expect(history.suppressedSecrets.map((x) => x.file)).toEqual(['new.env', 'old.env']);
  });
});

describe('a repository\'s config is read within bounds', () => {
  it('does not open a config that is a link, a FIFO or too large; the scan goes on without it', () => {
    symlinkSync('/dev/zero', path.join(repo, '.cmdb-scan.yml'));
    execFileSync('mkfifo', [path.join(repo, '.cmdbscanignore')]);
    const { json, stderr } = scanJson();
    expect(json.secrets.map((s) => s.file).sort()).toEqual(['.env', 'application.yml']);
    expect(stderr).toContain('.cmdb-scan.yml: not a regular file (a symbolic link)');
    expect(stderr).toContain('.cmdbscanignore: not a regular file');
    rmSync(path.join(repo, '.cmdb-scan.yml'));
    writeFileSync(path.join(repo, '.cmdb-scan.yml'), `keywords: [${'"abcdefgh", '.repeat(30_000)}"x"]\n`);
    expect(scanJson().stderr).toMatch(/\.cmdb-scan\.yml: \d+ bytes, over the 262144-byte limit/);
  });

  it('matches a repository\'s patterns in linear time: a catastrophic token rule and a many-star ignore glob', () => {
    writeFileSync(path.join(repo, '.cmdb-scan.yml'), 'secrets:\n  rules:\n    - id: acme-key\n      pattern: "acme_((a|aa)+)+$"\n      prefixes: [acme_]\n');
    writeFileSync(path.join(repo, 'bait.txt'), `acme_${'a'.repeat(50_000)}!\n`);
    writeFileSync(path.join(repo, '.cmdbscanignore'), `${'*a'.repeat(30)}*b\n+(a|aa)*b\n`);
    writeFileSync(path.join(repo, `${'a'.repeat(200)}.env`), TOKEN_ENV);
    const started = Date.now();
    const { json } = scanJson();
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(json.secrets.map((s) => s.file)).toContain(`${'a'.repeat(200)}.env`);
    // The same rule over git history and over the staged changes: the bait committed, removed, and staged again.
    const g = gitIn(repo);
    g('add', '.');
    g('commit', '-q', '-m', 'bait');
    g('rm', '-q', 'bait.txt');
    g('commit', '-q', '-m', 'gone');
    writeFileSync(path.join(repo, 'bait.txt'), `acme_${'a'.repeat(50_000)}!\n`);
    g('add', 'bait.txt');
    const again = Date.now();
    scanJson(['--history']);
    scanJson(['--staged']);
    expect(Date.now() - again).toBeLessThan(20_000);
  });

  it('reads at most 10,000 lines of an ignore file, and says so', () => {
    writeFileSync(path.join(repo, '.cmdbscanignore'), Array.from({ length: 30_000 }, (_, i) => `x${i}`).join('\n'));
    const started = Date.now();
    const { json, stderr } = scanJson();
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(stderr).toContain('.cmdbscanignore: more than 10000 lines; the rest are not read');
    expect(json.secrets).toHaveLength(2);
  });
});

describe('batch', () => {
  it('applies a repository\'s own config only when the operator opts in', async () => {
    const remote = createRemote(dir, 'remotes/svc', [{ files: { '.env': TOKEN_ENV, '.cmdbscanignore': 'rule:generic-secret\n' } }]);
    const clone = path.join(dir, 'clone');
    execFileSync('git', ['clone', '-q', remote, clone]);
    expect((await scanOne(clone, { repositoryConfig: false })).secrets.map((s) => s.file)).toEqual(['.env']);
    const optedIn = await scanOne(clone, {});
    expect([optedIn.secrets, optedIn.suppressions.map((s) => s.source)]).toEqual([[], ['.cmdbscanignore:1']]);
    const list = path.join(dir, 'list.txt');
    writeFileSync(list, `file://${remote} main svc\n`);
    const db = path.join(dir, 'inv.db');
    const batch = (extra: string[]) => runCli(['batch', '--list', list, '--db', db, '--cache-dir', path.join(dir, 'cache'), '--owners-since', 'none', '-q', '--force', ...extra]);
    expect(batch([]).code).toBe(0);
    const report = (JSON.parse(runCli(['report', '--db', db, '-f', 'json']).stdout) as ScanJson);
    expect([report.secrets.length, report.suppressions]).toEqual([1, []]);
    expect(batch(['--repo-config']).code).toBe(0);
    const optedReport = JSON.parse(runCli(['report', '--db', db, '-f', 'json']).stdout) as ScanJson;
    expect([optedReport.secrets.length, optedReport.suppressions.map((s) => [s.mechanism, s.source, s.count])]).toEqual([0, [['ignore-file', '.cmdbscanignore:1', 1]]]);
    expect(optedReport.suppressedSecrets.map((s) => s.file)).toEqual(['.env']);
  });
});
