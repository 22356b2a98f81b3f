/** Which store a `--db` value names, and how messages name it. */
import { isPostgresLocation } from './postgres-location.js';
import { PostgresStore } from './postgres.js';
import { SqliteStore } from './sqlite.js';
import type { Store } from './store.js';

/**
 * Opens the store at `location`. Read-only opens never create, migrate or write, and work for a user (or database
 * role) allowed to read only; `mustExist` refuses to create a SQLite file (a command that only changes an existing
 * inventory: a typo is an error, not a new file). libpq is loaded only when a PostgreSQL URL is given.
 */
export function openStore(location: string, options: { readOnly: boolean; mustExist?: boolean }): Store {
  return isPostgresLocation(location) ? PostgresStore.connect(location, options) : SqliteStore.open(location, options);
}
