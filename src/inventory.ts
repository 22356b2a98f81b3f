/**
 * Inventory: the database that accumulates scans, a SQLite file or a shared PostgreSQL database
 * (src/storage). Public interface: other tools read it, so the schema only changes through a new
 * entry in MIGRATIONS (the store's schema version tracks which have run, the same numbers in both
 * databases) and docs/inventory.md says what changed.
 *
 * Each repository is written in one transaction that replaces all of its rows, so an
 * interrupted scan leaves the previous complete state, and a rescan never mixes old
 * and new findings. A resource whose name is global (an IP, a public or internal domain) is shared across
 * repositories and kept when nothing references it any more: that is how retired-but-still-running resources
 * show up; one whose name means something only in its repository (`redis` of a Compose file) is that repository's.
 */
import { randomBytes } from 'node:crypto';
import { changesBetween, repoState, type ChangeRecord, type RepoState } from './changes.js';
import type { RepoScanResult } from './engine.js';
import { namedWithinRepository } from './hosts.js';
import { identifiedWithin, parseTarget, type HostAliases } from './targets.js';
import { compareConnections, compareSecrets, compareSuppressions, resourceName, REPORT_SCHEMA_VERSION, type App, type Connection, type Kind, type Report, type Scope, type Secret, type SkipReason, type SuppressionMechanism, type ValueSource } from './result-model.js';
import type { ModelCache } from './llm/stage.js';
import type { ModelFinding } from '../models/reply.js';
import { openStore } from './storage/open.js';
import type { Store } from './storage/store.js';
import { TOOL_VERSION } from './version.js';

/** A migration is DDL in SQLite's spelling, or a step that needs each database's own DDL or the program's rules. */
type Migration = string | ((store: Store) => void);

/**
 * Schema migrations; index + 1 is the schema version after running it. Written in SQLite's spelling; a PostgreSQL
 * store rewrites the column types (Store.ddl), so both databases hold the same tables at the same version.
 */
