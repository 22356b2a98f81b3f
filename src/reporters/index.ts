import type { Report } from '../model.js';
import { renderCsv } from './csv.js';
import { renderJson } from './json.js';
import { renderTable } from './table.js';

export const FORMATS = ['table', 'json', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

export function render(report: Report, format: Format, opts: { color?: boolean } = {}): string {
  switch (format) {
    case 'json': return renderJson(report);
    case 'csv': return renderCsv(report);
    case 'table': return renderTable(report, opts);
  }
}

export { renderCsv, renderJson, renderTable };
