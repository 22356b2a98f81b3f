/**
 * TomlScanner: `settings.toml` (Dynaconf), `config.toml` and other TOML config. Parsed
 * with smol-toml (TOML 1.0); tables named after environments (`[production]`) are profiles.
 */
import { profileFromPath, splitByEnvironment } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import { escapeRegExp } from '../src/text.js';
import { flattenObject, vercelRewrites } from './formats/object.js';
import { onFirstUse } from '../src/on-first-use.js';

const toml = onFirstUse<typeof import('smol-toml')>('smol-toml');

/** Line of a key: after the header of its table (`[a.b]`), or a dotted key at top level. */
function tomlLineFinder(text: string): (path: string[]) => number {
  const lines = text.split('\n');
  const headers = new Map<string, number>();
  // `[[servers]]` opens one more element of an array of tables each time: element n starts at its n-th header.
  const arrayHeaders = new Map<string, number[]>();
  lines.forEach((l, i) => {
    const m = /^\s*\[(\[)?\s*([^\]]+?)\s*\]\]?/.exec(l);
    if (!m) return;
    const name = m[2]!.replace(/["'\s]/g, '');
    if (!headers.has(name)) headers.set(name, i);
    if (!m[1]) return;
    const elements = arrayHeaders.get(name);
    if (elements) elements.push(i);
    else arrayHeaders.set(name, [i]);
  });
  return (path) => {
    for (let split = path.length - 1; split >= 0; split--) {
      const table = path.slice(0, split).join('.');
      const element = arrayHeaders.get(table) && /^\d+$/.test(path[split] ?? '') ? arrayHeaders.get(table)![Number(path[split])] : undefined;
      const start = element ?? (split === 0 ? 0 : headers.get(table));
      if (start === undefined) continue;
      const key = path.slice(element !== undefined ? split + 1 : split).join('.');
      const pattern = new RegExp(`^\\s*["']?${escapeRegExp(key)}["']?\\s*=`);
      for (let i = start; i < lines.length; i++) {
        if (i > start && /^\s*\[/.test(lines[i]!)) break;
        if (pattern.test(lines[i]!)) return i + 1;
      }
    }
    return 1;
  };
}

export function scanToml(file: SourceFile): ScanOutput {
  let data: Record<string, unknown>;
  try {
    data = toml().parse(file.text) as Record<string, unknown>;
  } catch (e) {
    return { findings: [], error: { reason: 'parse-error', detail: `invalid TOML: ${(e as Error).message.split('\n')[0]}` } };
  }
  const flat = flattenObject(data, [], tomlLineFinder(file.text));
  const settings = /(^|\/)vercel\.toml$/.test(file.path) ? vercelRewrites(flat) : flat;
  const fileProfile = profileFromPath(file.path);
  const parts = splitByEnvironment(settings).map((p) => interpretSettings(p.settings, { profile: p.profile ?? fileProfile }));
  return { findings: parts.flatMap((p) => p.findings), secrets: parts.flatMap((p) => p.secrets) };
}

export default defineScanner({
  id: 'toml',
  description: 'TOML config files (Dynaconf settings.toml, config.toml)',
  files: ['*.toml'],
  excludeFiles: ['pyproject.toml', 'Cargo.toml', 'rustfmt.toml', '.rustfmt.toml', 'clippy.toml', 'netlify.toml', 'ruff.toml', '.ruff.toml', 'taplo.toml', 'rust-toolchain.toml', 'Pipfile', 'poetry.toml',
    // Static-site generators' configs (Hugo, mdBook): the docs site's own address and theme, not the app's.
    // Hugo's config directory (`config/_default/menus.en.toml`, `params.toml`): the site's menus and links.
    'hugo.toml', 'book.toml', '**/config/_default/**', 'menus.*.toml',
    // Gradle version catalogs (`gradle/libs.versions.toml`): library versions (`sqliteJdbc = "3.53.2.1"`), no settings.
    '*.versions.toml'],
  scan: scanToml,
});