const MIGRATIONS: Migration[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE repos (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    commit_sha TEXT,
    last_scan_id INTEGER
  );
  CREATE TABLE scans (
    id INTEGER PRIMARY KEY,
    repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    tool_version TEXT NOT NULL,
    commit_sha TEXT,
    files_seen INTEGER NOT NULL,
    files_scanned INTEGER NOT NULL,
    files_skipped_by_keyword INTEGER NOT NULL,
    bytes_read INTEGER NOT NULL
  );
  CREATE TABLE apps (
    id INTEGER PRIMARY KEY,
    repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    root TEXT NOT NULL,
    jenkins_job TEXT,
    owner TEXT,
    UNIQUE (repo_id, name, root)
  );
  -- Unknown parts are stored as '' and 0 so that UNIQUE treats them as equal; readers map them back to null.
  CREATE TABLE resources (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    host TEXT NOT NULL DEFAULT '',
    port INTEGER NOT NULL DEFAULT 0,
    database TEXT NOT NULL DEFAULT '',
    first_seen_scan_id INTEGER,
    UNIQUE (kind, host, port, database)
  );
  CREATE TABLE occurrences (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id),
    repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
    app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    resource_id INTEGER NOT NULL REFERENCES resources(id),
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    scope TEXT NOT NULL,
    profile TEXT,
    value_source TEXT NOT NULL,
    scanner TEXT NOT NULL,
    confidence REAL NOT NULL,
    username TEXT,
    has_password INTEGER NOT NULL,
    password_hardcoded INTEGER NOT NULL,
    url TEXT,
    local INTEGER NOT NULL
  );
  CREATE INDEX occurrences_resource ON occurrences(resource_id);
  CREATE INDEX occurrences_app ON occurrences(app_id);
  CREATE TABLE secrets (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id),
    repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
    app_id INTEGER REFERENCES apps(id) ON DELETE CASCADE,
    resource_id INTEGER REFERENCES resources(id),
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    kind TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    masked TEXT NOT NULL,
    scope TEXT NOT NULL,
    severity TEXT NOT NULL
  );
  CREATE TABLE skipped_files (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id),
    repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
    file TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT
  );
  `,
  // 2: the model stage. Which sources found each occurrence, the reply cache, and what each endpoint cost per scan.
  `
  ALTER TABLE occurrences ADD COLUMN sources TEXT NOT NULL DEFAULT '["static"]';
  CREATE TABLE model_cache (
    model TEXT NOT NULL,
    prompt_version TEXT NOT NULL,
    snippet_hash TEXT NOT NULL,
    reply TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (model, prompt_version, snippet_hash)
  );
  CREATE TABLE model_usage (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
    endpoint TEXT NOT NULL,
    model TEXT NOT NULL,
    requests INTEGER NOT NULL,
    prompt_tokens INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cache_hits INTEGER NOT NULL,
    latency_ms INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    accepted INTEGER NOT NULL,
    rejected_unverified INTEGER NOT NULL,
    skipped_budget INTEGER NOT NULL
  );
  `,
  // 3: batch scans. Where a repository comes from, who owns each app, what each batch target last did,
  // and per-file results keyed by content hash for incremental rescans.
  `
  ALTER TABLE repos ADD COLUMN remote_url TEXT;
  ALTER TABLE repos ADD COLUMN branch TEXT;
  CREATE TABLE app_owners (
    id INTEGER PRIMARY KEY,
    app_id INTEGER NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
    owner TEXT NOT NULL,
    email TEXT,
    source TEXT NOT NULL,
    UNIQUE (app_id, owner, source)
  );
  CREATE TABLE batch_targets (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    branch TEXT NOT NULL DEFAULT '',
    jobs TEXT,
    credentials_id TEXT,
    script_path TEXT,
    repo_id INTEGER REFERENCES repos(id) ON DELETE SET NULL,
    commit_sha TEXT,
    tool_version TEXT,
    -- What the stored results depend on besides the files (tool version, keywords, size cap, model stage).
    scan_settings TEXT,
    status TEXT NOT NULL,
    reason TEXT,
    updated_at TEXT NOT NULL,
    UNIQUE (url, branch)
  );
  CREATE TABLE file_results (
    repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    blob TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (repo_id, path)
  );
  `,
  // 4: a secret's fingerprint is its stable identity (path, occurrence, slow digest of the value) and value_id the
  // per-inventory HMAC of the value that fingerprint used to be. Stored per-file results hold the old fingerprints:
  // those files are read again on the next scan. Rows of earlier scans keep their old fingerprints, value_id NULL.
  `
  ALTER TABLE secrets ADD COLUMN value_id TEXT;
  DELETE FROM file_results;
  `,
  // 5: change over time. Each save records how a repository's apps, connections and secrets differ from what was
  // stored (src/changes.ts); names are copied, so a forgotten repository's last changes outlive it. Each resource
  // remembers when, and by which repository and app, it was last referenced (filled in from the stored occurrences).
  `
  CREATE TABLE changes (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    scan_id INTEGER REFERENCES scans(id) ON DELETE SET NULL,
    repo TEXT NOT NULL,
    subject TEXT NOT NULL,
    change TEXT NOT NULL,
    app TEXT NOT NULL,
    key TEXT NOT NULL,
    detail TEXT NOT NULL,
    before TEXT
  );
  CREATE INDEX changes_at ON changes(at);
  ALTER TABLE resources ADD COLUMN last_seen_at TEXT;
  ALTER TABLE resources ADD COLUMN last_seen_repo TEXT;
  ALTER TABLE resources ADD COLUMN last_seen_app TEXT;
  UPDATE resources SET (last_seen_at, last_seen_repo, last_seen_app) = (
    SELECT s.finished_at, r.path, a.name FROM occurrences o JOIN scans s ON s.id = o.scan_id JOIN repos r ON r.id = o.repo_id JOIN apps a ON a.id = o.app_id
    WHERE o.resource_id = resources.id ORDER BY s.finished_at DESC, r.path, a.name LIMIT 1);
  `,
  // 6: what each scan kept out of the report (by mechanism and source) and the project config files that applied,
  // so that `report` shows a reviewer what a repository's config hid, as `scan` did.
  `
  CREATE TABLE suppressions (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id),
    repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
    mechanism TEXT NOT NULL,
    source TEXT NOT NULL,
    count INTEGER NOT NULL
  );
  ALTER TABLE repos ADD COLUMN config_files TEXT;
  CREATE TABLE suppressed_secrets (
    id INTEGER PRIMARY KEY,
    scan_id INTEGER NOT NULL REFERENCES scans(id),
    repo_id INTEGER NOT NULL REFERENCES repos(id) ON DELETE CASCADE,
    app_id INTEGER REFERENCES apps(id) ON DELETE SET NULL,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    kind TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    value_id TEXT,
    masked TEXT NOT NULL,
    scope TEXT NOT NULL,
    severity TEXT NOT NULL,
    resource TEXT,
    mechanism TEXT NOT NULL,
    source TEXT NOT NULL
  );
  `,
  // 7: resource identity. A name that means something only where it is written (`redis` of a Compose file, a
  // Kubernetes service short of its cluster suffix, loopback, no host at all: src/hosts.ts) is a resource of its
  // repository: `realm` holds that repository's path, '' for a name that is the same resource everywhere. Resources
  // stored before are split, one per repository that references them.
  (store) => {
    if (store.dialect === 'sqlite') {
      // SQLite cannot change a table's UNIQUE constraint: the table is made again with the same ids. Its rows wait in a
      // copy while it is dropped and created; the references to it are checked at commit, by which time every row is back.
      store.exec(`
        PRAGMA defer_foreign_keys = ON;
        CREATE TEMP TABLE resources_v6 AS SELECT * FROM resources;
        DROP TABLE resources;
        CREATE TABLE resources (
          id INTEGER PRIMARY KEY,
          kind TEXT NOT NULL,
          host TEXT NOT NULL DEFAULT '',
          port INTEGER NOT NULL DEFAULT 0,
          database TEXT NOT NULL DEFAULT '',
          first_seen_scan_id INTEGER,
          last_seen_at TEXT,
          last_seen_repo TEXT,
          last_seen_app TEXT,
          realm TEXT NOT NULL DEFAULT '',
          UNIQUE (kind, host, port, database, realm)
        );
        INSERT INTO resources (id, kind, host, port, database, first_seen_scan_id, last_seen_at, last_seen_repo, last_seen_app)
          SELECT id, kind, host, port, database, first_seen_scan_id, last_seen_at, last_seen_repo, last_seen_app FROM resources_v6;
        DROP TABLE resources_v6;`);
    } else {
      const unique = store.prepare(`SELECT conname FROM pg_constraint WHERE conrelid = 'resources'::regclass AND contype = 'u'`).all() as Array<{ conname: string }>;
      for (const c of unique) store.exec(`ALTER TABLE resources DROP CONSTRAINT "${c.conname.replaceAll('"', '""')}"`);
      store.exec(`ALTER TABLE resources ADD COLUMN realm TEXT COLLATE "C" NOT NULL DEFAULT ''; ALTER TABLE resources ADD CONSTRAINT resources_identity UNIQUE (kind, host, port, database, realm)`);
    }
    splitRepositoryLocalResources(store);
  },
  // 8: config served to other apps. The app of the same repository that serves an app's config (a Spring Cloud
  // Config Server's search locations, src/served-config.ts); NULL for the rest and for apps stored before.
  `
  ALTER TABLE apps ADD COLUMN config_server TEXT;
  `,
];

/**
 * Migration 7's data: each resource whose name is repository-local becomes one resource per repository that
 * references it (its occurrences and secrets move to that copy); one nothing references now stays, in the
 * repository that referenced it last.
 */
function splitRepositoryLocalResources(store: Store): void {
  const resources = store.prepare('SELECT id, kind, host, port, database, first_seen_scan_id, last_seen_repo FROM resources ORDER BY id').all() as Array<{
    id: number; kind: string; host: string; port: number; database: string; first_seen_scan_id: number | null; last_seen_repo: string | null }>;
  const users = store.prepare(`SELECT DISTINCT x.repo_id, r.path, s.finished_at, (SELECT min(a.name) FROM occurrences o JOIN apps a ON a.id = o.app_id WHERE o.resource_id = ? AND o.repo_id = x.repo_id) AS app
    FROM (SELECT repo_id FROM occurrences WHERE resource_id = ? UNION SELECT repo_id FROM secrets WHERE resource_id = ?) x
    JOIN repos r ON r.id = x.repo_id LEFT JOIN scans s ON s.id = r.last_scan_id ORDER BY r.path`);
  const insert = store.prepare(`INSERT INTO resources (kind, host, port, database, realm, first_seen_scan_id, last_seen_at, last_seen_repo, last_seen_app)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`);
  const moveOccurrences = store.prepare('UPDATE occurrences SET resource_id = ? WHERE resource_id = ? AND repo_id = ?');
  const moveSecrets = store.prepare('UPDATE secrets SET resource_id = ? WHERE resource_id = ? AND repo_id = ?');
  const keepIn = store.prepare('UPDATE resources SET realm = ? WHERE id = ?');
  const drop = store.prepare('DELETE FROM resources WHERE id = ?');
  for (const r of resources) {
    if (!namedWithinRepository(r.host || null, false)) continue;
    const using = users.all(r.id, r.id, r.id) as Array<{ repo_id: number; path: string; finished_at: string | null; app: string | null }>;
    if (using.length === 0) {
      keepIn.run(r.last_seen_repo ?? '', r.id);
      continue;
    }
    for (const u of using) {
      const id = (insert.get(r.kind, r.host, r.port, r.database, u.path, r.first_seen_scan_id, u.finished_at, u.path, u.app) as { id: number }).id;
      moveOccurrences.run(id, r.id, u.repo_id);
      moveSecrets.run(id, r.id, u.repo_id);
    }
    drop.run(r.id);
  }
}

