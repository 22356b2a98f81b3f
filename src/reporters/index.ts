import type { Report } from '../result-model.js';
import { renderCsv } from './csv.js';
import { renderHtml } from './html.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderTable } from './table.js';

export const FORMATS = ['table', 'json', 'csv', 'sarif', 'html'] as const;
export type Format = (typeof FORMATS)[number];

export function render(report: Report, format: Format, opts: { color?: boolean } = {}): string {
  switch (format) {
    case 'json': return renderJson(report);
    case 'csv': return renderCsv(report);
    case 'table': return renderTable(report, opts);
    case 'sarif': return renderSarif(report);
    case 'html': return renderHtml(report);
  }
}

export { renderCsv, renderHtml, renderJson, renderSarif, renderTable };
