/**
 * IniScanner: `*.ini`, `*.cnf` (MySQL option files), `*.cfg`. Values come from the `ini`
 * parser; a section is a group (`[client] host= user= password=`). In MySQL option
 * files every client section is MySQL, and server sections (`[mysqld]`) are not
 * connections.
 */
import { parse } from 'ini';
import { profileFromPath, splitByEnvironment } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import { flattenObject } from './formats/object.js';

/** Maps `section\u0000key` → line by reading section headers and keys in order. */
export function iniKeyLines(text: string): Map<string, number> {
  const lines = text.split('\n');
  const out = new Map<string, number>();
  let section = '';
  lines.forEach((line, i) => {
    const header = /^\s*\[([^\]]+)\]/.exec(line);
    if (header) {
      section = header[1]!.trim();
      return;
    }
    const kv = /^\s*([^=:;#\s][^=:]*?)\s*(?:[=:]|$)/.exec(line);
    if (kv) {
      const key = `${section}\u0000${kv[1]!.trim()}`;
      if (!out.has(key)) out.set(key, i + 1);
    }
  });
  return out;
}

export function scanIni(file: SourceFile): ScanOutput {
  let data: Record<string, unknown>;
  try {
    data = parse(file.text) as Record<string, unknown>;
  } catch (e) {
    return { findings: [], error: { reason: 'parse-error', detail: `invalid INI: ${(e as Error).message}` } };
  }
  const keyLines = iniKeyLines(file.text);
  const lineOf = (path: string[]) => keyLines.get(`${path.slice(0, -1).join('.')}\u0000${path[path.length - 1]}`) ?? 1;
  // Flatten without splitting keys: `sqlalchemy.url` is one key of section [alembic].
  // PasteDeploy's `[app:main]` (Pyramid, Pylons, CKAN) holds the application's own settings; `app` names the section's
  // type, not the app's listener (that is `[server:main]`), so the section is read by its name.
  const settings = flattenObject(data, [], lineOf).map((s) => (/^app:./i.test(s.path[0] ?? '') ? { ...s, path: [s.path[0]!.slice(4), ...s.path.slice(1)] } : s));
  const name = file.path.split('/').pop()!.toLowerCase();
  const isMysqlOptionFile = /\.cnf$/.test(name) || /^my(\.[a-z]+)?\.ini$/.test(name);
  const fileProfile = profileFromPath(file.path);
  const parts = splitByEnvironment(settings).map((part) =>
    interpretSettings(part.settings, { profile: part.profile ?? fileProfile, ...(isMysqlOptionFile ? { defaultKind: 'mysql' as const } : {}) }));
  return { findings: parts.flatMap((p) => p.findings), secrets: parts.flatMap((p) => p.secrets) };
}

export default defineScanner({
  id: 'ini',
  description: 'INI and MySQL option files (*.ini, *.cnf, *.cfg)',
  files: ['*.ini', '*.cnf', '*.cfg'],
  excludeFiles: ['setup.cfg', 'tox.ini', 'pytest.ini', '.flake8', 'mypy.ini', '.editorconfig', 'desktop.ini', '.coveragerc', 'pylintrc', '.pylintrc'],
  scan: scanIni,
});
