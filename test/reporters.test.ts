import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanRepository } from '../src/engine.js';
import { toReport } from '../src/index.js';
import { renderHtml, renderSarif, renderSecretsCsv } from '../src/reporters/index.js';
import { FIXTURES, TEST_FINGERPRINT_KEY } from './helpers.js';

describe('SARIF', () => {
  it('has one result per secret and per literal address in shipped config, each tied to a declared rule', async () => {
    const result = await scanRepository(path.join(FIXTURES, 'credentials-zoo'), { fingerprintKey: TEST_FINGERPRINT_KEY });
    const report = toReport([result]);
    const sarif = JSON.parse(renderSarif(report)) as {
      version: string;
      runs: Array<{ tool: { driver: { name: string; rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; level: string; partialFingerprints: Record<string, string>; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }> }> }>;
    };
    expect(sarif.version).toBe('2.1.0');
    const run = sarif.runs[0]!;
    const literal = report.connections.filter((c) => c.valueSource === 'literal' && !c.local && c.host !== null && (c.scope === 'main' || c.scope === 'deploy'));
    expect(run.results).toHaveLength(report.secrets.length + literal.length);
    const ruleIds = new Set(run.tool.driver.rules.map((r) => r.id));
    for (const r of run.results) expect(ruleIds.has(r.ruleId)).toBe(true);
    const secretResults = run.results.filter((r) => r.ruleId.startsWith('secret/'));
    expect(secretResults.map((r) => r.partialFingerprints['cmdbScanSecret/v1'])).toEqual(report.secrets.map((s) => s.fingerprint));
    expect(secretResults.map((r) => `${r.locations[0]!.physicalLocation.artifactLocation.uri}:${r.locations[0]!.physicalLocation.region.startLine}`))
      .toEqual(report.secrets.map((s) => `${s.file}:${s.line}`));
    expect(secretResults.map((r) => r.level)).toEqual(report.secrets.map((s) => ({ high: 'error', medium: 'warning', low: 'note' })[s.severity]));
  });
});

describe('HTML', () => {
  it('escapes everything taken from the repository', async () => {
    const result = await scanRepository(path.join(FIXTURES, 'spring-multimodule'), { fingerprintKey: TEST_FINGERPRINT_KEY });
    const report = toReport([result]);
    report.repos[0]!.apps[0]!.name = '<script>alert(1)</script>';
    report.connections[0]!.file = 'a"b<c>.yml';
    const html = renderHtml(report);
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a&quot;b&lt;c&gt;.yml');
    expect(html.match(/<tr>/g)!.length).toBe(1 + report.repos[0]!.apps.length + 1 + report.connections.length + (report.secrets.length ? 1 + report.secrets.length : 0) + (report.skipped.length ? 1 + report.skipped.length : 0));
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
