/**
 * The terminal table. By default one row per app × resource (an app's MySQL appears once, with the profiles
 * and files it is written in, not once per profile file), shipped scopes only (main and deploy; tests, examples
 * and docs are counted, and listed when asked for with --scope), secrets by severity, skipped files summarised by
 * reason. Columns shrink and wrap to the terminal's width. `occurrences: true` gives the row-per-place table.
 */
import Table from 'cli-table3';
import { resourceName, severityRank, SHIPPED_SCOPES, type Connection, type Report, type SuppressionMechanism } from '../result-model.js';
import { printable } from '../text.js';

export interface TableOptions {
  color?: boolean;
  /** Total width to fit (the terminal's columns); unlimited when absent. */
  width?: number;
  /** One row per place a connection is written, as before the roll-up (`-f table-occurrences`). */
  occurrences?: boolean;
  /** List every scope (the user chose scopes with --scope); else tests, examples and docs are only counted. */
  allScopes?: boolean;
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

/** Columns a narrow terminal drops first, least needed first; the rest shrink and wrap. */
const DROPPABLE = ['found by', 'source', 'scope', 'user', 'fingerprint', 'opens', 'database'];
const MIN_COLUMN = 10;

const naturalWidth = (rows: string[][], head: string[], i: number) =>
  Math.max(head[i]!.length, ...rows.map((r) => Math.max(...(r[i] ?? '').split('\n').map((l) => l.length)))) + 2;

/**
 * Fits a table into `width` characters: drops the least needed columns while even their narrowest would not fit,
 * then takes characters from the widest columns (cells wrap), none below 10.
 */
function fitToWidth(head: string[], rows: string[][], width: number): { head: string[]; rows: string[][]; colWidths: number[] } {
  let keep = head.map((_, i) => i);
  const natural = head.map((_, i) => naturalWidth(rows, head, i));
  const borders = () => keep.length + 1;
  const minimum = () => keep.reduce((n, i) => n + Math.min(natural[i]!, MIN_COLUMN), 0) + borders();
  for (const name of DROPPABLE) {
    if (minimum() <= width || natural.reduce((n, w, i) => n + (keep.includes(i) ? w : 0), 0) + borders() <= width) break;
    keep = keep.filter((i) => head[i] !== name);
  }
  const widths = keep.map((i) => natural[i]!);
  let total = widths.reduce((a, b) => a + b, 0) + borders();
  while (total > width) {
    const widest = widths.indexOf(Math.max(...widths));
    if (widths[widest]! <= MIN_COLUMN) break;
    widths[widest]!--;
    total--;
  }
  return { head: keep.map((i) => head[i]!), rows: rows.map((r) => keep.map((i) => r[i] ?? '')), colWidths: widths };
}

function table(head: string[], rows: string[][], opts: TableOptions): string {
  const fitted = opts.width ? fitToWidth(head, rows, opts.width) : null;
  const t = new Table({
    head: fitted?.head ?? head,
    style: { head: [], border: [], compact: true },
    ...(fitted ? { colWidths: fitted.colWidths, wordWrap: true, wrapOnWordBoundary: false } : {}),
  });
  for (const r of fitted?.rows ?? rows) t.push(r);
  const text = t.toString();
  if (!opts.color) return text;
  // Colour is applied here, to the finished lines, rather than through cli-table3's styles: its colour library turns
  // itself off in some environments (CI=true) even on a terminal, and wrapping miscounts escape codes inside cells.
  // Whether to colour is this command's decision (NO_COLOR, --no-color). The header row(s) cyan, borders grey.
  const lines = text.split('\n');
  const headerEnd = lines.findIndex((l, i) => i > 0 && l.startsWith('├'));
  return lines.map((l, i) => (i > 0 && i < headerEnd ? `\u001b[36m${l}\u001b[39m` : /^[┌├└]/.test(l) ? `\u001b[90m${l}\u001b[39m` : l)).join('\n');
}

function rollUpRows(conns: readonly Connection[], byModels: boolean): string[][] {
  const groups = new Map<string, Connection[]>();
  for (const c of conns) {
    const k = `${c.app}\u0000${resourceName(c)}`;
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  return [...groups.values()].map((cs) => {
    const c = cs[0]!;
    const places = [...new Set(cs.map((x) => `${x.file}:${x.line}`))];
    return [
      c.app, c.kind, endpoint(c) + (c.local ? ' (local)' : ''), c.database ?? '', list(cs.map((x) => x.username ?? '')), password(cs),
      cs.some((x) => x.valueSource === 'literal') ? 'literal' : c.valueSource, list(cs.map((x) => x.scope)), list(cs.map((x) => x.profile ?? '')),
      places.length > 1 ? `${places[0]} (+${places.length - 1})` : places[0]!, ...(byModels ? [[...new Set(cs.flatMap((x) => x.sources))].join('+')] : []),
    ].map((cell) => printable(String(cell)));
  });
}

function occurrenceRows(conns: readonly Connection[], byModels: boolean): string[][] {
  return conns.map((c) => [
    c.app, c.kind, endpoint(c) + (c.local ? ' (local)' : ''), c.database ?? '', c.username ?? '', password([c]),
    c.valueSource, c.scope, c.profile ?? '', `${c.file}:${c.line}`, ...(byModels ? [c.sources.join('+')] : []),
  ].map((cell) => printable(String(cell))));
}

/** What a suppression's count counts. */
const SUPPRESSED_UNIT: Record<SuppressionMechanism, string> = {
  'inline-comment': 'line(s)', 'ignore-file': 'secret(s)', 'config-ignore': 'secret(s)', 'config-path': 'file(s) not read',
  'placeholder-word': 'value(s) taken for placeholders', baseline: 'secret(s)', cap: 'match(es) not reported',
};

/** A human table per repository: what each app connects to, its secrets, what was suppressed and skipped. */
export function renderTable(report: Report, opts: TableOptions = {}): string {
  const out: string[] = [];
  for (const repo of report.repos) {
    const all = report.connections.filter((c) => c.repo === repo.path);
    const conns = opts.allScopes ? all : all.filter((c) => SHIPPED_SCOPES.has(c.scope));
    const hidden = all.length - conns.length;
    const resources = new Set(conns.map((c) => `${c.app}\u0000${resourceName(c)}`)).size;
    // Names come from repositories: every text written here is terminal-safe (cells are made so below).
    out.push(printable(`${repo.path}${repo.commit ? ` @ ${repo.commit.slice(0, 12)}` : ''}  —  ${repo.apps.length} app(s), ${resources} app × resource pair(s) in ${conns.length} place(s)`));
    // Who to call and which job deploys it: what an SRE needs next to the connections.
    for (const app of repo.apps) {
      if (!app.jenkinsJob && !app.owners?.length) continue;
      const owners = [...new Set((app.owners ?? []).map((o) => o.owner))].join(', ');
      out.push(printable(`  ${app.name}:${app.jenkinsJob ? ` jenkins ${app.jenkinsJob}` : ''}${owners ? `${app.jenkinsJob ? ';' : ''} owners ${owners}` : ''}`));
    }
    if (conns.length > 0) {
      // A "found by" column only when models ran: static-only tables stay as they were.
      const byModels = conns.some((c) => c.sources.some((x) => x !== 'static'));
      const head = opts.occurrences
        ? ['app', 'kind', 'endpoint', 'database', 'user', 'password', 'source', 'scope', 'profile', 'where']
        : ['app', 'kind', 'endpoint', 'database', 'user', 'password', 'source', 'scope', 'profiles', 'where'];
      out.push(table([...head, ...(byModels ? ['found by'] : [])], opts.occurrences ? occurrenceRows(conns, byModels) : rollUpRows(conns, byModels), opts));
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
        secrets.map((x) => [x.severity, x.kind, x.masked, x.fingerprint.slice(0, 12), x.app, x.resource ?? '', x.scope, `${x.file}:${x.line}`,
          ...(history ? [x.commit ? `${x.commit.slice(0, 12)} ${x.commitDate?.slice(0, 10) ?? ''}`.trim() : 'HEAD'] : []), ...(x.value !== undefined ? [x.value] : [])].map(printable)),
        opts,
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
