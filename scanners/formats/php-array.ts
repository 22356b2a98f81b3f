/**
 * PHP config files that return an array (Laravel and Lumen `config/*.php`, Yii `config/db.php`) → settings. A small
 * reader of the one construct such files are made of — `return [ 'key' => value, … ];` with nested arrays (or
 * `array(…)`) — not a PHP parser: a value is a string, a number, `env('NAME', default)` (Laravel's documented
 * lookup, written `${NAME:default}` here so the shared placeholder rules apply), or any other expression, which is
 * skipped up to the next `,` or `]` at its depth. Comments (`//`, `#`, `/* … *\/`) are skipped; lines are kept.
 */
import type { Setting } from '../../src/scanner.js';

interface Token {
  type: 'string' | 'word' | 'number' | 'punct';
  text: string;
  line: number;
}

/** Bounds on untrusted input: a config file is a few hundred tokens; nesting of a few levels. */
const MAX_TOKENS = 200_000;
const MAX_DEPTH = 32;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  for (let i = 0; i < text.length && tokens.length < MAX_TOKENS;) {
    const c = text[i]!;
    if (c === '\n') { line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if ((c === '/' && text[i + 1] === '/') || c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (let j = i; j < stop; j++) if (text[j] === '\n') line++;
      i = stop;
      continue;
    }
    if (c === "'" || c === '"') {
      const start = line;
      let value = '';
      let j = i + 1;
      for (; j < text.length && text[j] !== c; j++) {
        if (text[j] === '\\' && j + 1 < text.length) {
          const next = text[++j]!;
          value += next === c || next === '\\' ? next : c === '"' && next === 'n' ? '\n' : `\\${next}`;
          continue;
        }
        if (text[j] === '\n') line++;
        value += text[j];
      }
      tokens.push({ type: 'string', text: value, line: start });
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_\\][\w\\]*/.exec(text.slice(i, i + 200));
    if (word) { tokens.push({ type: 'word', text: word[0], line }); i += word[0].length; continue; }
    const number = /^-?\d+(\.\d+)?/.exec(text.slice(i, i + 40));
    if (number) { tokens.push({ type: 'number', text: number[0], line }); i += number[0].length; continue; }
    const arrow = text.startsWith('=>', i) ? '=>' : text.startsWith('::', i) ? '::' : c;
    tokens.push({ type: 'punct', text: arrow, line });
    i += arrow.length;
  }
  return tokens;
}

/**
 * The token before the array a file returns: `return [` itself, or the assignment of the variable it returns (Monica's
 * `$config = [ … ]; … return $config;`, Nextcloud's `$CONFIG = array(…)`).
 */
function arrayStart(tokens: readonly Token[]): number {
  const returned = tokens.findIndex((t, i) => t.type === 'word' && t.text === 'return' && isArrayStart(tokens, i + 1));
  if (returned >= 0) return returned;
  const variable = tokens.findIndex((t, i) => t.type === 'word' && t.text === 'return' && tokens[i + 1]?.text === '$' && tokens[i + 2]?.type === 'word' && tokens[i + 3]?.text === ';');
  if (variable < 0) return -1;
  const name = tokens[variable + 2]!.text;
  const assigned = tokens.findIndex((t, i) => t.text === '$' && tokens[i + 1]?.text === name && tokens[i + 2]?.text === '=' && isArrayStart(tokens, i + 3));
  return assigned < 0 ? -1 : assigned + 2;
}

/** The settings of the first array a file returns (`return [ … ];`), keyed by their string keys. */
export function phpArraySettings(text: string): Setting[] | null {
  const tokens = tokenize(text);
  const start = arrayStart(tokens);
  if (start < 0) return null;
  const out: Setting[] = [];
  let at = start + 1;

  function isArrayOpen(i: number): number {
    if (tokens[i]?.text === '[') return 1;
    if (tokens[i]?.type === 'word' && tokens[i]!.text.toLowerCase() === 'array' && tokens[i + 1]?.text === '(') return 2;
    return 0;
  }

  /**
   * `env('NAME')`, `env('NAME', 'default')` and Laravel's chained fallbacks, `env('REDIS_CACHE_HOST', env('REDIS_HOST',
   * '127.0.0.1'))`, as the lookup `${NAME:default}` (nested the same way); null for any other expression.
   */
  function envCall(i: number, depth: number): { text: string; next: number } | null {
    if (depth > 8 || tokens[i]?.text !== 'env' || tokens[i + 1]?.text !== '(' || tokens[i + 2]?.type !== 'string') return null;
    const name = tokens[i + 2]!.text;
    if (tokens[i + 3]?.text === ')') return { text: `\${${name}}`, next: i + 4 };
    if (tokens[i + 3]?.text !== ',') return null;
    const d = tokens[i + 4];
    const fallback = d?.type === 'string' || d?.type === 'number' ? { text: d.text, next: i + 5 } : envCall(i + 4, depth + 1);
    if (!fallback || tokens[fallback.next]?.text !== ')') return null;
    return { text: `\${${name}:${fallback.text}}`, next: fallback.next + 1 };
  }

  /** One value at `at`: a nested array is walked; a scalar or `env()` becomes a setting under `path`. */
  function value(path: string[], depth: number): void {
    const open = isArrayOpen(at);
    if (open > 0) {
      at += open;
      array(path, depth + 1, open === 1 ? ']' : ')');
      return;
    }
    const t = tokens[at];
    if (!t) return;
    const end = (u: Token | undefined) => !u || u.text === ',' || u.text === ']' || u.text === ')';
    if ((t.type === 'string' || t.type === 'number') && end(tokens[at + 1])) {
      out.push({ path, value: t.text, line: t.line });
      at++;
      return;
    }
    const lookup = envCall(at, 0);
    if (lookup && end(tokens[lookup.next])) {
      out.push({ path, value: lookup.text, line: t.line });
      at = lookup.next;
      return;
    }
    // Anything else (`storage_path('x')`, `PDO::ATTR_X`, `'a' . 'b'`): skipped to the end of the element.
    let nesting = 0;
    for (; at < tokens.length; at++) {
      const u = tokens[at]!;
      if (u.text === '(' || u.text === '[') nesting++;
      else if ((u.text === ')' || u.text === ']') && nesting > 0) nesting--;
      else if (nesting === 0 && end(u)) return;
    }
  }

  function array(path: string[], depth: number, close: string): void {
    let index = 0;
    while (at < tokens.length && tokens[at]!.text !== close) {
      if (depth > MAX_DEPTH) { at++; continue; }
      const key = tokens[at]!;
      if ((key.type === 'string' || key.type === 'number') && tokens[at + 1]?.text === '=>') {
        at += 2;
        value([...path, key.text], depth);
      } else {
        value([...path, String(index++)], depth);
      }
      if (tokens[at]?.text === ',') at++;
      else if (tokens[at]?.text !== close) at++; // resynchronise on something unexpected
    }
    at++;
  }

  value([], 0);
  return out;
}

function isArrayStart(tokens: readonly Token[], i: number): boolean {
  return tokens[i]?.text === '[' || (tokens[i]?.type === 'word' && tokens[i]!.text.toLowerCase() === 'array' && tokens[i + 1]?.text === '(');
}
