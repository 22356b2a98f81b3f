/**
 * A project's own settings for its scans: `.cmdb-scan.yml` (found from the scanned root up to its git root, or the
 * operator's, named with `--config`) and `.cmdbscanignore` at the root. Path allowlists, extra keywords, placeholder
 * words, the project's own token formats and in-house products, and secret findings a reviewer has accepted.
 * Everything is data, validated with zod. The operator's file is trusted: an error in it stops the scan, naming the
 * file, the field and what is wrong. The repository's files are not: they are read within bounds (regular files,
 * size and entry caps), an entry that would hide everything is refused, and every entry carries where it is
 * written so that the report can count what each one hid (docs/security.md).
 */
import { closeSync, constants, existsSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { customProductCollision, type CustomProduct } from './catalog/index.js';
import { compileGlob } from './linear-match.js';
import { onFirstUse } from './on-first-use.js';
import type { PathRule } from './walker.js';
import type { ProjectFileRules } from './file-processor.js';
import { compileCustomRule } from './secrets/rules.js';

export const CONFIG_FILE_NAMES = ['.cmdb-scan.yml', '.cmdb-scan.yaml'] as const;
export const IGNORE_FILE_NAME = '.cmdbscanignore';

/**
 * The config file's schema, built on first use: most repositories have no config file, and zod is a tenth of a
 * second to load, which a pre-commit hook (`scan --staged`) would pay on every commit.
 */
function buildSchemas() {
  const { z } = zod();
  const RuleId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

  /** A secret finding a reviewer accepts: every field given must match. */
  const IgnoreEntry = z.object({
    fingerprint: z.string().regex(/^[0-9a-f]{12,32}$/, 'a fingerprint is 12 to 32 hex digits (a prefix as the table prints it)').optional(),
    path: z.string().min(1).optional(),
    rule: z.string().min(1).optional(),
    /** Why it is accepted, for the next reviewer. */
    reason: z.string().optional(),
  }).strict().refine((e) => e.fingerprint !== undefined || e.path !== undefined || e.rule !== undefined, 'an ignore entry needs a fingerprint, a path or a rule');

  const ConfigFile = z.object({
    version: z.literal(1).optional(),
    paths: z.object({
      /** Globs (as --exclude): files never read. */
      exclude: z.array(z.string().min(1)).optional(),
      /** Globs (as --include): only these files are read. */
      include: z.array(z.string().min(1)).optional(),
    }).strict().optional(),
    /** Words added to the keyword pre-filter (a file mentioning none of them is not parsed). */
    keywords: z.array(z.string().min(2)).optional(),
    secrets: z.object({
      placeholders: z.array(z.string().min(1)).optional(),
      rules: z.array(z.object({
        id: RuleId,
        pattern: z.string().min(1),
        prefixes: z.array(z.string().min(2)).optional(),
        minDistinct: z.number().int().positive().optional(),
        entropy: z.number().positive().max(8).optional(),
      }).strict()).optional(),
      ignore: z.array(IgnoreEntry).optional(),
    }).strict().optional(),
    connections: z.object({
      kinds: z.array(z.object({
        kind: z.string().regex(/^x-[a-z0-9][a-z0-9-]*$/, 'a project kind is `x-` and lower-case letters, digits and dashes'),
        keyWords: z.array(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, `_` and `-`')).min(1),
        port: z.number().int().min(1).max(65535).optional(),
        schemes: z.array(z.string().regex(/^[a-z][a-z0-9+.-]*$/, 'a URL scheme in lower case')).optional(),
      }).strict()).optional(),
    }).strict().optional(),
  }).strict();
  return { IgnoreEntry, ConfigFile };
}

const zod = onFirstUse<typeof import('zod')>('zod');
let schemas: ReturnType<typeof buildSchemas> | undefined;
const configSchemas = () => (schemas ??= buildSchemas());

/** A secret finding a reviewer accepts: every field given must match. */
export type IgnoreEntry = z.infer<ReturnType<typeof buildSchemas>['IgnoreEntry']>;

/** An accepted finding with where it is written, so that what it hides is counted against it. */
export type IgnoreRule = IgnoreEntry & { mechanism: 'ignore-file' | 'config-ignore'; source: string };

/** What a repository's scan takes from its project config and ignore file. */
export interface ProjectConfig {
  /** The files that applied, as the report names them (relative to the scanned root when inside it). */
  files: string[];
  exclude: PathRule[];
  include: PathRule[];
  keywords: string[];
  fileRules: ProjectFileRules;
  /** Where `fileRules.placeholders` are written, for the report. */
  placeholderSource: string | null;
  ignore: IgnoreRule[];
  /** Entries refused or doubtful, and repository config that was not applied: said on stderr, the scan goes on. */
  warnings: string[];
}

/** What a config file contributes; read-only, so that no repository's entries reach another's scan. */
type ConfigContents = Omit<ProjectConfig, 'files' | 'warnings'>;
const NO_CONFIG: Readonly<ConfigContents> = Object.freeze({
  exclude: [], include: [], keywords: [], fileRules: { secretRules: [], products: [], placeholders: [] }, placeholderSource: null, ignore: [],
});

/** Which config a scan reads. */
export interface ConfigChoice {
  /** The operator's config file (`--config`): trusted, and an error in it stops the scan. It replaces the repository's `.cmdb-scan.yml`. */
  file?: string;
  /**
   * Read what the repository supplies: its `.cmdb-scan.yml` (from the scanned root up to its git root) and
   * `.cmdbscanignore`. Untrusted: an entry that would hide everything is refused, a file that is wrong is not
   * applied (and said), and everything it hides is counted in the report.
   */
  repository: boolean;
}

/** The choice `--config <file>` / `--no-config` make, for a command that reads the repository's own config when `repository`. */
export function configChoice(config: string | false | undefined, repository: boolean): ConfigChoice {
  return { ...(typeof config === 'string' ? { file: config } : {}), repository: config !== false && repository };
}

/** Config and ignore files larger than this are not read: a committed link to /dev/zero or a 27 MB file is not config. */
export const MAX_CONFIG_BYTES = 256 * 1024;
/** Entries per ignore file or list. */
export const MAX_ENTRIES = 10_000;

/**
 * The repository's config file for a scan of `root`: the nearest `.cmdb-scan.yml` in it or a directory above it, up
 * to the repository's git root and no further (a config in a shared parent folder — /tmp, a clone cache, $HOME —
 * is not the repository's). Outside git, only `root` itself.
 */
export function findConfigFile(root: string): string | null {
  const start = path.resolve(root);
  const chain: string[] = [];
  for (let dir = start; ; dir = path.dirname(dir)) {
    chain.push(dir);
    if (existsSync(path.join(dir, '.git'))) break;
    if (path.dirname(dir) === dir) {
      chain.splice(1); // no git root above: the scanned folder is the repository
      break;
    }
  }
  for (const dir of chain) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (lstatOrNull(candidate) !== null) return candidate;
    }
  }
  return null;
}

