/**
 * The terminal table. By default one row per app × resource (an app's MySQL appears once, with the profiles
 * and files it is written in, not once per profile file), shipped scopes only (main and deploy; tests, examples
 * and docs are counted, and listed when asked for with --scope), secrets by severity, skipped files summarised by
 * reason. Columns shrink and wrap to the terminal's width. `occurrences: true` gives the row-per-place table.
 */
import Table from 'cli-table3';
import { resourceName, severityRank, SHIPPED_SCOPES, type Connection, type Report, type Secret, type SuppressionMechanism } from '../result-model.js';
import { printable } from '../text.js';

export interface TableOptions {
  color?: boolean;
  /** Total width to fit (the terminal's columns); unlimited when absent. */
  width?: number;
  /** One row per place a connection is written, as before the roll-up (`-f table-occurrences`). */
  occurrences?: boolean;
  /** List every scope (the user chose scopes with --scope); else tests, examples and docs are only counted. */
  allScopes?: boolean;
  /** Tab-separated rows instead of boxes (stdout is not a terminal). */
  tsv?: boolean;
  /** No header row (`--no-headers`). */
  headers?: boolean;
  /** The connection columns to show, in order (`--columns`); the app is then a column, not a heading. */
  columns?: string[];
  /** Every column, none dropped for width (`--wide`). */
  wide?: boolean;
}

/** Skip reasons worth naming files for first: something the user may fix. Binaries and size caps are expected. */
const SKIP_INTEREST = ['parse-error', 'decode-error', 'unreadable', 'timeout', 'symlink-loop', 'template', 'special-file', 'symlink', 'too-large', 'binary'];

function endpoint(c: Pick<Connection, 'host' | 'port'>): string {
  const host = c.host ?? '?';
  const shown = host.includes(':') ? `[${host}]` : host;
  return c.port !== null ? `${shown}:${c.port}` : shown;
}

function password(cs: readonly Connection[]): string {
  if (cs.some((c) => c.passwordHardcoded)) return 'HARDCODED';
  return cs.some((c) => c.hasPassword) ? 'external' : '';
}

const list = (values: Iterable<string>) => [...new Set(values)].filter(Boolean).sort().join(', ');

/** The connection table's columns, in order; a narrow terminal drops the lowest `keep` first. `app` heads its rows' group. */
export const CONNECTION_COLUMNS = ['repo', 'app', 'kind', 'endpoint', 'database', 'user', 'password', 'source', 'scope', 'profiles', 'where', 'found by', 'scanner'] as const;
type ConnectionColumn = (typeof CONNECTION_COLUMNS)[number];
const KEEP: Record<string, number> = {
  endpoint: 100, kind: 90, where: 80, password: 70, database: 60, profiles: 50, user: 40, scope: 30, source: 20, 'found by': 10, scanner: 5,
  // the secrets table
  severity: 100, masked: 90, opens: 40, fingerprint: 30, commit: 85, value: 95, app: 75,
  // a batch's summary
  status: 100, repository: 95, reason: 85, connections: 60, branch: 45, jobs: 40, 'files read/reused': 20, seconds: 20,
};
/** Columns only `--wide` shows; `repo` heads the table on a terminal and leads each piped row. */
const WIDE_ONLY: ReadonlySet<string> = new Set(['scanner']);

/** A row of cells by column name; `group` is the heading it sits under (the app), when rows are grouped. */
interface Row { group?: string; cells: Record<string, string> }

/** The longest run of non-space characters: a column narrower than that would break a value. */
const longestWord = (text: string) => Math.max(0, ...text.split(/\s+/).map((w) => w.length));

/**
 * `where` narrowed by eliding folders, a path abbreviated and never cut inside a name, so the file and line stay
 * readable: `config/…/account-service.yml:9`, and shorter still `…/account-service.yml:9`.
 */
