/** The embedded inventory: one SQLite file through better-sqlite3, the default on one machine. */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { storedParameters, type Statement, type Store } from './store.js';

/** `PRAGMA application_id` of a cmdb-scan inventory: "CMDB" in ASCII, so `file` and sqlite tools can tell it apart. */
export const APPLICATION_ID = 0x434d4442;

export class SqliteStore implements Store {
  readonly dialect = 'sqlite';
  readonly ownMetaKeys = [];

  private constructor(readonly database: Database.Database, readonly name: string, private readonly readOnly: boolean) {}

  static open(file: string, options: { readOnly: boolean; mustExist?: boolean }): SqliteStore {
    if ((options.readOnly || options.mustExist) && file !== ':memory:' && !existsSync(file)) throw new Error(`${file}: no such inventory (run cmdb-scan scan first, or pass --db)`);
    let db: Database.Database | undefined;
    try {
      db = options.readOnly ? new Database(file, { readonly: true, fileMustExist: true }) : new Database(file);
      // The first read is where a file that is not a database at all says so.
      db.pragma('user_version', { simple: true });
    } catch (e) {
      db?.close();
      throw new Error(`${file}: cannot open the inventory (${(e as Error).message})`);
    }
    if (!options.readOnly) db.pragma('busy_timeout = 5000');
    return new SqliteStore(db, file, options.readOnly);
  }

  prepare(sql: string): Statement {
    const statement = this.database.prepare(sql);
    return {
      run: (...params) => { statement.run(...storedParameters(params)); },
      get: (...params) => statement.get(...storedParameters(params)),
      all: (...params) => statement.all(...storedParameters(params)),
    };
  }

  exec(sql: string): void {
    this.database.exec(sql);
  }

  transaction<T>(fn: () => T, options: { exclusive?: boolean } = {}): T {
    const run = this.database.transaction(fn);
    return options.exclusive ? run.immediate() : run();
  }

  ddl(sql: string): string {
    return sql;
  }

  schemaVersion(): number {
    return this.database.pragma('user_version', { simple: true }) as number;
  }

  setSchemaVersion(version: number): void {
    this.database.pragma(`user_version = ${Math.trunc(version)}`);
  }

  marked(): boolean {
    return this.database.pragma('application_id', { simple: true }) === APPLICATION_ID;
  }

  mark(): void {
    this.database.pragma(`application_id = ${APPLICATION_ID}`);
  }

  startWriting(): void {
    this.database.pragma('journal_mode = WAL');
    this.database.pragma('foreign_keys = ON');
  }

  continueIds(): void {
    // An INTEGER PRIMARY KEY takes the highest id + 1 by itself.
  }

  tableNames(): string[] {
    return (this.database.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as Array<{ name: string }>).map((t) => t.name);
  }

  /**
   * A writer leaves the file in rollback-journal mode: a WAL file needs its `-shm` beside it, which a reader
   * without write access to the directory cannot create. Skipped without waiting while another writer is
   * connected; the last one to close switches.
   */
  close(): void {
    if (!this.readOnly && this.database.open) {
      try {
        this.database.pragma('busy_timeout = 0');
        this.database.pragma('journal_mode = DELETE');
      } catch {
        // another connection is open: it will switch when it closes
      }
    }
    this.database.close();
  }
}
