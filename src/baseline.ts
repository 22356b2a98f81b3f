/**
 * A reviewer's baseline: the secret findings already known and accepted, by fingerprint (stable across runs,
 * src/secrets/detect.ts), so that a scan reports only what is new. The file is meant to be read in review:
 * rule, file, line and masked preview beside each fingerprint; never a raw value.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Report } from './result-model.js';

const BaselineEntry = z.object({
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/, 'a fingerprint is 32 hex digits'),
  rule: z.string(),
  file: z.string(),
  line: z.number().int().positive(),
  masked: z.string(),
}).strict();

export const BaselineFile = z.object({
  tool: z.literal('cmdb-scan'),
  version: z.literal(1),
  findings: z.array(BaselineEntry),
}).strict();
export type BaselineFile = z.infer<typeof BaselineFile>;

/** The baseline of a report: every secret finding it holds, in report order. */
export function baselineOf(report: Report): BaselineFile {
  return {
    tool: 'cmdb-scan',
    version: 1,
    findings: report.secrets.map((s) => ({ fingerprint: s.fingerprint, rule: s.kind, file: s.file, line: s.line, masked: s.masked })),
  };
}

/** Reads a baseline file; a missing, unparsable or malformed one is an error naming the file and what is wrong. */
export function readBaseline(file: string): Set<string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read the baseline (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${file}: the baseline is not JSON (${(e as Error).message})`);
  }
  const parsed = BaselineFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: not a cmdb-scan baseline: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  return new Set(parsed.data.findings.map((f) => f.fingerprint));
}

/** The report without the secrets the baseline accepts, and how many were left out. */
export function applyBaseline(report: Report, accepted: ReadonlySet<string>): { report: Report; suppressed: number } {
  const secrets = report.secrets.filter((s) => !accepted.has(s.fingerprint));
  return { report: { ...report, secrets }, suppressed: report.secrets.length - secrets.length };
}
