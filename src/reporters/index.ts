import type { Report } from '../result-model.js';
import { renderCsv, renderSecretsCsv } from './csv.js';
import { renderBackstage, renderCmdbCsv, renderCmdbJson, renderDot, renderMermaid } from './exports.js';
import { renderGithubAnnotations } from './github.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

/** Every output format, one entry each: the CLI's choices and `render` both come from this map. */
/** What a format may take beyond the report: colour for the terminal table, the config-bypass notes in SARIF. */
export interface RenderOptions {
  color?: boolean;
  configBypass?: boolean;
  /** The terminal's width, for the table. */
  width?: number;
  /** The table lists every scope (the user chose scopes), not only shipped ones. */
  allScopes?: boolean;
  /** The table as tab-separated rows (piped), without a header row, with chosen columns, or with all of them. */
  tsv?: boolean;
  headers?: boolean;
  columns?: string[];
  wide?: boolean;
}

const scopesOf = (opts: RenderOptions) => (opts.allScopes ? { allScopes: true } : {});

const REPORTERS = {
  table: (report: Report, opts: RenderOptions) => renderTable(report, opts),
  'table-occurrences': (report: Report, opts: RenderOptions) => renderTable(report, { ...opts, occurrences: true }),
  json: renderJson,
  csv: renderCsv,
  'csv-secrets': renderSecretsCsv,
  sarif: (report: Report, opts: RenderOptions) => renderSarif(report, opts.configBypass === true ? { configBypass: true } : {}),
  html: (report) => renderHtml(report),
  github: renderGithubAnnotations,
  'cmdb-json': (report: Report, opts: RenderOptions) => renderCmdbJson(report, scopesOf(opts)),
  'cmdb-csv': (report: Report, opts: RenderOptions) => renderCmdbCsv(report, scopesOf(opts)),
  backstage: (report: Report, opts: RenderOptions) => renderBackstage(report, scopesOf(opts)),
  mermaid: (report: Report, opts: RenderOptions) => renderMermaid(report, scopesOf(opts)),
  dot: (report: Report, opts: RenderOptions) => renderDot(report, scopesOf(opts)),
} satisfies Record<string, (report: Report, opts: RenderOptions) => string>;

export type Format = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as Format[];

/**
 * Formats whose text may reach a terminal as rendered: the table escapes each value from a repository itself
 * (`printable`) and then adds colour escapes of its own, which a pass over the whole text would show as `\x1b`.
 * Every other format is made terminal-safe where the CLI writes it to a terminal.
 */
export const TERMINAL_SAFE_FORMATS: ReadonlySet<Format> = new Set<Format>(['table', 'table-occurrences']);

export function render(report: Report, format: Format, opts: RenderOptions = {}): string {
  return REPORTERS[format](report, opts);
}

export { CONNECTION_COLUMNS, parseColumns } from './table.js';
export { renderBackstage, renderCmdbCsv, renderCmdbJson, renderCsv, renderDot, renderGithubAnnotations, renderHtml, renderJson, renderMermaid, renderSarif, renderSecretsCsv, renderTable };
