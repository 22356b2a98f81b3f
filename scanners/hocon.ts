/**
 * HoconScanner: HOCON, the Typesafe Config format — Play's and Ktor's `application.conf`, Akka/Pekko's
 * `reference.conf`, Seata's client `registry.conf` and `file.conf`, and Hjson files, whose syntax is HOCON's JSON-like
 * part. Nested `key { … }` blocks, `key = value` and
 * `key: value`, dotted keys, quoted, triple-quoted and unquoted values, arrays, and `${?VAR}` lookups lower to
 * settings for the interpreter:
 *   registry { nacos { serverAddr = "localhost" } }          → registry.nacos.serverAddr = localhost (line of the value)
 *   db.default.url = ${?DATABASE_URL}                         → db.default.url = ${DATABASE_URL}
 *   seed-nodes = ["pekko://app@10.0.0.1:2552", "…"]          → one setting, each item at its own line
 * The npm HOCON readers build objects and keep no positions, so this is a small reader of its own: one pass over the
 * text with an explicit stack (no recursion for untrusted nesting, at most 64 levels read), every step consuming
 * input. It is lenient where real files are (`host = 10.0.0.5:8848` unquoted); `include` lines are left out, not
 * followed.
 */
import { profileFromPath } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import { lineLocator } from '../src/text.js';

interface Frame {
  kind: 'object' | 'array';
  path: string[];
  /** An array's scalar items, with the offset each starts at. */
  items: Array<{ value: string; at: number }>;
}

/**
 * Deepest nesting read: real files nest a dozen levels; below this, blocks are skipped whole (a repository's megabyte
 * of `a{a{a{…` would otherwise hold a path per level, quadratic memory).
 */
const MAX_DEPTH = 64;

