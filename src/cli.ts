#!/usr/bin/env node
/**
 * cmdb-scan command line: argument parsing (commander) and output only; all work is
 * done by the library API. Exit codes: 0 ok, 1 findings matched --fail-on, 2 usage or
 * fatal error.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { applyBaseline, baselineOf, readBaseline } from './baseline.js';
import { configChoice, projectConfigFor, type ProjectConfig } from './project-config.js';
import { parseSince } from './changes.js';
import { filterReport, parseScopes, type ReportFilter } from './report-filter.js';
import { readCmdbResources, type UnusedReport } from './cmdb-resources.js';
import { appAnswer, diffAnswer, unusedAnswer, usesAnswer, type Answer } from './queries.js';
import { parseHostsMapping, type HostAliases } from './targets.js';
import { renderUnused } from './reporters/unused.js';
import { renderDiffJson, renderDiffTable } from './reporters/diff.js';
import { randomBytes } from 'node:crypto';
import { appNameOfFile } from './apps.js';
import { Inventory } from './inventory.js';
import { storeName } from './storage/open.js';
import { scan, type ModelStageSettings } from './scan.js';
import type { LlmMode } from '../models/config.js';
import type { EndpointConfig } from '../models/endpoint.js';
import { DEFAULT_KEYWORDS, resolveKeywords } from './keywords.js';
import type { BlobFindings } from './history.js';
import { combineSuppressions, compareSecrets, compareSuppressions, REPORT_SCHEMA_VERSION, type ModelUsage, type Report, type Secret } from './result-model.js';
import { CONNECTION_COLUMNS, FORMATS, parseColumns, render, TERMINAL_SAFE_FORMATS, type Format } from './reporters/index.js';
import { renderRows } from './reporters/table.js';
import { TOOL_VERSION } from './version.js';
import { printableLines } from './text.js';
// The model stage, history, batch, serve, mcp and schema modules are imported where a command needs them: loaded up
// front they were half of a `scan`'s start-up (0.67 s of CPU before the first file; bench/RESULTS.md).

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_FATAL = 2;
/** `batch`: some repositories failed (clone, auth, timeout); the others were scanned and saved. */
export const EXIT_SOME_FAILED = 3;

const LLM_MODES: readonly LlmMode[] = ['off', 'auto', 'required'];

const DEFAULT_DB = process.env.CMDB_SCAN_DB ?? 'cmdb-scan.db';

/** Conditions for --fail-on. */
const FAIL_ON: Record<string, (r: Report) => boolean> = {
  any: (r) => r.connections.length > 0,
  'hardcoded-password': (r) => r.connections.some((c) => c.passwordHardcoded),
  'hardcoded-password-main': (r) => r.connections.some((c) => c.passwordHardcoded && c.scope === 'main'),
  literal: (r) => r.connections.some((c) => c.valueSource === 'literal' && !c.local),
  // Matches past a rule's cap were not judged: they fail the check rather than pass unseen.
  secret: (r) => r.secrets.length > 0 || r.suppressions.some((s) => s.mechanism === 'cap'),
  'secret-high': (r) => r.secrets.some((x) => x.severity === 'high') || r.suppressions.some((s) => s.mechanism === 'cap'),
};

/**
 * The largest `--max-file-size`. A file is read whole and decoded into one string, and V8 cannot make a string of
 * more than about 512 MiB characters ("Cannot create a string longer than…", which failed the whole repository);
 * half of that leaves room for the decoded text beside the bytes.
 */
const MAX_FILE_SIZE_LIMIT = 256 * 1024 ** 2;

/** `2MB`, `512KB`, `1048576` → bytes; more than `max` bytes is a usage error, not a number that wraps or overflows. */
function parseSize(text: string, max = Number.MAX_SAFE_INTEGER, maxText = `${max} bytes`): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`not a size: ${text} (use e.g. 2MB, 512KB, 1048576)`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.round(Number(m[1]) * factor);
  if (!(bytes <= max)) throw new InvalidArgumentError(`${text} is more than ${maxText}, the most allowed`);
  return bytes;
}

const parseFileSize = (text: string) => parseSize(text, MAX_FILE_SIZE_LIMIT, `${MAX_FILE_SIZE_LIMIT / 1024 ** 2}MB`);
const parseRepoSize = (text: string) => parseSize(text);

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

