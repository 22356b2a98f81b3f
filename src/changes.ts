/**
 * What changed in the inventory over time: each save of a repository records how its apps, connections and
 * secrets differ from what the inventory held before (`changes` table), and `cmdb-scan diff --since` folds those
 * records into the net change over a period — "what changed since last night". Only differences are kept, so
 * a nightly batch of thousands of unchanged repositories adds nothing.
 *
 * Identities: an app by its root; a connection by app and resource (`kind://host:port/database`), whatever
 * files and lines it is written on; a secret by its fingerprint. A connection "changed" when its profiles,
 * scopes, user or hard-coded password differ; moving to another line is not a change.
 */
import { resourceName, type App, type Connection, type Secret } from './result-model.js';

export type ChangeSubject = 'app' | 'connection' | 'secret';
export type ChangeKind = 'added' | 'removed' | 'changed';

/** One recorded change, as stored (`detail` is the subject's state after the change, or before a removal). */
export interface ChangeRecord {
  subject: ChangeSubject;
  change: ChangeKind;
  repo: string;
  app: string;
  key: string;
  detail: Record<string, unknown>;
  /** For `changed`: the state before. */
  before?: Record<string, unknown>;
}

/** What one repository holds, by identity, in the shape change records describe it. */
export interface RepoState {
  apps: Map<string, Record<string, unknown>>;
  connections: Map<string, { app: string; detail: Record<string, unknown> }>;
  secrets: Map<string, { app: string; detail: Record<string, unknown> }>;
}

/** A repository's apps, connections and secrets keyed by identity (connections folded over files and profiles). */
export function repoState(apps: readonly App[], connections: readonly Connection[], secrets: readonly Secret[]): RepoState {
  const state: RepoState = { apps: new Map(), connections: new Map(), secrets: new Map() };
  for (const a of apps) state.apps.set(`${a.name}\u0000${a.root}`, { name: a.name, root: a.root });
  const folded = new Map<string, { app: string; c: Connection; profiles: Set<string>; scopes: Set<string>; files: Set<string>; users: Set<string>; hardcoded: boolean }>();
  for (const c of connections) {
    const key = `${c.app}\u0000${resourceName(c)}`;
    const f = folded.get(key) ?? { app: c.app, c, profiles: new Set(), scopes: new Set(), files: new Set(), users: new Set(), hardcoded: false };
    if (c.profile) f.profiles.add(c.profile);
    f.scopes.add(c.scope);
    f.files.add(c.file);
    if (c.username) f.users.add(c.username);
    f.hardcoded ||= c.passwordHardcoded;
    folded.set(key, f);
  }
  for (const [key, f] of folded) {
    state.connections.set(key, {
      app: f.app,
      detail: {
        resource: resourceName(f.c), kind: f.c.kind, host: f.c.host, port: f.c.port, database: f.c.database,
        profiles: [...f.profiles].sort(), scopes: [...f.scopes].sort(), users: [...f.users].sort(), passwordHardcoded: f.hardcoded, files: [...f.files].sort(),
      },
    });
  }
  for (const s of secrets) {
    state.secrets.set(s.fingerprint, { app: s.app, detail: { kind: s.kind, file: s.file, line: s.line, masked: s.masked, severity: s.severity, fingerprint: s.fingerprint } });
  }
  return state;
}

/** The attributes whose difference makes a connection "changed" (not its files or lines). */
function connectionSignature(detail: Record<string, unknown>): string {
  return JSON.stringify([detail['profiles'], detail['scopes'], detail['users'], detail['passwordHardcoded']]);
}

/** The changes that turn `before` into `after` for one repository. */
export function changesBetween(repo: string, before: RepoState, after: RepoState): ChangeRecord[] {
  const out: ChangeRecord[] = [];
  for (const [key, detail] of after.apps) if (!before.apps.has(key)) out.push({ subject: 'app', change: 'added', repo, app: String(detail['name']), key, detail });
  for (const [key, detail] of before.apps) if (!after.apps.has(key)) out.push({ subject: 'app', change: 'removed', repo, app: String(detail['name']), key, detail });
  for (const [key, now] of after.connections) {
    const was = before.connections.get(key);
    if (!was) out.push({ subject: 'connection', change: 'added', repo, app: now.app, key, detail: now.detail });
    else if (connectionSignature(was.detail) !== connectionSignature(now.detail)) out.push({ subject: 'connection', change: 'changed', repo, app: now.app, key, detail: now.detail, before: was.detail });
  }
  for (const [key, was] of before.connections) if (!after.connections.has(key)) out.push({ subject: 'connection', change: 'removed', repo, app: was.app, key, detail: was.detail });
  for (const [key, now] of after.secrets) if (!before.secrets.has(key)) out.push({ subject: 'secret', change: 'added', repo, app: now.app, key, detail: now.detail });
  for (const [key, was] of before.secrets) if (!after.secrets.has(key)) out.push({ subject: 'secret', change: 'removed', repo, app: was.app, key, detail: was.detail });
  return out;
}

