/** `cmdb-scan diff`: what changed in the inventory since a scan, a date or a duration. */
import { Command, Option } from 'commander';
import { diffAnswer } from '../queries.js';
import { renderDiffJson, renderDiffTable } from '../reporters/diff.js';
import { withInventory } from './inventory-access.js';
import { dbOption, tableOrJson, writeOutput } from './shared.js';

export default function registerDiff(program: Command): void {
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
}