function positiveInteger(what: string): (v: string) => number {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${what}: a whole number, 1 or more`);
    return n;
  };
}

/** One line per endpoint for the summary on stderr. */
export function describeModelUsage(u: ModelUsage): string {
  return `model ${u.endpoint} (${u.model}): ${u.requests} request(s), ${u.promptTokens} prompt + ${u.completionTokens} completion tokens, `
    + `${u.cacheHits} cache hit(s), ${(u.latencyMs / 1000).toFixed(1)} s, ${u.accepted} accepted, ${u.rejectedUnverified} rejected (not in the snippet), `
    + `${u.errors} error(s)${u.skippedBudget ? `, ${u.skippedBudget} snippet(s) over budget` : ''}`;
}

interface ModelFlags {
  llm?: LlmMode; llmConfig?: string; llmEndpoint?: string[]; llmAll?: boolean; llmSendSecrets?: boolean; llmBudget?: number; allowRemoteLlm?: boolean;
}

/** The model-stage flags, shared by `scan` and `batch`. */
function addModelOptions(command: Command): Command {
  return command
    // Under their own heading, after the options every scan uses: most users never run models.
    .optionsGroup('Model stage (optional, see docs/model-stage.md):')
    .addOption(new Option('--llm <mode>', 'model stage: off, auto (use endpoints that are up), required (fail if one is down); default auto when endpoints are configured').choices([...LLM_MODES]))
    .option('--llm-config <file>', 'model endpoints config (JSON; env CMDB_SCAN_LLM_CONFIG)', process.env.CMDB_SCAN_LLM_CONFIG)
    .option('--llm-endpoint <spec>', 'a model endpoint: name=…,url=…,model=…[,max-model-len=…,concurrency=…,timeout=ms] (repeatable; env CMDB_SCAN_LLM_ENDPOINTS, ";"-separated)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--llm-all', 'also send snippets the rules already resolved')
    .option('--llm-send-secrets', 'send secret values to the models unmasked (they are masked by default)')
    .option('--llm-budget <tokens>', 'at most this many prompt tokens per endpoint for the whole run', positiveInteger('--llm-budget'))
    .option('--allow-remote-llm', 'allow endpoints outside loopback and private networks (code leaves your network)')
    .optionsGroup('Options:');
}

/** Endpoints are checked before anything is scanned, so `--llm required` fails fast. Null: static only. */
async function modelStageFromFlags(opts: ModelFlags, log: (msg: string) => void): Promise<ModelStageSettings | null> {
  const specs = [...(opts.llmEndpoint ?? []), ...(process.env.CMDB_SCAN_LLM_ENDPOINTS ?? '').split(';').filter((x) => x.trim())];
  if (!opts.llmConfig && specs.length === 0 && (opts.llm ?? 'off') === 'off') return null;
  const { connectEndpoints, loadModelConfig, parseEndpointSpec } = await import('../models/config.js');
  const endpoints: EndpointConfig[] = [
    ...(opts.llmConfig ? loadModelConfig(opts.llmConfig) : []),
    ...specs.map(parseEndpointSpec),
  ];
  const mode: LlmMode = opts.llm ?? (endpoints.length > 0 ? 'auto' : 'off');
  const { clients, warnings } = await connectEndpoints(endpoints, {
    mode, allowRemote: opts.allowRemoteLlm === true,
    ...(opts.llmBudget ? { budgetTokens: opts.llmBudget } : {}),
    ...(process.env.CMDB_SCAN_LLM_API_KEY ? { apiKey: process.env.CMDB_SCAN_LLM_API_KEY } : {}),
  });
  for (const w of warnings) log(`warning: ${w}`);
  if (clients.length === 0) return null;
  if (opts.llmSendSecrets) log('warning: --llm-send-secrets: secret values are sent to the model endpoints unmasked');
  return { clients, all: opts.llmAll === true, sendSecrets: opts.llmSendSecrets === true };
}

/** The table, on a terminal and in a pipe alike (piped, as tab-separated rows: see `emit`); -f chooses another. */
function defaultFormat(): Format {
  return 'table';
}

/** For commands with a table and JSON only: the table on a terminal unless writing a file, else JSON. */
function tableOrJson<F extends string>(format: F | undefined, out: string | undefined): F | 'table' | 'json' {
  return format ?? (process.stdout.isTTY && !out ? 'table' : 'json');
}

/**
 * The command's answer: to the `-o` file (or a pipe) byte for byte; on a terminal, control characters and bidi
 * overrides in it are shown as escapes, since names and values from repositories and job configs would otherwise
 * act there (an OSC 52 sequence writes the clipboard, U+202E makes a name read backwards). `terminalSafe`: the
 * text escaped its values itself and holds escapes of its own (the coloured table).
 */
function writeOutput(text: string, out: string | undefined, terminalSafe = false): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(process.stdout.isTTY === true && !terminalSafe ? printableLines(text) : text);
}

/** The flags that make a scan see less than the whole repository (a keyword list without some default keyword included). */
function narrowingFlags(opts: { include?: string[]; exclude?: string[]; keywords?: string }): string[] {
  const flags: string[] = [];
  if (opts.include?.length) flags.push('--include');
  if (opts.exclude?.length) flags.push('--exclude');
  if (opts.keywords !== undefined) {
    const kept = new Set(resolveKeywords(opts.keywords));
    if (DEFAULT_KEYWORDS.some((k) => !kept.has(k))) flags.push('--keywords');
  }
  return flags;
}

/** `scan --history` for one scanned path: its HEAD secrets' value ids are those not to report again. */
async function historyOf(root: string, report: Report, opts: { fingerprintKey: string; maxFileSize: number; history?: number | true; since?: string; project: ProjectConfig }): Promise<BlobFindings> {
  const repo = report.repos.find((r) => path.resolve(r.path) === path.resolve(root));
  if (!repo) return { secrets: [], suppressions: [], suppressedSecrets: [] };
  const atHead = new Set(report.secrets.filter((s) => s.repo === repo.path && s.valueId).map((s) => s.valueId!));
  const apps = [...repo.apps].sort((a, b) => b.root.length - a.root.length);
  const appOf = (file: string) => apps.find((a) => a.root === '.' || a.root === '' || file.startsWith(`${a.root}/`))?.name ?? path.basename(repo.path);
  const { scanHistory } = await import('./history.js');
  return scanHistory(root, {
    ...(typeof opts.history === 'number' ? { maxCommits: opts.history } : {}), ...(opts.since ? { since: opts.since } : {}),
    maxFileSize: opts.maxFileSize, fingerprintKey: opts.fingerprintKey, atHead, repoId: repo.path, appOf, project: opts.project,
  });
}

/** `scan`'s project config for one root (the operator's `--config`, else the repository's own), its warnings said. */
function projectConfigOf(root: string, config: string | false | undefined, warn: (message: string) => void): ProjectConfig {
  const project = projectConfigFor(root, configChoice(config, true));
  for (const w of project.warnings) warn(`warning: ${root}: ${w}`);
  return project;
}

function emit(report: Report, chosen: Format | undefined, out: string | undefined, opts: { configBypass?: boolean } & FilterFlags = {}): void {
  const terminal = !out && process.stdout.isTTY === true;
  const format = chosen ?? defaultFormat();
  // Piped, the default table keeps its rows and drops its boxes (as gh and kubectl do): tab-separated lines for grep
  // and awk. A table asked for by name (-f table) is drawn as asked.
  const piped = !out && !terminal && chosen === undefined;
  const text = render(report, format, {
    ...(piped ? { tsv: true } : {}),
    ...(opts.headers === false ? { headers: false } : {}),
    ...(opts.columns ? { columns: parseColumns(opts.columns) } : {}),
    ...(opts.wide ? { wide: true } : {}),
    // NO_COLOR (no-color.org): any non-empty value turns colours off, as --no-color does.
    color: terminal && opts.color !== false && !process.env['NO_COLOR'],
    ...(terminal && process.stdout.columns ? { width: process.stdout.columns } : {}),
    ...(opts.scope?.length ? { allScopes: true } : {}),
    ...(opts.configBypass === true ? { configBypass: true } : {}),
  });
  writeOutput(text, out, TERMINAL_SAFE_FORMATS.has(format));
}

/** One line on stderr; names from repositories and servers in it are made terminal-safe. */
function printLine(msg: string): void {
  process.stderr.write(`${printableLines(msg)}\n`);
}

/** `--db`, the same on every command that reads or writes the inventory. */
function dbOption(): Option {
  return new Option('--db <file|url>', 'inventory: a SQLite file, or postgres://… (or libpq\'s host=… dbname=… form) for a shared PostgreSQL one (env CMDB_SCAN_DB)').default(DEFAULT_DB);
}

function formatOption(): Option {
  return new Option('-f, --format <format>', 'output format').choices([...FORMATS]);
}

/** What a reader may narrow a report to; the same on scan, report and query. */
type FilterFlags = {
  scope?: string[]; profile?: string[]; kind?: string[]; minSeverity?: Secret['severity']; tests?: boolean; color?: boolean;
  headers?: boolean; columns?: string; wide?: boolean;
};

function addFilterOptions(command: Command): Command {
  return command
    .option('--scope <scopes>', 'only these scopes: main, deploy, test, example, docs (repeatable, comma-separated); the table lists shipped scopes otherwise', collect)
    .option('--profile <profiles>', 'only connections of these profiles (`default` for none; repeatable, comma-separated)', collect)
    .option('--kind <kinds>', 'only connections of these kinds (repeatable, comma-separated)', collect)
    .addOption(new Option('--min-severity <severity>', 'only secrets of this severity or higher').choices(['low', 'medium', 'high']))
    .option('--no-tests', 'leave test-scope connections and secrets out')
    .option('--no-color', 'no colours in the table (also when NO_COLOR is set)')
    .option('--columns <names>', `the table's connection columns, in order (comma-separated): ${CONNECTION_COLUMNS.join(', ')}`)
    .option('--wide', 'every column of the table, none dropped or narrowed for the terminal')
    .option('--no-headers', 'no header row in the table (and none in piped tab-separated rows)');
}

