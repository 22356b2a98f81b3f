/**
 * A project's own settings for its scans: `.cmdb-scan.yml` (found from the scanned root upward, or named with
 * `--config`) and `.cmdbscanignore` at the root. Path allowlists, extra keywords, placeholder words, the project's
 * own token formats and in-house products, and secret findings a reviewer has accepted. Everything is data,
 * validated with zod; a file that is wrong stops the scan of its repository with a message naming the file, the
 * field and what is wrong.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { CustomProduct } from './catalog/index.js';
import type { ProjectFileRules } from './file-processor.js';
import { compileCustomRule } from './secrets/rules.js';

export const CONFIG_FILE_NAMES = ['.cmdb-scan.yml', '.cmdb-scan.yaml'] as const;
export const IGNORE_FILE_NAME = '.cmdbscanignore';

const RuleId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and dashes');

/** A secret finding a reviewer accepts: every field given must match. */
const IgnoreEntry = z.object({
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/, 'a fingerprint is 32 hex digits').optional(),
  path: z.string().min(1).optional(),
  rule: z.string().min(1).optional(),
  /** Why it is accepted, for the next reviewer. */
  reason: z.string().optional(),
}).strict().refine((e) => e.fingerprint !== undefined || e.path !== undefined || e.rule !== undefined, 'an ignore entry needs a fingerprint, a path or a rule');
export type IgnoreEntry = z.infer<typeof IgnoreEntry>;

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

/** What a repository's scan takes from its project config and ignore file. */
export interface ProjectConfig {
  /** The config file read, or null. */
  file: string | null;
  exclude: string[];
  include: string[];
  keywords: string[];
  fileRules: ProjectFileRules;
  ignore: IgnoreEntry[];
}

const EMPTY: Omit<ProjectConfig, 'file'> = {
  exclude: [], include: [], keywords: [], fileRules: { secretRules: [], products: [], placeholders: [] }, ignore: [],
};

/** The config file that governs `root`: the nearest `.cmdb-scan.yml` in it or a directory above it. */
export function findConfigFile(root: string): string | null {
  for (let dir = path.resolve(root); ; dir = path.dirname(dir)) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * The project config for a scan of `root`: `file` when given (`--config`), none when `false` (`--no-config`),
 * else the nearest one found upward; plus `.cmdbscanignore` at the root.
 */
export function projectConfigFor(root: string, file?: string | false): ProjectConfig {
  const configFile = file === false ? null : file ?? findConfigFile(root);
  const config: ProjectConfig = configFile ? readConfigFile(configFile) : { file: null, ...EMPTY };
  const ignoreFile = path.join(path.resolve(root), IGNORE_FILE_NAME);
  if (file !== false && existsSync(ignoreFile)) config.ignore = [...config.ignore, ...readIgnoreFile(ignoreFile)];
  return config;
}

function readConfigFile(file: string): ProjectConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`${file}: cannot read the config file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  let data: unknown;
  try {
    data = parseYaml(text) ?? {};
  } catch (e) {
    throw new Error(`${file}: the config file is not valid YAML (${(e as Error).message.split('\n')[0]})`);
  }
  const parsed = ConfigFile.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
  }
  const c = parsed.data;
  const secretRules = c.secrets?.rules ?? [];
  for (const rule of secretRules) {
    try {
      compileCustomRule(rule);
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
  }
  const products: CustomProduct[] = (c.connections?.kinds ?? []).map((k) => ({
    kind: k.kind as `x-${string}`, keyWords: k.keyWords, ...(k.port !== undefined ? { port: k.port } : {}), ...(k.schemes ? { schemes: k.schemes } : {}),
  }));
  return {
    file,
    exclude: c.paths?.exclude ?? [],
    include: c.paths?.include ?? [],
    // A file naming a project product only by its key words must still pass the pre-filter.
    keywords: [...new Set([...(c.keywords ?? []), ...products.flatMap((p) => p.keyWords)].map((k) => k.toLowerCase()))],
    fileRules: { secretRules, products, placeholders: c.secrets?.placeholders ?? [] },
    ignore: c.secrets?.ignore ?? [],
  };
}

/**
 * `.cmdbscanignore`: one entry per line — a fingerprint (32 hex digits, as in reports and baselines), `rule:<id>`,
 * or a path glob; `#` starts a comment. Fingerprints are what gitleaks' `.gitleaksignore` holds too, minus its
 * commit and path prefix (our fingerprint already depends on the path and not on the commit).
 */
function readIgnoreFile(file: string): IgnoreEntry[] {
  const out: IgnoreEntry[] = [];
  readFileSync(file, 'utf8').split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    if (/^[0-9a-f]{32}$/.test(line)) out.push({ fingerprint: line });
    else if (line.startsWith('rule:')) {
      const rule = line.slice(5).trim();
      if (rule === '') throw new Error(`${file}:${i + 1}: \`rule:\` names no rule`);
      out.push({ rule });
    } else if (/^[0-9a-f]{7,}(:|$)/.test(line) && !line.includes('/')) {
      throw new Error(`${file}:${i + 1}: not a fingerprint (32 hex digits), a rule:<id> or a path glob`);
    } else out.push({ path: line });
  });
  return out;
}

/** A test for secret findings the project's ignore entries accept. */
export function ignoredSecrets(entries: readonly IgnoreEntry[]): (s: { fingerprint: string; kind: string; file: string }) => boolean {
  if (entries.length === 0) return () => false;
  const tests = entries.map((e) => {
    const onPath = e.path !== undefined ? picomatch(e.path, { dot: true }) : null;
    return (s: { fingerprint: string; kind: string; file: string }) => (e.fingerprint === undefined || e.fingerprint === s.fingerprint)
      && (e.rule === undefined || e.rule === s.kind) && (onPath === null || onPath(s.file));
  });
  return (s) => tests.some((t) => t(s));
}
