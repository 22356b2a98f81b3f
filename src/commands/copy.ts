/** `cmdb-scan copy`: an inventory into another store (SQLite ↔ PostgreSQL), whole. */
import { Command } from 'commander';
import { Inventory } from '../inventory.js';
import { storeName } from '../storage/postgres-location.js';
import { dbOption, printLine } from './shared.js';

export default function registerCopy(program: Command): void {
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
}
