/**
 * The security reviewer's loop with the built CLI (issue 15): find, accept into a baseline, see only what is
 * new, accept one finding inline; fingerprints equal across runs and across two copies of the repository.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitIn, runCli, sarifSchemaErrors } from './helpers.js';

let dir: string;
let repo: string;

const cli = (args: string[]) => runCli(args, { cwd: dir });

function secretsOf(args: string[]): Array<{ file: string; line: number; fingerprint: string }> {
  const r = cli(['scan', repo, '--no-db', '-q', '-f', 'json', ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout).secrets;
}

const APP_YML = 'spring:\n  datasource:\n    url: jdbc:mysql://10.8.0.4:3306/pay\n    username: pay\n    password: Pay-db-2024!\n';
const ENV = 'PAYMENT_API_TOKEN=pk8Zr2Vx9Lq4Tn7Wb3Hc6Jd1Mf5Gs0Ak\n';

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-reviewer-'));
  repo = path.join(dir, 'payments');
  mkdirSync(repo);
  writeFileSync(path.join(repo, 'application.yml'), APP_YML);
  writeFileSync(path.join(repo, '.env'), ENV);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the reviewer loop', () => {
  it('baselines what is known, reports only what is new (a secret added in a new commit), and honours inline allow comments', () => {
    const g = gitIn(repo);
    g('init', '-q');
    g('add', '.');
    g('commit', '-q', '-m', 'payments service');
    const first = secretsOf([]);
    expect(first.map((s) => s.file).sort()).toEqual(['.env', 'application.yml']);

    const baseline = path.join(dir, 'baseline.json');
    expect(cli(['scan', repo, '--no-db', '-q', '-f', 'json', '--write-baseline', baseline]).code).toBe(0);
    const written = readFileSync(baseline, 'utf8');
    expect(JSON.parse(written).findings.map((f: { fingerprint: string }) => f.fingerprint).sort()).toEqual(first.map((s) => s.fingerprint).sort());
    expect(written).not.toContain('Pay-db-2024!');
    expect(written).not.toContain('pk8Zr2Vx9Lq4Tn7Wb3Hc6Jd1Mf5Gs0Ak');

    expect(secretsOf(['--baseline', baseline])).toEqual([]);
    expect(cli(['scan', repo, '--no-db', '-q', '-f', 'json', '--baseline', baseline, '--fail-on', 'secret']).code).toBe(0);

    // A new secret in a new commit, and lines moved above a known one: exactly the new one is reported.
    writeFileSync(path.join(repo, 'application.yml'), `# payments\n\n${APP_YML}`);
    writeFileSync(path.join(repo, 'worker.env'), 'QUEUE_PASSWORD=Qu3ue-Secret-77\n');
    g('add', '.');
    g('commit', '-q', '-m', 'queue worker');
    const next = secretsOf(['--baseline', baseline]);
    expect(next.map((s) => s.file)).toEqual(['worker.env']);
    expect(cli(['scan', repo, '--no-db', '-q', '-f', 'json', '--baseline', baseline, '--fail-on', 'secret']).code).toBe(1);

    // Accepted inline, in any of the three spellings reviewers bring from other tools.
    for (const comment of ['# cmdb-scan:allow', '# gitleaks:allow', '# pragma: allowlist nextline secret']) {
      writeFileSync(path.join(repo, 'worker.env'), `${comment}\nQUEUE_PASSWORD=Qu3ue-Secret-77\n`);
      expect(secretsOf(['--baseline', baseline]), comment).toEqual([]);
    }
    writeFileSync(path.join(repo, 'worker.env'), 'QUEUE_PASSWORD=Qu3ue-Secret-77 # pragma: allowlist secret\n');
    expect(secretsOf(['--baseline', baseline])).toEqual([]);
  });

  it('gives two copies of the repository, at two paths, the same fingerprints in SARIF that validates against the 2.1.0 schema', () => {
    const copy = path.join(dir, 'elsewhere', 'payments');
    cpSync(repo, copy, { recursive: true });
    const sarif = (root: string) => {
      const r = cli(['scan', root, '--no-db', '-q', '-f', 'sarif']);
      expect(r.code, r.stderr).toBe(0);
      expect(sarifSchemaErrors(JSON.parse(r.stdout))).toEqual([]);
      return JSON.parse(r.stdout).runs.flatMap((run: { results: Array<{ partialFingerprints?: Record<string, string> }> }) =>
        run.results.map((x) => x.partialFingerprints?.['cmdbScanSecret/v1']).filter(Boolean));
    };
    const a = sarif(repo);
    expect(a.length).toBeGreaterThan(0);
    expect(sarif(copy)).toEqual(a);
  });

  it('finds with --history a secret deleted three commits ago, naming the commit, and not one HEAD still holds', () => {
    const hist = path.join(dir, 'history-repo');
    mkdirSync(hist);
    const g = gitIn(hist);
    g('init', '-q');
    writeFileSync(path.join(hist, 'application.properties'), 'spring.datasource.url=jdbc:mysql://10.8.1.2:3306/ledger\nspring.datasource.password=Ledger-Old-Pw-9\n');
    writeFileSync(path.join(hist, '.env'), 'STILL_HERE_TOKEN=kq83Jd72Lm40Pz18Xc65Vb29Nw47Ty10\n');
    g('add', '.');
    g('commit', '-q', '-m', 'add config');
    const leaked = g('rev-parse', 'HEAD');
    writeFileSync(path.join(hist, 'application.properties'), 'spring.datasource.url=jdbc:mysql://10.8.1.2:3306/ledger\nspring.datasource.password=${DB_PASSWORD}\n');
    // .env changes too, keeping its token: the old blob holds a value HEAD still has, not reported twice.
    writeFileSync(path.join(hist, '.env'), 'LOG_LEVEL=info\nSTILL_HERE_TOKEN=kq83Jd72Lm40Pz18Xc65Vb29Nw47Ty10\n');
    g('commit', '-q', '-am', 'move the password to the environment');
    writeFileSync(path.join(hist, 'README.md'), 'ledger\n');
    g('add', '.');
    g('commit', '-q', '-m', 'readme');
    writeFileSync(path.join(hist, 'README.md'), 'ledger service\n');
    g('commit', '-q', '-am', 'readme again');

    const atHead = cli(['scan', hist, '--no-db', '-q', '-f', 'json']);
    expect(JSON.parse(atHead.stdout).secrets.map((s: { file: string }) => s.file)).toEqual(['.env']);
    const r = cli(['scan', hist, '--no-db', '-q', '-f', 'json', '--history']);
    expect(r.code, r.stderr).toBe(0);
    const secrets = JSON.parse(r.stdout).secrets as Array<{ file: string; line: number; commit?: string; commitDate?: string; masked: string }>;
    expect(secrets.map((s) => [s.file, s.commit ?? null])).toEqual([['.env', null], ['application.properties', leaked]]);
    expect(secrets[1]!.line).toBe(2);
    expect(secrets[1]!.commitDate).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(r.stdout).not.toContain('Ledger-Old-Pw-9');
    // Only the newest two commits: the leak is older than that.
    const recent = JSON.parse(cli(['scan', hist, '--no-db', '-q', '-f', 'json', '--history', '2']).stdout).secrets;
    expect(recent.map((s: { file: string }) => s.file)).toEqual(['.env']);
  });

  it('gives a value one rule id in a tree scan and under --history, and shows history findings at their commit in the table and SARIF (issue 27 §6)', () => {
    const keys = path.join(dir, 'keys-repo');
    mkdirSync(keys);
    const g = gitIn(keys);
    g('init', '-q');
    // An AWS key pair under names a key rule also reads: a format's rule id wins over the key name's generic one.
    writeFileSync(path.join(keys, '.env'), 'AWS_ACCESS_KEY_ID=AKIAQX4Z7N2LJ5KPRM3T\nAWS_SECRET_ACCESS_KEY=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\n');
    writeFileSync(path.join(keys, 'upload.py'), 'key = "AKIAQX4Z7N2LJ5KPRM3T"\nbucket = "invoices"\n');
    writeFileSync(path.join(keys, 'application.properties'), 'spring.redis.host=10.8.3.4\nspring.redis.port=6379\n');
    g('add', '.');
    g('commit', '-q', '-m', 'upload invoices');
    const leaked = g('rev-parse', 'HEAD');
    const tree = (JSON.parse(cli(['scan', keys, '--no-db', '-q', '-f', 'json']).stdout).secrets as Array<{ fingerprint: string; kind: string }>)
      .map((s) => [s.fingerprint, s.kind]).sort();
    expect(tree.map(([, kind]) => kind).sort()).toEqual(['aws-access-key-id', 'aws-access-key-id', 'aws-secret-access-key']);
    g('rm', '-q', '.env', 'upload.py');
    g('commit', '-q', '-m', 'keys go to the vault');
    const history = JSON.parse(cli(['scan', keys, '--no-db', '-q', '-f', 'json', '--history']).stdout).secrets as Array<{ fingerprint: string; kind: string; commit: string }>;
    expect(history.map((s) => [s.fingerprint, s.kind]).sort()).toEqual(tree);
    expect(history.every((s) => s.commit === leaked)).toBe(true);

    const table = cli(['scan', keys, '--no-db', '-q', '-f', 'table', '--history']).stdout;
    expect(table).toMatch(new RegExp(`upload\\.py:1 +│ ${leaked.slice(0, 12)} \\d{4}-\\d{2}-\\d{2}`));

    const sarifText = cli(['scan', keys, '--no-db', '-q', '-f', 'sarif', '--history']).stdout;
    expect(sarifSchemaErrors(JSON.parse(sarifText))).toEqual([]);
    const run = JSON.parse(sarifText).runs[0] as { results: Array<{ ruleId: string; partialFingerprints: Record<string, string>; properties: Record<string, string>;
      locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string } } }> }>; originalUriBaseIds: Record<string, unknown> };
    // Not at HEAD's file (gone, or holding something else now): at the tree of the commit that added it.
    const base = `COMMIT_${leaked}`;
    expect(run.results.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uriBaseId)).toEqual([base, base, base]);
    expect(run.originalUriBaseIds[base]).toBeDefined();
    expect(run.results.every((r) => r.partialFingerprints['commitSha'] === leaked && r.properties['commit'] === leaked)).toBe(true);
    // The literal address is a config-bypass note only when asked for.
    expect(run.results.some((r) => r.ruleId === 'config-bypass')).toBe(false);
    const asked = JSON.parse(cli(['scan', keys, '--no-db', '-q', '-f', 'sarif', '--config-bypass']).stdout).runs[0].results as Array<{ ruleId: string }>;
    expect(asked.map((r) => r.ruleId)).toEqual(['config-bypass']);
  });

  it('checks with --staged only the lines a commit would add, as a pre-commit hook', () => {
    const hook = path.join(dir, 'hook-repo');
    mkdirSync(hook);
    const g = gitIn(hook);
    g('init', '-q');
    writeFileSync(path.join(hook, 'application.properties'), 'spring.datasource.url=jdbc:mysql://10.8.2.2:3306/crm\nspring.datasource.password=Crm-Committed-1\n');
    g('add', '.');
    g('commit', '-q', '-m', 'crm');
    const staged = () => cli(['scan', hook, '--staged', '-q', '-f', 'json', '--fail-on', 'secret']);
    expect(staged().code).toBe(0); // nothing staged: the committed password is not this commit's business
    writeFileSync(path.join(hook, 'application.properties'), 'spring.datasource.url=jdbc:mysql://10.8.2.2:3306/crm\nspring.datasource.password=Crm-Committed-1\nspring.redis.password=Crm-Redis-2\n');
    writeFileSync(path.join(hook, '.env'), 'MAIL_PASSWORD=Unstaged-3\n'); // not added to the index
    g('add', 'application.properties');
    const r = staged();
    expect(r.code, r.stderr).toBe(1);
    expect(JSON.parse(r.stdout).secrets.map((s: { file: string; line: number }) => [s.file, s.line])).toEqual([['application.properties', 3]]);
  });

  it('--staged in a hook: a clean commit prints nothing with -q, and a finding names the app its build file names (issue 27 §7)', () => {
    const hook = path.join(dir, 'hook-named');
    mkdirSync(path.join(hook, 'billing-svc/src/main/resources'), { recursive: true });
    const g = gitIn(hook);
    g('init', '-q');
    writeFileSync(path.join(hook, 'billing-svc/pom.xml'), '<project><modelVersion>4.0.0</modelVersion><artifactId>billing-service</artifactId></project>\n');
    writeFileSync(path.join(hook, 'README.md'), 'billing\n');
    g('add', '.');
    const clean = cli(['scan', hook, '--staged', '-q', '--fail-on', 'secret']);
    expect([clean.code, clean.stdout, clean.stderr]).toEqual([0, '', '']);
    expect(cli(['scan', hook, '--staged', '--fail-on', 'secret']).stderr).toBe('cmdb-scan: no secrets in the staged changes\n');
    g('commit', '-q', '-m', 'start');
    writeFileSync(path.join(hook, 'billing-svc/src/main/resources/application.properties'), 'spring.datasource.password=Billing-Db-77\n');
    g('add', '.');
    const found = cli(['scan', hook, '--staged', '-q', '-f', 'json', '--fail-on', 'secret']);
    expect(found.code).toBe(1);
    expect(JSON.parse(found.stdout).secrets.map((s: { app: string }) => s.app)).toEqual(['billing-service']);
  });

  it('stops with exit 2 and names the file when a baseline is not one', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{"tool":"gitleaks","findings":[]}');
    const r = cli(['scan', repo, '--no-db', '-q', '--baseline', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${bad}: not a cmdb-scan baseline`);
    expect(cli(['scan', repo, '--no-db', '-q', '--baseline', path.join(dir, 'missing.json')]).stderr).toMatch(/missing\.json: cannot read the baseline \(ENOENT\)/);
  });

  it('reads the project config found upward to the git root and .cmdbscanignore; --config and --no-config; a wrong config stops with exit 2 naming the file', () => {
    const team = path.join(dir, 'team');
    const svc = path.join(team, 'billing');
    mkdirSync(path.join(svc, 'seeds'), { recursive: true });
    gitIn(team)('init', '-q');
    writeFileSync(path.join(team, '.cmdb-scan.yml'), [
      'secrets:',
      '  rules:',
      '    - id: acme-api-key',
      "      pattern: 'acme_live_([A-Za-z0-9]{32})'",
      '      prefixes: [acme_live_]',
      '  ignore:',
      '    - path: "seeds/**"',
      '      reason: seed data for tests',
      '',
    ].join('\n'));
    writeFileSync(path.join(svc, '.env'), ENV);
    writeFileSync(path.join(svc, 'seeds', 'seed.env'), 'SEED_PASSWORD=Seed-Pass-1177\n');
    writeFileSync(path.join(svc, 'client.ts'), 'export const billingKey = "acme_live_Ab3dE5gH7jK9mN1pQ3rS5tU7vW9xY1zA";\n');
    const found = (args: string[]) => {
      const r = cli(['scan', svc, '--no-db', '-q', '-f', 'json', ...args]);
      expect(r.code, r.stderr).toBe(0);
      return (JSON.parse(r.stdout).secrets as Array<{ file: string; kind: string; fingerprint: string }>).map((x) => `${x.file} ${x.kind}`).sort();
    };
    expect(found([])).toEqual(['.env generic-secret', 'client.ts acme-api-key']);
    expect(found(['--no-config'])).toEqual(['.env generic-secret', 'seeds/seed.env password']);

    const envFinding = (JSON.parse(cli(['scan', svc, '--no-db', '-q', '-f', 'json']).stdout).secrets as Array<{ file: string; fingerprint: string }>).find((x) => x.file === '.env')!;
    writeFileSync(path.join(svc, '.cmdbscanignore'), `# rotated monthly, accepted by security\n${envFinding.fingerprint}\n`);
    expect(found([])).toEqual(['client.ts acme-api-key']);
    // The 12 digits the table prints, pasted as they are, do the same (they aborted the line before).
    writeFileSync(path.join(svc, '.cmdbscanignore'), `${envFinding.fingerprint.slice(0, 12)}\n`);
    expect(found([])).toEqual(['client.ts acme-api-key']);
    writeFileSync(path.join(svc, '.cmdbscanignore'), `${envFinding.fingerprint}\n`);

    const other = path.join(dir, 'other.yml');
    writeFileSync(other, 'keywords: [billingmq]\n');
    expect(found(['--config', other])).toEqual(['seeds/seed.env password']); // the ignore file still applies
    for (const [text, message] of [
      ['secrets:\n  rules:\n    - id: broken\n      pattern: "acme_(["\n', 'secret rule broken: the pattern cannot be used'],
      ['secrets:\n  rules:\n    - id: backtracks\n      pattern: "(a)\\\\1"\n', 'secret rule backtracks: the pattern cannot be used'],
      ['secrets:\n  rulez: []\n', 'secrets: Unrecognized key: "rulez"'],
      ['connections:\n  kinds:\n    - kind: acme-mq\n      keyWords: [acmemq]\n', 'connections.kinds.0.kind: a project kind is `x-`'],
      ['paths: [unclosed\n', 'the config file is not valid YAML'],
    ] as const) {
      writeFileSync(other, text);
      const r = cli(['scan', svc, '--no-db', '-q', '--config', other]);
      expect(r.code, text).toBe(2);
      expect(r.stderr).toContain(`${other}: ${message}`);
    }
  });
});
