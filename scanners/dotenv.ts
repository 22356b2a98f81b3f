/**
 * DotenvScanner: `.env`, `.env.<profile>`, `*.env`, `env-example*`. Parsed by dotenv (quotes, `export`,
 * multi-line values, comments); `${OTHER}` references to keys of the same file are
 * expanded, as docker compose and dotenv-expand do.
 */
import { parse } from 'dotenv';
import { profileFromPath, profileFromEnvironment } from '../src/profiles.js';
import { defineScanner, type SourceFile, type ScanOutput, type Setting } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
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
    const expanded = expand(value, vars);
    // `postgresql://${POSTGRES_USER}:${POSTGRES_PASSWORD}@db/app`: the password is reported on its own line, not again here.
    const derived = expanded !== value && /:\/\/[^@/\s]*\$[{A-Za-z_][^@/\s]*@/.test(value);
    settings.push({ path: [key], value: expanded, line: findKeyLine(lines, key) ?? 1, ...(derived ? { derived } : {}) });
  }
  const profile = profileFromPath(file.path);
  const out: ScanOutput = interpretSettings(settings, { profile: profile ?? profileFromEnvironment(settings) });
  // Only the plain `.env` is what docker compose and the app read by default.
  if (profile === null && /(^|\/)\.env$/.test(file.path)) out.definitions = vars;
  return out;
}

export default defineScanner({
  id: 'dotenv',
  description: '.env files',
  // `.envs/.production/.postgres`: one env file per service and stage, kept in an `.envs` folder (cookiecutter-django
  // and the projects generated from it); compose reads them through `env_file`.
  // `env-example-relational`, `.env-sample`, `env.template`: the sample an app's README says to copy to `.env`.
  // `.env-test`, `.env-build`, `.env_prod`: one file per stage, named with a dash as often as with a dot.
  files: ['.env', '.env.*', '*.env', '**/.envs/**', '.env[-_]*', '{env,dotenv}[-_.]{example,sample,template,dist}*'],
  // env-cmd's `.env-cmdrc` is JSON keyed by environment, not an env file.
  excludeFiles: ['.env-cmdrc*'],
  alwaysScan: true,
  scan: scanDotenv,
});