const INLINE_SPACE = /[ \t\r\f\v\u00a0\ufeff]/;
/** What ends an unquoted key. */
const KEY_END = /[\s=:{}[\],#"+]/;
/** What ends a piece of an unquoted value (a `:` or `/` belongs to it: `10.0.0.5:8848`, `jdbc:h2:mem:play`). */
const VALUE_END = /[\s,{}[\]#"$]/;

/** Lowers HOCON text to settings: one per scalar value, and one per array of scalars. */
export function settingsFromHocon(text: string): Setting[] {
  const at = lineLocator(text);
  const settings: Setting[] = [];
  const frames: Frame[] = [{ kind: 'object', path: [], items: [] }];
  /** Blocks open below MAX_DEPTH, skipped without reading. */
  let skipped = 0;
  let i = 0;

  const skipLine = () => {
    while (i < text.length && text[i] !== '\n') i++;
  };
  const skipInlineSpace = () => {
    while (i < text.length && INLINE_SPACE.test(text[i]!)) i++;
  };
  /** Spaces, line breaks, commas and comments between entries. */
  const skipSeparators = () => {
    while (i < text.length) {
      const c = text[i]!;
      if (/\s/.test(c) || c === ',') i++;
      else if (c === '#' || text.startsWith('//', i)) skipLine();
      else return;
    }
  };
  /** A quoted string at `i` (`"…"` with escapes, or `"""…"""`), its text; an unterminated one ends at the line's end. */
  const readQuoted = (): string => {
    if (text.startsWith('"""', i)) {
      const end = text.indexOf('"""', i + 3);
      const body = text.slice(i + 3, end < 0 ? text.length : end);
      i = end < 0 ? text.length : end + 3;
      return body;
    }
    let out = '';
    i++;
    while (i < text.length && text[i] !== '"' && text[i] !== '\n') {
      if (text[i] === '\\' && i + 1 < text.length) {
        const e = text[i + 1]!;
        out += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        i += 2;
      } else out += text[i++];
    }
    if (text[i] === '"') i++;
    return out;
  };
  /** A key path: unquoted parts split at dots, quoted parts whole (`"a.b".c` is two parts). */
  const readKey = (): string[] => {
    const parts: string[] = [];
    let current = '';
    while (i < text.length) {
      const c = text[i]!;
      if (c === '"') current += readQuoted();
      else if (c === '.') {
        parts.push(current);
        current = '';
        i++;
      } else if (KEY_END.test(c) || text.startsWith('//', i)) break;
      else current += text[i++];
    }
    parts.push(current);
    return parts.every((p) => p === '') ? [] : parts.filter((p) => p !== '');
  };
  /** A value up to the end of its line, a comma, a brace or bracket, or a comment: its pieces joined as HOCON joins them. */
  const readValue = (): { value: string; at: number } | null => {
    const start = i;
    let value = '';
    let pieces = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (c === '\n' || c === ',' || c === '{' || c === '}' || c === '[' || c === ']' || c === '#') break;
      if (INLINE_SPACE.test(c)) {
        const from = i;
        skipInlineSpace();
        if (pieces > 0 && i < text.length && !/[\n,{}[\]#]/.test(text[i]!) && !text.startsWith('//', i)) value += text.slice(from, i);
        continue;
      }
      // `//` starts a comment only where a piece could start; inside one it is a URL's (`jdbc:mysql://…`).
      if (text.startsWith('//', i)) break;
      if (c === '"') value += readQuoted();
      else if (text.startsWith('${', i)) {
        const end = text.indexOf('}', i);
        const inner = text.slice(i + 2, end < 0 ? text.length : end).trim();
        i = end < 0 ? text.length : end + 1;
        // `${?X}`: X where it is set (an environment variable overriding the line above), the same lookup as `${X}`.
        value += `\${${inner.replace(/^\?/, '').trim()}}`;
      } else {
        const from = i;
        i++;
        while (i < text.length && !VALUE_END.test(text[i]!)) i++;
        value += text.slice(from, i);
      }
      pieces++;
    }
    return pieces === 0 ? null : { value, at: start };
  };
  const closeArray = (frame: Frame) => {
    if (frame.items.length === 0) return;
    const lines = frame.items.map((item) => at(item.at));
    settings.push({ path: frame.path, value: frame.items.map((item) => item.value).join(','), line: lines[0]!, ...(lines.length > 1 ? { itemLines: lines } : {}) });
  };
  /** The block or array whose bracket is at `i`: a frame to read, or past MAX_DEPTH a level skipped whole. */
  const open = (kind: Frame['kind'], path: string[]) => {
    i++;
    if (frames.length >= MAX_DEPTH) skipped++;
    else frames.push({ kind, path, items: [] });
  };
  /** What follows a key and its separator, or an array's item: an object, an array, or a scalar. */
  const readEntry = (path: string[]) => {
    const top = frames[frames.length - 1]!;
    if (text[i] === '{' || text[i] === '[') return open(text[i] === '{' ? 'object' : 'array', path);
    const value = readValue();
    if (value === null) return;
    if (top.kind === 'array') top.items.push(value);
    else settings.push({ path, value: value.value.trim(), line: at(value.at) });
    // `a = ${base} { … }`: an object merged onto a value.
    if (text[i] === '{') open('object', path);
  };

  while (i < text.length) {
    skipSeparators();
    if (i >= text.length) break;
    const top = frames[frames.length - 1]!;
    const c = text[i]!;
    if (skipped > 0) {
      if (c === '{' || c === '[') skipped++;
      else if (c === '}' || c === ']') skipped--;
      i++;
      continue;
    }
    if (c === '}' || c === ']') {
      i++;
      // A stray closing bracket is skipped; a matching one ends its frame (the root is never closed).
      if (frames.length > 1 && (c === '}') === (top.kind === 'object')) {
        frames.pop();
        if (top.kind === 'array') closeArray(top);
      }
      continue;
    }
    if (top.kind === 'array') {
      const before = i;
      readEntry(top.path);
      if (i === before) i++;
      continue;
    }
    // `include "x"`, `include required(file("x"))`: a directive; `include.dirs = …` is a key like any other.
    if (/^include\s+("|required\(|url\(|file\(|classpath\()/.test(text.slice(i, i + 24))) {
      skipLine();
      continue;
    }
    const key = readKey();
    if (key.length === 0) {
      i++; // not a key (a lone `=` or `+`): skipped, so that every turn consumes input
      continue;
    }
    skipInlineSpace();
    if (text.startsWith('+=', i)) i += 2;
    else if (text[i] === '=' || text[i] === ':') i++;
    skipInlineSpace();
    readEntry([...top.path, ...key]);
  }
  for (const frame of frames.reverse()) if (frame.kind === 'array') closeArray(frame);
  return settings;
}

export function scanHocon(file: SourceFile): ScanOutput {
  return interpretSettings(settingsFromHocon(file.text), { profile: profileFromPath(file.path), ...(file.definitions ? { definitions: file.definitions } : {}) });
}

export default defineScanner({
  id: 'hocon',
  description: 'HOCON (Typesafe Config): Play, Ktor and Akka/Pekko application.conf, Seata registry.conf and file.conf; Hjson',
  // Hjson (`*.hjson`, Lemmy's config) is written as HOCON's JSON-like subset: braces, `key: value` with quoted or
  // bare values, `#` and `//` comments, no commas needed.
  files: ['application.conf', 'application.*.conf', 'reference.conf', '*.hocon', 'registry.conf', 'file.conf', '*.hjson'],
  scan: scanHocon,
});
