/**
 * Where an inventory lives: one interface, two databases. SQLite (better-sqlite3) is the embedded default for one
 * machine; PostgreSQL (libpq through pg-native) is the shared inventory that workers on many machines write and other
 * tools read. The inventory writes one SQL dialect, the common part of both: `?` parameters, `ON CONFLICT`,
 * `RETURNING`, `NULLS FIRST`. What differs is here: schema DDL, the schema version and mark, transactions and locks.
 */
/** Every C0 control (NUL, tab and line breaks included), DEL and every C1 control. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Text as both stores hold it, whoever wrote it: each control character becomes U+FFFD. PostgreSQL cannot hold NUL
 * (libpq ends a parameter there: an app `order-svc\0shadow` was stored as `order-svc`, one with the real app, while
 * SQLite kept it whole), and names from repositories should carry no control characters at all, tabs included: a tab
 * reads as spaces and a line break as two lines in every tool that reads the shared inventory without neutralising
 * them as the report does for terminals. Replaced rather than removed, so that a name never turns into another one
 * (`order-svc\x01` stays apart from `order-svc`) and visibly says something was there; JSON columns stay valid, as
 * JSON.stringify leaves no C0 control unescaped and U+FFFD may stand inside a JSON string.
 */
function storedText(text: string): string {
  return text.replace(CONTROL_CHARACTERS, '\ufffd');
}

/** A statement's parameters as both stores bind them, so that a value is looked up as it was stored: text through `storedText`. */
export function storedParameters(params: readonly unknown[]): unknown[] {
  return params.map((p) => (typeof p === 'string' ? storedText(p) : p));
}

export interface Statement {
  run(...params: unknown[]): void;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export interface Store {
  /** How messages name it: the file, or the URL without a password. */
  readonly name: string;
  readonly dialect: 'sqlite' | 'postgres';
  /** `meta` rows this store keeps for itself (its version and mark), which belong to no inventory and are never copied. */
  readonly ownMetaKeys: readonly string[];
  /** Text parameters are bound as `storedParameters` makes them, by both stores, so both hold (and find) the same text. */
  prepare(sql: string): Statement;
  exec(sql: string): void;
  /**
   * Runs `fn` in one transaction and returns what it returns; a throw rolls everything back. A call inside another
   * joins it. `exclusive`: no other writer from the first statement on (schema migrations). `fn` may run more than
   * once when the database asks for a retry (PostgreSQL's deadlock and serialisation failures), so it keeps no state
   * outside the database between attempts.
   */
  transaction<T>(fn: () => T, options?: { exclusive?: boolean }): T;
  /** Schema DDL, written in SQLite's spelling, as this database spells it. */
  ddl(sql: string): string;
  /** The inventory schema version recorded in the database; 0 for a new one. */
  schemaVersion(): number;
  setSchemaVersion(version: number): void;
  /** Whether the database carries cmdb-scan's mark (see `mark`). */
  marked(): boolean;
  /** Marks the database as a cmdb-scan inventory, so other programs' databases can be told apart and refused. */
  mark(): void;
  /**
   * Called once the inventory is known to be cmdb-scan's and not newer than this version, before the first write:
   * settings that change the file (SQLite's write-ahead log) wait until then.
   */
  startWriting(): void;
  /**
   * After rows were written with their ids given (a copy from another inventory): new rows get ids after the highest.
   * SQLite does so by itself; PostgreSQL's identity sequence has to be moved.
   */
  continueIds(table: string): void;
  /** Tables in the inventory's namespace (the file, or the connection's current schema). */
  tableNames(): string[];
  close(): void;
}