export const INVENTORY_SCHEMA_VERSION = MIGRATIONS.length;

/**
 * A change record's key joins its parts with NUL in memory (src/changes.ts); no control character is stored (a store
 * writes each as U+FFFD, src/storage/store.ts), so the stored key joins them with U+FFFD in both databases. Keys
 * stored before read the same: with U+001F (unit separator), and before that with NUL (SQLite).
 */
const STORED_KEY_SEPARATOR = '\ufffd';
const ANY_STORED_KEY_SEPARATOR = /[\u001f\ufffd]/g;

/** Parameters per statement: SQLite's historical limit (999), far below PostgreSQL's (65,535). */
const MAX_PARAMETERS = 999;

/** Every table of the current schema, parents before children, with the columns that order its rows (its key). */
const TABLES: ReadonlyArray<readonly [table: string, key: readonly string[]]> = [
  ['meta', ['key']], ['repos', ['id']], ['scans', ['id']], ['apps', ['id']], ['resources', ['id']], ['occurrences', ['id']],
  ['secrets', ['id']], ['skipped_files', ['id']], ['model_cache', ['model', 'prompt_version', 'snippet_hash']], ['model_usage', ['id']],
  ['app_owners', ['id']], ['batch_targets', ['id']], ['file_results', ['repo_id', 'path']], ['changes', ['id']], ['suppressions', ['id']], ['suppressed_secrets', ['id']],
];

/** Rows read per statement while copying: large inventories are copied page by page, never held whole. */
const COPY_PAGE = 2000;

interface ConnectionRow {
  repo: string; app: string; kind: string; host: string; port: number; database: string; username: string | null;
  has_password: number; password_hardcoded: number; url: string | null; file: string; line: number; scope: string;
  profile: string | null; value_source: string; scanner: string; confidence: number; local: number; sources: string;
}

/** A resource the inventory knows, with the apps that reference it now and who last did. */
export interface InventoryResource {
  kind: Kind;
  host: string | null;
  port: number | null;
  database: string | null;
  /** The repository whose resource this is, when its name means something only there (src/hosts.ts); null for a name that is the same resource everywhere. */
  within: string | null;
  apps: string[];
  lastSeenAt: string | null;
  lastSeenApp: string | null;
  lastSeenRepo: string | null;
}

export interface ResourceUse {
  kind: Kind;
  host: string | null;
  port: number | null;
  database: string | null;
  within: string | null;
  occurrences: number;
  lastSeenAt: string | null;
  lastSeenApp: string | null;
  lastSeenRepo: string | null;
}

export class Inventory implements ModelCache {
  private constructor(readonly store: Store) {}

  /** How messages name the inventory: its file, or its URL without a password. */
  get name(): string {
    return this.store.name;
  }

