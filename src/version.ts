import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package version, read from the nearest package.json (works from src/ under vitest and from dist/src/). */
function readVersion(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 4; i++) {
    const file = path.join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
    dir = path.dirname(dir);
  }
  return '0.0.0';
}

export const TOOL_VERSION = readVersion();

let rulesFingerprint: string | undefined;

/**
 * The package version plus a hash of the code that produces findings (src/ and scanners/, as
 * loaded): results stored by one build are reused only by the same build, even when a
 * development checkout changes rules without bumping the version.
 */
export function rulesVersion(): string {
  if (rulesFingerprint) return rulesFingerprint;
  const here = path.dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256').update(TOOL_VERSION);
  for (const dir of [here, path.join(here, '..', 'scanners')]) {
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.[jt]s$/.test(f) && !f.endsWith('.d.ts')).sort();
    for (const f of files) hash.update(f).update(readFileSync(path.join(dir, f)));
  }
  rulesFingerprint = `${TOOL_VERSION}+${hash.digest('hex').slice(0, 12)}`;
  return rulesFingerprint;
}
