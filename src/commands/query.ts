/** `cmdb-scan query app|uses|unused`: the questions an SRE asks of the inventory. */
import { Command, Option } from 'commander';
import { Inventory } from '../inventory.js';
import { type Answer, appAnswer, usesAnswer } from '../queries.js';
import type { ReportFilter } from '../report-filter.js';
import type { Format } from '../reporters/index.js';
import { storeName } from '../storage/postgres-location.js';
import type { HostAliases } from '../targets.js';
import { readHostsMapping, unusedText, withInventory } from './inventory-access.js';
import { addFilterOptions, dbOption, emit, EXIT_FINDINGS, FilterFlags, filterOf, formatOption, printLine, writeOutput } from './shared.js';

export default function registerQuery(program: Command): void {
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
}
