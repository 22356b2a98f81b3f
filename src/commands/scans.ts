/** `cmdb-scan scans`: the scans the inventory holds, with the ids `diff --since` takes. */
import { Command, Option } from 'commander';
import { renderRows, renderRowsTsv } from '../reporters/table.js';
import { withInventory } from './inventory-access.js';
import { dbOption, positiveInteger, tableAsRows, writeOutput } from './shared.js';

export default function registerScans(program: Command): void {
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
      writeOutput(tableAsRows(opts.format, opts.out) ? renderRowsTsv(columns, rows)
        : renderRows(columns, rows, !opts.out && process.stdout.isTTY ? { width: process.stdout.columns } : {}) + '\n', opts.out);
    }));
}
