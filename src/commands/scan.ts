/** `cmdb-scan scan`: read repositories, record them, print the report (and `--staged`, `--history`). */
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { appNameOfFile } from '../apps.js';
import type { BlobFindings } from '../history.js';
import { resolveKeywords } from '../keywords.js';
import { filterReport } from '../report-filter.js';
import type { Format } from '../reporters/index.js';
import { combineSuppressions, compareSecrets, compareSuppressions, type Report, REPORT_SCHEMA_VERSION } from '../result-model.js';
import { storeName } from '../storage/postgres-location.js';
import { TOOL_VERSION } from '../version.js';
import { defaultThreads } from '../worker-pool.js';
import { addFilterOptions, addModelOptions, collect, dbOption, describeModelUsage, emit, EXIT_FATAL, EXIT_FINDINGS, FAIL_ON, FilterFlags, filterOf, formatOption, historyOf, inventoryFiles, ModelFlags, modelStageFromFlags, narrowingFlags, parseFileSize, positiveInteger, printLine, projectConfigOf } from './shared.js';

export default function registerScan(program: Command): void {
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
    .addOption(new Option('--threads <n>', 'threads that read files: the main thread and n-1 workers (more memory)').argParser(positiveInteger('--threads')).default(defaultThreads(), 'the cores available, at most 8, fewer when memory is short'))
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
      // What a hook does not use is loaded only when asked for: a baseline's schema, the inventory, the tree scan.
      const baselines = opts.baseline !== undefined || opts.writeBaseline !== undefined ? await import('../baseline.js') : null;
      const accepted = opts.baseline !== undefined ? baselines!.readBaseline(opts.baseline) : null;
      if (opts.staged) {
        // A hook has a second or two: the index's added lines only, nothing saved.
        const { scanStaged } = await import('../history.js');
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
        if (accepted) report = baselines!.applyBaseline(report, accepted, opts.baseline!).report;
        report = filterReport(report, filter);
        // A hook runs on every commit: a clean one prints nothing in the table (a line on stderr unless -q).
        const table = opts.format === undefined || opts.format === 'table' || opts.format === 'table-occurrences';
        if (table && !opts.out && report.secrets.length === 0) log('cmdb-scan: no secrets in the staged changes');
        else emit(report, opts.format, opts.out, opts);
        if (opts.failOn && FAIL_ON[opts.failOn]!(report)) process.exitCode = EXIT_FINDINGS;
        return;
      }
      const [{ Inventory }, { scan }] = await Promise.all([import('../inventory.js'), import('../scan.js')]);
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
        writeFileSync(opts.writeBaseline, `${JSON.stringify(baselines!.baselineOf(report), null, 2)}\n`);
        log(`wrote ${report.secrets.length} finding(s) to the baseline ${opts.writeBaseline}`);
      }
      if (accepted) {
        const filtered = baselines!.applyBaseline(report, accepted, opts.baseline!);
        if (filtered.suppressed > 0) log(`${filtered.suppressed} secret(s) in the baseline ${opts.baseline} not reported`);
        report = filtered.report;
      }
      // The inventory has everything; the reader sees what they asked for, and --fail-on judges that.
      report = filterReport(report, filter);
      emit(report, opts.format, opts.out, opts);
      if (opts.failOn && process.exitCode !== EXIT_FATAL && FAIL_ON[opts.failOn]!(report)) process.exitCode = EXIT_FINDINGS;
    });
}
