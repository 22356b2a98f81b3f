/**
 * What the read commands share to open an inventory and answer from it: kept apart from shared.ts so that a command
 * that opens no inventory (a pre-commit hook's `scan --staged`) does not load the database drivers and queries.
 */
import { readFileSync } from 'node:fs';
import { readCmdbResources, type UnusedReport } from '../cmdb-resources.js';
import { Inventory } from '../inventory.js';
import { unusedAnswer } from '../queries.js';
import { renderUnused } from '../reporters/unused.js';
import { type HostAliases, parseHostsMapping } from '../targets.js';

export function readHostsMapping(file: string): HostAliases {
  try {
    return parseHostsMapping(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read the hosts mapping (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** `unused` and `query unused`: against a CMDB list when one is given, else the resources nothing references now. */
export function unusedText(inventory: Inventory, records: ReturnType<typeof readCmdbResources> | null, aliases: HostAliases, format: 'table' | 'json' | 'csv'): string {
  if (records) return renderUnused(unusedAnswer(inventory, records, aliases) as UnusedReport, format);
  const unused = inventory.unusedResources();
  if (format === 'json') return JSON.stringify(unused, null, 2) + '\n';
  return renderUnused({ unused: unused.map((r, i) => ({ row: i + 1, host: r.host ?? '', port: r.port, type: r.kind, name: r.database, owner: null, lastSeenAt: r.lastSeenAt, lastSeenApp: r.lastSeenApp, lastSeenRepo: r.lastSeenRepo })), used: [], missing: [] }, format);
}

export function withInventory(db: string, use: (inventory: Inventory) => void): void {
  const inventory = openExisting(db);
  try {
    use(inventory);
  } finally {
    inventory.close();
  }
}

/** Read commands: read-only, never created or migrated (a typo in --db is an error, not a new file). */
export function openExisting(db: string): Inventory {
  return Inventory.openReadOnly(db);
}
