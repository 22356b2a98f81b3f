/**
 * FileWalker: lists the files of one repository. In a git work tree, what git says the
 * repository holds (tracked files, even ones a .gitignore lists, and untracked files that
 * are not ignored); elsewhere fast-glob with every `.gitignore` on the way down. Either
 * way the built-in ignore list and user include/exclude globs apply.
 * Symbolic links are never traversed (as ripgrep and gitleaks do by default): a link
 * that points back into its own ancestry is reported as a loop, other directory links
 * as not followed, and file links are read through their target when it lies inside
 * the repository and is not already listed.
 */
import fg from 'fast-glob';
import ignore, { type Ignore } from 'ignore';
import { execFile } from 'node:child_process';
import fsCallback, { promises as fs, lstatSync, statSync, type Dirent } from 'node:fs';
import picomatch from 'picomatch';
import { compileGlob } from './linear-match.js';
import path from 'node:path';
import type { SkipReason } from './result-model.js';

/** Folders never worth reading: VCS metadata, dependencies, build output, caches. */
export const IGNORED_DIRECTORIES: readonly string[] = [
  '.git', '.hg', '.svn', 'node_modules', 'bower_components', 'vendor', 'dist', 'build', 'target', 'out', 'obj', '.gradle',
  '.idea', '.venv', 'venv', '__pycache__', '.tox', '.mypy_cache', '.pytest_cache', '.next', '.nuxt', 'coverage',
];

/** One brace pattern for all folders: fast-glob tests every path against each ignore pattern. */
export const BUILTIN_IGNORES: readonly string[] = [
  `**/{${IGNORED_DIRECTORIES.join(',')}}/**`,
  '**/*.{min.js,min.css,map,lock}', '**/*-lock.json', '**/go.sum', '**/pnpm-lock.yaml',
];

/**
 * Media, archives and compiled code: never configuration, and too many to list one by
 * one as skipped. Checked by extension after listing (a Set lookup), because a glob per
 * extension makes fast-glob test every path against dozens of patterns.
 */
export const IGNORED_EXTENSIONS: ReadonlySet<string> = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'svg', 'webp', 'tif', 'tiff', 'psd', 'mp3', 'mp4', 'avi', 'mov', 'wav',
  'flac', 'ogg', 'webm', 'woff', 'woff2', 'ttf', 'eot', 'otf', 'zip', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar', 'tar',
  'jar', 'war', 'ear', 'aar', 'apk', 'class', 'so', 'dll', 'dylib', 'exe', 'o', 'a', 'lib', 'pyc', 'pyo', 'whl', 'egg',
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx',
]);

function hasIgnoredExtension(rel: string): boolean {
  const dot = rel.lastIndexOf('.');
  return dot > rel.lastIndexOf('/') && IGNORED_EXTENSIONS.has(rel.slice(dot + 1).toLowerCase());
}

const builtinIgnored = picomatch([...BUILTIN_IGNORES], { dot: true });

/** Whether a repository path is one the walker never reads (dependencies, build output, media): `scan --history` asks too. */
export function isBuiltinIgnored(rel: string): boolean {
  return builtinIgnored(rel) || hasIgnoredExtension(rel);
}

/** A path glob from a project config, with where it is written (`.cmdb-scan.yml paths.exclude[0]`) for the report. */
export interface PathRule {
  glob: string;
  source: string;
}

export interface WalkOptions {
  include?: string[];
  exclude?: string[];
  /** Files larger than this many bytes are skipped. */
  maxFileSize: number;
  /** Read every file, .gitignore'd or not (ripgrep's --no-ignore); the built-in ignores still apply. */
  noIgnore?: boolean;
  /** In a git work tree, list files with git (default); false walks the directory as if git were absent. */
  useGit?: boolean;
  /**
   * A project config's path rules (src/project-config.ts): files they keep out are counted per rule, because a
   * repository's own config must not hide files without the report saying so. Matched in linear time.
   */
  projectPaths?: { exclude: readonly PathRule[]; include: readonly PathRule[] };
}