function lstatOrNull(file: string): Stats | null {
  try {
    return lstatSync(file);
  } catch {
    return null;
  }
}

/**
 * The project config for a scan of `root`: the operator's file, or the repository's own when `choice.repository`,
 * plus the repository's `.cmdbscanignore` (when `choice.repository`). Errors in the operator's file throw; problems
 * in the repository's files become warnings and leave those files (or entries) out.
 */
export function projectConfigFor(root: string, choice: ConfigChoice): ProjectConfig {
  const absRoot = path.resolve(root);
  const shown = (file: string) => {
    const rel = path.relative(absRoot, path.resolve(file));
    return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel.split(path.sep).join('/') : file;
  };
  const files: string[] = [];
  const warnings: string[] = [];
  let contents: Readonly<ConfigContents> = NO_CONFIG;
  const configFile = choice.file ?? (choice.repository ? findConfigFile(absRoot) : null);
  if (configFile) {
    const trusted = choice.file !== undefined;
    try {
      contents = readConfigFile(shown(configFile), readConfigText(configFile, shown(configFile), trusted), trusted, (m) => warnings.push(m));
      files.push(shown(configFile));
    } catch (e) {
      if (trusted) throw e;
      warnings.push(`${(e as Error).message}; the repository's config is not applied`);
    }
  }
  const ignore = [...contents.ignore];
  const ignoreFile = path.join(absRoot, IGNORE_FILE_NAME);
  if (choice.repository && lstatOrNull(ignoreFile) !== null) {
    try {
      ignore.push(...readIgnoreFile(IGNORE_FILE_NAME, readConfigText(ignoreFile, IGNORE_FILE_NAME, false), (m) => warnings.push(m)));
      files.push(IGNORE_FILE_NAME);
    } catch (e) {
      warnings.push(`${(e as Error).message}; the ignore file is not applied`);
    }
  }
  return { ...contents, ignore, files, warnings };
}

