/** Which store a `--db` value names, and how messages name it. */
import { PostgresStore, withoutPassword } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/** `postgres://…` and `postgresql://…` (libpq's URI forms) name a PostgreSQL database; anything else is a file. */
function isPostgresUrl(location: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(location);
}

/** How a location is named in messages: a database URL loses its password. */
export function storeName(location: string): string {
  return isPostgresUrl(location) ? withoutPassword(location) : location;
}

/**
 * Opens the store at `location`. Read-only opens never create, migrate or write, and work for a user (or database
 * role) allowed to read only; `mustExist` refuses to create a SQLite file (a command that only changes an existing
 * inventory: a typo is an error, not a new file). libpq is loaded only when a PostgreSQL URL is given.
 */
export function openStore(location: string, options: { readOnly: boolean; mustExist?: boolean }): Store {
  return isPostgresUrl(location) ? PostgresStore.connect(location, options) : SqliteStore.open(location, options);
}
