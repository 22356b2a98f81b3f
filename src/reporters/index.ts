import type { Report } from '../result-model.js';
import { renderCsv, renderSecretsCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

/** Every output format, one entry each: the CLI's choices and `render` both come from this map. */
const REPORTERS = {
  table: (report: Report, opts: { color?: boolean }) => renderTable(report, opts),
  json: renderJson,
  csv: renderCsv,
  'csv-secrets': renderSecretsCsv,
  sarif: renderSarif,
  html: renderHtml,
} satisfies Record<string, (report: Report, opts: { color?: boolean }) => string>;

export type Format = keyof typeof REPORTERS;
export const FORMATS = Object.keys(REPORTERS) as Format[];

export function render(report: Report, format: Format, opts: { color?: boolean } = {}): string {
  return REPORTERS[format](report, opts);
}

export { renderCsv, renderHtml, renderJson, renderSarif, renderSecretsCsv, renderTable };
