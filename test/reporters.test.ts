import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scanRepository } from '../src/engine.js';
import { toReport } from '../src/index.js';
import { parseAllDocuments } from 'yaml';
import { renderBackstage, renderCmdbCsv, renderCmdbJson, renderDot, renderGithubAnnotations, renderHtml, renderMermaid, renderSarif, renderSecretsCsv, renderTable } from '../src/reporters/index.js';
import { FIXTURES, sarifSchemaErrors, TEST_FINGERPRINT_KEY } from './helpers.js';

type SarifLog = {
  version: string;
  runs: Array<{
    tool: { driver: { name: string; rules: Array<{ id: string; helpUri?: string; help?: { text: string }; properties?: { tags?: string[]; 'security-severity'?: string } }> } };
    automationDetails: { id: string };
    originalUriBaseIds: Record<string, unknown>;
    properties: { repo: string };
    results: Array<{ ruleId: string; ruleIndex: number; level: string; partialFingerprints: Record<string, string>; locations: Array<{ physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } } }> }>;
  }>;
};

function expectValidSarif(text: string): SarifLog {
  const sarif = JSON.parse(text) as SarifLog;
  expect(sarifSchemaErrors(sarif)).toEqual([]);
  for (const run of sarif.runs) {
    // Every base a location uses is defined by its run; every result points at its own rule.
    for (const r of run.results) {
      expect(run.originalUriBaseIds).toHaveProperty(r.locations[0]!.physicalLocation.artifactLocation.uriBaseId);
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(r.ruleId);
    }
    for (const rule of run.tool.driver.rules) {
      expect(rule.helpUri, rule.id).toMatch(/^https:\/\//);
      expect(rule.help?.text.length, rule.id).toBeGreaterThan(20);
      expect(rule.properties?.tags?.length, rule.id).toBeGreaterThan(0);
      if (rule.id.startsWith('secret/')) expect(Number(rule.properties?.['security-severity']), rule.id).toBeGreaterThan(0);
    }
  }
  return sarif;
}

describe('SARIF', () => {
  it('has one result per secret and, when asked, per literal address in shipped config, each tied to a declared rule, and validates against the 2.1.0 schema', async () => {
    const result = await scanRepository(path.join(FIXTURES, 'credentials-zoo'), { fingerprintKey: TEST_FINGERPRINT_KEY });
    const report = toReport([result]);
    const sarif = expectValidSarif(renderSarif(report, { configBypass: true }));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs).toHaveLength(1);
    const run = sarif.runs[0]!;
    expect(run.originalUriBaseIds).toEqual({ REPO: { uri: pathToFileURL(path.join(FIXTURES, 'credentials-zoo') + '/').href } });
    const literal = report.connections.filter((c) => c.valueSource === 'literal' && !c.local && c.host !== null && (c.scope === 'main' || c.scope === 'deploy'));
    expect(literal.length).toBeGreaterThan(0);
    expect(run.results).toHaveLength(report.secrets.length + literal.length);
    const secretResults = run.results.filter((r) => r.ruleId.startsWith('secret/'));
    expect(secretResults.map((r) => r.partialFingerprints['cmdbScanSecret/v1'])).toEqual(report.secrets.map((s) => s.fingerprint));
    expect(secretResults.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`))
      .toEqual(report.secrets.map((s) => `${s.file}:${s.line}`));
    expect(secretResults.map((r) => r.level)).toEqual(report.secrets.map((s) => ({ high: 'error', medium: 'warning', low: 'note' })[s.severity]));

    // By default, secrets only (issue 27 §6: the notes outnumbered the secrets and no baseline covers them).
    const secretsOnly = expectValidSarif(renderSarif(report));
    expect(secretsOnly.runs[0]!.results.map((r) => r.ruleId).filter((id) => id === 'config-bypass')).toEqual([]);
    expect(secretsOnly.runs[0]!.tool.driver.rules.map((r) => r.id)).not.toContain('config-bypass');
  });

  it('gives each repository its own run, base and category, remote ones included', async () => {
    const a = await scanRepository(path.join(FIXTURES, 'credentials-zoo'), { fingerprintKey: TEST_FINGERPRINT_KEY });
    const b = await scanRepository(path.join(FIXTURES, 'spring-multimodule'), { fingerprintKey: TEST_FINGERPRINT_KEY, repoId: 'https://git.example.com/shop/mall.git' });
    const report = toReport([a, b]);
    const sarif = expectValidSarif(renderSarif(report, { configBypass: true }));
    expect(sarif.runs.map((r) => r.properties.repo)).toEqual([a.repo.path, 'https://git.example.com/shop/mall.git']);
    expect(sarif.runs.map((r) => r.automationDetails.id)).toEqual(['cmdb-scan/credentials-zoo/', 'cmdb-scan/mall/']);
    expect(sarif.runs.map((r) => r.results.length)).toEqual([
      a.secrets.length + a.connections.filter((c) => c.valueSource === 'literal' && !c.local && c.host !== null && (c.scope === 'main' || c.scope === 'deploy')).length,
      b.secrets.length + b.connections.filter((c) => c.valueSource === 'literal' && !c.local && c.host !== null && (c.scope === 'main' || c.scope === 'deploy')).length,
    ]);
    expect(sarif.runs[1]!.originalUriBaseIds).toEqual({ REPO: { description: { text: 'The root of the repository https://git.example.com/shop/mall.git' } } });
  });
});

describe('GitHub annotations', () => {
  it('has one workflow command per secret, by severity, with masked previews and escaped properties', async () => {
    const result = await scanRepository(path.join(FIXTURES, 'credentials-zoo'), { fingerprintKey: TEST_FINGERPRINT_KEY, revealSecrets: true });
    const report = toReport([result]);
    const lines = renderGithubAnnotations(report).trimEnd().split('\n');
    expect(lines).toHaveLength(report.secrets.length + 1);
    report.secrets.forEach((s, i) => {
      expect(lines[i]).toMatch(new RegExp(`^::(error|warning|notice) file=[^,]+,line=${s.line},title=cmdb-scan%3A hard-coded ${s.kind}::`));
      expect(lines[i]!.startsWith(`::${({ high: 'error', medium: 'warning', low: 'notice' })[s.severity]} `)).toBe(true);
      expect(lines[i]).toContain(s.fingerprint);
      if (s.value!.length >= 6) expect(lines[i]!.includes(s.value!), `${s.kind} at ${s.file}:${s.line}`).toBe(false);
    });
    const odd = renderGithubAnnotations({ ...report, secrets: [{ ...report.secrets[0]!, file: 'conf,1/a:b.yml' }] });
    expect(odd).toContain('file=conf%2C1/a%3Ab.yml,');
  });
});

describe('HTML', () => {
  it('is one file with its data as inert JSON: names from the repository cannot become markup, no values, nothing fetched', async () => {
    const result = await scanRepository(path.join(FIXTURES, 'credentials-zoo'), { fingerprintKey: TEST_FINGERPRINT_KEY, revealSecrets: true });
    const report = toReport([result]);
    report.repos[0]!.apps[0]!.name = '<script>alert(1)</script>';
    report.connections[0]!.file = 'a"b<c>.yml</script><script>alert(2)</script>';
    const html = renderHtml(report);
    expect(html).not.toContain('<script>alert(');
    expect(html).not.toContain('</script><script>alert(2)');
    expect(html).toContain('\\u003cscript\\u003ealert(1)\\u003c/script\\u003e');
    for (const s of report.secrets) if (s.value!.length >= 6) expect(html.includes(s.value!), `${s.kind} at ${s.file}:${s.line}`).toBe(false);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=|<img[^>]+src=/);
    const data = JSON.parse(/<script id="cmdb-data" type="application\/json">([^<]*)<\/script>/.exec(html)![1]!) as { apps: Array<{ name: string }>; connections: unknown[]; secrets: Array<Record<string, unknown>> };
    expect(data.apps.map((a) => a.name)).toContain('<script>alert(1)</script>');
    expect(data.connections).toHaveLength(report.connections.length);
    expect(data.secrets.every((x) => !('value' in x))).toBe(true);
  });
});

describe('CSV of secrets', () => {
  it('has a row per secret with masked preview, fingerprint and severity, and no value even when values were asked for', async () => {
    const result = await scanRepository(path.join(FIXTURES, 'credentials-zoo'), { fingerprintKey: TEST_FINGERPRINT_KEY, revealSecrets: true });
    const report = toReport([result]);
    const lines = renderSecretsCsv(report).trimEnd().split('\r\n');
    expect(lines[0]).toBe('repo,app,file,line,kind,severity,masked,fingerprint,valueId,resource,scope,commit,commitDate');
    expect(lines.length).toBe(report.secrets.length + 1);
    const fingerprints = lines.slice(1).map((l) => l.split(',')[7]);
    expect(fingerprints).toEqual(report.secrets.map((s) => s.fingerprint));
    const csv = lines.join('\n');
    for (const s of report.secrets) if (s.value!.length >= 6) expect(csv.includes(s.value!), `${s.kind} at ${s.file}:${s.line}`).toBe(false);
  });
});

describe('terminal table', () => {
  it('has one row per app × resource, fits the width, counts test scope apart, sorts secrets by severity and summarises skipped files', async () => {
    const result = await scanRepository(path.join(FIXTURES, 'spring-multimodule'), { fingerprintKey: TEST_FINGERPRINT_KEY });
    const report = toReport([result]);
    const repo = report.repos[0]!.path;
    // The nacos server written in two files is one row, naming the first place and how many more.
    const nacos = report.connections.filter((c) => c.host === 'nacos-1.acme.internal');
    expect(nacos.length).toBe(2);
    const text = renderTable(report);
    expect(text.split('\n').filter((l) => l.includes('nacos-1.acme.internal'))).toHaveLength(1);
    expect(text).toMatch(/nacos-1\.acme\.internal:8848.*bootstrap\.yml:7 \(\+1\)/);
    // Test-scope connections are counted, not listed, unless scopes were chosen.
    const testRows = report.connections.filter((c) => c.scope === 'test');
    expect(testRows.length).toBeGreaterThan(0);
    expect(text).toContain(`${testRows.length} more in test scope not listed (--scope test to list them)`);
    expect(text).not.toContain(testRows[0]!.file);
    // Listed when asked for: the test-scope Redis is the same app × resource as the main one, so their row says both.
    expect(renderTable(report, { allScopes: true })).toMatch(/redis +│ localhost:6379 \(local\) .*│ main, test │/);
    for (const width of [100, 140]) {
      const tableLines = renderTable(report, { width }).split('\n').filter((l) => /^[┌│├└]/.test(l));
      expect(Math.max(...tableLines.map((l) => l.length)), `width ${width}`).toBeLessThanOrEqual(width);
    }

    const secret = (severity: 'high' | 'medium' | 'low', line: number) => ({
      repo, app: 'mall-order', file: 'a.yml', line, kind: 'password', fingerprint: `${line}`.padStart(32, '0'), masked: '****', scope: 'main' as const, severity, resource: null,
    });
    const skipped = Array.from({ length: 300 }, (_, i) => ({ repo, file: `img/${i}.png`, reason: 'binary' as const, detail: 'NUL byte' }));
    skipped.push({ repo, file: 'conf/broken.yml', reason: 'parse-error' as never, detail: 'invalid YAML' });
    const other = renderTable({ ...report, secrets: [secret('low', 1), secret('high', 2), secret('medium', 3)], skipped });
    const order = ['low', 'high', 'medium'].map((sev) => other.indexOf(`│ ${sev} `));
    expect(order[1]).toBeLessThan(order[2]!);
    expect(order[2]).toBeLessThan(order[0]!);
    expect(other).toContain('3 hard-coded secret(s) (1 high, 1 medium, 1 low):');
    expect(other).toContain('skipped 301 file(s): 300 binary, 1 parse-error');
    expect(other).toContain('  conf/broken.yml: parse-error (invalid YAML)'); // the one worth fixing is named first
    expect(other).toContain('  … 296 more (-f json lists every file)');
    expect(other.split('\n').filter((l) => l.startsWith('  img/'))).toHaveLength(4);
  });
});

describe('exports for CMDBs, Backstage and graphs', () => {
  it('has one relation per shipped app × resource, with environments and evidence, in JSON, CSV, Backstage, Mermaid and DOT', async () => {
    const a = await scanRepository(path.join(FIXTURES, 'spring-multimodule'), { fingerprintKey: TEST_FINGERPRINT_KEY });
    // The same app name in a second repository must stay a second component.
    const b = await scanRepository(path.join(FIXTURES, 'spring-multimodule'), { fingerprintKey: TEST_FINGERPRINT_KEY, repoId: 'https://git.example.com/shop/mall-copy.git' });
    const report = toReport([a, b]);
    report.repos[0]!.apps[0]!.name = 'mall "order" <svc>'; // hostile names stay inside their labels
    for (const c of report.connections) if (c.repo === a.repo.path && c.app === 'mall-order') c.app = 'mall "order" <svc>';
    const shipped = report.connections.filter((c) => c.host !== null && !c.local && (c.scope === 'main' || c.scope === 'deploy'));
    const pairs = new Set(shipped.map((c) => `${c.repo}|${c.app}|${c.kind}://${c.host}`));

    const json = JSON.parse(renderCmdbJson(report)) as { applications: Array<{ id: string }>; resources: Array<{ id: string; family: string }>; relations: Array<{ source: string; target: string; profiles: string[]; evidence: string[] }> };
    expect(json.relations.length).toBeGreaterThanOrEqual(pairs.size);
    const ids = new Set([...json.applications.map((x) => x.id), ...json.resources.map((x) => x.id)]);
    for (const r of json.relations) {
      expect(ids.has(r.source) && ids.has(r.target)).toBe(true);
      expect(r.evidence.length).toBeGreaterThan(0);
    }
    expect(json.resources.find((r) => r.id === 'mysql://rm-bp1abc.mysql.rds.aliyuncs.com:3306/mall_order')?.family).toBe('relational');
    expect(json.relations.some((r) => r.target.startsWith('redis://localhost'))).toBe(false); // local targets are not CIs
    expect(json.relations.find((r) => r.target === 'mysql://rm-bp1abc.mysql.rds.aliyuncs.com:3306/mall_order')?.profiles).toEqual(['prod']);

    const csv = renderCmdbCsv(report).trimEnd().split('\r\n');
    expect(csv[0]).toBe('parent,parent_class,type,child,child_class,kind,host,port,database,environment,scope,password_hardcoded,repo,jenkins_job,owners,evidence');
    expect(csv.length).toBe(json.relations.length + 1);
    expect(csv.filter((l) => l.includes(',Depends on::Used by,'))).toHaveLength(json.relations.length);

    const docs = parseAllDocuments(renderBackstage(report)).map((d) => d.toJS() as { kind: string; metadata: { name: string }; spec: { dependsOn?: string[] } });
    const components = docs.filter((d) => d.kind === 'Component');
    const resourceNames = new Set(docs.filter((d) => d.kind === 'Resource').map((d) => d.metadata.name));
    expect(components.length).toBe(json.applications.length);
    expect(new Set(components.map((c) => c.metadata.name)).size).toBe(components.length);
    for (const d of docs) expect(d.metadata.name).toMatch(/^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/);
    for (const c of components) for (const dep of c.spec.dependsOn ?? []) expect(resourceNames.has(dep.replace('resource:default/', ''))).toBe(true);

    const mermaid = renderMermaid(report);
    expect(mermaid.startsWith('graph LR\n')).toBe(true);
    expect(mermaid).toContain('["mall #quot;order#quot; #lt;svc#gt;"]');
    expect(mermaid.split('\n').filter((l) => l.includes('-->'))).toHaveLength(json.relations.length);
    const dot = renderDot(report);
    expect(dot).toContain('[label="mall \\"order\\" <svc>"');
    expect(dot.split('\n').filter((l) => l.includes(' -> '))).toHaveLength(json.relations.length);
  });
});