/** One subject's net change over a period. */
export interface NetChange {
  repo: string;
  app: string;
  change: ChangeKind;
  detail: Record<string, unknown>;
  before?: Record<string, unknown>;
}

/** The report of `cmdb-scan diff`: net changes between two instants, by subject. */
export interface InventoryDiff {
  since: string;
  until: string;
  apps: NetChange[];
  connections: NetChange[];
  secrets: NetChange[];
}

/**
 * Folds records (oldest first) into net changes: a subject added and removed within the period is no change;
 * one removed and added again is `changed` if its state differs, else no change.
 */
export function netChanges(records: readonly ChangeRecord[], since: string, until: string): InventoryDiff {
  const bySubject = new Map<string, ChangeRecord[]>();
  for (const r of records) {
    const k = `${r.subject}\u0000${r.repo}\u0000${r.key}`;
    const list = bySubject.get(k);
    if (list) list.push(r);
    else bySubject.set(k, [r]);
  }
  const diff: InventoryDiff = { since, until, apps: [], connections: [], secrets: [] };
  for (const list of bySubject.values()) {
    const first = list[0]!;
    const last = list[list.length - 1]!;
    const existedBefore = first.change !== 'added';
    const existsAfter = last.change !== 'removed';
    const stateBefore = first.change === 'changed' ? first.before : first.change === 'removed' ? first.detail : undefined;
    let net: NetChange | null = null;
    if (!existedBefore && existsAfter) net = { repo: last.repo, app: last.app, change: 'added', detail: last.detail };
    else if (existedBefore && !existsAfter) net = { repo: last.repo, app: last.app, change: 'removed', detail: last.detail };
    else if (existedBefore && existsAfter && first.subject === 'connection' && connectionSignature(stateBefore ?? {}) !== connectionSignature(last.detail)) {
      // Apps and secrets are only there or not; a connection there before and after may differ in what counts.
      net = { repo: last.repo, app: last.app, change: 'changed', detail: last.detail, ...(stateBefore ? { before: stateBefore } : {}) };
    }
    if (!net) continue;
    (first.subject === 'app' ? diff.apps : first.subject === 'connection' ? diff.connections : diff.secrets).push(net);
  }
  const order = (a: NetChange, b: NetChange) => (a.repo + a.app + a.change + JSON.stringify(a.detail) < b.repo + b.app + b.change + JSON.stringify(b.detail) ? -1 : 1);
  diff.apps.sort(order);
  diff.connections.sort(order);
  diff.secrets.sort(order);
  return diff;
}

/**
 * A point in time a flag names (`--since`, `--until`, `--not-scanned-since`): a scan id when `scanTime` is given, a
 * date as JavaScript reads it (2026-11-28, an ISO time), `today`/`yesterday`, or a duration back from now (30m, 0.5h,
 * 7d, 2w, `3 days ago`). Errors name `flag`.
 */
export function parseSince(spec: string, scanTime: ((id: number) => string | undefined) | null, flag = '--since', now = new Date()): string {
  const forms = `${scanTime ? 'a scan id, ' : ''}a date (2026-11-28, yesterday) or a duration (30m, 0.5h, 7d, 2w)`;
  if (/^\d+$/.test(spec)) {
    // A bare number is no date (JavaScript would read "14" as a day in 2001); without scan ids it is a duration missing its unit.
    if (!scanTime) throw new Error(`${flag} ${spec}: not ${forms}; did you mean ${spec}d?`);
    const at = scanTime(Number(spec));
    if (!at) throw new Error(`${flag} ${spec}: no scan with that id in the inventory`);
    return at;
  }
  // `30m`, `0.5h`, `7d`, `2w`, `3 days ago` (git's words); `today` and `yesterday` are midnight, UTC.
  const words = spec.trim();
  const duration = /^(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hours?|d|days?|w|weeks?)(?:\s+ago)?$/i.exec(words);
  if (duration) {
    // The unit's first letter says which: m(inutes), h(ours), d(ays), w(eeks).
    const unit = duration[2]!.toLowerCase()[0] as 'm' | 'h' | 'd' | 'w';
    const minutes = Number(duration[1]) * ({ m: 1, h: 60, d: 1440, w: 10080 } as const)[unit];
    return new Date(now.getTime() - minutes * 60_000).toISOString();
  }
  const day = /^(today|yesterday)$/i.exec(words);
  if (day) {
    const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
    return new Date(midnight - (day[1]!.toLowerCase() === 'yesterday' ? 86_400_000 : 0)).toISOString();
  }
  const t = Date.parse(spec);
  if (Number.isNaN(t)) throw new Error(`${flag} ${spec}: not ${forms}`);
  return new Date(t).toISOString();
}
