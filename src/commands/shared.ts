/**
 * What the commands share: exit codes, option builders and parsers, the report writer (`emit`) and the model-stage
 * flags. Each command is a module of its own beside this one (src/commands/); what reads an inventory is in
 * inventory-access.ts, so that a command that opens none (a pre-commit hook's `scan --staged`) does not load it.
 */
import path from 'node:path';
import { writeFileSync } from 'node:fs';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { LlmMode } from '../../models/config.js';
import type { EndpointConfig } from '../../models/endpoint.js';
import type { BlobFindings } from '../history.js';
import { DEFAULT_KEYWORDS, resolveKeywords } from '../keywords.js';
import { configChoice, type ProjectConfig, projectConfigFor } from '../project-config.js';
import { parseScopes, type ReportFilter } from '../report-filter.js';
import { CONNECTION_COLUMNS, type Format, FORMATS, parseColumns, render, TERMINAL_SAFE_FORMATS } from '../reporters/index.js';
import type { ModelUsage, Report, Secret } from '../result-model.js';
import { type ModelStageSettings } from '../scan.js';
import { printableLines } from '../text.js';

export { EXIT_FATAL, EXIT_FINDINGS, EXIT_OK, EXIT_SOME_FAILED, printLine } from './exit.js';

export const LLM_MODES: readonly LlmMode[] = ['off', 'auto', 'required'];

export const DEFAULT_DB = process.env.CMDB_SCAN_DB ?? 'cmdb-scan.db';

/** Conditions for --fail-on. */
export const FAIL_ON: Record<string, (r: Report) => boolean> = {
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
export const MAX_FILE_SIZE_LIMIT = 256 * 1024 ** 2;

/** `2MB`, `512KB`, `1048576` → bytes; more than `max` bytes is a usage error, not a number that wraps or overflows. */
export function parseSize(text: string, max = Number.MAX_SAFE_INTEGER, maxText = `${max} bytes`): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m|gb|g)?$/i.exec(text.trim());
  if (!m) throw new InvalidArgumentError(`not a size: ${text} (use e.g. 2MB, 512KB, 1048576)`);
  const unit = (m[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  const bytes = Math.round(Number(m[1]) * factor);
  if (!(bytes <= max)) throw new InvalidArgumentError(`${text} is more than ${maxText}, the most allowed`);
  return bytes;
}

export const parseFileSize = (text: string) => parseSize(text, MAX_FILE_SIZE_LIMIT, `${MAX_FILE_SIZE_LIMIT / 1024 ** 2}MB`);
export const parseRepoSize = (text: string) => parseSize(text);

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').map((s) => s.trim()).filter(Boolean)];
}

