/**
 * A reviewer's baseline: the secret findings already known and accepted, by fingerprint (stable across runs,
 * src/secrets/detect.ts), so that a scan reports only what is new. The file is meant to be read in review:
 * rule, file, line and masked preview beside each fingerprint; never a raw value.
 */
import { z } from 'zod';
import { readJsonFile } from './json-file.js';
import { combineSuppressions, compareSecrets, partitionSuppressed, type Report } from './result-model.js';

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
  const baseline = readJsonFile(file, BaselineFile, { the: 'the baseline', a: 'a cmdb-scan baseline' });
  return new Set(baseline.findings.map((f) => f.fingerprint));
}

/** The report without the secrets the baseline (the file `source`) accepts, counted per repository in its suppressions. */
export function applyBaseline(report: Report, accepted: ReadonlySet<string>, source: string): { report: Report; suppressed: number } {
  const hidden = partitionSuppressed(report.secrets, (s) => (accepted.has(s.fingerprint) ? { mechanism: 'baseline', source } : undefined));
  return {
    report: {
      ...report, secrets: hidden.secrets, suppressions: combineSuppressions([...report.suppressions, ...hidden.suppressions]),
      suppressedSecrets: [...report.suppressedSecrets, ...hidden.suppressedSecrets].sort(compareSecrets),
    },
    suppressed: hidden.suppressedSecrets.length,
  };
}
