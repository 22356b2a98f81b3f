/**
 * SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, DefectDojo). Two kinds of
 * result, both things a security reviewer acts on: a hard-coded secret (level from its
 * severity, the stable fingerprint as partialFingerprint so alerts survive line moves), and
 * a literal address in shipped config (`config-bypass`: the connection does not come from
 * the config centre or the environment; only with `configBypass: true`). Raw secret
 * values never go into SARIF, even with --show-secrets: SARIF files are uploaded to other systems.
 *
 * One run per scanned repository, each with its own `REPO` base (a file: URI for a local
 * checkout; for a remote one the base is declared with a description only, which SARIF allows
 * when the absolute location is not known) and its own `automationDetails.id`, because code
 * scanning keys alerts by tool and category. Checked against the OASIS 2.1.0 schema in test/reporters.test.ts.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { severityRank, SHIPPED_SCOPES, type Connection, type Report, type RepoReport, type Secret, type SuppressedSecret, type Suppression } from '../result-model.js';
import { TOOL_VERSION } from '../version.js';

const LEVEL: Record<Secret['severity'], 'error' | 'warning' | 'note'> = { high: 'error', medium: 'warning', low: 'note' };

/**
 * GitHub's `security-severity` (0.0–10.0): a rule takes the highest severity of its findings in the run, as code
 * scanning reads it from the rule, not the result (≥ 7.0 shows as high, 4.0–6.9 medium, below 4.0 low).
 */
const SECURITY_SEVERITY: Record<Secret['severity'], string> = { high: '8.0', medium: '5.5', low: '2.0' };

/** CWE-798 (use of hard-coded credentials): where a reviewer reads why it matters and what to do. */
const SECRET_HELP_URI = 'https://cwe.mitre.org/data/definitions/798.html';
/** The twelve-factor app's "store config in the environment". */
const BYPASS_HELP_URI = 'https://12factor.net/config';

export interface SarifOptions {
  /**
   * Include a note per literal address in shipped config (`--config-bypass`). Off by default: on seven repositories
   * they outnumbered the secrets (230 to 211), and a baseline of secrets does not cover them.
   */
  configBypass?: boolean;
}

/** A repository-relative path as a URI reference: each segment percent-encoded (`#`, `?`, `%`, spaces), slashes kept. */
function relativeUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function location(file: string, line: number, commit?: string) {
  return { physicalLocation: { artifactLocation: { uri: relativeUri(file), uriBaseId: commit ? commitBase(commit) : 'REPO' }, region: { startLine: line } } };
}

/**
 * A finding of `--history` is in a file as a commit left it, not as HEAD has it (that line now holds something
 * else): its location is relative to a base of its own, the tree of that commit, declared in the run.
 */
function commitBase(commit: string): string {
  return `COMMIT_${commit}`;
}

function endpointOf(c: Connection): string {
  return `${c.kind}://${c.host ?? '?'}${c.port !== null ? `:${c.port}` : ''}${c.database ? `/${c.database}` : ''}`;
}

function isBypass(c: Connection): boolean {
  return c.valueSource === 'literal' && !c.local && c.host !== null && SHIPPED_SCOPES.has(c.scope);
}

/** Kinds whose rule says more than the generic text. */
const SECRET_RULE_TEXT: Readonly<Record<string, { what: string; text: string }>> = {
  'weak-password': {
    what: 'Hard-coded weak default password',
    text: 'A common default or guessable value (`root`, `123456`, `postgres`, the user name again) is written where a credential is configured: whoever reaches the service tries it first.',
  },
};

function secretRule(kind: string, severity: Secret['severity']) {
  const what = SECRET_RULE_TEXT[kind]?.what ?? `Hard-coded ${kind}`;
  const text = SECRET_RULE_TEXT[kind]?.text ?? `A value of the kind ${kind} is written in the repository, where everyone who can read the code or its history can use it.`;
  const todo = 'Revoke or rotate it, then load it from a secret store or the config centre. If it is not a secret, accept it with a `cmdb-scan:allow` comment, a `.cmdbscanignore` entry or a baseline.';
  return {
    id: `secret/${kind}`,
    name: `HardCoded${kind.replace(/(^|-)(\w)/g, (_m, _d, c: string) => c.toUpperCase())}`,
    shortDescription: { text: what },
    fullDescription: { text },
    help: { text: `${text} ${todo}`, markdown: `**${what}.** ${text}\n\n${todo}` },
    helpUri: SECRET_HELP_URI,
    defaultConfiguration: { level: LEVEL[severity] },
    properties: { tags: ['security', 'secret', 'external/cwe/cwe-798'], precision: 'high', 'security-severity': SECURITY_SEVERITY[severity] },
  };
}

