/**
 * A JSON file of a known shape that a user hands over (a baseline, a model config, a batch discovery): read, parsed
 * and checked against its zod schema, or one error that names the file and the first thing wrong.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/** `the`: how a message names the file's role ("the baseline"); `a`: what it should have been ("a cmdb-scan baseline"). */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>, name: { the: string; a: string }): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read ${name.the} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: ${name.the} is not JSON (${(e as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: not ${name.a}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return parsed.data;
}
