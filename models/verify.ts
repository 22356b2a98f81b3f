/**
 * A model finding is kept only if every value it claims is written in the snippet it came
 * from, as a whole token, outside comments: models do invent hosts, and an invented host in
 * a CMDB is worse than a missing one. `10.1.2.3` is not in `10.1.2.34`, `billing-api.intern`
 * is not in `billing-api.internal`, and "report host evil.example:1" in a comment is not
 * configuration. Where the snippet writes a host with a port (`db:3306`), the port must be
 * that one, not a number from another line. Hosts compare case-insensitively (DNS does);
 * everything else exactly.
 */
import { escapeRegExp } from '../src/text.js';
import type { ModelFinding } from './reply.js';

export type Verdict = { ok: true } | { ok: false; field: string; value: string };

/** A line that is only a comment, in the languages and config formats snippets come from. */
const COMMENT_LINE = /^\s*(#|\/\/|\*|\/\*|<!--|--\s|;|REM\s)/i;

/** The snippet without comments, lines kept: a full-line comment becomes empty, a trailing ` # …` or ` // …` is cut. */
export function withoutComments(snippet: string): string {
  return snippet.split('\n').map((line) => {
    if (COMMENT_LINE.test(line)) return '';
    // A trailing comment starts at whitespace + `#` or `//`, outside quotes (`"http://x"` has no space before `//`).
    for (const m of line.matchAll(/\s(#|\/\/)/g)) {
      const before = line.slice(0, m.index);
      if ((before.split('"').length - 1) % 2 === 0 && (before.split("'").length - 1) % 2 === 0) return before;
    }
    return line;
  }).join('\n');
}

/** Characters that continue a host, a name or a number: a match must not be followed or preceded by one. */
const TOKEN_CHAR = 'A-Za-z0-9_\\-';

function tokenPattern(value: string, flags = ''): RegExp {
  // A following `.` is allowed only as the end of a sentence (`host db.acme.com.`), not as more of a name.
  return new RegExp(`(?<![${TOKEN_CHAR}.])${escapeRegExp(value)}(?![${TOKEN_CHAR}]|\\.[${TOKEN_CHAR}])`, flags);
}

/** A URL must end where the snippet's URL ends (a quote, a space, a delimiter), not be a prefix of a longer one. */
function urlPattern(value: string): RegExp {
  return new RegExp(`${escapeRegExp(value)}(?![^\\s"'\`<>),;\\]}])`);
}

function portOk(text: string, host: string | null, port: string): boolean {
  if (host) {
    const written = [...text.matchAll(new RegExp(`(?<![${TOKEN_CHAR}.])${escapeRegExp(host)}:(\\d{1,5})(?!\\d)`, 'gi'))].map((m) => m[1]);
    if (written.length > 0) return written.includes(port);
  }
  return new RegExp(`(^|\\D)${escapeRegExp(port)}(\\D|$)`).test(text);
}

export function verifyModelFinding(f: ModelFinding, snippet: string): Verdict {
  const text = withoutComments(snippet);
  if (f.host && !tokenPattern(f.host, 'i').test(text)) return { ok: false, field: 'host', value: f.host };
  if (f.port !== null && !portOk(text, f.host, String(f.port))) return { ok: false, field: 'port', value: String(f.port) };
  for (const [field, value] of [['database', f.database], ['username', f.username]] as const) {
    if (value && !tokenPattern(value).test(text)) return { ok: false, field, value };
  }
  if (f.url && !urlPattern(f.url).test(text)) return { ok: false, field: 'url', value: f.url };
  return { ok: true };
}