const BYPASS_RULE = {
  id: 'config-bypass',
  name: 'LiteralConnectionInShippedConfig',
  shortDescription: { text: 'Connection address written in shipped config' },
  fullDescription: { text: 'The host of this connection is a literal in main-scope code or config, not a value from the config centre or the environment.' },
  help: {
    text: 'The address is fixed in what ships: moving the resource means a release, and the config centre does not know this app uses it. Read it from the config centre or the environment.',
    markdown: '**Connection address written in shipped config.** Moving the resource means a release, and the config centre does not know this app uses it.\n\nRead it from the config centre or the environment.',
  },
  helpUri: BYPASS_HELP_URI,
  defaultConfiguration: { level: 'note' },
  properties: { tags: ['configuration', 'maintainability'], precision: 'medium' },
};

/** The base of each commit history findings are in: the repository at that revision (described; a tree has no URI of its own). */
function commitBases(repo: RepoReport, secrets: readonly Secret[]) {
  return Object.fromEntries([...new Set(secrets.flatMap((s) => (s.commit ? [s.commit] : [])))].sort().map((commit) => [
    commitBase(commit), { description: { text: `The tree of commit ${commit} of ${repo.path}, where the finding was added (HEAD no longer holds it)` } },
  ]));
}

function baseOf(repo: RepoReport) {
  if (path.isAbsolute(repo.path)) return { REPO: { uri: pathToFileURL(repo.path.replace(/\/?$/, '/')).href } };
  return { REPO: { description: { text: `The root of the repository ${repo.path}` } } };
}

/**
 * How SARIF says a finding was suppressed: `inSource` for what the repository wrote (its ignore file, its config,
 * an inline comment), `external` for what the reviewer holds (a baseline, the operator's config).
 */
function suppressionOf(s: SuppressedSecret) {
  const inRepository = s.suppressedBy.mechanism === 'ignore-file' || (s.suppressedBy.mechanism === 'config-ignore' && !path.isAbsolute(s.suppressedBy.source));
  return { kind: inRepository ? 'inSource' as const : 'external' as const, status: 'accepted' as const, justification: `${s.suppressedBy.mechanism}: ${s.suppressedBy.source}` };
}

/** Counts of what left no finding to show (files not read, values taken for placeholders, matches past a cap, lines allowed inline). */
function suppressionNotifications(suppressions: readonly Suppression[]) {
  return suppressions.filter((s) => !FINDING_MECHANISMS.has(s.mechanism)).map((s) => ({
    descriptor: { id: `suppressed/${s.mechanism}` },
    level: 'warning' as const,
    message: { text: `${s.count} kept out of the report by ${s.mechanism}: ${s.source}` },
    properties: { mechanism: s.mechanism, source: s.source, count: s.count },
  }));
}

/** Mechanisms whose hidden secrets are listed one by one (`suppressedSecrets`), as results with `suppressions`. */
const FINDING_MECHANISMS: ReadonlySet<Suppression['mechanism']> = new Set(['ignore-file', 'config-ignore', 'baseline']);