/**
 * A config file's text: a regular file (a repository's may not be a link: lstat first, so a link to /dev/zero or
 * a FIFO is never opened) of at most MAX_CONFIG_BYTES.
 */
function readConfigText(file: string, name: string, followLinks: boolean): string {
  let stat: Stats;
  try {
    stat = followLinks ? statSync(file) : lstatSync(file);
  } catch (e) {
    throw new Error(`${name}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  if (!stat.isFile()) throw new Error(`${name}: not a regular file (${stat.isSymbolicLink() ? 'a symbolic link' : 'a device, FIFO or directory'})`);
  if (stat.size > MAX_CONFIG_BYTES) throw new Error(`${name}: ${stat.size} bytes, over the ${MAX_CONFIG_BYTES}-byte limit for a config file`);
  let fd: number | undefined;
  try {
    // Opened without following a link, so a file swapped for a link after the lstat is refused too.
    fd = openSync(file, constants.O_RDONLY | (followLinks ? 0 : constants.O_NOFOLLOW) | constants.O_NONBLOCK);
    const buf = Buffer.alloc(MAX_CONFIG_BYTES + 1);
    const n = readSync(fd, buf, 0, buf.length, 0);
    if (n > MAX_CONFIG_BYTES) throw new Error(`${name}: over the ${MAX_CONFIG_BYTES}-byte limit for a config file`);
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === undefined) throw e;
    throw new Error(`${name}: cannot read (${(e as NodeJS.ErrnoException).code})`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Paths no config entry should cover all of: a glob that matches every one of them hides the whole repository
 * (`**`, `*​*​/*`, `{**,x}`), whatever its spelling.
 */
const PROBE_PATHS = [
  'application.yml', 'src/main/resources/application-prod.yml', 'config/settings.py', 'deploy/k8s/secret.yaml', '.env',
  'app/src/index.ts', 'docker-compose.yml', 'a/b/c/d/e/f.json',
];

function coversEverything(test: (p: string) => boolean): boolean {
  return PROBE_PATHS.every(test);
}

const BLANKET = ' matches every file';

/** Compiles an entry's glob, or says why it is refused. */
function checkedGlob(glob: string): ((p: string) => boolean) | string {
  try {
    const test = compileGlob(glob);
    return coversEverything(test) ? `\`${glob}\`${BLANKET}` : test;
  } catch (e) {
    return (e as Error).message;
  }
}

function readConfigFile(name: string, text: string, trusted: boolean, warn: (m: string) => void): ConfigContents {
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (e) {
    throw new Error(`${name}: the config file is not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const parsed = configSchemas().ConfigFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${name}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const c = parsed.data;
  /** A repository's entry that would hide everything is left out; the operator's is applied and said. */
  const refuse = (where: string, why: string): boolean => {
    warn(`${name}: ${where}: ${why}; ${trusted ? 'applied as the operator asked' : 'a repository cannot hide every finding: entry not applied'}`);
    return !trusted;
  };
  const pathRules = (field: 'exclude' | 'include'): PathRule[] => (c.paths?.[field] ?? []).slice(0, MAX_ENTRIES).flatMap((glob, i) => {
    const where = `paths.${field}[${i}]`;
    const test = checkedGlob(glob);
    if (typeof test === 'string' && !test.endsWith(BLANKET)) throw new Error(`${name}: ${where}: ${test}`);
    // Including every file narrows nothing; excluding every file hides everything.
    if (typeof test === 'string' && field === 'exclude' && refuse(where, test)) return [];
    return [{ glob, source: `${name} ${where}` }];
  });
  const secretRules = c.secrets?.rules ?? [];
  for (const rule of secretRules) {
    try {
      compileCustomRule(rule);
    } catch (e) {
      throw new Error(`${name}: ${(e as Error).message}`);
    }
  }
  const products: CustomProduct[] = [];
  (c.connections?.kinds ?? []).forEach((k, i) => {
    const product: CustomProduct = { kind: k.kind as `x-${string}`, keyWords: k.keyWords, ...(k.port !== undefined ? { port: k.port } : {}), ...(k.schemes ? { schemes: k.schemes } : {}) };
    const collision = customProductCollision(product);
    // Built-in products win: a project kind may add words, never take a built-in product's.
    if (collision !== null) warn(`${name}: connections.kinds[${i}] (${k.kind}): ${collision}; kind not applied`);
    else products.push(product);
  });
  const ignore: IgnoreRule[] = [];
  (c.secrets?.ignore ?? []).slice(0, MAX_ENTRIES).forEach((entry, i) => {
    const rule = ignoreRule(entry, 'config-ignore', `${name} secrets.ignore[${i}]`, refuse, warn);
    if (rule) ignore.push(rule);
  });
  return {
    exclude: pathRules('exclude'),
    include: pathRules('include'),
    // A file naming a project product only by its key words must still pass the pre-filter.
    keywords: [...new Set([...(c.keywords ?? []), ...products.flatMap((p) => p.keyWords)].map((k) => k.toLowerCase()))],
    fileRules: { secretRules, products, placeholders: c.secrets?.placeholders?.slice(0, MAX_ENTRIES) ?? [] },
    placeholderSource: c.secrets?.placeholders?.length ? `${name} secrets.placeholders` : null,
    ignore,
  };
}

/**
 * An ignore entry as applied: a path glob that matches every file is refused (from a repository), one that cannot
 * be compiled is left out; an entry with only a rule hides that rule everywhere, which is applied but said.
 */
function ignoreRule(entry: IgnoreEntry, mechanism: IgnoreRule['mechanism'], source: string, refuse: (where: string, why: string) => boolean, warn: (m: string) => void): IgnoreRule | null {
  if (entry.path !== undefined) {
    const test = checkedGlob(entry.path);
    if (typeof test === 'string') {
      if (!test.endsWith(BLANKET)) return warn(`${source}: ${test}; entry not applied`), null;
      if (refuse(source, test)) return null;
    }
  } else if (entry.rule !== undefined && entry.fingerprint === undefined) {
    // Said, and applied: a project may retire a rule that does not fit its code; the report counts what it hides.
    warn(`${source}: hides every finding of rule ${entry.rule}; applied, and counted in the report`);
  }
  return { ...entry, mechanism, source };
}

/**
 * `.cmdbscanignore`: one entry per line — a fingerprint (32 hex digits, as in reports and baselines, or its first 12
 * or more as the table prints them), `rule:<id>`,
 * or a path glob; `#` starts a comment. Fingerprints are what gitleaks' `.gitleaksignore` holds too, minus its
 * commit and path prefix (our fingerprint already depends on the path and not on the commit). A line that is not
 * an entry is said and left out; the rest applies.
 */
function readIgnoreFile(name: string, text: string, warn: (m: string) => void): IgnoreRule[] {
  const out: IgnoreRule[] = [];
  const refuse = (where: string, why: string) => {
    warn(`${where}: ${why}; a repository cannot hide every finding: entry not applied`);
    return true;
  };
  const lines = text.split(/\r?\n/);
  if (lines.length > MAX_ENTRIES) warn(`${name}: more than ${MAX_ENTRIES} lines; the rest are not read`);
  lines.slice(0, MAX_ENTRIES).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    const source = `${name}:${i + 1}`;
    let entry: IgnoreEntry;
    // The whole fingerprint, or its first 12+ digits as the table prints them (as git takes a short commit id).
    if (/^[0-9a-f]{12,32}$/.test(line)) entry = { fingerprint: line };
    else if (line.startsWith('rule:')) {
      const rule = line.slice(5).trim();
      if (rule === '') return warn(`${source}: \`rule:\` names no rule; line not applied`);
      entry = { rule };
    } else if (/^[0-9a-f]{7,}(:|$)/.test(line) && !line.includes('/')) {
      return warn(`${source}: not a fingerprint (12 to 32 hex digits), a rule:<id> or a path glob; line not applied`);
    } else entry = { path: line };
    const rule = ignoreRule(entry, 'ignore-file', source, refuse, warn);
    if (rule) out.push(rule);
  });
  return out;
}

/** A test for secret findings the project's ignore entries accept: the first entry that accepts one, or undefined. */
export function ignoredSecrets(entries: readonly IgnoreRule[]): (s: { fingerprint: string; kind: string; file: string }) => IgnoreRule | undefined {
  if (entries.length === 0) return () => undefined;
  const tests = entries.map((e) => {
    const onPath = e.path !== undefined ? compileGlob(e.path) : null;
    return (s: { fingerprint: string; kind: string; file: string }) => (e.fingerprint === undefined || s.fingerprint.startsWith(e.fingerprint))
      && (e.rule === undefined || e.rule === s.kind) && (onPath === null || onPath(s.file));
  });
  return (s) => {
    const i = tests.findIndex((t) => t(s));
    return i < 0 ? undefined : entries[i];
  };
}
