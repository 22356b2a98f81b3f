/**
 * SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, DefectDojo). Two kinds of
 * result, both things a security reviewer acts on: a hard-coded secret (level from its
 * severity, the keyed fingerprint as partialFingerprint so alerts survive line moves), and
 * a literal address in shipped config (`config-bypass`: the connection does not come from
 * the config centre or the environment). Raw secret values never go into SARIF, even with
 * --show-secrets: SARIF files are uploaded to other systems.
 */
import type { Connection, Report, Secret } from '../result-model.js';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TOOL_VERSION } from '../version.js';

const LEVEL: Record<Secret['severity'], 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note' };

/** A repository-relative path as a URI reference: each segment percent-encoded (`#`, `?`, `%`, spaces), slashes kept. */
function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function location(repo: string, file: string, line: number) {
  return {
    physicalLocation: { artifactLocation: { uri: relativeUri(file), uriBaseId: 'REPO' }, region: { startLine: line } },
    // Several repositories can share one run; the repository is named per result.
    properties: { repo },
  };
}

function endpointOf(c: Connection): string {
  return `${c.kind}://${c.host ?? '?'}${c.port !== null ? `:${c.port}` : ''}${c.database ? `/${c.database}` : ''}`;
}

export function renderSarif(report: Report): string {
  const secretKinds = [...new Set(report.secrets.map((s) => s.kind))].sort();
  const rules = [
    ...secretKinds.map((kind) => ({
      id: `secret/${kind}`,
      name: `HardCoded${kind.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`,
      shortDescription: { text: `Hard-coded ${kind}` },
      fullDescription: { text: `A value of the kind ${kind} is written in the repository. Move it to a secret store or the config centre, and rotate it.` },
      defaultConfiguration: { level: 'error' },
    })),
    {
      id: 'config-bypass',
      name: 'LiteralConnectionInShippedConfig',
      shortDescription: { text: 'Connection address written in shipped config' },
      fullDescription: { text: 'The host of this connection is a literal in main-scope code or config, not a value from the config centre or the environment.' },
      defaultConfiguration: { level: 'note' },
    },
  ];
  const results = [
    ...report.secrets.map((s) => ({
      ruleId: `secret/${s.kind}`,
      level: LEVEL[s.severity],
      message: { text: `Hard-coded ${s.kind} (${s.masked || 'short value'}, fingerprint ${s.fingerprint.slice(0, 12)})${s.resource ? ` for ${s.resource}` : ''} in app ${s.app}.` },
      locations: [location(s.repo, s.file, s.line)],
      partialFingerprints: { 'cmdbScanSecret/v1': s.fingerprint },
      properties: { app: s.app, scope: s.scope, severity: s.severity },
    })),
    ...report.connections
      .filter((c) => c.valueSource === 'literal' && !c.local && c.host !== null && (c.scope === 'main' || c.scope === 'deploy'))
      .map((c) => ({
        ruleId: 'config-bypass',
        level: 'note' as const,
        message: { text: `${c.app} connects to ${endpointOf(c)} with the address written in ${c.file}${c.profile ? ` (profile ${c.profile})` : ''}.` },
        locations: [location(c.repo, c.file, c.line)],
        partialFingerprints: { 'cmdbScanConnection/v1': `${c.app}|${endpointOf(c)}|${c.file}` },
        properties: { app: c.app, kind: c.kind, sources: c.sources },
      })),
  ];
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'cmdb-scan', version: TOOL_VERSION, rules } },
      // One base per run; with several repositories, each result's `properties.repo` says which.
      // A repository scanned from a remote (batch) has no local base to give.
      originalUriBaseIds: report.repos.length === 1 && path.isAbsolute(report.repos[0]!.path) ? { REPO: { uri: pathToFileURL(report.repos[0]!.path.replace(/\/?$/, '/')).href } } : {},
      results,
    }],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