function filterOf(opts: FilterFlags): ReportFilter {
  const split = (v: string[] | undefined) => (v ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  return {
    ...(opts.scope ? { scopes: parseScopes(opts.scope) } : {}),
    ...(opts.profile ? { profiles: split(opts.profile) } : {}),
    ...(opts.kind ? { kinds: split(opts.kind) } : {}),
    ...(opts.minSeverity ? { minSeverity: opts.minSeverity } : {}),
    ...(opts.tests === false ? { noTests: true } : {}),
  };
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('cmdb-scan')
    .description('Scan repositories for the databases, middleware and APIs each application connects to.')
    .version(TOOL_VERSION)
    // A usage error is one line that says where help is, not the whole help (settings below pass to every command).
    // One prefix for every error the CLI prints, commander's usage errors included (it writes `error: …`).
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd().replace(/^error: /, 'cmdb-scan: ')} (cmdb-scan --help for usage)\n`) })
    .exitOverride();

  addFilterOptions(addModelOptions(program.command('scan')))
    .description('scan one or more repositories and record them in the inventory')
    .argument('<paths...>', 'repository roots; each is one repository')
    .addOption(dbOption())
    .option('--no-db', 'do not write an inventory')
    .addOption(formatOption())
    .option('-o, --out <file>', 'write the report to a file instead of stdout')
    .option('--include <glob>', 'only scan matching files (repeatable, comma-separated)', collect)
    .option('--exclude <glob>', 'also skip matching files (repeatable, comma-separated)', collect)
    .option('--keywords <list>', 'keyword pre-filter: "a,b" replaces the defaults, "+a,-b" edits them')
    .addOption(new Option('--max-file-size <size>', 'skip larger files (at most 256MB)').argParser(parseFileSize).default(2 * 1024 * 1024, '2MB'))
    .addOption(new Option('--fail-on <condition>', 'exit 1 when a connection matches').choices(Object.keys(FAIL_ON)))
    .option('--show-secrets', 'print raw secret values in the report (never stored in the inventory)')
    .option('--history [commits]', 'also report secrets that older commits added and HEAD no longer holds (all commits, or the newest N)', positiveInteger('--history'))
    .option('--since <date>', 'with --history: only commits authored since this date (as git reads it: 2024-01-01, "6 months ago")')
    .option('--staged', 'pre-commit hook: report only secrets on the lines the staged changes add (git diff --cached); implies --no-db')
    .option('--baseline <file>', 'report (and --fail-on) only secrets whose fingerprint the baseline does not hold')
    .option('--write-baseline <file>', 'write every secret found to a baseline file (fingerprint, rule, file, line, masked preview)')
    .option('--config-bypass', 'add a config-bypass note to SARIF per literal address in shipped config (left out by default)')
    .addOption(new Option('--no-config-bypass', 'leave the config-bypass notes out of SARIF (the default; kept for scripts)').hideHelp())
    .option('--threads <n>', 'worker threads for large code bases (faster, more memory)', positiveInteger('--threads'), 1)
    .option('--no-ignore', 'also read files .gitignore lists (tracked files are always read in a git work tree)')
    .option('--config <file>', 'project config (default: the nearest .cmdb-scan.yml from each scanned root upward)')
    .option('--no-config', 'read no project config or .cmdbscanignore')
    .option('--replace', 'let a scan narrowed by --include/--exclude/--keywords replace the repository in the inventory')
    .option('-q, --quiet', 'no progress or warnings on stderr (errors are still printed)')
    .action(async (paths: string[], opts: ModelFlags & {
      db: string | false; format?: Format; out?: string; include?: string[]; exclude?: string[]; keywords?: string;
      maxFileSize: number; failOn?: string; quiet?: boolean; showSecrets?: boolean; threads: number; ignore: boolean; replace?: boolean;
      baseline?: string; writeBaseline?: string; history?: number | true; since?: string; staged?: boolean; config?: string | false; configBypass?: boolean;
    } & FilterFlags) => {
      const filter = filterOf(opts);
      const log = (msg: string) => { if (!opts.quiet) printLine(msg); };
      const error = printLine;
      const narrowing = narrowingFlags(opts);
      if (opts.db !== false && narrowing.length > 0 && !opts.replace) {
        // A partial scan saved as the whole would erase the rest: a capacity team would then retire live databases.
        throw new Error(`${narrowing.join(', ')} narrow the scan; saving it would replace everything ${storeName(opts.db)} knows about ${paths.length > 1 ? 'these repositories' : 'this repository'} with a part of it. Pass --replace to do that, or --no-db`);
      }
      // Read first: a bad baseline should stop the run before anything is scanned or saved.
      const accepted = opts.baseline !== undefined ? readBaseline(opts.baseline) : null;
      if (opts.staged) {
        // A hook has a second or two: the index's added lines only, nothing saved.
        const { scanStaged } = await import('./history.js');
        const key = randomBytes(32).toString('hex');
        const projects = paths.map((p) => projectConfigOf(p, opts.config, log));
        const staged = paths.map((p, i) => scanStaged(p, {
          maxFileSize: opts.maxFileSize, fingerprintKey: key, repoId: path.resolve(p), appOf: (file) => appNameOfFile(p, file), project: projects[i]!,
        }));
        let report: Report = {
          schemaVersion: REPORT_SCHEMA_VERSION, tool: { name: 'cmdb-scan', version: TOOL_VERSION },
          repos: paths.map((p, i) => ({ path: path.resolve(p), commit: null, apps: [], configFiles: projects[i]!.files })), connections: [],
          secrets: staged.flatMap((f) => f.secrets).sort(compareSecrets), skipped: [],
          suppressions: staged.flatMap((f) => f.suppressions).sort(compareSuppressions),
          suppressedSecrets: staged.flatMap((f) => f.suppressedSecrets).sort(compareSecrets),
        };
        if (accepted) report = applyBaseline(report, accepted, opts.baseline!).report;
        report = filterReport(report, filter);
        // A hook runs on every commit: a clean one prints nothing in the table (a line on stderr unless -q).
        const table = opts.format === undefined || opts.format === 'table' || opts.format === 'table-occurrences';
        if (table && !opts.out && report.secrets.length === 0) log('cmdb-scan: no secrets in the staged changes');
        else emit(report, opts.format, opts.out, opts);
        if (opts.failOn && FAIL_ON[opts.failOn]!(report)) process.exitCode = EXIT_FINDINGS;
        return;
      }
      const models = await modelStageFromFlags(opts, log);
      const inventory = opts.db === false ? null : Inventory.open(opts.db);
      // One key for the tree and its history, so that a value still at HEAD is recognised in old commits.
      const fingerprintKey = inventory ? inventory.fingerprintKey() : randomBytes(32).toString('hex');
      const ownFiles = inventoryFiles(opts.db);
      if (opts.showSecrets) process.stderr.write('warning: --show-secrets: the report contains raw credential values\n');
      let current = '';
      let report: Report;
      try {
        report = await scan(paths, {
          keywords: resolveKeywords(opts.keywords), maxFileSize: opts.maxFileSize,
          ...(opts.include ? { include: opts.include } : {}), ...(opts.exclude ? { exclude: opts.exclude } : {}),
          onWarning: (m) => log(`warning: ${current}: ${m}`),
          revealSecrets: opts.showSecrets === true,
          threads: opts.threads,
          ...(opts.ignore === false ? { noIgnore: true } : {}),
          ...(opts.config !== undefined ? { config: opts.config } : {}),
          ...(accepted ? { baseline: accepted } : {}),
          fingerprintKey,
          ...(inventory ? { inventory } : {}),
          ...(ownFiles ? { ownFiles } : {}),
          ...(models ? { models } : {}),
          onStart: (root) => { current = root; },
          onFailed: (_root, e) => {
            error(`cmdb-scan: ${e.message}`);
            process.exitCode = EXIT_FATAL; // the other repositories are still scanned and saved
          },
          onScanned: (root, result) => {
            // Where the inventory is written, said each time: the default is a file in the current directory.
            log(`scanned ${root}: ${result.stats.filesScanned} file(s) parsed of ${result.stats.filesSeen}, ${result.connections.length} connection(s), ${result.secrets.length} secret(s), ${result.skipped.length} skipped${inventory ? `; saved in ${inventory.store.dialect === 'sqlite' ? path.resolve(inventory.name) : inventory.name}` : ''}`);
            for (const u of result.models ?? []) log(`  ${describeModelUsage(u)}`);
          },
        });
      } finally {
        inventory?.close();
      }
      if (process.exitCode === EXIT_FATAL && opts.out) {
        // A partial report file would look complete: uploaded as SARIF it would close every alert of the missing repository.
        error(`cmdb-scan: ${opts.out} not written: a repository could not be scanned`);
        return;
      }
      // Nothing could be scanned: no report at all, where an empty one would read as "a clean repository".
      if (process.exitCode === EXIT_FATAL && report.repos.length === 0) return;
      if (opts.history !== undefined || opts.since !== undefined) {
        const found: BlobFindings[] = [];
        // The tree scan already said what was wrong with each config; the history reads the same one quietly.
        for (const p of paths) found.push(await historyOf(p, report, { fingerprintKey, maxFileSize: opts.maxFileSize, history: opts.history, since: opts.since, project: projectConfigOf(p, opts.config, () => undefined) }));
        log(`history: ${found.reduce((n, f) => n + f.secrets.length, 0)} secret(s) in older commits that HEAD no longer holds`);
        report = {
          ...report, secrets: [...report.secrets, ...found.flatMap((f) => f.secrets)].sort(compareSecrets),
          suppressions: combineSuppressions([...report.suppressions, ...found.flatMap((f) => f.suppressions)]),
          suppressedSecrets: [...report.suppressedSecrets, ...found.flatMap((f) => f.suppressedSecrets)].sort(compareSecrets),
        };
      }
      if (opts.writeBaseline) {
        writeFileSync(opts.writeBaseline, `${JSON.stringify(baselineOf(report), null, 2)}\n`);
        log(`wrote ${report.secrets.length} finding(s) to the baseline ${opts.writeBaseline}`);
      }
      if (accepted) {
        const filtered = applyBaseline(report, accepted, opts.baseline!);
        if (filtered.suppressed > 0) log(`${filtered.suppressed} secret(s) in the baseline ${opts.baseline} not reported`);
        report = filtered.report;
      }
      // The inventory has everything; the reader sees what they asked for, and --fail-on judges that.
      report = filterReport(report, filter);
      emit(report, opts.format, opts.out, opts);
      if (opts.failOn && process.exitCode !== EXIT_FATAL && FAIL_ON[opts.failOn]!(report)) process.exitCode = EXIT_FINDINGS;
    });

  addModelOptions(program.command('batch'))
    .description('discover repositories from Jenkins (or a list), fetch them and scan each into the inventory')
    .option('--jenkins <url>', 'Jenkins base URL (auth: env JENKINS_USER and JENKINS_TOKEN)')
    .option('--jenkins-timeout <seconds>', 'per Jenkins request, body included', (v) => Number.parseFloat(v), 30)
    .option('--jenkins-home <dir>', 'read jobs from a JENKINS_HOME directory instead')
    .option('--list <file>', 'repositories from a file: "url [branch] [app]" per line, or CSV url,branch,app')
    .option('--discovery <file>', 'repositories from a discovery --save-discovery wrote (jobs and all): discover once, run the shards from it')
    .option('--save-discovery <file>', 'write what discovery found to a file for --discovery (credentials in URLs left out)')
    .addOption(dbOption())
    .option('--concurrency <n>', 'repositories processed at once', positiveInteger('--concurrency'), 2)
    .option('--cache-dir <dir>', 'where clones are kept between runs (default ~/.cache/cmdb-scan/repos)')
    .option('--timeout-per-repo <seconds>', 'give up on a repository after this long', positiveInteger('--timeout-per-repo'), 600)
    .option('--owners-since <when>', 'history fetched for top committers, as git reads it; "none" for no history', '6 months ago')
    .option('--force', 'rescan repositories whose commit has not changed')
    .addOption(new Option('--max-repo-size <size>', 'record larger repositories as failed instead of scanning them').argParser(parseRepoSize).default(2 * 1024 ** 3, '2GB'))
    .option('--keywords <list>', 'keyword pre-filter: "a,b" replaces the defaults, "+a,-b" edits them')
    .addOption(new Option('--max-file-size <size>', 'skip larger files (at most 256MB)').argParser(parseFileSize).default(2 * 1024 * 1024, '2MB'))
    .option('--include <glob>', 'only scan matching files (repeatable, comma-separated)', collect)
    .option('--exclude <glob>', 'also skip matching files (repeatable, comma-separated)', collect)
    .option('--replace', 'let a batch narrowed by --include/--exclude/--keywords replace what the inventory holds')
    .option('--dry-run', 'list the repositories discovery finds (url, branch, jobs), clone and write nothing')
    .option('--shard <i/n>', 'only part i (from 0) of n of the repositories, by a hash of each URL and branch: n processes or machines share one batch')
    .option('--config <file>', 'the operator\'s project config, applied to every repository')
    .option('--repo-config', 'also apply each repository\'s own .cmdb-scan.yml and .cmdbscanignore (off: code from many teams decides nothing; what they hide is counted either way)')
    .addOption(new Option('-f, --format <format>', 'summary format').choices(['table', 'json']))
    .option('-o, --out <file>', 'write the summary (or the --dry-run list) to a file instead of stdout; JSON unless -f says otherwise')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (opts: ModelFlags & {
      jenkins?: string; jenkinsTimeout: number; jenkinsHome?: string; list?: string; discovery?: string; saveDiscovery?: string; db: string; concurrency: number; cacheDir?: string; timeoutPerRepo: number;
      ownersSince: string; force?: boolean; maxRepoSize: number; keywords?: string; replace?: boolean; maxFileSize: number; format?: 'table' | 'json'; out?: string; quiet?: boolean;
      include?: string[]; exclude?: string[]; dryRun?: boolean; shard?: string; config?: string; repoConfig?: boolean;
    }) => {
      const sources = [opts.jenkins, opts.jenkinsHome, opts.list, opts.discovery].filter(Boolean);
      if (sources.length !== 1) throw new Error('batch needs exactly one of --jenkins, --jenkins-home, --list, --discovery');
      const [{ discoverJenkinsHome, JenkinsClient, readDiscoveryFile, readTargetList, writeDiscoveryFile }, { redactUrl }, { createProgress, renderBatchSummary }, { groupTargets, parseShard, runBatch, selectShard }] = await Promise.all([
        import('./batch/jenkins.js'), import('./batch/git.js'), import('./batch/progress.js'), import('./batch/run.js'),
      ]);
      const narrowing = narrowingFlags(opts);
      if (narrowing.length > 0 && !opts.replace && !opts.dryRun) {
        throw new Error(`${narrowing.join(', ')} narrow the scan; saving it would replace what ${storeName(opts.db)} knows about each repository with a part of it. Pass --replace to do that`);
      }
      const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined;
      const discovery = opts.jenkins
        ? await new JenkinsClient(opts.jenkins, { timeoutMs: opts.jenkinsTimeout * 1000, ...(process.env.JENKINS_USER ? { user: process.env.JENKINS_USER } : {}), ...(process.env.JENKINS_TOKEN ? { token: process.env.JENKINS_TOKEN } : {}) }).discover()
          .catch((e: unknown) => { throw new Error(`Jenkins ${redactUrl(opts.jenkins!)}: ${(e as Error).message}`); })
        : opts.jenkinsHome ? await discoverJenkinsHome(opts.jenkinsHome) : opts.discovery ? readDiscoveryFile(opts.discovery) : readTargetList(opts.list!);
      const log = (msg: string) => { if (!opts.quiet) printLine(msg); };
      for (const p of discovery.problems) log(`warning: job ${p.job}: ${p.reason}`);
      const found = groupTargets(discovery.targets);
      if (found.length === 0) {
        // Nothing to scan is a misconfiguration (a wrong URL, a token that sees no jobs), not a quiet success.
        throw new Error(`discovery found no repositories in ${opts.jenkins ? redactUrl(opts.jenkins) : opts.jenkinsHome ?? opts.list ?? opts.discovery}${discovery.problems.length ? ` (${discovery.problems.length} job(s) could not be read)` : ''}; nothing scanned`);
      }
      if (opts.saveDiscovery) {
        const stripped = writeDiscoveryFile(opts.saveDiscovery, discovery);
        log(`wrote ${found.length} repositories from ${discovery.targets.length} job(s) to ${opts.saveDiscovery}${stripped ? `; credentials left out of ${stripped} URL(s): their shards clone with git's credential helpers` : ''}`);
      }
      const mine = selectShard(found, shard);
      if (opts.dryRun) {
        const rows = mine.map((r) => ({ url: r.url, branch: r.branch, jobs: r.jobs, app: r.app, credentialsId: r.credentialsId }));
        const format = tableOrJson(opts.format, opts.out);
        writeOutput(format === 'json' ? JSON.stringify({ repos: rows, discoveryProblems: discovery.problems }, null, 2) + '\n'
          : `${rows.map((r) => printableLines(`${r.url}${r.branch ? ` #${r.branch}` : ''}  ${r.jobs.join(', ')}`)).join('\n')}\n${rows.length} repositories${shard ? ` in shard ${shard.index}/${shard.count} of ${found.length}` : ''} from ${discovery.targets.length} job(s); nothing cloned or written\n`, opts.out);
        return;
      }
      const models = await modelStageFromFlags(opts, log);
      const inventory = Inventory.open(opts.db);
      const progress = opts.quiet ? null : createProgress(mine.length);
      try {
        const summary = await runBatch(discovery, {
          inventory, concurrency: opts.concurrency, timeoutPerRepoMs: opts.timeoutPerRepo * 1000,
          ...(opts.cacheDir ? { cacheDir: path.resolve(opts.cacheDir) } : {}),
          ownersSince: opts.ownersSince === 'none' ? null : opts.ownersSince, force: opts.force === true, maxRepoBytes: opts.maxRepoSize,
          scan: {
            keywords: resolveKeywords(opts.keywords), maxFileSize: opts.maxFileSize, ...(opts.include ? { include: opts.include } : {}), ...(opts.exclude ? { exclude: opts.exclude } : {}),
            ...(opts.config ? { config: path.resolve(opts.config) } : {}), repositoryConfig: opts.repoConfig === true,
          },
          ...(process.env.GITLAB_URL && process.env.GITLAB_TOKEN ? { gitlab: { url: process.env.GITLAB_URL, token: process.env.GITLAB_TOKEN } } : {}),
          onEvent: (e) => progress?.event(e),
          ...(models ? { models } : {}),
          ...(shard ? { shard } : {}),
        });
        progress?.stop();
        const format = tableOrJson(opts.format, opts.out);
        writeOutput(format === 'json' ? JSON.stringify(summary, null, 2) + '\n' : renderBatchSummary(summary, !opts.out && process.stdout.isTTY ? process.stdout.columns : undefined), opts.out);
        if (summary.repos.some((r) => r.status === 'failed')) process.exitCode = EXIT_SOME_FAILED;
      } finally {
        progress?.stop();
        inventory.close();
      }
    });

  addFilterOptions(program.command('report'))
    .description('print the whole inventory')
    .addOption(dbOption())
    .addOption(formatOption())
    .option('-o, --out <file>', 'write the report to a file instead of stdout')
    .addOption(new Option('--fail-on <condition>', 'exit 1 when the inventory matches').choices(Object.keys(FAIL_ON)))
    .option('--baseline <file>', 'leave out (and do not fail on) secrets whose fingerprint the baseline holds')
    .option('--config-bypass', 'add a config-bypass note to SARIF per literal address in shipped config (left out by default)')
    .addOption(new Option('--no-config-bypass', 'leave the config-bypass notes out of SARIF (the default; kept for scripts)').hideHelp())
    .action((opts: { db: string; format?: Format; out?: string; failOn?: string; baseline?: string; configBypass?: boolean } & FilterFlags) => withInventory(opts.db, (inventory) => {
      const accepted = opts.baseline !== undefined ? readBaseline(opts.baseline) : null;
      const full = inventory.report();
      const report = filterReport(accepted ? applyBaseline(full, accepted, opts.baseline!).report : full, filterOf(opts));
      emit(report, opts.format, opts.out, opts);
      if (opts.failOn && FAIL_ON[opts.failOn]!(report)) process.exitCode = EXIT_FINDINGS;
    }));

  program.command('forget')
    .description('remove a retired repository (its apps, connections, secrets and batch state) from the inventory')
    .argument('<repo>', 'the repository as the inventory names it (a path, or a remote URL with #branch)')
    .addOption(dbOption())
    .action((repo: string, opts: { db: string }) => {
      const inventory = Inventory.open(opts.db, { mustExist: true });
      try {
        const known = inventory.repoPaths();
        const target = known.includes(repo) ? repo : known.includes(path.resolve(repo)) ? path.resolve(repo) : null;
        if (!target) {
          const near = known.filter((k) => k.includes(path.basename(repo.replace(/[#/]+$/, '')))).slice(0, 5);
          throw new Error(`${storeName(opts.db)}: no repository ${repo}${near.length ? `; did you mean: ${near.join(', ')}` : ''}`);
        }
        inventory.forget(target);
        printLine(`forgot ${target}`);
      } finally {
        inventory.close();
      }
    });

  const query = program.command('query').description('ask the inventory a question');
  const queryCommand = (name: string, description: string, argument: string, argumentHelp: string, ask: (inv: Inventory, arg: string, aliases: HostAliases, filter: ReportFilter) => Answer) =>
    addFilterOptions(query.command(name))
      .description(description)
      .argument(argument, argumentHelp)
      .addOption(dbOption())
      .addOption(formatOption())
      .option('-o, --out <file>', 'write the answer to a file instead of stdout')
      .option('--hosts <file>', 'host aliases: /etc/hosts lines or CSV rows (an IP and the names it serves)')
      .action((arg: string, opts: { db: string; format?: Format; out?: string; hosts?: string } & FilterFlags) => withInventory(opts.db, (inventory) => {
        const result = ask(inventory, arg, opts.hosts ? readHostsMapping(opts.hosts) : new Map(), filterOf(opts));
        if (!result.report) {
          printLine(`cmdb-scan: nothing in ${storeName(opts.db)} matches ${arg}${result.nearest.length ? `; nearest: ${result.nearest.join(', ')}` : ''}`);
          process.exitCode = EXIT_FINDINGS; // as grep: no match is exit 1
          return;
        }
        // Names that are one resource per repository: the answer lists their users, but they share no instance.
        for (const d of result.distinct ?? []) {
          printLine(`cmdb-scan: ${d.resource} names ${d.repos.length} different resources, each local to its repository (${d.repos.join(', ')}); --hosts ties a name to an address`);
        }
        emit(result.report, opts.format, opts.out, opts);
      }));
  queryCommand('app', 'what does this app connect to? (resources by kind, with owners and Jenkins jobs)', '<name>', 'app name (exact, else substring)',
    (inv, name, _aliases, filter) => appAnswer(inv, name, filter));
  queryCommand('uses', 'which apps use this resource?', '<target>', 'a kind (redis), host, host:port, URL or JDBC URL, CIDR (10.20.0.0/16) or wildcard (*.rds.aliyuncs.com)',
    (inv, target, aliases, filter) => usesAnswer(inv, target, aliases, filter));
  query.command('unused')
    .description('resources no scanned code references any more (as `cmdb-scan unused` without --cmdb)')
    .addOption(dbOption())
    .addOption(new Option('-f, --format <format>', 'output format (default: json, as before; table on request)').choices(['table', 'json', 'csv']))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action((opts: { db: string; format?: 'table' | 'json' | 'csv'; out?: string }) => withInventory(opts.db, (inventory) => {
      writeOutput(unusedText(inventory, null, new Map(), opts.format ?? 'json'), opts.out);
    }));

  program.command('unused')
    .description('what can be retired: CMDB resources no scanned app references, and referenced resources the CMDB lacks')
    .option('--cmdb <file>', "the CMDB's resource list (CSV with a header, or JSON): host/ip, port, kind/type, name, owner")
    .option('--hosts <file>', 'host aliases: /etc/hosts lines or CSV rows (an IP and the names it serves)')
    .addOption(dbOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action((opts: { cmdb?: string; hosts?: string; db: string; format?: 'table' | 'json' | 'csv'; out?: string }) => {
      // Files first: a wrong CMDB list is reported before the inventory is opened.
      const records = opts.cmdb ? readCmdbResources(opts.cmdb) : null;
      const aliases = opts.hosts ? readHostsMapping(opts.hosts) : new Map<string, Set<string>>();
      withInventory(opts.db, (inventory) => writeOutput(unusedText(inventory, records, aliases, tableOrJson(opts.format, opts.out)), opts.out));
    });

  program.command('diff')
    .description('what changed in the inventory since a scan, a date or a duration: apps, connections, secrets')
    .requiredOption('--since <when>', 'a scan id, a date (2026-11-28, an ISO time, yesterday) or a duration back from now (30m, 0.5h, 24h, 7d, 2w, "3 days ago")')
    .option('--until <date>', 'up to this date (default: now)')
    .addOption(dbOption())
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action((opts: { since: string; until?: string; db: string; format?: 'table' | 'json'; out?: string }) => withInventory(opts.db, (inventory) => {
      const diff = diffAnswer(inventory, opts.since, opts.until);
      writeOutput(tableOrJson(opts.format, opts.out) === 'json' ? renderDiffJson(diff) : renderDiffTable(diff), opts.out);
    }));

  program.command('scans')
    .description('the scans the inventory holds, newest first, with the ids `diff --since` takes')
    .addOption(dbOption())
    .option('-n, --limit <count>', 'at most this many', positiveInteger('--limit'), 20)
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']))
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action((opts: { db: string; limit: number; format?: 'table' | 'json'; out?: string }) => withInventory(opts.db, (inventory) => {
      const scans = inventory.scans(opts.limit);
      if (opts.format === 'json') return writeOutput(JSON.stringify(scans, null, 2) + '\n', opts.out);
      const columns = ['id', 'finished', 'repository', 'commit', 'files parsed'];
      const rows = scans.map((x) => ({
        id: String(x.id), finished: x.finishedAt.replace(/\.\d+Z$/, 'Z'), repository: x.repo, commit: x.commit?.slice(0, 12) ?? '', 'files parsed': String(x.filesScanned),
      }));
      // Piped, tab-separated rows as the scan's table is (`cut -f1` gives the ids).
      const piped = !opts.out && !process.stdout.isTTY && opts.format === undefined;
      writeOutput(piped
        ? [columns.map((c) => c.toUpperCase().replace(/ /g, '_')), ...rows.map((r) => columns.map((c) => printableLines(r[c as keyof typeof r]).replace(/\t/g, ' ')))].map((r) => r.join('\t')).join('\n') + '\n'
        : renderRows(columns, rows, !opts.out && process.stdout.isTTY ? { width: process.stdout.columns } : {}) + '\n', opts.out);
    }));

  program.command('prune')
    .description('forget repositories not scanned since a date, so retired repositories stop holding resources alive')
    .requiredOption('--not-scanned-since <when>', 'a date (2026-06-01) or a duration back from now (90d)')
    .option('--dry-run', 'list them, change nothing')
    .addOption(dbOption())
    .action((opts: { notScannedSince: string; dryRun?: boolean; db: string }) => {
      const before = parseSince(opts.notScannedSince, null, '--not-scanned-since');
      const inventory = opts.dryRun ? Inventory.openReadOnly(opts.db) : Inventory.open(opts.db, { mustExist: true });
      try {
        const stale = inventory.reposNotScannedSince(before);
        for (const r of stale) {
          if (!opts.dryRun) inventory.forget(r.path);
          printLine(`${opts.dryRun ? 'would forget' : 'forgot'} ${r.path} (last scanned ${r.lastScan ?? 'never'})`);
        }
        if (stale.length === 0) printLine(`no repository in ${storeName(opts.db)} was last scanned before ${before}`);
      } finally {
        inventory.close();
      }
    });

  program.command('copy')
    .description('copy the whole inventory (history, batch state, model cache included) into a new one, e.g. from SQLite to a shared PostgreSQL')
    .addOption(dbOption())
    .requiredOption('--to <file|url>', 'the new inventory: a SQLite file or postgres://…; created if need be, and must hold nothing yet')
    .action((opts: { db: string; to: string }) => {
      const from = Inventory.openReadOnly(opts.db);
      try {
        const to = Inventory.open(opts.to);
        try {
          const counts = from.copyTo(to);
          printLine(`copied ${storeName(opts.db)} to ${storeName(opts.to)}: ${counts.filter((c) => c.rows > 0).map((c) => `${c.table} ${c.rows}`).join(', ')}`);
        } finally {
          to.close();
        }
      } finally {
        from.close();
      }
    });

  program.command('serve')
    .description('a read-only HTTP API over the inventory: apps, uses, unused, diff, secrets metadata')
    .addOption(dbOption())
    .option('--host <address>', 'address to listen on (default loopback only)', '127.0.0.1')
    .option('--port <port>', 'port (0: any free one)', (v) => Number.parseInt(v, 10), 8080)
    .option('--cmdb <file>', 'the CMDB resource list /unused matches against')
    .option('--allow-host <name>', 'also answer requests addressed to this name (repeatable); loopback names and the --host address always are', collect)
    .option('--token-file <file>', 'require Authorization: Bearer <the token in this file> on every request (else env CMDB_SCAN_SERVE_TOKEN)')
    .action(async (opts: { db: string; host: string; port: number; cmdb?: string; allowHost?: string[]; tokenFile?: string }) => {
      if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error(`--port ${opts.port}: not a port`);
      const { startServer } = await import('./serve.js');
      const { url, close, warning } = await startServer(opts.db, opts);
      if (warning) printLine(warning);
      printLine(`cmdb-scan: serving ${storeName(opts.db)} read-only: the report at ${url.replace(/\/api\/v1$/, '/')} (and /apps/<name>, /uses?target=), the API at ${url} (GET /health, /apps, /apps/:name, /uses?target=, /unused, /diff?since=, /secrets)`);
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { close(); resolve(); });
      });
    });

  program.command('mcp')
    .description('an MCP server on stdio for ops agents: the same read-only questions as tools')
    .addOption(dbOption())
    .action(async (opts: { db: string }) => {
      const { runMcpServer } = await import('./mcp.js');
      await runMcpServer(opts.db);
    });

  program.command('schema')
    .description('print the JSON Schema of the report')
    .action(async () => { process.stdout.write((await import('./json-schema.js')).reportJsonSchema()); });

  for (const command of allCommands(program)) finishCommand(command);
  return program;
}

/** A command and every command under it. */
function allCommands(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...allCommands(c)]);
}

/** `cmdb-scan query uses`: how a user types the command. */
function fullName(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** A few runs of each command, printed after its options by `--help`. */
const EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  'cmdb-scan scan': [
    'cmdb-scan scan .                                   # the table; saved in ./cmdb-scan.db',
    'cmdb-scan scan ~/src/orders ~/src/billing --db /srv/cmdb/inventory.db',
    'cmdb-scan scan . --no-db --fail-on secret -f sarif -o cmdb-scan.sarif',
    'cmdb-scan scan . --no-db --history --min-severity high',
    'cmdb-scan scan . --staged -q --fail-on secret       # in .git/hooks/pre-commit',
    'cmdb-scan scan . --no-db | cut -f2,4                # piped: tab-separated rows (app, endpoint)',
  ],
  'cmdb-scan batch': [
    'cmdb-scan batch --jenkins https://jenkins.acme.internal/ --db inv.db',
    'cmdb-scan batch --list repos.txt --db inv.db --threads 2',
    'cmdb-scan batch --discovery discovery.json --shard 0/4 --db postgres://cmdb@db.acme.internal/cmdb',
  ],
  'cmdb-scan report': [
    'cmdb-scan report --db inv.db -f html -o report.html',
    'cmdb-scan report --db inv.db -f cmdb-csv -o relations.csv',
    'cmdb-scan report --db inv.db --baseline .cmdb-scan-baseline.json --fail-on secret-high',
  ],
  'cmdb-scan query app': ['cmdb-scan query app order-service --db inv.db', 'cmdb-scan query app order-service -f mermaid'],
  'cmdb-scan query uses': [
    'cmdb-scan query uses 10.20.1.15:3306 --db inv.db',
    'cmdb-scan query uses 10.20.0.0/16 --scope main',
    "cmdb-scan query uses '*.rds.aliyuncs.com' --hosts dns-export.txt",
  ],
  'cmdb-scan query unused': ['cmdb-scan query unused --db inv.db -f table'],
  'cmdb-scan unused': ['cmdb-scan unused --cmdb cmdb-export.csv --hosts dns-export.txt --db inv.db -f csv -o retire.csv'],
  'cmdb-scan diff': ['cmdb-scan diff --since 24h --db inv.db', 'cmdb-scan scans --db inv.db && cmdb-scan diff --since 42 --db inv.db'],
  'cmdb-scan scans': ['cmdb-scan scans --db inv.db -n 5'],
  'cmdb-scan forget': ['cmdb-scan forget https://git.acme.internal/shop/legacy.git --db inv.db'],
  'cmdb-scan prune': ['cmdb-scan prune --not-scanned-since 90d --dry-run --db inv.db'],
  'cmdb-scan copy': ['cmdb-scan copy --db inv.db --to postgres://cmdb@db.acme.internal/cmdb'],
  'cmdb-scan serve': ['cmdb-scan serve --db inv.db --port 8080        # then open http://127.0.0.1:8080/'],
  'cmdb-scan mcp': ['cmdb-scan mcp --db /srv/cmdb/inventory.db'],
};

/**
 * What every command gets once built: a usage error that names the command's own help, examples after its
 * options, and the model-stage options (its own help group) after the rest.
 */
function finishCommand(command: Command): void {
  const name = fullName(command);
  command.configureOutput({ outputError: (text, write) => write(`${text.trimEnd().replace(/^error: /, 'cmdb-scan: ')} (${name} --help for usage)\n`) });
  const examples = EXAMPLES[name];
  if (examples) command.addHelpText('after', `\nExamples:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`);
  const options = command.options as Option[];
  const model = options.filter((o) => o.helpGroupHeading?.startsWith('Model stage'));
  if (model.length > 0) options.splice(0, options.length, ...options.filter((o) => !model.includes(o)), ...model);
}

function readHostsMapping(file: string): HostAliases {
  try {
    return parseHostsMapping(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the hosts mapping (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/**
 * A SQLite inventory and its journal files: `scan .` with the default `cmdb-scan.db` writes them into the tree it
 * scans, and the next scan must not read them as the repository's (they were listed as skipped binaries).
 */
function inventoryFiles(db: string | false): ReadonlySet<string> | undefined {
  if (db === false || /^postgres(ql)?:\/\//i.test(db)) return undefined;
  const file = path.resolve(db);
  return new Set([file, `${file}-wal`, `${file}-shm`, `${file}-journal`]);
}

/** `unused` and `query unused`: against a CMDB list when one is given, else the resources nothing references now. */
function unusedText(inventory: Inventory, records: ReturnType<typeof readCmdbResources> | null, aliases: HostAliases, format: 'table' | 'json' | 'csv'): string {
  if (records) return renderUnused(unusedAnswer(inventory, records, aliases) as UnusedReport, format);
  const unused = inventory.unusedResources();
  if (format === 'json') return JSON.stringify(unused, null, 2) + '\n';
  return renderUnused({ unused: unused.map((r, i) => ({ row: i + 1, host: r.host ?? '', port: r.port, type: r.kind, name: r.database, owner: null, lastSeenAt: r.lastSeenAt, lastSeenApp: r.lastSeenApp, lastSeenRepo: r.lastSeenRepo })), used: [], missing: [] }, format);
}

function withInventory(db: string, use: (inventory: Inventory) => void): void {
  const inventory = openExisting(db);
  try {
    use(inventory);
  } finally {
    inventory.close();
  }
}

/** Read commands: read-only, never created or migrated (a typo in --db is an error, not a new file). */
function openExisting(db: string): Inventory {
  return Inventory.openReadOnly(db);
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (e) {
    // Anything may be thrown here (a library's error with a numeric code, a non-Error): it is described, never crashed on.
    const err = (e ?? {}) as { code?: unknown; message?: unknown };
    const code = typeof err.code === 'string' ? err.code : '';
    if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') return EXIT_OK;
    if (code.startsWith('commander.')) return EXIT_FATAL; // commander already printed the usage error
    printLine(`cmdb-scan: ${typeof err.message === 'string' ? err.message : String(e)}`);
    return EXIT_FATAL;
  }
}

/**
 * Run when this file is the program, however it was reached: `node dist/src/cli.js`, npm's bin link
 * (`node_modules/.bin/cmdb-scan` → this file), `npx`, a global install. Comparing real paths follows the
 * links; the earlier test on the name `src/cli.js` did not, and the installed command did nothing.
 */
function isMainModule(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isMainModule()) {
  // `cmdb-scan report | head`: a closed pipe ends the output, not the process with a stack trace.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0); else throw e; });
  main(process.argv).then((code) => { process.exitCode = code; });
}