function abbreviatePath(where: string, level: 1 | 2): string {
  const m = /^([^/\s]+)\/(?:[^\s]*\/)?([^/\s]+)(\s.*)?$/.exec(where);
  if (!m || where.split(' ')[0]!.split('/').length <= (level === 1 ? 3 : 2)) return where;
  return level === 1 ? `${m[1]}/…/${m[2]}${m[3] ?? ''}` : `…/${m[2]}${m[3] ?? ''}`;
}

interface Fitted { columns: string[]; widths: number[] | null; rows: Row[] }

/**
 * Fits columns into `width` without breaking a value: first the least needed columns go, then paths are abbreviated,
 * then cells wrap between words only (a column is never narrower than its longest word). Too narrow even for the
 * most needed columns, the table is wider than the terminal rather than wrong.
 */
function fit(columns: string[], rows: Row[], width: number | undefined, head: boolean): Fitted {
  if (!width) return { columns, widths: null, rows };
  let current = rows;
  const cellsOf = (c: string) => [...(head ? [c] : []), ...current.map((r) => r.cells[c] ?? '')];
  const natural = (c: string) => Math.max(...cellsOf(c).map((t) => t.length)) + 2;
  const minimal = (c: string) => Math.max(...cellsOf(c).map(longestWord)) + 2;
  const total = (cs: string[], w: (c: string) => number) => cs.reduce((n, c) => n + w(c), 0) + cs.length + 1;
  let kept = [...columns];
  const byNeed = [...columns].sort((a, b) => (KEEP[a] ?? 0) - (KEEP[b] ?? 0));
  // What matters least goes before anything wraps; a long path is shortened before a column is given up for it.
  for (const c of byNeed) if ((KEEP[c] ?? 0) < 25 && total(kept, natural) > width) kept = kept.filter((k) => k !== c);
  for (const level of [1, 2] as const) {
    if (total(kept, level === 1 ? natural : minimal) > width && kept.includes('where')) {
      current = current.map((r) => ({ ...r, cells: { ...r.cells, where: abbreviatePath(r.cells['where'] ?? '', level) } }));
    }
  }
  for (const c of byNeed) if (kept.length > 2 && kept.includes(c) && total(kept, minimal) > width) kept = kept.filter((k) => k !== c);
  const widths = kept.map(natural);
  let over = widths.reduce((a, b) => a + b, 0) + kept.length + 1 - width;
  // Take width from the columns with the most to spare above their longest word.
  while (over > 0) {
    const spare = kept.map((c, i) => widths[i]! - minimal(c));
    const most = spare.indexOf(Math.max(...spare));
    if (spare[most]! <= 0) break;
    widths[most]!--;
    over--;
  }
  return { columns: kept, widths, rows: current };
}

/** Header cyan, borders grey, applied to the finished lines (see `table`). */
function colour(text: string): string {
  const lines = text.split('\n');
  const headerEnd = lines.findIndex((l, i) => i > 0 && l.startsWith('├'));
  return lines.map((l, i) => (i > 0 && i < headerEnd ? `\u001b[36m${l}\u001b[39m` : /^[┌├└]/.test(l) ? `\u001b[90m${l}\u001b[39m` : l)).join('\n');
}

/** Rows as a boxed table, under headings when grouped; fitted to the terminal's width. */
function table(columns: string[], rows: Row[], opts: TableOptions): string {
  const head = opts.headers !== false;
  const fitted = fit(columns, rows, opts.wide ? undefined : opts.width, head);
  const t = new Table({
    ...(head ? { head: fitted.columns } : {}),
    style: { head: [], border: [], compact: true },
    ...(fitted.widths ? { colWidths: fitted.widths, wordWrap: true, wrapOnWordBoundary: true } : {}),
  });
  let group: string | undefined;
  for (const r of fitted.rows) {
    if (r.group !== undefined && r.group !== group) {
      group = r.group;
      t.push([{ colSpan: fitted.columns.length, content: opts.color ? `\u001b[1m${group}\u001b[22m` : group }]);
    }
    t.push(fitted.columns.map((c) => r.cells[c] ?? ''));
  }
  const text = t.toString();
  // Colour is applied here, to the finished lines, rather than through cli-table3's styles: its colour library turns
  // itself off in some environments (CI=true) even on a terminal. Whether to colour is this command's decision
  // (NO_COLOR, --no-color).
  return opts.color ? colour(text) : text;
}

