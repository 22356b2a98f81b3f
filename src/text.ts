/** Offsets where each line starts (line 1 at index 0). */
export function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The 0-based row holding `offset`, by binary search over `lineStarts`. */
export function rowAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Offset → 1-based line number, over line starts computed once per file. */
export function lineLocator(text: string): (offset: number) => number {
  const starts = lineStarts(text);
  return (offset: number) => rowAt(starts, offset) + 1;
}

/**
 * A regular expression source matching any of `words` literally, shaped as a trie (`gh(?:p_|o_)|npm_`): the
 * engine then tries one branch per character instead of every word at every position, which made finding
 * token prefixes in real repositories' text about a third faster. Where one word begins another, the longer
 * is tried first, so a match is the longest listed word at its position.
 */
export function literalAlternation(words: readonly string[]): string {
  const branches = new Map<string, string[]>();
  let endsHere = false;
  for (const w of words) {
    if (w === '') endsHere = true;
    else branches.set(w[0]!, [...(branches.get(w[0]!) ?? []), w.slice(1)]);
  }
  const alternatives = [...branches].map(([first, rests]) => {
    // The rest needs a group when it is several alternatives not already grouped as optional.
    const group = new Set(rests.filter(Boolean).map((r) => r[0])).size > 1 && !rests.includes('');
    const rest = literalAlternation(rests);
    return escapeRegExp(first) + (group ? `(?:${rest})` : rest);
  });
  if (alternatives.length === 0) return '';
  return endsHere ? `(?:${alternatives.join('|')})?` : alternatives.join('|');
}

/** Escapes text for use inside a RegExp. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds the line of `key` written as `key = …` / `key: …` for formats whose parser does
 * not report positions (INI, TOML, .env). `after` restricts the search to lines after a
 * section header; the first match wins, as the parsers keep the last definition but
 * duplicates are rare and either line points the reader at the right place.
 */
export function findKeyLine(lines: string[], key: string, after = 0): number | null {
  const pattern = new RegExp(`^\\s*(?:export\\s+)?["']?${escapeRegExp(key)}["']?\\s*[=:]`);
  for (let i = after; i < lines.length; i++) if (pattern.test(lines[i]!)) return i + 1;
  return null;
}

/**
 * Text from repositories, job configs and servers (file, app and job names, reasons) made safe for a
 * terminal: control characters (an ESC starting an OSC title change or a screen clear, a CR that hides
 * what came before, C1 controls) and bidirectional overrides, which make text read other than it is,
 * are shown as visible escapes (`\x1b`, `\u202e`) instead of acting.
 */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (ch) => {
    const code = ch.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * `printable` per line: a multi-line message keeps its line breaks (LF, and CRLF as CSV ends its rows) and loses
 * everything else. A CR before LF hides nothing: the next line starts below, not over the text before.
 */
export function printableLines(text: string): string {
  return text.split(/(\r?\n)/).map((part, i) => (i % 2 === 1 ? part : printable(part))).join('');
}

/**
 * The words of a name in any casing (`bootstrapServers`, `BOOTSTRAP_SERVERS`, `MockServerHttpRequest.get`), lower case:
 * how config keys and call names are read word by word. A run-together name's trailing `url`/`uri`/`password` is a word
 * of its own (`BTCPAY_BTCEXPLORERURL`, `baseurl`, `NBXPLORER_BTCRPCPASSWORD`), as it is when the casing shows it
 * (`explorerUrl`, `rpcPassword`).
 */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .replace(/([a-z0-9]{3,})(ur[li]|password|passwd)(?![a-z0-9])/g, '$1 $2')
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}