export interface WalkedFile {
  /** Repository-relative path with forward slashes. */
  path: string;
  absolute: string;
  size: number;
}

export interface WalkSkip {
  path: string;
  reason: SkipReason;
  detail: string;
}

export interface WalkResult {
  files: WalkedFile[];
  skipped: WalkSkip[];
  /** Files the project config's path rules kept out, by where the rule is written. */
  hiddenByProject: Map<string, number>;
}

/** Which project path rule keeps a path out: the source of the first exclude that matches, or of the includes when none does. */
function projectPathTest(rules: WalkOptions['projectPaths']): ((rel: string) => string | null) | null {
  if (!rules || (rules.exclude.length === 0 && rules.include.length === 0)) return null;
  const exclude = rules.exclude.map((r) => ({ test: compileGlob(r.glob), source: r.source }));
  const include = rules.include.map((r) => compileGlob(r.glob));
  const includeSource = rules.include.length > 0 ? rules.include.map((r) => r.source).join(', ') : null;
  return (rel) => {
    for (const e of exclude) if (e.test(rel)) return e.source;
    return includeSource !== null && !include.some((t) => t(rel)) ? `not in ${includeSource}` : null;
  };
}

async function loadGitignores(root: string, exclude: string[]): Promise<Map<string, Ignore>> {
  const files = await fg('**/.gitignore', { cwd: root, dot: true, ignore: exclude, followSymbolicLinks: false, suppressErrors: true });
  const byDir = new Map<string, Ignore>();
  for (const rel of files) {
    try {
      const text = await fs.readFile(path.join(root, rel), 'utf8');
      byDir.set(path.posix.dirname(rel), ignore().add(text));
    } catch {
      // An unreadable .gitignore ignores nothing; the files below it are still scanned.
    }
  }
  return byDir;
}

/** Decides a path against every .gitignore from the root down; a deeper file's negation wins. */
function isGitIgnored(rel: string, isDir: boolean, byDir: Map<string, Ignore>): boolean {
  let ignored = false;
  const parts = rel.split('/');
  for (let depth = 0; depth < parts.length; depth++) {
    const dir = depth === 0 ? '.' : parts.slice(0, depth).join('/');
    const ig = byDir.get(dir);
    if (!ig) continue;
    const sub = parts.slice(depth).join('/') + (isDir ? '/' : '');
    // A file below an ignored directory is ignored too.
    for (let k = depth + 1; k < parts.length; k++) {
      if (ig.ignores(parts.slice(depth, k).join('/') + '/')) return true;
    }
    const r = ig.test(sub);
    if (r.ignored) ignored = true;
    else if (r.unignored) ignored = false;
  }
  return ignored;
}

function specialKind(d: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  return d.isFIFO() ? 'named pipe' : d.isSocket() ? 'socket' : d.isCharacterDevice() || d.isBlockDevice() ? 'device' : 'not a regular file';
}

/** A directory entry's type, from fast-glob's dirent or an lstat of a path git listed. */
type EntryType = Pick<Dirent, 'isDirectory' | 'isFile' | 'isSymbolicLink' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>;

/**
 * The files git says the repository holds: tracked ones (even when a later .gitignore lists them, a common
 * accident with `application-prod.yml`) plus untracked ones that are not ignored. Null outside a work tree.
 */