function runOf(repo: RepoReport, category: string, secrets: Secret[], connections: Connection[], suppressed: SuppressedSecret[], suppressions: Suppression[]) {
  const worst = new Map<string, Secret['severity']>();
  for (const s of [...secrets, ...suppressed]) {
    const prev = worst.get(s.kind);
    if (!prev || severityRank(s.severity) < severityRank(prev)) worst.set(s.kind, s.severity);
  }
  const rules = [...[...worst].sort(([a], [b]) => (a < b ? -1 : 1)).map(([kind, severity]) => secretRule(kind, severity)), ...(connections.length > 0 ? [BYPASS_RULE] : [])];
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = [
    ...secrets.map((s) => ({
      ruleId: `secret/${s.kind}`,
      ruleIndex: ruleIndex.get(`secret/${s.kind}`)!,
      level: LEVEL[s.severity],
      message: { text: `Hard-coded ${s.kind} (${s.masked || 'short value'}, fingerprint ${s.fingerprint.slice(0, 12)})${s.resource ? ` for ${s.resource}` : ''} in app ${s.app}${s.commit ? `, added in commit ${s.commit.slice(0, 12)}` : ''}.` },
      locations: [location(s.file, s.line, s.commit)],
      partialFingerprints: { 'cmdbScanSecret/v1': s.fingerprint, ...(s.commit ? { commitSha: s.commit } : {}) },
      properties: { app: s.app, scope: s.scope, severity: s.severity, ...(s.commit ? { commit: s.commit, commitDate: s.commitDate } : {}) },
    })),
    // Hidden, not dropped: code scanning shows them as suppressed, with what suppressed each.
    ...suppressed.map((s) => ({
      ruleId: `secret/${s.kind}`,
      ruleIndex: ruleIndex.get(`secret/${s.kind}`)!,
      level: LEVEL[s.severity],
      message: { text: `Hard-coded ${s.kind} (${s.masked || 'short value'}, fingerprint ${s.fingerprint.slice(0, 12)}) in app ${s.app}, suppressed by ${s.suppressedBy.mechanism} (${s.suppressedBy.source}).` },
      locations: [location(s.file, s.line)],
      partialFingerprints: { 'cmdbScanSecret/v1': s.fingerprint },
      suppressions: [suppressionOf(s)],
      properties: { app: s.app, scope: s.scope, severity: s.severity },
    })),
    ...connections.map((c) => ({
      ruleId: 'config-bypass',
      ruleIndex: ruleIndex.get('config-bypass')!,
      level: 'note' as const,
      message: { text: `${c.app} connects to ${endpointOf(c)} with the address written in ${c.file}${c.profile ? ` (profile ${c.profile})` : ''}.` },
      locations: [location(c.file, c.line)],
      partialFingerprints: { 'cmdbScanConnection/v1': `${c.app}|${endpointOf(c)}|${c.file}` },
      properties: { app: c.app, kind: c.kind, sources: c.sources },
    })),
  ];
  return {
    tool: { driver: { name: 'cmdb-scan', version: TOOL_VERSION, semanticVersion: TOOL_VERSION, informationUri: 'https://www.npmjs.com/package/cmdb-scan', rules } },
    automationDetails: { id: `cmdb-scan/${category}/` },
    originalUriBaseIds: { ...baseOf(repo), ...commitBases(repo, secrets) },
    ...(/^[a-z][a-z0-9+.-]*:\/\//i.test(repo.path) ? { versionControlProvenance: [{ repositoryUri: repo.path, ...(repo.commit ? { revisionId: repo.commit } : {}) }] } : {}),
    results,
    ...(suppressions.length > 0 || repo.configFiles?.length ? {
      invocations: [{ executionSuccessful: true, toolExecutionNotifications: suppressionNotifications(suppressions), properties: { configFiles: repo.configFiles ?? [] } }],
    } : {}),
    properties: { repo: repo.path, suppressions: suppressions.map(({ repo: _repo, ...s }) => s) },
  };
}

export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  const withBypass = opts.configBypass === true;
  // Findings of a repository the report does not list (not produced by cmdb-scan itself) still get a run.
  const repos = [...report.repos];
  for (const p of new Set([...report.secrets.map((s) => s.repo), ...report.connections.map((c) => c.repo)])) {
    if (!repos.some((r) => r.path === p)) repos.push({ path: p, commit: null, apps: [] });
  }
  // The category is the repository's name, stable across machines and checkouts; two repositories of one name get their paths' digests too.
  const names = repos.map((r) => r.path.replace(/(\.git)?[\\/]*$/, '').split(/[\\/:]/).pop() || 'repository');
  const categories = names.map((n, i) => (names.indexOf(n) !== names.lastIndexOf(n) ? `${n}-${createHash('sha256').update(repos[i]!.path).digest('hex').slice(0, 8)}` : n));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: repos.map((repo, i) => runOf(
      repo, categories[i]!,
      report.secrets.filter((s) => s.repo === repo.path),
      withBypass ? report.connections.filter((c) => c.repo === repo.path && isBypass(c)) : [],
      report.suppressedSecrets.filter((s) => s.repo === repo.path),
      report.suppressions.filter((s) => s.repo === repo.path),
    )),
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
