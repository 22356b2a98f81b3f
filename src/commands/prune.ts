/** `cmdb-scan prune`: forget repositories not scanned since a date. */
import { Command } from 'commander';
import { parseSince } from '../changes.js';
import { Inventory } from '../inventory.js';
import { storeName } from '../storage/postgres-location.js';
import { dbOption, printLine } from './shared.js';

export default function registerPrune(program: Command): void {
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
}