/** Each cell terminal-safe: names and values come from repositories, job configs and servers. */
function printableCells<T extends Record<string, string>>(cells: T): T {
  return Object.fromEntries(Object.entries(cells).map(([k, v]) => [k, printable(v)])) as T;
}

/** Any rows (a batch's summary, the scans) as the connection table is drawn: fitted to `opts.width`, no value broken. */
export function renderRows(columns: string[], rows: ReadonlyArray<Record<string, string>>, opts: TableOptions = {}): string {
  return table(columns, rows.map((cells) => ({ cells: printableCells(cells) })), opts);
}

/** The same rows piped: tab-separated lines under a header row (none with `headers: false`). */
export function renderRowsTsv(columns: string[], rows: ReadonlyArray<Record<string, string>>, opts: TableOptions = {}): string {
  return tsv(columns, rows.map((cells) => ({ cells: printableCells(cells) })), opts) + '\n';
}

/**
 * Rows as tab-separated lines (piped output, as gh and kubectl print): every column, nothing wrapped or grouped.
 * Cells are printable already (a tab or line break in a value is shown escaped), so each line is one row.
 */
function tsv(columns: string[], rows: Row[], opts: TableOptions): string {
  return [...(opts.headers !== false ? [columns.map((c) => c.toUpperCase().replace(/ /g, '_')).join('\t')] : []),
    ...rows.map((r) => columns.map((c) => r.cells[c] ?? '').join('\t'))].join('\n');
}

function connectionRow(cs: readonly Connection[], occurrences: boolean): Record<ConnectionColumn, string> {
  const c = cs[0]!;
  const places = [...new Set(cs.map((x) => `${x.file}:${x.line}`))];
  const cells: Record<ConnectionColumn, string> = {
    repo: c.repo, app: c.app, kind: c.kind, endpoint: endpoint(c) + (c.local ? ' (local)' : ''), database: c.database ?? '', user: list(cs.map((x) => x.username ?? '')),
    password: password(cs), source: cs.some((x) => x.valueSource === 'literal') ? 'literal' : c.valueSource, scope: list(cs.map((x) => x.scope)),
    profiles: list(cs.map((x) => x.profile ?? '')), where: places.length > 1 && !occurrences ? `${places[0]} (+${places.length - 1})` : places[0]!,
    'found by': [...new Set(cs.flatMap((x) => x.sources))].join('+'), scanner: list(cs.map((x) => x.scanner)),
  };
  return printableCells(cells);
}

