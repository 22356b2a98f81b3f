/**
 * TestEnvironmentScanner: the environment a Python test run is given, in the forms pytest-env and tox document.
 *   pytest.ini `[pytest]`, tox.ini `[pytest]`, setup.cfg `[tool:pytest]`:   env =
 *                                                                              EMAIL_HOST=smtp.example.org
 *                                                                              D:SECRET_KEY=…   (pytest-env flags)
 *   tox.ini `[testenv]`, `[testenv:py312]`:                                  setenv = DATABASE_URL = postgres://…
 *   pyproject.toml `[tool.pytest.ini_options] env = ["KEY=value", …]`, `[tool.pytest_env] KEY = "value"` or
 *   `KEY = { value = "…" }`
 * Each entry is a setting named by its variable, as an env file's are; the run they configure is the tests', so every
 * finding is scope `test`. Nothing else in these files (tool options, build metadata) is read.
 */
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import { escapeRegExp } from '../src/text.js';
import { onFirstUse } from '../src/on-first-use.js';

const toml = onFirstUse<typeof import('smol-toml')>('smol-toml');

/** Sections whose `env` (pytest-env) or `setenv` (tox) option is the test run's environment. */
const ENV_OPTION: Array<[section: RegExp, option: string]> = [
  [/^(pytest|tool:pytest)$/, 'env'],
  [/^testenv(:.*)?$/, 'setenv'],
];

/** `KEY=value`, with pytest-env's flag prefixes (`D:` only if unset, `R:` raw, `T:`/`U:` transform) dropped. */
function entry(text: string, line: number): Setting | null {
  const m = /^(?:[DRTU]+:)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(text.trim());
  return m ? { path: [m[1]!], value: m[2]!.trim(), line } : null;
}

/** INI dialects (configparser): an option's value goes on over the indented lines after it. */
function iniEntries(text: string): Setting[] {
  const lines = text.split('\n');
  const out: Setting[] = [];
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const header = /^\s*\[([^\]]+)\]/.exec(lines[i]!);
    if (header) {
      section = header[1]!.trim();
      continue;
    }
    const option = ENV_OPTION.find(([s]) => s.test(section))?.[1];
    const start = option ? new RegExp(`^${option}\\s*[=:]\\s*(.*)$`).exec(lines[i]!) : null;
    if (!start) continue;
    const first = entry(start[1]!, i + 1);
    if (first) out.push(first);
    while (i + 1 < lines.length && /^[ \t]+\S/.test(lines[i + 1]!)) {
      i++;
      if (/^\s*[#;]/.test(lines[i]!)) continue;
      const next = entry(lines[i]!, i + 1);
      if (next) out.push(next);
    }
  }
  return out;
}

/** pyproject.toml: the two tables pytest-env reads, each entry at the first line after its table that writes it. */
function pyprojectEntries(text: string): Setting[] | { problem: string } {
  let data: Record<string, unknown>;
  try {
    data = toml().parse(text) as Record<string, unknown>;
  } catch (e) {
    return { problem: `invalid TOML: ${(e as Error).message.split('\n')[0]}` };
  }
  const tool = (data.tool ?? {}) as Record<string, unknown>;
  const lines = text.split('\n');
  const headerLine = (name: string) => lines.findIndex((l) => new RegExp(`^\\s*\\[\\s*${escapeRegExp(name)}\\s*\\]`).test(l));
  const lineOf = (from: number, pattern: RegExp) => {
    for (let i = Math.max(from, 0); i < lines.length; i++) if (pattern.test(lines[i]!)) return i + 1;
    return from + 1;
  };
  const out: Setting[] = [];
  const iniOptions = ((tool.pytest ?? {}) as Record<string, unknown>).ini_options as Record<string, unknown> | undefined;
  const listed = iniOptions?.env;
  if (Array.isArray(listed)) {
    const from = headerLine('tool.pytest.ini_options');
    for (const item of listed) {
      if (typeof item !== 'string') continue;
      const setting = entry(item, lineOf(from, new RegExp(`["']${escapeRegExp(item)}["']`)));
      if (setting) out.push(setting);
    }
  }
  const table = tool.pytest_env;
  if (table && typeof table === 'object' && !Array.isArray(table)) {
    const from = headerLine('tool.pytest_env');
    for (const [key, raw] of Object.entries(table as Record<string, unknown>)) {
      const value = typeof raw === 'string' || typeof raw === 'number' ? String(raw)
        : raw && typeof raw === 'object' && 'value' in raw ? String((raw as { value: unknown }).value) : null;
      if (value !== null) out.push({ path: [key], value, line: lineOf(from, new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*=`)) });
    }
  }
  return out;
}

export function scanTestEnvironment(file: SourceFile): ScanOutput {
  const read = file.path.endsWith('.toml') ? pyprojectEntries(file.text) : iniEntries(file.text);
  if (!Array.isArray(read)) return { findings: [], error: { reason: 'parse-error', detail: read.problem } };
  if (read.length === 0) return { findings: [] };
  return { ...interpretSettings(read, { profile: 'test' }), scope: 'test' };
}

export default defineScanner({
  id: 'test-environment',
  description: "A Python test run's environment: pytest-env's env (pytest.ini, setup.cfg, pyproject.toml), tox's setenv",
  files: ['pytest.ini', 'tox.ini', 'setup.cfg', 'pyproject.toml'],
  scan: scanTestEnvironment,
});
