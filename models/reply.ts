/**
 * What a model may answer, derived from the same zod schema as the inventory's findings,
 * so that the JSON Schema sent as `response_format` and the validation of every reply
 * cannot drift from what the scanners report. Passwords are never asked for.
 */
import { z } from 'zod';
import { Finding } from '../src/report-schema.js';

export const ModelFinding = Finding.pick({ kind: true, host: true, port: true, database: true, username: true, url: true }).extend({
  /** The snippet this connection was read from. */
  snippet: z.string(),
});
export type ModelFinding = z.infer<typeof ModelFinding>;

export const ModelReply = z.object({ connections: z.array(ModelFinding) });
export type ModelReply = z.infer<typeof ModelReply>;

/** The JSON Schema vLLM enforces with guided decoding (`response_format: {type: 'json_schema'}`). */
export function modelReplyJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ModelReply, { target: 'draft-7' }) as Record<string, unknown>;
}
