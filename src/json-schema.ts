import { z } from 'zod';
import { Report } from './report-schema.js';

/** The JSON Schema of the report, generated from the zod schema that the code itself uses. */
export function reportJsonSchema(): string {
  return JSON.stringify(z.toJSONSchema(Report, { target: 'draft-2020-12' }), null, 2) + '\n';
}
