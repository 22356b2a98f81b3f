#!/usr/bin/env node
/**
 * cmdb-scan command line: the program and its commands, one module each (src/commands/, as knip keeps one file per
 * reporter), parsed with commander; all work is done by the library API. Exit codes: 0 ok, 1 findings matched
 * --fail-on, 2 usage or fatal error, 3 a batch in which some repository failed.
 */
import { fileURLToPath } from 'node:url';
import { realpathSync } from 'node:fs';
import { Command, type Option } from 'commander';
import { TOOL_VERSION } from './version.js';
import { EXIT_FATAL, EXIT_OK, printLine } from './commands/exit.js';

/**
 * Each command's module, loaded only when that command runs: a pre-commit hook's `scan --staged` loads no inventory
 * driver, server, exporter or batch client. Help and unknown commands load them all, in this order (the help's).
 */
const COMMANDS: Readonly<Record<string, () => Promise<{ default: (program: Command) => void }>>> = {
  scan: () => import('./commands/scan.js'),
  batch: () => import('./commands/batch.js'),
  report: () => import('./commands/report.js'),
  forget: () => import('./commands/forget.js'),
  query: () => import('./commands/query.js'),
  unused: () => import('./commands/unused.js'),
  diff: () => import('./commands/diff.js'),
  scans: () => import('./commands/scans.js'),
  prune: () => import('./commands/prune.js'),
  copy: () => import('./commands/copy.js'),
  serve: () => import('./commands/serve.js'),
  mcp: () => import('./commands/mcp.js'),
  schema: () => import('./commands/schema.js'),
};

/**
 * The program with the module of the command named first on the line registered: none for `--version`, every one
 * when the first word names no command (help, a typo, which commander answers with the list).
 */
export async function buildProgram(first?: string): Promise<Command> {
  const program = new Command();
  program
    .name('cmdb-scan')
    .description('Scan repositories for the databases, middleware and APIs each application connects to.')
    .version(TOOL_VERSION)
    // A usage error is one line that says where help is, not the whole help (settings below pass to every command).
    // One prefix for every error the CLI prints, commander's usage errors included (it writes `error: …`).
    .configureOutput({ outputError: (text, write) => write(`${text.trimEnd().replace(/^error: /, 'cmdb-scan: ')} (cmdb-scan --help for usage)\n`) })
    .exitOverride();

  const named = first !== undefined && Object.hasOwn(COMMANDS, first) ? [COMMANDS[first]!] : null;
  const modules = named ?? (first === '--version' || first === '-V' ? [] : Object.values(COMMANDS));
  for (const load of modules) (await load()).default(program);

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

export async function main(argv: string[]): Promise<number> {
  const program = await buildProgram(argv[2]);
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
