/** Offset → 1-based line number, by binary search over line starts computed once per file. */
export function lineLocator(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset: number) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
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