/** One row per app × resource (or per place with `occurrences`), in the connections' order. */
function connectionRows(conns: readonly Connection[], occurrences: boolean): Array<Record<ConnectionColumn, string>> {
  if (occurrences) return conns.map((c) => connectionRow([c], true));
  const groups = new Map<string, Connection[]>();
  for (const c of conns) {
    const k = `${c.app}\u0000${resourceName(c)}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  return [...groups.values()].map((cs) => connectionRow(cs, false));
}

/** The columns a table shows: `--columns` as asked, else the default ones (`--wide`: all), `found by` only when models ran. */
function connectionColumns(opts: TableOptions, byModels: boolean): string[] {
  if (opts.columns) return opts.columns;
  return CONNECTION_COLUMNS.filter((c) => (c !== 'found by' || byModels) && (opts.wide || !WIDE_ONLY.has(c)) && (c !== 'repo' || opts.tsv));
}

/** Names `--columns` may give, for the connection table. */
export function parseColumns(text: string): string[] {
  const asked = text.split(',').map((c) => c.trim().toLowerCase().replace(/[-_]/g, ' ')).filter(Boolean);
  const unknown = asked.filter((c) => !(CONNECTION_COLUMNS as readonly string[]).includes(c));
  if (unknown.length > 0 || asked.length === 0) throw new Error(`--columns: ${unknown.join(', ') || 'none given'}: one or more of ${CONNECTION_COLUMNS.join(', ')}`);
  return [...new Set(asked)];
}

/** What a suppression's count counts. */
const SUPPRESSED_UNIT: Record<SuppressionMechanism, string> = {
  'inline-comment': 'line(s)', 'ignore-file': 'secret(s)', 'config-ignore': 'secret(s)', 'config-path': 'file(s) not read', 'vendored-copy': 'file(s) not read',
  'placeholder-word': 'value(s) taken for placeholders', baseline: 'secret(s)', cap: 'match(es) not reported',
};

function secretCells(x: Secret, history: boolean): Record<string, string> {
  return printableCells({
    repo: x.repo, severity: x.severity, kind: x.kind, masked: x.masked, fingerprint: x.fingerprint.slice(0, 12), app: x.app, opens: x.resource ?? '', scope: x.scope,
    where: `${x.file}:${x.line}`, ...(history ? { commit: x.commit ? `${x.commit.slice(0, 12)} ${x.commitDate?.slice(0, 10) ?? ''}`.trim() : 'HEAD' } : {}),
    ...(x.value !== undefined ? { value: x.value } : {}),
  });
}

/**
 * Piped output: the connections as tab-separated rows with their repository (every column, `--columns` as asked),
 * then, after a blank line, the secrets likewise. No headings, boxes or summaries: lines for grep, cut and awk.
 */
function renderTsv(report: Report, opts: TableOptions): string {
  const shown = report.connections.filter((c) => opts.allScopes || SHIPPED_SCOPES.has(c.scope));
  const byModels = shown.some((c) => c.sources.some((x) => x !== 'static'));
  const columns = connectionColumns(opts, byModels);
  const rows = report.repos.flatMap((repo) => connectionRows(shown.filter((c) => c.repo === repo.path), opts.occurrences === true).map((cells) => ({ cells })));
  const out = [tsv(columns, rows, opts)];
  if (report.secrets.length > 0 && !opts.columns) {
    const history = report.secrets.some((x) => x.commit !== undefined);
    const reveal = report.secrets.some((x) => x.value !== undefined);
    const secretColumns = ['repo', 'severity', 'kind', 'masked', 'fingerprint', 'app', 'opens', 'scope', 'where', ...(history ? ['commit'] : []), ...(reveal ? ['value'] : [])];
    out.push('', tsv(secretColumns, report.secrets.map((x) => ({ cells: secretCells(x, history) })), opts));
  }
  return out.join('\n') + '\n';
}

/** A human table per repository: what each app connects to, its secrets, what was suppressed and skipped. */
export function renderTable(report: Report, opts: TableOptions = {}): string {
  if (opts.tsv) return renderTsv(report, opts);
  const out: string[] = [];
  for (const repo of report.repos) {
    const all = report.connections.filter((c) => c.repo === repo.path);
    const conns = opts.allScopes ? all : all.filter((c) => SHIPPED_SCOPES.has(c.scope));
    const hidden = all.length - conns.length;
    const resources = new Set(conns.map((c) => `${c.app}\u0000${resourceName(c)}`)).size;
    // Names come from repositories: every text written here is terminal-safe (cells are made so below).
    const where = printable(`${repo.path}${repo.commit ? ` @ ${repo.commit.slice(0, 12)}` : ''}`);
    const counts = `${repo.apps.length} app(s), ${resources} app × resource pair(s) in ${conns.length} place(s)`;
    // On one line when the terminal has room, else the counts under the repository.
    out.push(...(!opts.width || where.length + counts.length + 5 <= opts.width ? [`${where}  —  ${counts}`] : [where, `  ${counts}`]));
    // Who to call and which job deploys it: what an SRE needs next to the connections.
    for (const app of repo.apps) {
      if (!app.jenkinsJob && !app.owners?.length) continue;
      const owners = [...new Set((app.owners ?? []).map((o) => o.owner))].join(', ');
      out.push(printable(`  ${app.name}:${app.jenkinsJob ? ` jenkins ${app.jenkinsJob}` : ''}${owners ? `${app.jenkinsJob ? ';' : ''} owners ${owners}` : ''}`));
    }
    if (conns.length > 0) {
      // A "found by" column only when models ran: static-only tables stay as they were.
      const byModels = conns.some((c) => c.sources.some((x) => x !== 'static'));
      const columns = connectionColumns(opts, byModels);
      const rows = connectionRows(conns, opts.occurrences === true);
      // Grouped under an app heading: the app is said once, not on every row (a chosen --columns keeps it as a column).
      const grouped = !opts.columns && columns.includes('app');
      out.push(table(grouped ? columns.filter((c) => c !== 'app') : columns, rows.map((cells) => ({ ...(grouped ? { group: cells.app } : {}), cells })), opts));
    }
    if (hidden > 0) {
      const scopes = list(all.filter((c) => !SHIPPED_SCOPES.has(c.scope)).map((c) => c.scope));
      out.push(`${hidden} more in ${scopes} scope not listed (--scope ${scopes.split(', ')[0]} to list them)`);
    }
    const secrets = report.secrets.filter((s) => s.repo === repo.path)
      .sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
    if (secrets.length > 0) {
      const counts = (['high', 'medium', 'low'] as const).map((s) => `${secrets.filter((x) => x.severity === s).length} ${s}`).join(', ');
      out.push(`${secrets.length} hard-coded secret(s) (${counts}):`);
      const reveal = secrets.some((x) => x.value !== undefined);
      // A finding of --history is where a commit put it (HEAD no longer holds it): which commit, and when.
      const history = secrets.some((x) => x.commit !== undefined);
      out.push(table(
        ['severity', 'kind', 'masked', 'fingerprint', 'app', 'opens', 'scope', 'where', ...(history ? ['commit'] : []), ...(reveal ? ['value'] : [])],
        secrets.map((x) => ({ cells: secretCells(x, history) })),
        { ...opts, columns: undefined },
      ));
    }
    // What config, comments, a baseline or a cap kept out: a reviewer sees that something was hidden, and by what.
    const suppressed = report.suppressions.filter((s) => s.repo === repo.path);
    if (suppressed.length > 0) {
      const byMechanism = new Map<string, number>();
      for (const s of suppressed) byMechanism.set(s.mechanism, (byMechanism.get(s.mechanism) ?? 0) + s.count);
      out.push(`suppressed: ${[...byMechanism].map(([m, n]) => `${n} by ${m}`).join(', ')}${repo.configFiles?.length ? printable(` (config: ${repo.configFiles.join(', ')})`) : ''}`);
      const named = [...suppressed].sort((a, b) => b.count - a.count).slice(0, 5);
      for (const s of named) out.push(printable(`  ${s.count} ${SUPPRESSED_UNIT[s.mechanism]} by ${s.mechanism}: ${s.source}`));
      if (suppressed.length > named.length) out.push(`  … ${suppressed.length - named.length} more (-f json lists every one)`);
    }
    const skipped = report.skipped.filter((s) => s.repo === repo.path);
    if (skipped.length > 0) {
      const byReason = new Map<string, number>();
      for (const s of skipped) byReason.set(s.reason, (byReason.get(s.reason) ?? 0) + 1);
      out.push(`skipped ${skipped.length} file(s): ${[...byReason].sort((a, b) => b[1] - a[1]).map(([r, n]) => `${n} ${r}`).join(', ')}`);
      const rank = (r: string) => { const i = SKIP_INTEREST.indexOf(r); return i < 0 ? SKIP_INTEREST.length : i; };
      const named = [...skipped].sort((a, b) => rank(a.reason) - rank(b.reason)).slice(0, 5);
      for (const s of named) out.push(printable(`  ${s.file}: ${s.reason}${s.detail ? ` (${s.detail})` : ''}`));
      if (skipped.length > named.length) out.push(`  … ${skipped.length - named.length} more (-f json lists every file)`);
    }
    out.push('');
  }
  return out.join('\n');
}
