/**
 * Patterns that input supplies — a repository's own token rules and ignore globs — matched in linear time.
 * V8's regular expressions backtrack: `(a+)+b` or a glob of many stars over a long name can take minutes on
 * the main thread, where no timeout reaches it. RE2JS (the JavaScript port of RE2) runs an automaton instead:
 * time proportional to the input whatever the pattern, at the price of backreferences and lookarounds, which
 * are refused when the pattern is compiled.
 */
import type { RE2JS } from 're2js';
import { onFirstUse } from './on-first-use.js';

/** Loaded when a repository brings a pattern: most scans (and every pre-commit hook without one) never compile one. */
const re2 = onFirstUse<typeof import('re2js')>('re2js');

/** Longer patterns are refused: an automaton's size grows with its pattern. */
export const MAX_PATTERN_LENGTH = 1024;

/** One match: where it starts, the whole match, and its first group (when the pattern has one). */
export interface LinearMatch {
  index: number;
  text: string;
  group1: string | undefined;
}

/** A compiled pattern whose every search is linear in the text. */
export interface LinearRegex {
  readonly source: string;
  /** Every non-overlapping match, left to right. */
  matchAll(text: string): Generator<LinearMatch>;
  test(text: string): boolean;
}

/** Compiles a regular expression for linear matching; throws, naming what is unsupported, when RE2 cannot run it. */
export function compileLinearRegex(source: string): LinearRegex {
  if (source.length > MAX_PATTERN_LENGTH) throw new Error(`the pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  let compiled: RE2JS;
  try {
    compiled = re2().RE2JS.compile(source);
  } catch (e) {
    throw new Error(`${(e as Error).message} (patterns run on a linear-time engine: no backreferences or lookarounds)`);
  }
  return {
    source,
    *matchAll(text) {
      const m = compiled.matcher(text);
      let from = 0;
      while (from <= text.length && m.find(from)) {
        const start = m.start();
        const end = m.end();
        yield { index: start, text: m.group() ?? '', group1: m.groupCount() >= 1 ? m.group(1) ?? undefined : undefined };
        from = end > start ? end : end + 1;
      }
    },
    test: (text) => compiled.matcher(text).find(),
  };
}

/**
 * A glob as a path test, with picomatch's meaning for what both support (`dot: true`, the whole path): `*` and
 * `?` within a segment, `**` across segments, `[...]` classes, `{a,b}` alternatives, `\` escapes. Extglobs
 * (`+(a|b)`) are not globs here: their characters match themselves.
 */
export function compileGlob(glob: string): (path: string) => boolean {
  if (glob.length > MAX_PATTERN_LENGTH) throw new Error(`the glob is longer than ${MAX_PATTERN_LENGTH} characters`);
  const { RE2JS: engine } = re2();
  const regex = engine.compile(`^(?:${globSource(glob.replace(/^\.\//, ''))})$`, engine.DOTALL);
  return (path) => regex.matches(path);
}

const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|]/;

function globSource(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') {
      let j = i;
      while (glob[j + 1] === '*') j++;
      // Inside `{a,b}` each alternative starts and ends a segment as well.
      const atSegmentStart = i === 0 || glob[i - 1] === '/' || (braces > 0 && (glob[i - 1] === '{' || glob[i - 1] === ','));
      const atSegmentEnd = j + 1 === glob.length || glob[j + 1] === '/' || (braces > 0 && (glob[j + 1] === ',' || glob[j + 1] === '}'));
      if (j > i && atSegmentStart && atSegmentEnd) {
        // `**` is a whole segment: any number of segments, none included (`a/**/b` matches `a/b`).
        if (glob[j + 1] === '/') {
          out += '(?:[^/]*/)*';
          j++;
        } else if (out.endsWith('/')) {
          out = `${out.slice(0, -1)}(?:/.*)?`;
        } else out += '.*';
      } else out += '[^/]*';
      i = j;
    } else if (c === '?') out += '[^/]';
    else if (c === '\\' && i + 1 < glob.length) out += escapeChar(glob[++i]!);
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        const body = glob.slice(i + 1, close);
        const negated = body.startsWith('!') || body.startsWith('^');
        out += `[${negated ? '^' : ''}${[...(negated ? body.slice(1) : body)].map((ch) => (ch === '-' ? '-' : escapeChar(ch))).join('')}${negated ? '/' : ''}]`;
        i = close;
      }
    } else if (c === '{' && glob.indexOf('}', i) > 0) {
      braces++;
      out += '(?:';
    } else if (c === ',' && braces > 0) out += '|';
    else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else out += escapeChar(c);
  }
  return out + ')'.repeat(braces);
}

function escapeChar(c: string): string {
  return REGEX_SPECIAL.test(c) ? `\\${c}` : c;
}