export function positiveInteger(what: string): (v: string) => number {
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

export interface ModelFlags {
  llm?: LlmMode; llmConfig?: string; llmEndpoint?: string[]; llmAll?: boolean; llmSendSecrets?: boolean; llmBudget?: number; allowRemoteLlm?: boolean;
}

/** The model-stage flags, shared by `scan` and `batch`. */
export function addModelOptions(command: Command): Command {
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
export async function modelStageFromFlags(opts: ModelFlags, log: (msg: string) => void): Promise<ModelStageSettings | null> {
  const specs = [...(opts.llmEndpoint ?? []), ...(process.env.CMDB_SCAN_LLM_ENDPOINTS ?? '').split(';').filter((x) => x.trim())];
  if (!opts.llmConfig && specs.length === 0 && (opts.llm ?? 'off') === 'off') return null;
  const { connectEndpoints, loadModelConfig, parseEndpointSpec } = await import('../../models/config.js');
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
export function defaultFormat(): Format {
  return 'table';
}

/** For commands with a table and JSON only: the table on a terminal unless writing a file, else JSON. */
export function tableOrJson<F extends string>(format: F | undefined, out: string | undefined): F | 'table' | 'json' {
  return format ?? (process.stdout.isTTY && !out ? 'table' : 'json');
}

/**
 * The command's answer: to the `-o` file (or a pipe) byte for byte; on a terminal, control characters and bidi
 * overrides in it are shown as escapes, since names and values from repositories and job configs would otherwise
 * act there (an OSC 52 sequence writes the clipboard, U+202E makes a name read backwards). `terminalSafe`: the
 * text escaped its values itself and holds escapes of its own (the coloured table).
 */
export function writeOutput(text: string, out: string | undefined, terminalSafe = false): void {
  if (out) writeFileSync(out, text);
  else process.stdout.write(process.stdout.isTTY === true && !terminalSafe ? printableLines(text) : text);
}

/** The flags that make a scan see less than the whole repository (a keyword list without some default keyword included). */
export function narrowingFlags(opts: { include?: string[]; exclude?: string[]; keywords?: string }): string[] {
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
export async function historyOf(root: string, report: Report, opts: { fingerprintKey: string; maxFileSize: number; history?: number | true; since?: string; project: ProjectConfig }): Promise<BlobFindings> {
  const repo = report.repos.find((r) => path.resolve(r.path) === path.resolve(root));
  if (!repo) return { secrets: [], suppressions: [], suppressedSecrets: [] };
  const atHead = new Set(report.secrets.filter((s) => s.repo === repo.path && s.valueId).map((s) => s.valueId!));
  const apps = [...repo.apps].sort((a, b) => b.root.length - a.root.length);
  const appOf = (file: string) => apps.find((a) => a.root === '.' || a.root === '' || file.startsWith(`${a.root}/`))?.name ?? path.basename(repo.path);
  const { scanHistory } = await import('../history.js');
  return scanHistory(root, {
    ...(typeof opts.history === 'number' ? { maxCommits: opts.history } : {}), ...(opts.since ? { since: opts.since } : {}),
    maxFileSize: opts.maxFileSize, fingerprintKey: opts.fingerprintKey, atHead, repoId: repo.path, appOf, project: opts.project,
  });
}

/** `scan`'s project config for one root (the operator's `--config`, else the repository's own), its warnings said. */
export function projectConfigOf(root: string, config: string | false | undefined, warn: (message: string) => void): ProjectConfig {
  const project = projectConfigFor(root, configChoice(config, true));
  for (const w of project.warnings) warn(`warning: ${root}: ${w}`);
  return project;
}

/**
 * Whether a table goes to a pipe as tab-separated rows (as gh and kubectl print them, for grep and awk): stdout is not
 * a terminal, no `-o` file, and no format was asked for by name (`-f table` is drawn as asked).
 */
export function tableAsRows(chosen: string | undefined, out: string | undefined): boolean {
  return chosen === undefined && !out && !process.stdout.isTTY;
}

export function emit(report: Report, chosen: Format | undefined, out: string | undefined, opts: { configBypass?: boolean } & FilterFlags = {}): void {
  const terminal = !out && process.stdout.isTTY === true;
  const format = chosen ?? defaultFormat();
  const text = render(report, format, {
    ...(tableAsRows(chosen, out) ? { tsv: true } : {}),
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

/** `--db`, the same on every command that reads or writes the inventory. */
export function dbOption(): Option {
  return new Option('--db <file|url>', 'inventory: a SQLite file, or postgres://… (or libpq\'s host=… dbname=… form) for a shared PostgreSQL one (env CMDB_SCAN_DB)').default(DEFAULT_DB);
}

export function formatOption(): Option {
  return new Option('-f, --format <format>', 'output format').choices([...FORMATS]);
}

/** What a reader may narrow a report to; the same on scan, report and query. */
export type FilterFlags = {
  scope?: string[]; profile?: string[]; kind?: string[]; minSeverity?: Secret['severity']; tests?: boolean; color?: boolean;
  headers?: boolean; columns?: string; wide?: boolean;
};

export function addFilterOptions(command: Command): Command {
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

export function filterOf(opts: FilterFlags): ReportFilter {
  const split = (v: string[] | undefined) => (v ?? []).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  return {
    ...(opts.scope ? { scopes: parseScopes(opts.scope) } : {}),
    ...(opts.profile ? { profiles: split(opts.profile) } : {}),
    ...(opts.kind ? { kinds: split(opts.kind) } : {}),
    ...(opts.minSeverity ? { minSeverity: opts.minSeverity } : {}),
    ...(opts.tests === false ? { noTests: true } : {}),
  };
}



/**
 * A SQLite inventory and its journal files: `scan .` with the default `cmdb-scan.db` writes them into the tree it
 * scans, and the next scan must not read them as the repository's (they were listed as skipped binaries).
 */
export function inventoryFiles(db: string | false): ReadonlySet<string> | undefined {
  if (db === false || /^postgres(ql)?:\/\//i.test(db)) return undefined;
  const file = path.resolve(db);
  return new Set([file, `${file}-wal`, `${file}-shm`, `${file}-journal`]);
}