  /**
   * Opens (creating if need be) an inventory to write, migrating it to this version: a SQLite file, or a PostgreSQL
   * database given as `postgres://…`. A database that is some other program's is refused untouched, as is an
   * inventory of a newer version.
   */
  static open(location: string, options: { mustExist?: boolean } = {}): Inventory {
    // SQLite answers "database is locked" without waiting in a few cases the busy timeout does not cover (a journal
    // mode switch racing another process that is opening the same new file): opening is tried again, briefly.
    for (let attempt = 0; ; attempt++) {
      try {
        return Inventory.openOnce(location, options.mustExist === true);
      } catch (e) {
        if (attempt >= 8 || !/database is locked|SQLITE_BUSY/.test((e as Error).message)) throw e;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 25 * 2 ** Math.min(attempt, 4));
      }
    }
  }

  private static openOnce(location: string, mustExist: boolean): Inventory {
    const store = openStore(location, { readOnly: false, mustExist });
    try {
      // Refused before anything is changed: a newer inventory is not switched to WAL or touched otherwise.
      Inventory.checkOwnership(store);
      Inventory.checkVersion(store.schemaVersion(), store.name);
      store.startWriting();
      const inv = new Inventory(store);
      inv.migrate();
      return inv;
    } catch (e) {
      store.close();
      throw Inventory.named(e, store.name);
    }
  }

  /**
   * Opens an inventory for reading only, as `report`, `query` and read-only users need: never created,
   * never migrated, never written; it works on a file (or in a directory) the user cannot write, and with a
   * PostgreSQL role that may only read.
   */
  static openReadOnly(location: string): Inventory {
    const store = openStore(location, { readOnly: true });
    try {
      Inventory.checkOwnership(store);
      const version = store.schemaVersion();
      Inventory.checkVersion(version, store.name);
      if (version < MIGRATIONS.length) {
        throw new Error(`${store.name}: inventory schema version ${version} is older than this cmdb-scan's (${MIGRATIONS.length}); a read command does not migrate it: run a scan or batch with --db ${store.name} once`);
      }
      // A WAL-mode file left by a writer that could not switch back needs its -shm: reading it may be impossible
      // read-only; querying now says so here, with the file named, instead of later.
      store.prepare('SELECT count(*) FROM repos').get();
      return new Inventory(store);
    } catch (e) {
      store.close();
      throw Inventory.named(e, store.name);
    }
  }

  /** A database error names the inventory. */
  private static named(e: unknown, name: string): Error {
    const message = (e as Error).message ?? String(e);
    return new Error(message.startsWith(`${name}:`) ? message : `${name}: ${message}`);
  }

  /**
   * cmdb-scan marks its inventories (src/storage); those written before the mark have a `meta` table holding the
   * fingerprint key. An empty database is a new inventory. Anything else is not ours.
   */
  private static checkOwnership(store: Store): void {
    if (store.marked()) return;
    const tables = store.tableNames();
    if (tables.length === 0) return;
    const ours = tables.includes('meta') && store.prepare("SELECT 1 FROM meta WHERE key = 'fingerprint_key'").get() !== undefined;
    if (!ours) throw new Error(`${store.name}: not a cmdb-scan inventory (it holds other tables: ${tables.slice(0, 5).join(', ')}); refusing to use it`);
  }

  private static checkVersion(current: number, name: string): void {
    if (current > MIGRATIONS.length) {
      throw new Error(`${name}: inventory schema version ${current} is newer than this cmdb-scan supports (${MIGRATIONS.length}); upgrade cmdb-scan`);
    }
  }

  private migrate(): void {
    // Each step with the writers locked out, re-reading the version inside it: two processes creating the same new
    // inventory at once take turns, and the second finds the work done (it used to fail: "table meta already exists").
    for (;;) {
      const done = this.store.transaction(() => {
        const v = this.store.schemaVersion();
        Inventory.checkVersion(v, this.store.name);
        if (v >= MIGRATIONS.length) return true;
        const migration = MIGRATIONS[v]!;
        if (typeof migration === 'string') this.store.exec(this.store.ddl(migration));
        else migration(this.store);
        this.store.setSchemaVersion(v + 1);
        // In the same transaction as the tables: another process never sees tables without the mark and the key.
        this.markOwned();
        return false;
      }, { exclusive: true });
      if (done) break;
    }
    if (!this.store.marked()) this.store.transaction(() => this.markOwned(), { exclusive: true });
  }

  /** The mark, and a per-inventory key for secret fingerprints (HMAC), created once and kept. */
  private markOwned(): void {
    this.store.mark();
    this.store.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT DO NOTHING').run('fingerprint_key', randomBytes(32).toString('hex'));
  }

  /** Every repository the inventory holds, by the name it was saved under. */
  repoPaths(): string[] {
    return (this.store.prepare('SELECT path FROM repos ORDER BY path').all() as Array<{ path: string }>).map((r) => r.path);
  }

  /** Removes a repository and everything recorded about it; its resources stay (and show up in `query unused`). */
  forget(repoPath: string): void {
    this.store.transaction(() => {
      const row = this.store.prepare('SELECT id FROM repos WHERE path = ?').get(repoPath) as { id: number } | undefined;
      if (!row) return;
      // Its apps, connections and secrets are gone from the inventory: `diff` says so.
      this.recordChanges(changesBetween(repoPath, this.stateOf(row.id), repoState([], [], [])), new Date().toISOString(), null);
      this.store.prepare('DELETE FROM batch_targets WHERE repo_id = ?').run(row.id);
      this.store.prepare('DELETE FROM repos WHERE id = ?').run(row.id);
      // Its own resources (names that meant something only in it) name nothing any more.
      this.store.prepare(`DELETE FROM resources WHERE realm = ? AND NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.resource_id = resources.id)
        AND NOT EXISTS (SELECT 1 FROM secrets s WHERE s.resource_id = resources.id)`).run(repoPath);
    });
  }

  close(): void {
    this.store.close();
  }

  /**
   * Copies everything this inventory holds — repositories, history, batch state, per-file results, the model cache,
   * the fingerprint key (so value ids stay comparable) — into `target`, a new inventory in either store, in one
   * transaction: a copy that fails leaves the target empty. Ids are kept, so a scan id means the same in both.
   */
  copyTo(target: Inventory): Array<{ table: string; rows: number }> {
    const tables = this.store.tableNames();
    const unknown = tables.filter((t) => !TABLES.some(([name]) => name === t));
    if (unknown.length > 0) throw new Error(`internal: the copy does not know the tables ${unknown.join(', ')}`);
    return target.store.transaction(() => {
      for (const [table] of TABLES) {
        if (table === 'meta') continue;
        if (target.store.prepare(`SELECT 1 FROM ${table} LIMIT 1`).get() !== undefined) {
          throw new Error(`${target.name}: not empty (${table} has rows); copy into a new inventory`);
        }
      }
      const counts: Array<{ table: string; rows: number }> = [];
      for (const [table, key] of TABLES) {
        let rows = 0;
        let after: unknown[] | null = null;
        for (;;) {
          const where = after ? `WHERE (${key.join(', ')}) > (${key.map(() => '?').join(', ')})` : '';
          const page = this.store.prepare(`SELECT * FROM ${table} ${where} ORDER BY ${key.join(', ')} LIMIT ${COPY_PAGE}`).all(...(after ?? [])) as Array<Record<string, unknown>>;
          if (page.length === 0) break;
          after = key.map((k) => page[page.length - 1]![k]);
          const kept = table === 'meta' ? page.filter((r) => !this.store.ownMetaKeys.includes(String(r['key']))) : page;
          if (table === 'changes') for (const r of kept) r['key'] = String(r['key']).replaceAll('\u0000', STORED_KEY_SEPARATOR);
          if (table === 'meta') {
            // The target made its own fingerprint key when it was created: the source's replaces it.
            const upsert = target.store.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
            for (const r of kept) upsert.run(r['key'], r['value']);
          } else if (kept.length > 0) {
            const columns = Object.keys(kept[0]!);
            target.insertRows(table, columns, kept.map((r) => columns.map((c) => r[c])));
          }
          rows += kept.length;
          if (page.length < COPY_PAGE) break;
        }
        if (key[0] === 'id') target.store.continueIds(table);
        counts.push({ table, rows });
      }
      return counts;
    }, { exclusive: true });
  }

  /** Replaces everything known about one repository with this scan's result, atomically. */
  saveRepo(result: RepoScanResult, startedAt: Date, finishedAt = new Date()): number {
    const db = this.store;
    return db.transaction(() => {
      db.prepare('INSERT INTO repos (path, commit_sha, config_files) VALUES (?, ?, ?) ON CONFLICT(path) DO UPDATE SET commit_sha = excluded.commit_sha, config_files = excluded.config_files')
        .run(result.repo.path, result.repo.commit, result.repo.configFiles ? JSON.stringify(result.repo.configFiles) : null);
      const repoId = (db.prepare('SELECT id FROM repos WHERE path = ?').get(result.repo.path) as { id: number }).id;
      const before = this.stateOf(repoId);
      const scanId = (db.prepare(`INSERT INTO scans (repo_id, started_at, finished_at, tool_version, commit_sha, files_seen, files_scanned, files_skipped_by_keyword, bytes_read)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`).get(repoId, startedAt.toISOString(), finishedAt.toISOString(), TOOL_VERSION, result.repo.commit,
        result.stats.filesSeen, result.stats.filesScanned, result.stats.filesSkippedByKeyword, result.stats.bytesRead) as { id: number }).id;
      for (const table of ['occurrences', 'secrets', 'skipped_files', 'suppressions', 'suppressed_secrets']) db.prepare(`DELETE FROM ${table} WHERE repo_id = ?`).run(repoId);

      // Apps are upserted, not recreated, so columns other tools fill (jenkins_job, owner) survive a rescan.
      const appIds = new Map<string, number>();
      const upsertApp = db.prepare('INSERT INTO apps (repo_id, name, root) VALUES (?, ?, ?) ON CONFLICT(repo_id, name, root) DO NOTHING');
      const getApp = db.prepare('SELECT id FROM apps WHERE repo_id = ? AND name = ? AND root = ?');
      const setConfigServer = db.prepare('UPDATE apps SET config_server = ? WHERE id = ?');
      for (const app of result.repo.apps) {
        upsertApp.run(repoId, app.name, app.root);
        const id = (getApp.get(repoId, app.name, app.root) as { id: number }).id;
        appIds.set(app.name, id);
        setConfigServer.run(app.configServer ?? null, id);
      }
      const keep = [...appIds.values()];
      db.prepare(`DELETE FROM apps WHERE repo_id = ? AND id NOT IN (${keep.map(() => '?').join(',') || 'NULL'})`).run(repoId, ...keep);

      const upsertResource = db.prepare('INSERT INTO resources (kind, host, port, database, realm, first_seen_scan_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(kind, host, port, database, realm) DO NOTHING');
      const getResource = db.prepare('SELECT id FROM resources WHERE kind = ? AND host = ? AND port = ? AND database = ? AND realm = ?');
      // Each resource once (many connections share one), in the connections' order; a repository-local name is this
      // repository's own resource.
      const resourceIds = new Map<string, number>();
      for (const c of result.connections) {
        const name = resourceName(c);
        if (resourceIds.has(name)) continue;
        const key = [c.kind, c.host ?? '', c.port ?? 0, c.database ?? '', identifiedWithin(c) ?? ''] as const;
        upsertResource.run(...key, scanId);
        resourceIds.set(name, (getResource.get(...key) as { id: number }).id);
      }
      this.insertRows('occurrences', ['scan_id', 'repo_id', 'app_id', 'resource_id', 'file', 'line', 'scope', 'profile', 'value_source', 'scanner', 'confidence', 'username',
        'has_password', 'password_hardcoded', 'url', 'local', 'sources'], result.connections.map((c) => {
        const appId = appIds.get(c.app);
        if (appId === undefined) throw new Error(`internal: connection for unknown app ${c.app}`);
        return [scanId, repoId, appId, resourceIds.get(resourceName(c)), c.file, c.line, c.scope, c.profile, c.valueSource, c.scanner, c.confidence,
          c.username, c.hasPassword ? 1 : 0, c.passwordHardcoded ? 1 : 0, c.url, c.local ? 1 : 0, JSON.stringify(c.sources)];
      }));
      // Secrets: masked preview and keyed fingerprint only; the raw value is never written.
      this.insertRows('secrets', ['scan_id', 'repo_id', 'app_id', 'resource_id', 'file', 'line', 'kind', 'fingerprint', 'value_id', 'masked', 'scope', 'severity'],
        result.secrets.map((x) => [scanId, repoId, appIds.get(x.app) ?? null, x.resource ? resourceIds.get(x.resource) ?? null : null,
          x.file, x.line, x.kind, x.fingerprint, x.valueId ?? null, x.masked, x.scope, x.severity]));
      this.insertRows('model_usage', ['scan_id', 'endpoint', 'model', 'requests', 'prompt_tokens', 'completion_tokens', 'cache_hits', 'latency_ms', 'errors', 'accepted',
        'rejected_unverified', 'skipped_budget'], (result.models ?? []).map((u) => [scanId, u.endpoint, u.model, u.requests, u.promptTokens, u.completionTokens, u.cacheHits,
        u.latencyMs, u.errors, u.accepted, u.rejectedUnverified, u.skippedBudget]));
      this.insertRows('skipped_files', ['scan_id', 'repo_id', 'file', 'reason', 'detail'], result.skipped.map((x) => [scanId, repoId, x.file, x.reason, x.detail]));
      this.insertRows('suppressions', ['scan_id', 'repo_id', 'mechanism', 'source', 'count'], result.suppressions.map((x) => [scanId, repoId, x.mechanism, x.source, x.count]));
      this.insertRows('suppressed_secrets', ['scan_id', 'repo_id', 'app_id', 'file', 'line', 'kind', 'fingerprint', 'value_id', 'masked', 'scope', 'severity', 'resource', 'mechanism', 'source'],
        result.suppressedSecrets.map((x) => [scanId, repoId, appIds.get(x.app) ?? null, x.file, x.line, x.kind, x.fingerprint, x.valueId ?? null, x.masked, x.scope, x.severity,
          x.resource, x.suppressedBy.mechanism, x.suppressedBy.source]));
      db.prepare('UPDATE repos SET last_scan_id = ? WHERE id = ?').run(scanId, repoId);
      const at = finishedAt.toISOString();
      // Once per resource (many connections share one); the last connection's app, as connections are ordered.
      const lastApp = new Map<number, string>();
      for (const c of result.connections) lastApp.set(resourceIds.get(resourceName(c))!, c.app);
      const seen = db.prepare('UPDATE resources SET last_seen_at = ?, last_seen_repo = ?, last_seen_app = ? WHERE id = ?');
      for (const [id, app] of lastApp) seen.run(at, result.repo.path, app, id);
      // What the inventory holds now, read back as `before` was: text is stored as the store holds it (control
      // characters replaced), so comparing with the scan's own values would find a change in every such name.
      this.recordChanges(changesBetween(result.repo.path, before, this.stateOf(repoId)), at, scanId);
      return scanId;
    });
  }

  /** What the inventory holds for one repository, by identity (src/changes.ts). */
  private stateOf(repoId: number): RepoState {
    return repoState(this.appsOf(repoId), this.connections('WHERE o.repo_id = ?', [repoId]), this.secrets('WHERE s.repo_id = ?', [repoId]));
  }

  private recordChanges(changes: readonly ChangeRecord[], at: string, scanId: number | null): void {
    this.insertRows('changes', ['at', 'scan_id', 'repo', 'subject', 'change', 'app', 'key', 'detail', 'before'], changes.map((c) => [at, scanId, c.repo, c.subject, c.change, c.app,
      c.key.replaceAll('\u0000', STORED_KEY_SEPARATOR), JSON.stringify(c.detail), c.before ? JSON.stringify(c.before) : null]));
  }

  /**
   * Rows in a few statements instead of one each: on PostgreSQL every statement is a round trip the worker waits for
   * (~0.1 ms on loopback, ~0.5 ms across a LAN) and a real repository writes ~1,800 rows. Rows keep their order (ids).
   */
  private insertRows(table: string, columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>): void {
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    for (let i = 0; i < rows.length; i += perStatement) {
      const chunk = rows.slice(i, i + perStatement);
      this.store.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${chunk.map(() => tuple).join(', ')}`).run(...chunk.flat());
    }
  }

  /** Changes recorded after `since` and up to `until` (ISO times), oldest first. */
  changesIn(since: string, until: string): ChangeRecord[] {
    const rows = this.store.prepare('SELECT repo, subject, change, app, key, detail, before FROM changes WHERE at > ? AND at <= ? ORDER BY id')
      .all(since, until) as Array<{ repo: string; subject: string; change: string; app: string; key: string; detail: string; before: string | null }>;
    return rows.map((r) => ({
      repo: r.repo, subject: r.subject as ChangeRecord['subject'], change: r.change as ChangeRecord['change'], app: r.app, key: r.key.replace(ANY_STORED_KEY_SEPARATOR, '\u0000'),
      detail: JSON.parse(r.detail) as Record<string, unknown>, ...(r.before ? { before: JSON.parse(r.before) as Record<string, unknown> } : {}),
    }));
  }

  /** The newest scans first, at most `limit`: what `diff --since <scan id>` takes (`cmdb-scan scans`). */
  scans(limit: number): Array<{ id: number; repo: string; finishedAt: string; commit: string | null; filesScanned: number; toolVersion: string }> {
    return (this.store.prepare(`SELECT s.id, r.path AS repo, s.finished_at, s.commit_sha, s.files_scanned, s.tool_version FROM scans s JOIN repos r ON r.id = s.repo_id
      ORDER BY s.id DESC LIMIT ?`).all(limit) as Array<{ id: number; repo: string; finished_at: string; commit_sha: string | null; files_scanned: number; tool_version: string }>)
      .map((r) => ({ id: Number(r.id), repo: r.repo, finishedAt: r.finished_at, commit: r.commit_sha, filesScanned: Number(r.files_scanned), toolVersion: r.tool_version }));
  }

  /** When a scan finished, by its id (`diff --since <scan id>`). */
  scanFinishedAt(scanId: number): string | undefined {
    return (this.store.prepare('SELECT finished_at FROM scans WHERE id = ?').get(scanId) as { finished_at: string } | undefined)?.finished_at;
  }

  private connections(where = '', params: unknown[] = []): Connection[] {
    const rows = this.store.prepare(`
      SELECT r.path AS repo, a.name AS app, res.kind, res.host, res.port, res.database, o.username, o.has_password,
             o.password_hardcoded, o.url, o.file, o.line, o.scope, o.profile, o.value_source, o.scanner, o.confidence, o.local, o.sources
      FROM occurrences o JOIN repos r ON r.id = o.repo_id JOIN apps a ON a.id = o.app_id JOIN resources res ON res.id = o.resource_id
      ${where}`).all(...params) as ConnectionRow[];
    return rows.map((r) => ({
      repo: r.repo, app: r.app, kind: r.kind as Kind, host: r.host === '' ? null : r.host, port: r.port === 0 ? null : r.port,
      database: r.database === '' ? null : r.database, username: r.username, hasPassword: r.has_password === 1,
      passwordHardcoded: r.password_hardcoded === 1, url: r.url, file: r.file, line: r.line, scope: r.scope as Scope,
      profile: r.profile, valueSource: r.value_source as ValueSource, scanner: r.scanner, confidence: r.confidence, local: r.local === 1,
      sources: JSON.parse(r.sources) as string[],
    })).sort(compareConnections);
  }

  /** The whole inventory as a report, in the same shape `scan` prints. */
  report(): Report {
    const repos = (this.store.prepare('SELECT id, path, commit_sha, config_files FROM repos ORDER BY path').all() as Array<{ id: number; path: string; commit_sha: string | null; config_files: string | null }>)
      .map((r) => ({
        path: r.path,
        commit: r.commit_sha,
        apps: this.appsOf(r.id),
        // Rows written before schema 6 do not say which config applied.
        ...(r.config_files !== null ? { configFiles: JSON.parse(r.config_files) as string[] } : {}),
      }));
    const skipped = (this.store.prepare(`SELECT r.path AS repo, s.file, s.reason, s.detail FROM skipped_files s JOIN repos r ON r.id = s.repo_id ORDER BY r.path, s.file`)
      .all() as Array<{ repo: string; file: string; reason: string; detail: string | null }>).map((s) => ({ ...s, reason: s.reason as SkipReason }));
    const suppressions = (this.store.prepare('SELECT r.path AS repo, x.mechanism, x.source, x.count FROM suppressions x JOIN repos r ON r.id = x.repo_id')
      .all() as Array<{ repo: string; mechanism: string; source: string; count: number }>).map((x) => ({ ...x, mechanism: x.mechanism as SuppressionMechanism, count: Number(x.count) }))
      .sort(compareSuppressions);
    const suppressedSecrets = (this.store.prepare(`
      SELECT r.path AS repo, a.name AS app, s.file, s.line, s.kind, s.fingerprint, s.value_id, s.masked, s.scope, s.severity, s.resource, s.mechanism, s.source
      FROM suppressed_secrets s JOIN repos r ON r.id = s.repo_id LEFT JOIN apps a ON a.id = s.app_id`).all() as Array<{
        repo: string; app: string | null; file: string; line: number; kind: string; fingerprint: string; value_id: string | null; masked: string; scope: string;
        severity: string; resource: string | null; mechanism: string; source: string }>)
      .map((r) => ({
        repo: r.repo, app: r.app ?? '', file: r.file, line: r.line, kind: r.kind, fingerprint: r.fingerprint, ...(r.value_id ? { valueId: r.value_id } : {}), masked: r.masked,
        scope: r.scope as Scope, severity: r.severity as Secret['severity'], resource: r.resource, suppressedBy: { mechanism: r.mechanism as SuppressionMechanism, source: r.source },
      })).sort(compareSecrets);
    return {
      schemaVersion: REPORT_SCHEMA_VERSION, tool: { name: 'cmdb-scan', version: TOOL_VERSION }, repos, connections: this.connections(), secrets: this.secrets(), skipped,
      suppressions, suppressedSecrets,
    };
  }

  /** Apps of a repository; Jenkins jobs and owners only where a batch scan recorded them. */
  private appsOf(repoId: number): App[] {
    const rows = this.store.prepare('SELECT id, name, root, jenkins_job, config_server FROM apps WHERE repo_id = ? ORDER BY root, name').all(repoId) as Array<{
      id: number; name: string; root: string; jenkins_job: string | null; config_server: string | null }>;
    const ownersOf = this.store.prepare('SELECT owner, email, source FROM app_owners WHERE app_id = ? ORDER BY id');
    return rows.map((a) => {
      const owners = ownersOf.all(a.id) as App['owners'];
      return {
        name: a.name, root: a.root, ...(a.jenkins_job ? { jenkinsJob: a.jenkins_job } : {}), ...(owners && owners.length > 0 ? { owners } : {}),
        ...(a.config_server ? { configServer: a.config_server } : {}),
      };
    });
  }

  private secrets(where = '', params: unknown[] = []): Secret[] {
    const rows = this.store.prepare(`
      SELECT r.path AS repo, a.name AS app, s.file, s.line, s.kind, s.fingerprint, s.value_id, s.masked, s.scope, s.severity,
             res.kind AS rkind, res.host AS rhost, res.port AS rport, res.database AS rdb
      FROM secrets s JOIN repos r ON r.id = s.repo_id LEFT JOIN apps a ON a.id = s.app_id LEFT JOIN resources res ON res.id = s.resource_id
      ${where}`)
      .all(...params) as Array<{ repo: string; app: string | null; file: string; line: number; kind: string; fingerprint: string; value_id: string | null; masked: string;
        scope: string; severity: string; rkind: string | null; rhost: string; rport: number; rdb: string }>;
    return rows.map((r) => ({
      repo: r.repo, app: r.app ?? '', file: r.file, line: r.line, kind: r.kind, fingerprint: r.fingerprint, ...(r.value_id ? { valueId: r.value_id } : {}), masked: r.masked,
      scope: r.scope as Scope, severity: r.severity as Secret['severity'],
      resource: r.rkind ? resourceName({ kind: r.rkind as Kind, host: r.rhost || null, port: r.rport || null, database: r.rdb || null }) : null,
    })).sort(compareSecrets);
  }

  /** What the last batch run recorded for a (url, branch) target. */
  targetState(url: string, branch: string | null): { status: string; commit: string | null; settings: string | null } | undefined {
    const row = this.store.prepare('SELECT status, commit_sha, scan_settings FROM batch_targets WHERE url = ? AND branch = ?')
      .get(url, branch ?? '') as { status: string; commit_sha: string | null; scan_settings: string | null } | undefined;
    return row ? { status: row.status, commit: row.commit_sha, settings: row.scan_settings } : undefined;
  }

  /** A failed target keeps the repository's previous rows; only its status and reason change. */
  recordTargetFailure(target: { url: string; branch: string | null; jobs: string[] }, reason: string): void {
    this.store.prepare(`INSERT INTO batch_targets (url, branch, jobs, status, reason, updated_at) VALUES (?, ?, ?, 'failed', ?, ?)
      ON CONFLICT(url, branch) DO UPDATE SET jobs = excluded.jobs, status = 'failed', reason = excluded.reason, updated_at = excluded.updated_at`)
      .run(target.url, target.branch ?? '', target.jobs.join(', ') || null, reason, new Date().toISOString());
  }

  /** An unchanged target: nothing to rescan, the status says when it was last confirmed. */
  recordTargetUnchanged(target: { url: string; branch: string | null; jobs: string[] }): void {
    this.store.prepare(`UPDATE batch_targets SET jobs = ?, status = 'scanned', reason = NULL, updated_at = ? WHERE url = ? AND branch = ?`)
      .run(target.jobs.join(', ') || null, new Date().toISOString(), target.url, target.branch ?? '');
  }

  /** How many connections the inventory holds for a repository (0 when it has none or does not know it). */
  storedConnectionCount(repoPath: string): number {
    return (this.store.prepare('SELECT count(*) AS n FROM occurrences o JOIN repos r ON r.id = o.repo_id WHERE r.path = ?').get(repoPath) as { n: number }).n;
  }

  /** The stored per-file results of a repository, for an incremental rescan. */
  fileResults(repoPath: string): Map<string, { hash: string; result: string }> {
    const rows = this.store.prepare('SELECT f.path, f.blob, f.result FROM file_results f JOIN repos r ON r.id = f.repo_id WHERE r.path = ?')
      .all(repoPath) as Array<{ path: string; blob: string; result: string }>;
    return new Map(rows.map((r) => [r.path, { hash: r.blob, result: r.result }]));
  }

  /**
   * One batch target in one transaction: the scan (as saveRepo), where it came from, the Jenkins
   * jobs and owners of its apps, its per-file results and the target's status. A batch killed at
   * any point leaves each repository either as before or completely written.
   */
  saveBatchRepo(
    target: { url: string; branch: string | null; jobs: string[]; credentialsId?: string | null; scriptPath?: string | null }, result: RepoScanResult, owners: Array<{ app: string; owner: string; email: string | null; source: string }>,
    startedAt: Date, settings: string,
  ): number {
    const db = this.store;
    return db.transaction(() => {
      const scanId = this.saveRepo(result, startedAt);
      const repoId = (db.prepare('SELECT id FROM repos WHERE path = ?').get(result.repo.path) as { id: number }).id;
      db.prepare('UPDATE repos SET remote_url = ?, branch = ? WHERE id = ?').run(target.url, target.branch, repoId);
      db.prepare('UPDATE apps SET jenkins_job = ? WHERE repo_id = ?').run(target.jobs.join(', ') || null, repoId);
      db.prepare('DELETE FROM app_owners WHERE app_id IN (SELECT id FROM apps WHERE repo_id = ?)').run(repoId);
      const insertOwner = db.prepare(`INSERT INTO app_owners (app_id, owner, email, source)
        SELECT id, CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS TEXT) FROM apps WHERE repo_id = ? AND name = ? ON CONFLICT DO NOTHING`);
      for (const o of owners) insertOwner.run(o.owner, o.email, o.source, repoId, o.app);
      // The first owner by source preference fills apps.owner, for tools that read one column.
      db.prepare(`UPDATE apps SET owner = (SELECT o.owner FROM app_owners o WHERE o.app_id = apps.id
        ORDER BY CASE o.source WHEN 'codeowners' THEN 0 WHEN 'gitlab' THEN 1 WHEN 'maven' THEN 2 WHEN 'package.json' THEN 3 ELSE 4 END, o.id LIMIT 1)
        WHERE repo_id = ?`).run(repoId);
      if (result.fileResults) {
        db.prepare('DELETE FROM file_results WHERE repo_id = ?').run(repoId);
        this.insertRows('file_results', ['repo_id', 'path', 'blob', 'result'], result.fileResults.map((f) => [repoId, f.path, f.hash, JSON.stringify(f.result)]));
      }
      db.prepare(`INSERT INTO batch_targets (url, branch, jobs, credentials_id, script_path, repo_id, commit_sha, tool_version, scan_settings, status, reason, updated_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'scanned', NULL, ?)
        ON CONFLICT(url, branch) DO UPDATE SET jobs = excluded.jobs, credentials_id = excluded.credentials_id, script_path = excluded.script_path,
          repo_id = excluded.repo_id, commit_sha = excluded.commit_sha, tool_version = excluded.tool_version, scan_settings = excluded.scan_settings,
          status = 'scanned', reason = NULL, updated_at = excluded.updated_at`)
        .run(target.url, target.branch ?? '', target.jobs.join(', ') || null, target.credentialsId ?? null, target.scriptPath ?? null, repoId,
          result.repo.commit, TOOL_VERSION, settings, new Date().toISOString());
      return scanId;
    });
  }

  /** Model replies per snippet, so that a rescan of unchanged code makes no model calls. */
  cachedReply(model: string, promptVersion: string, snippetHash: string): ModelFinding[] | undefined {
    const row = this.store.prepare('SELECT reply FROM model_cache WHERE model = ? AND prompt_version = ? AND snippet_hash = ?')
      .get(model, promptVersion, snippetHash) as { reply: string } | undefined;
    return row ? JSON.parse(row.reply) as ModelFinding[] : undefined;
  }

  cacheReply(model: string, promptVersion: string, snippetHash: string, findings: ModelFinding[]): void {
    this.store.prepare(`INSERT INTO model_cache (model, prompt_version, snippet_hash, reply, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (model, prompt_version, snippet_hash) DO UPDATE SET reply = excluded.reply, created_at = excluded.created_at`)
      .run(model, promptVersion, snippetHash, JSON.stringify(findings), new Date().toISOString());
  }

  /** The key secret fingerprints are computed with, created once per inventory. */
  fingerprintKey(): string {
    return (this.store.prepare("SELECT value FROM meta WHERE key = 'fingerprint_key'").get() as { value: string }).value;
  }

  /** Connections of the apps whose name matches exactly, or contains `name` when none does. */
  connectionsOfApp(name: string): Connection[] {
    const exact = this.connections('WHERE a.name = ?', [name]);
    // `name` is text to find, not a pattern: its `%`, `_` and `\` are escaped (ESCAPE '\' reads the same in SQLite and PostgreSQL).
    return exact.length > 0 ? exact : this.connections("WHERE lower(a.name) LIKE '%' || lower(CAST(? AS TEXT)) || '%' ESCAPE '\\'", [name.replace(/[\\%_]/g, '\\$&')]);
  }

  /** Connections to what `target` names (src/targets.ts: a kind, host, host:port, URL, JDBC URL, CIDR or wildcard). */
  connectionsUsing(target: string, aliases?: HostAliases): Connection[] {
    const matcher = parseTarget(target, aliases);
    return this.connections().filter((c) => matcher.matches(c));
  }

  /** Every resource with the apps that reference it now and when, by which repository and app, it was last referenced. */
  resources(): InventoryResource[] {
    const rows = this.store.prepare(`SELECT id, kind, host, port, database, realm, last_seen_at, last_seen_repo, last_seen_app
      FROM resources ORDER BY kind, host, port, database, realm`).all() as Array<{ id: number; kind: string; host: string; port: number; database: string;
        realm: string; last_seen_at: string | null; last_seen_repo: string | null; last_seen_app: string | null }>;
    const appsOf = new Map<number, string[]>();
    for (const u of this.store.prepare('SELECT DISTINCT o.resource_id AS id, a.name FROM occurrences o JOIN apps a ON a.id = o.app_id').all() as Array<{ id: number; name: string }>) {
      appsOf.set(u.id, [...appsOf.get(u.id) ?? [], u.name]);
    }
    return rows.map((r) => ({
      kind: r.kind as Kind, host: r.host || null, port: r.port || null, database: r.database || null, within: r.realm || null,
      apps: (appsOf.get(r.id) ?? []).sort(), lastSeenAt: r.last_seen_at, lastSeenApp: r.last_seen_app, lastSeenRepo: r.last_seen_repo,
    }));
  }

  /** Repositories whose last scan finished before `before` (ISO), oldest first: candidates for `prune`. */
  reposNotScannedSince(before: string): Array<{ path: string; lastScan: string | null }> {
    return (this.store.prepare(`SELECT r.path, s.finished_at AS last FROM repos r LEFT JOIN scans s ON s.id = r.last_scan_id
      WHERE s.finished_at IS NULL OR s.finished_at < ? ORDER BY s.finished_at NULLS FIRST, r.path`).all(before) as Array<{ path: string; last: string | null }>)
      .map((r) => ({ path: r.path, lastScan: r.last }));
  }

  unusedResources(): ResourceUse[] {
    return this.resources().filter((r) => r.apps.length === 0)
      .map((r) => ({ kind: r.kind, host: r.host, port: r.port, database: r.database, within: r.within, occurrences: 0, lastSeenAt: r.lastSeenAt, lastSeenApp: r.lastSeenApp, lastSeenRepo: r.lastSeenRepo }));
  }
}
