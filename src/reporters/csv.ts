import type { Connection, Report, Secret } from '../result-model.js';

export const CSV_COLUMNS: ReadonlyArray<keyof Connection> = [
  'repo', 'app', 'kind', 'host', 'port', 'database', 'username', 'hasPassword', 'passwordHardcoded', 'url', 'local',
  'file', 'line', 'scope', 'profile', 'valueSource', 'scanner', 'confidence', 'sources',
];

/**
 * RFC 4180 quoting; a leading =, +, -, @, TAB or CR is prefixed with ' so spreadsheets do not run it as
 * a formula (OWASP's CSV-injection list: a TAB or CR before `=` still starts one in some programs).
 */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = Array.isArray(value) ? value.join(' ') : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per connection. */
export function renderCsv(report: Report): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const c of report.connections) lines.push(CSV_COLUMNS.map((k) => csvCell(c[k])).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Secret columns for audit imports: masked preview and fingerprint, never a value (even with --show-secrets). */
export const SECRET_CSV_COLUMNS: ReadonlyArray<keyof Secret> = [
  'repo', 'app', 'file', 'line', 'kind', 'severity', 'masked', 'fingerprint', 'valueId', 'resource', 'scope', 'commit', 'commitDate',
];

/** One row per secret (`-f csv-secrets`): a second table, since its columns are not a connection's. */
export function renderSecretsCsv(report: Report): string {
  const lines = [SECRET_CSV_COLUMNS.join(',')];
  for (const s of report.secrets) lines.push(SECRET_CSV_COLUMNS.map((k) => csvCell(s[k])).join(','));
  return lines.join('\r\n') + '\r\n';
}
