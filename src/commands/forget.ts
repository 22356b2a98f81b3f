/** `cmdb-scan forget`: remove a repository and what was recorded about it. */
import path from 'node:path';
import { Command } from 'commander';
import { Inventory } from '../inventory.js';
import { storeName } from '../storage/postgres-location.js';
import { dbOption, printLine } from './shared.js';

export default function registerForget(program: Command): void {
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
}
