/** `cmdb-scan unused`: CMDB records no code references, and referenced resources the CMDB lacks. */
import { Command, Option } from 'commander';
import { readCmdbResources } from '../cmdb-resources.js';
import { readHostsMapping, unusedText, withInventory } from './inventory-access.js';
import { dbOption, tableOrJson, writeOutput } from './shared.js';

export default function registerUnused(program: Command): void {
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
}
