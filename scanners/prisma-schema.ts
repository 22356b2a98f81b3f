/**
 * PrismaSchemaScanner: `schema.prisma` (and `prisma/schema/*.prisma`). A `datasource` block names the database the
 * Node app's Prisma client opens: `provider` says the engine, `url` (and `directUrl`, `shadowDatabaseUrl`) is a
 * literal connection string or `env("DATABASE_URL")`, which is read as the lookup `${DATABASE_URL}` (the `.env`
 * beside it resolves it in the second pass). The schema language is small and line-based; its blocks and
 * `key = value` fields are all this reads.
 */
import { profileFromPath } from '../src/profiles.js';
import type { Kind } from '../src/result-model.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';

/** Prisma's `provider` values and the engines they are. */
const PROVIDERS: Readonly<Record<string, Kind>> = {
  postgresql: 'postgresql', postgres: 'postgresql', cockroachdb: 'postgresql', mysql: 'mysql', sqlserver: 'sqlserver', mongodb: 'mongodb',
};

/** A field's value as a setting value: a string literal as written, `env("X")` as the lookup `${X}`. */
function valueOf(raw: string): string | null {
  const literal = /^"((?:[^"\\]|\\.)*)"/.exec(raw);
  if (literal) return literal[1]!.replace(/\\(.)/g, '$1');
  const env = /^env\(\s*"([^"]+)"\s*\)/.exec(raw);
  return env ? `\${${env[1]}}` : null;
}

export function scanPrismaSchema(file: SourceFile): ScanOutput {
  const lines = file.text.split('\n');
  const profile = profileFromPath(file.path);
  const settings: Setting[] = [];
  let block: string | null = null;
  let kind: Kind | null = null;
  let fields: Setting[] = [];
  const flush = () => {
    // Only an engine that is a server: `sqlite` is a file beside the app.
    if (block !== null && kind !== null) settings.push(...fields.map((f) => ({ ...f, path: [kind!, block!, ...f.path] })));
    block = null;
    kind = null;
    fields = [];
  };
  lines.forEach((text, i) => {
    // A comment starts a line or follows a space; `//` inside a URL (`mysql://…`) does not start one.
    const line = text.replace(/(^|\s)\/\/.*$/, '').trim();
    const open = /^datasource\s+(\w+)\s*\{$/.exec(line);
    if (open) {
      flush();
      block = open[1]!;
      return;
    }
    if (block === null) return;
    if (line === '}') return flush();
    const field = /^(\w+)\s*=\s*(.+)$/.exec(line);
    if (!field) return;
    const value = valueOf(field[2]!.trim());
    if (value === null) return;
    if (field[1] === 'provider') kind = PROVIDERS[value] ?? null;
    else if (/^(url|directUrl|shadowDatabaseUrl)$/.test(field[1]!)) fields.push({ path: [field[1]!], value, line: i + 1 });
  });
  flush();
  const interpreted = interpretSettings(settings, { profile, definitions: file.definitions });
  return { findings: interpreted.findings, secrets: interpreted.secrets };
}

export default defineScanner({
  id: 'prisma-schema',
  description: 'Prisma schema datasources (provider and url, env("…") lookups included)',
  files: ['*.prisma'],
  keywords: /\bdatasource\b/,
  scan: scanPrismaSchema,
});
