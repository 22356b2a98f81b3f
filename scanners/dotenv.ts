/**
 * DotenvScanner: `.env`, `.env.<profile>`, `*.env`. Parsed by dotenv (quotes, `export`,
 * multi-line values, comments); `${OTHER}` references to keys of the same file are
 * expanded, as docker compose and dotenv-expand do.
 */
import { parse } from 'dotenv';
import { profileFromPath } from '../src/paths.js';
import { defineScanner, type SourceFile, type ScanOutput } from '../src/scanner.js';
import { findingsFromSettings, profileFromEnvironment, type Setting } from '../src/settings.js';
import { findKeyLine } from '../src/text.js';

function expand(value: string, vars: Record<string, string>, depth = 0): string {
  if (depth > 5) return value;
  return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, a?: string, b?: string) => {
    const name = (a ?? b)!;
    return name in vars && vars[name] !== value ? expand(vars[name]!, vars, depth + 1) : whole;
  });
}

export function scanDotenv(file: SourceFile): ScanOutput {
  const vars = parse(file.text.replace(/^\s*export\s+/gm, ''));
  const lines = file.text.split('\n');
  const settings: Setting[] = [];
  for (const [key, value] of Object.entries(vars)) {
    settings.push({ path: [key], value: expand(value, vars), line: findKeyLine(lines, key) ?? 1 });
  }
  return { findings: findingsFromSettings(settings, { profile: profileFromPath(file.path) ?? profileFromEnvironment(settings) }) };
}

export default defineScanner({
  id: 'dotenv',
  description: '.env files',
  files: ['.env', '.env.*', '*.env'],
  alwaysScan: true,
  scan: scanDotenv,
});
