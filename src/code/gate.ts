/**
 * Which source files are worth parsing: a code scanner's rules can only report something written as a literal
 * (a URL, `host:port`, an IP, a value under a secret- or address-named key, an env lookup's default), a client the
 * catalog knows, or a module of such a client. A file with none of these is not parsed: in six real repositories
 * (188 MB) this left 405 of 693 Python, 241 of 624 Java and 182 of 258 JavaScript files to parse, and no file that
 * yields a connection, a secret or an app name was left out (bench/RESULTS.md).
 */

/** Quote characters a language writes strings with, as a character class body. */
export interface GateParts {
  quotes: string;
  /** What follows a key before its literal: `=`, `:`, a call's `(`. */
  assign: string;
  /** Language-specific alternatives (client classes, imports, settings names). */
  extra: readonly string[];
}

export function codeGate({ quotes, assign, extra }: GateParts): RegExp {
  const q = `[${quotes}]`;
  const notQ = `[^${quotes}\\s]`;
  return new RegExp([
    // A scheme URL, a JDBC URL, a Go MySQL DSN.
    String.raw`[a-z][a-z0-9+.-]*:\/\/|jdbc:|@tcp\(`,
    // A host:port literal, an IPv4 address.
    `${q}[\\w.-]+:\\d{2,5}(?:\\/[^${quotes}]*)?${q}`,
    String.raw`\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b`,
    // A literal under a secret- or address-named key, argument or setter.
    `(?:password|passwd|pwd|secret|token|api_?key|access_?key|credential)\\w*${q}?\\s*${assign}\\s*(?:default\\s*=\\s*)?[rbuf]?${q}${notQ}`,
    `(?:host|url|uri|dsn|endpoint|addr|address|server|brokers?|baseURL)s?\\w*${q}?\\s*${assign}\\s*(?:default\\s*=\\s*)?[rbuf]?[${quotes}\\[]${notQ}`,
    ...extra,
  ].join('|'), 'i');
}
