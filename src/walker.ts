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
import ignore, { type Ignore } from 'ignore';
import { execFile } from 'node:child_process';
import fsCallback, { promises as fs, lstatSync, statSync, type Dirent } from 'node:fs';
import picomatch from 'picomatch';
import { compileGlob } from './linear-match.js';
import { onFirstUse } from './on-first-use.js';
import { vendoredCopies } from './paths.js';
import { gitReadEnvironment } from './untrusted-git.js';
import path from 'node:path';
import type { SkipReason } from './result-model.js';

// A git work tree is listed by git: fast-glob is loaded for the first tree that is not (and never by `scan --staged`).
const fg = onFirstUse<typeof import('fast-glob')>('fast-glob');

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

/**
 * Takes out of `files` (sorted) those inside a folder that is a copy of another project, and counts them per folder: the
 * repository decides this by its content (a licence file), so what it keeps out is reported, never dropped silently.
 */
function withoutVendoredCopies(files: WalkedFile[]): Map<string, number> {
  const hidden = new Map<string, number>();
  const copies = new Set(vendoredCopies(files.map((f) => f.path)));
  if (copies.size === 0) return hidden;
  const copyOf = (rel: string): string | undefined => {
    for (let slash = rel.indexOf('/'); slash > 0; slash = rel.indexOf('/', slash + 1)) {
      if (copies.has(rel.slice(0, slash))) return rel.slice(0, slash);
    }
    return undefined;
  };
  let kept = 0;
  for (const f of files) {
    const copy = copyOf(f.path);
    if (copy === undefined) files[kept++] = f;
    else hidden.set(copy, (hidden.get(copy) ?? 0) + 1);
  }
  files.length = kept;
  return hidden;
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
  /** Files the tool itself writes (the inventory and its -wal/-shm journal, absolute paths): never the repository's content. */
  ownFiles?: ReadonlySet<string>;
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
  /** Files kept out as another project's copy (src/paths.ts `vendoredCopies`), by the copy's folder. */
  hiddenAsVendored: Map<string, number>;
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
  const files = await fg()('**/.gitignore', { cwd: root, dot: true, ignore: exclude, followSymbolicLinks: false, suppressErrors: true });
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

/**
 * A name from the file system as text, or null when its bytes are not UTF-8: such a name cannot be written in
 * the result (paths are text everywhere after the walk), nor opened again by the text it would be shown as.
 */
function utf8Name(bytes: Buffer): string | null {
  const text = bytes.toString('utf8');
  return !text.includes('\ufffd') || Buffer.from(text).equals(bytes) ? text : null;
}

/** A path whose bytes are not UTF-8, named as far as its first such component (a file, or a directory nothing below which is read). */
function undecodablePart(bytes: Buffer): { path: string; directory: boolean } {
  // `/` is one byte that no multi-byte UTF-8 sequence contains, so components can be split before decoding.
  for (let start = 0; ;) {
    const slash = bytes.indexOf(0x2f, start);
    const end = slash === -1 ? bytes.length : slash;
    if (slash === -1 || utf8Name(bytes.subarray(start, end)) === null) return { path: bytes.subarray(0, end).toString('utf8'), directory: slash !== -1 };
    start = slash + 1;
  }
}

function undecodableDetail(directory: boolean): string {
  return directory ? 'directory name is not valid UTF-8; nothing in it is read' : 'file name is not valid UTF-8';
}

/** What an error says about a path; one too long for the system to open (ENAMETOOLONG) says so with its length. */
function unreadableDetail(e: NodeJS.ErrnoException, absolute: string): string {
  if (e.code === 'ENAMETOOLONG') return `path of ${Buffer.byteLength(absolute)} bytes is longer than the system allows (ENAMETOOLONG)`;
  return e.code ?? e.message;
}

/** JavaScript's line terminators: the `.` of every glob engine here (picomatch, fast-glob, RE2JS) stops at them. */
const LINE_TERMINATOR = /[\n\r\u2028\u2029]/;

/**
 * The text globs are tested against: a line break is a valid character in a file name, but `**` cannot cross a
 * directory whose name holds one, so built-in ignores and user globs would never apply below it. Read as U+FFFD.
 */
function globText(rel: string): string {
  return LINE_TERMINATOR.test(rel) ? rel.replace(new RegExp(LINE_TERMINATOR.source, 'g'), '\ufffd') : rel;
}

function specialKind(d: { isFIFO(): boolean; isSocket(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean }): string {
  return d.isFIFO() ? 'named pipe' : d.isSocket() ? 'socket' : d.isCharacterDevice() || d.isBlockDevice() ? 'device' : 'not a regular file';
}

/** A directory entry's type, from fast-glob's dirent or an lstat of a path git listed. */
type EntryType = Pick<Dirent, 'isDirectory' | 'isFile' | 'isSymbolicLink' | 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice'>;

/** What a listing met besides the paths it names: nothing here is dropped without a skipped entry or a scan. */
interface ListingFindings {
  /** Directories that could not be opened, with why. */
  unreadable: Array<{ path: string; detail: string }>;
  /** Names whose bytes are not UTF-8, shown with U+FFFD in their place. */
  undecodable: Array<{ path: string; directory: boolean }>;
  /** fast-glob only: entries below a directory whose name holds a line break, which its `**` never yields. */
  belowLineBreak: Array<{ path: string; dirent: EntryType }>;
}

/**
 * git's "could not open directory '<path>': <reason>" warnings, which it prints and goes on past. git cuts a message
 * at 4,096 bytes: one that ends before its reason names a path of about that length, and the part of it that is
 * whole (up to its last `/`) is the directory where it happened.
 */
function gitUnopenedDirectories(stderr: string): Array<{ path: string; detail: string }> {
  const marker = "could not open directory '";
  const found: Array<{ path: string; detail: string }> = [];
  for (let at = stderr.indexOf(marker); at !== -1;) {
    const next = stderr.indexOf(marker, at + marker.length);
    let message = stderr.slice(at + marker.length, next === -1 ? undefined : next);
    // A message ends where git's next line begins (a path may hold line breaks of its own).
    const tail = message.search(/\n(?:warning|error|fatal): |\n$/);
    if (tail !== -1) message = message.slice(0, tail);
    const close = message.lastIndexOf("': ");
    if (close !== -1) found.push({ path: message.slice(0, close).replace(/\/$/, ''), detail: message.slice(close + 3) });
    else found.push({ path: message.slice(0, Math.max(0, message.lastIndexOf('/'))), detail: 'a directory in it has a path too long to open (over 4,000 bytes)' });
    at = next;
  }
  return found;
}

/**
 * The files git says the repository holds: tracked ones (even when a later .gitignore lists them, a common
 * accident with `application-prod.yml`) plus untracked ones that are not ignored. Null outside a work tree.
 */
async function gitListing(root: string, noIgnore: boolean, findings: ListingFindings): Promise<string[] | null> {
  // Bytes, not text: a name that is not UTF-8, decoded, would name no file and vanish at its lstat.
  const run = (args: string[]) => new Promise<{ stdout: Buffer; stderr: Buffer } | null>((resolve) => {
    execFile('git', args, { cwd: root, maxBuffer: 512 * 1024 * 1024, encoding: 'buffer', env: gitReadEnvironment({ LC_ALL: 'C' }) },
      (err, stdout, stderr) => resolve(err ? null : { stdout, stderr }));
  });
  if ((await run(['rev-parse', '--is-inside-work-tree']))?.stdout.toString().trim() !== 'true') return null;
  const out = await run(['ls-files', '-z', '--cached', '--others', ...(noIgnore ? [] : ['--exclude-standard']), '--', '.']);
  if (out === null) return null;
  // git goes on past a directory it cannot open and says so on stderr: those become skipped entries.
  findings.unreadable.push(...gitUnopenedDirectories(out.stderr.toString('utf8')));
  // Deduplicated: a file with unmerged stages is listed once per stage.
  const paths = new Set<string>();
  const undecodable = new Set<string>();
  for (let start = 0; start < out.stdout.length;) {
    const nul = out.stdout.indexOf(0, start);
    const end = nul === -1 ? out.stdout.length : nul;
    const bytes = out.stdout.subarray(start, end);
    start = end + 1;
    if (bytes.length === 0) continue;
    const rel = utf8Name(bytes);
    if (rel !== null) paths.add(rel);
    else {
      const part = undecodablePart(bytes);
      if (!undecodable.has(part.path)) findings.undecodable.push(part);
      undecodable.add(part.path);
    }
  }
  return [...paths];
}

/**
 * fast-glob's file system, reading names as bytes. A directory that cannot be read is remembered instead of
 * vanishing (with `suppressErrors` it was skipped without a word; without it, the whole walk would stop); a name
 * that is not UTF-8 is remembered and kept from fast-glob (as text it names no file); entries below a directory
 * whose name holds a line break are remembered, because fast-glob reads them but never yields them.
 */
function recordingFs(root: string, findings: ListingFindings) {
  const readdir = ((dir: string, options: unknown, callback?: (err: NodeJS.ErrnoException | null, entries: unknown[]) => void) => {
    const cb = (typeof options === 'function' ? options : callback) as (err: NodeJS.ErrnoException | null, entries: unknown[]) => void;
    const withFileTypes = typeof options === 'object' && (options as { withFileTypes?: boolean } | null)?.withFileTypes === true;
    const rel = path.relative(root, dir).split(path.sep).join('/');
    fsCallback.readdir(dir, { withFileTypes: true, encoding: 'buffer' }, (err, entries) => {
      if (err) {
        // Gone since it was listed: nothing to read. Anything else is named.
        if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return cb(err, []);
        findings.unreadable.push({ path: rel, detail: err.code === 'EACCES' || err.code === 'EPERM' ? `${err.code}: permission denied` : unreadableDetail(err, dir) });
        return cb(null, []);
      }
      const named: unknown[] = [];
      for (const entry of entries) {
        const name = utf8Name(entry.name);
        if (name === null) {
          findings.undecodable.push({ path: rel ? `${rel}/${entry.name.toString('utf8')}` : entry.name.toString('utf8'), directory: entry.isDirectory() });
          continue;
        }
        const dirent = Object.assign(entry, { name }) as unknown as Dirent;
        if (LINE_TERMINATOR.test(rel)) findings.belowLineBreak.push({ path: `${rel}/${name}`, dirent });
        named.push(withFileTypes ? dirent : name);
      }
      cb(null, named);
    });
  }) as typeof fsCallback.readdir;
  return { readdir };
}

export async function walkRepository(root: string, opts: WalkOptions): Promise<WalkResult> {
  const absRoot = path.resolve(root);
  const realRoot = await fs.realpath(absRoot);
  const exclude = [...BUILTIN_IGNORES, ...(opts.exclude ?? [])];
  const found: ListingFindings = { unreadable: [], undecodable: [], belowLineBreak: [] };
  const listed = opts.useGit === false ? null : await gitListing(absRoot, opts.noIgnore === true, found);
  // Outside git, the .gitignore files decide; git applied them itself (and --no-ignore turns both off).
  const gitignores = listed || opts.noIgnore ? new Map<string, Ignore>() : await loadGitignores(absRoot, exclude);
  const files: WalkedFile[] = [];
  const skipped: WalkSkip[] = [];
  const pendingLinks: string[] = [];
  const hiddenByProject = new Map<string, number>();
  const hiddenBy = projectPathTest(opts.projectPaths);
  const included = opts.include && opts.include.length > 0 ? picomatch(opts.include, { dot: true }) : () => true;
  const excluded = picomatch(exclude, { dot: true });
  /** Whether the include and exclude globs keep a path out (where fast-glob has not decided it already). */
  const globbedOut = (rel: string, directory: boolean): boolean => excluded(globText(rel)) || (!directory && !included(globText(rel)));
  /**
   * One listed entry, decided as it comes: nothing per entry is kept but its outcome, so a repository of
   * 300,000 files does not hold 300,000 directory entries or Stats objects at once (measured: the walk of
   * 4.5 GB pushed the heap to 330 MB before the first file was read).
   */
  const consider = (rel: string, dirent: EntryType & { size?: number }): void => {
    if (dirent.isDirectory() || hasIgnoredExtension(rel)) return;
    if (gitignores.size > 0 && isGitIgnored(globText(rel), false, gitignores)) return;
    const rule = hiddenBy?.(globText(rel));
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
    if (opts.ownFiles?.has(absolute)) return;
    let size: number;
    try {
      // git's listing was lstat'ed already, and for a regular file that is its size.
      size = dirent.size ?? statSync(absolute).size;
    } catch (e) {
      skipped.push({ path: rel, reason: 'unreadable', detail: unreadableDetail(e as NodeJS.ErrnoException, absolute) });
      return;
    }
    if (size > opts.maxFileSize) {
      skipped.push({ path: rel, reason: 'too-large', detail: `${size} bytes exceeds the ${opts.maxFileSize}-byte limit` });
      return;
    }
    files.push({ path: rel, absolute, size });
  };
  if (listed) {
    for (const rel of listed) {
      if (globbedOut(rel, false)) continue;
      let stat;
      try {
        stat = lstatSync(path.join(absRoot, rel));
      } catch (e) {
        // Listed by git but gone from the work tree (deleted, not yet committed): nothing to read.
        const code = (e as NodeJS.ErrnoException).code;
        if (code !== 'ENOENT' && code !== 'ENOTDIR') found.unreadable.push({ path: rel, detail: unreadableDetail(e as NodeJS.ErrnoException, path.join(absRoot, rel)) });
        continue;
      }
      consider(rel, stat);
    }
  } else {
    // `**/*`, not `**`: fast-glob turns a bare `**` into a regex whose `.` cannot match a newline, so a file whose
    // name holds one was neither scanned nor listed as skipped. Streamed: entries are decided as they come.
    const patterns = opts.include && opts.include.length > 0 ? opts.include : ['**/*'];
    const stream = fg().stream(patterns, {
      cwd: absRoot, dot: true, ignore: exclude, followSymbolicLinks: false, onlyFiles: false,
      // objectMode, not stats: fast-glob's Stats objects cost ~1.3 KB per entry (50 MB for 40k files);
      // one statSync per regular file is cheaper in both time and memory.
      objectMode: true, suppressErrors: true, unique: patterns.length > 1, fs: recordingFs(absRoot, found),
    });
    for await (const entry of stream as AsyncIterable<{ path: string; dirent: EntryType }>) {
      // Below a directory whose name holds a line break, an include glob's `*` may match what `**` cannot: such
      // entries are all decided from what the file system recorded, so none is decided twice.
      if (!LINE_TERMINATOR.test(entry.path.slice(0, Math.max(0, entry.path.lastIndexOf('/'))))) consider(entry.path, entry.dirent);
    }
    for (const entry of found.belowLineBreak) if (!globbedOut(entry.path, entry.dirent.isDirectory())) consider(entry.path, entry.dirent);
  }
  for (const u of found.unreadable) skipped.push({ path: u.path || '.', reason: 'unreadable', detail: u.detail });
  // A name that is not UTF-8 is named as skipped wherever the same rules would have listed a readable one.
  for (const u of found.undecodable) {
    if (globbedOut(u.path, u.directory) || (!u.directory && hasIgnoredExtension(u.path))) continue;
    if (gitignores.size > 0 && isGitIgnored(globText(u.path), u.directory, gitignores)) continue;
    skipped.push({ path: u.path, reason: 'unreadable', detail: undecodableDetail(u.directory) });
  }
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
  const hiddenAsVendored = withoutVendoredCopies(files);
  return { files, skipped, hiddenByProject, hiddenAsVendored };
}