async function gitListing(root: string, noIgnore: boolean, unreadable: Array<{ path: string; detail: string }>): Promise<string[] | null> {
  const run = (args: string[]) => new Promise<{ stdout: string; stderr: string } | null>((resolve) => {
    execFile('git', args, { cwd: root, maxBuffer: 512 * 1024 * 1024, encoding: 'utf8', env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', LC_ALL: 'C' } },
      (err, stdout, stderr) => resolve(err ? null : { stdout, stderr }));
  });
  if ((await run(['rev-parse', '--is-inside-work-tree']))?.stdout.trim() !== 'true') return null;
  const out = await run(['ls-files', '-z', '--cached', '--others', ...(noIgnore ? [] : ['--exclude-standard']), '--', '.']);
  if (out === null) return null;
  // git goes on past a directory it cannot open and says so on stderr: those become skipped entries.
  for (const m of out.stderr.matchAll(/could not open directory '([^']+)': (.+)/g)) unreadable.push({ path: m[1]!.replace(/\/$/, ''), detail: m[2]! });
  // Deduplicated: a file with unmerged stages is listed once per stage.
  return [...new Set(out.stdout.split('\0').filter(Boolean))];
}

/**
 * fast-glob's file system with one change: a directory that cannot be read is remembered instead of
 * vanishing (with `suppressErrors` it was skipped without a word; without it, the whole walk would stop).
 */
function recordingFs(root: string, unreadable: Array<{ path: string; detail: string }>) {
  const readdir = ((dir: string, options: unknown, callback?: (err: NodeJS.ErrnoException | null, entries: unknown[]) => void) => {
    const cb = (typeof options === 'function' ? options : callback) as (err: NodeJS.ErrnoException | null, entries: unknown[]) => void;
    const done = (err: NodeJS.ErrnoException | null, entries: unknown[]) => {
      if (err && (err.code === 'EACCES' || err.code === 'EPERM')) {
        unreadable.push({ path: path.relative(root, dir).split(path.sep).join('/'), detail: `${err.code}: permission denied` });
        return cb(null, []);
      }
      cb(err, entries);
    };
    if (typeof options === 'function') fsCallback.readdir(dir, done as never);
    else fsCallback.readdir(dir, options as never, done as never);
  }) as typeof fsCallback.readdir;
  return { readdir };
}

export async function walkRepository(root: string, opts: WalkOptions): Promise<WalkResult> {
  const absRoot = path.resolve(root);
  const realRoot = await fs.realpath(absRoot);
  const exclude = [...BUILTIN_IGNORES, ...(opts.exclude ?? [])];
  const unreadable: Array<{ path: string; detail: string }> = [];
  const listed = opts.useGit === false ? null : await gitListing(absRoot, opts.noIgnore === true, unreadable);
  // Outside git, the .gitignore files decide; git applied them itself (and --no-ignore turns both off).
  const gitignores = listed || opts.noIgnore ? new Map<string, Ignore>() : await loadGitignores(absRoot, exclude);
  const files: WalkedFile[] = [];
  const skipped: WalkSkip[] = [];
  const pendingLinks: string[] = [];
  const hiddenByProject = new Map<string, number>();
  const hiddenBy = projectPathTest(opts.projectPaths);
  /**
   * One listed entry, decided as it comes: nothing per entry is kept but its outcome, so a repository of
   * 300,000 files does not hold 300,000 directory entries or Stats objects at once (measured: the walk of
   * 4.5 GB pushed the heap to 330 MB before the first file was read).
   */
  const consider = (rel: string, dirent: EntryType & { size?: number }): void => {
    if (dirent.isDirectory() || hasIgnoredExtension(rel)) return;
    if (gitignores.size > 0 && isGitIgnored(rel, false, gitignores)) return;
    const rule = hiddenBy?.(rel);
    if (rule) {
      hiddenByProject.set(rule, (hiddenByProject.get(rule) ?? 0) + 1);
      return;
    }
    if (dirent.isSymbolicLink()) {
      pendingLinks.push(rel);
      return;
    }
    if (!dirent.isFile()) {
      // Reading a FIFO blocks for ever and a device never ends: named, never opened.
      skipped.push({ path: rel, reason: 'special-file', detail: specialKind(dirent) });
      return;
    }
    const absolute = path.join(absRoot, rel);
    let size: number;
    try {
      // git's listing was lstat'ed already, and for a regular file that is its size.
      size = dirent.size ?? statSync(absolute).size;
    } catch (e) {
      skipped.push({ path: rel, reason: 'unreadable', detail: (e as NodeJS.ErrnoException).code ?? (e as Error).message });
      return;
    }
    if (size > opts.maxFileSize) {
      skipped.push({ path: rel, reason: 'too-large', detail: `${size} bytes exceeds the ${opts.maxFileSize}-byte limit` });
      return;
    }
    files.push({ path: rel, absolute, size });
  };
  if (listed) {
    const included = opts.include && opts.include.length > 0 ? picomatch(opts.include, { dot: true }) : () => true;
    const excluded = picomatch(exclude, { dot: true });
    for (const rel of listed) {
      if (!included(rel) || excluded(rel)) continue;
      let stat;
      try {
        stat = lstatSync(path.join(absRoot, rel));
      } catch (e) {
        // Listed by git but gone from the work tree (deleted, not yet committed): nothing to read.
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') unreadable.push({ path: rel, detail: code ?? (e as Error).message });
        continue;
      }
      consider(rel, stat);
    }
  } else {
    // `**/*`, not `**`: fast-glob turns a bare `**` into a regex whose `.` cannot match a newline, so a file whose
    // name holds one was neither scanned nor listed as skipped. Streamed: entries are decided as they come.
    const patterns = opts.include && opts.include.length > 0 ? opts.include : ['**/*'];
    const stream = fg.stream(patterns, {
      cwd: absRoot, dot: true, ignore: exclude, followSymbolicLinks: false, onlyFiles: false,
      // objectMode, not stats: fast-glob's Stats objects cost ~1.3 KB per entry (50 MB for 40k files);
      // one statSync per regular file is cheaper in both time and memory.
      objectMode: true, suppressErrors: true, unique: patterns.length > 1, fs: recordingFs(absRoot, unreadable),
    });
    for await (const entry of stream as AsyncIterable<{ path: string; dirent: EntryType }>) consider(entry.path, entry.dirent);
  }
  for (const u of unreadable) skipped.push({ path: u.path || '.', reason: 'unreadable', detail: u.detail });
  // Links are read under their real name once: a link to a regular file the walk listed adds nothing.
  const listedReal = new Set<string>();
  if (pendingLinks.length > 0) {
    for (const f of files) listedReal.add(path.join(realRoot, f.path));
    for (const k of skipped) if (k.reason === 'too-large' || k.reason === 'unreadable') listedReal.add(path.join(realRoot, k.path));
  }
  for (const rel of pendingLinks) {
    const absolute = path.join(absRoot, rel);
    let target: string;
    try {
      target = await fs.realpath(absolute);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      skipped.push({ path: rel, reason: code === 'ELOOP' ? 'symlink-loop' : 'unreadable', detail: code === 'ELOOP' ? 'link resolves to itself' : `broken symbolic link (${code})` });
      continue;
    }
    const stat = await fs.stat(target).catch(() => null);
    if (stat?.isDirectory()) {
      const linkDir = path.dirname(path.join(realRoot, rel));
      const loops = linkDir === target || linkDir.startsWith(target + path.sep);
      skipped.push(loops
        ? { path: rel, reason: 'symlink-loop', detail: `directory link points back to its ancestor ${path.relative(realRoot, target) || '.'}` }
        : { path: rel, reason: 'symlink', detail: 'directory links are not followed' });
      continue;
    }
    const inside = target === realRoot || target.startsWith(realRoot + path.sep);
    if (!inside) {
      skipped.push({ path: rel, reason: 'symlink', detail: 'link points outside the repository; not followed' });
      continue;
    }
    if (stat && !stat.isFile()) {
      skipped.push({ path: rel, reason: 'special-file', detail: `link to a ${specialKind(stat)}` });
      continue;
    }
    if (!stat || listedReal.has(target)) continue; // read under its real name
    listedReal.add(target);
    if (stat.size > opts.maxFileSize) {
      skipped.push({ path: rel, reason: 'too-large', detail: `${stat.size} bytes exceeds the ${opts.maxFileSize}-byte limit` });
      continue;
    }
    files.push({ path: rel, absolute: target, size: stat.size });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  skipped.sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, skipped, hiddenByProject };
}
