import type { Report } from '../result-model.js';

/** The public JSON contract (schema/report.schema.json). */
export function renderJson(report: Report): string {
  return JSON.stringify(report, null, 2) + '\n';
}
