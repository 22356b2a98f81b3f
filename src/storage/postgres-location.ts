/**
 * A PostgreSQL location read the way libpq reads it — a URI (`postgres://user:password@host:port,host2/db?k=v`) or a
 * keyword=value string (`host=db user=u password='s 3'`) — so that messages, `serve`'s /health and its banner name
 * the inventory by parts taken from the parse, never by a pattern over the text: a pattern missed passwords with
 * unencoded spaces and `@`, which libpq accepts.
 */
import { libpqKeywords } from '../connection-string.js';

/** Keywords whose values are secret: the password, the client key's passphrase, OAuth and SCRAM secrets (libpq 18). */
const SECRET_KEYWORDS: ReadonlySet<string> = new Set(['password', 'sslpassword', 'oauth_client_secret', 'scram_client_key', 'scram_server_key']);

const URI_SCHEME = /^postgres(?:ql)?:\/\//i;

/** libpq's keyword=value form: a lower-case keyword and `=` first (`host=db …`); a file name hardly begins so. */
const KEYWORD_FORM = /^\s*[a-z_]+\s*=/;

export interface PostgresLocation {
  /** How the inventory is named: what it connects to, rebuilt from the parsed parts, with no secret value. */
  name: string;
  /** Why the location is refused before libpq reads it (nothing secret in it), or null. */
  problem: string | null;
  /** A message libpq wrote, with the location as given replaced by `name` and every secret value by `…`. */
  scrub(message: string): string;
}

/** Whether `--db` names a PostgreSQL database (a URI or a keyword=value string) rather than a SQLite file. */
export function isPostgresLocation(location: string): boolean {
  return URI_SCHEME.test(location) || KEYWORD_FORM.test(location);
}

/** Percent-decoded as libpq decodes URI parts; text that does not decode is kept as written. */
function decoded(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function located(location: string, name: string, problem: string | null, secrets: readonly string[]): PostgresLocation {
  // Longest first, so that a secret holding a shorter one is replaced whole.
  const hidden = [...new Set(secrets)].filter(Boolean).sort((a, b) => b.length - a.length);
  return {
    name,
    problem,
    scrub: (message) => hidden.reduce((text, secret) => text.split(secret).join('…'), message.split(location).join(name)),
  };
}

/**
 * The URI form, as libpq's parser splits it: the user part ends at the first `@` before any `/` (user, then `:` and
 * the password, which may hold spaces, `:` and `?`); then hosts and ports up to `/`, the database up to `?`, and
 * `&`-separated parameters, any of which may be a password too.
 */
function parseUri(location: string): PostgresLocation {
  const scheme = URI_SCHEME.exec(location)![0];
  const rest = location.slice(scheme.length);
  const at = rest.indexOf('@');
  const slash = rest.indexOf('/');
  const userInfo = at !== -1 && (slash === -1 || at < slash) ? rest.slice(0, at) : null;
  const afterUser = userInfo === null ? rest : rest.slice(at + 1);
  const colon = userInfo?.indexOf(':') ?? -1;
  const user = userInfo === null ? '' : colon === -1 ? userInfo : userInfo.slice(0, colon);
  const secrets = colon === -1 ? [] : [userInfo!.slice(colon + 1), decoded(userInfo!.slice(colon + 1))];
  const question = afterUser.indexOf('?');
  const address = question === -1 ? afterUser : afterUser.slice(0, question);
  const parameters = question === -1 ? [] : afterUser.slice(question + 1).split('&').map((parameter) => {
    const equals = parameter.indexOf('=');
    if (equals === -1 || !SECRET_KEYWORDS.has(decoded(parameter.slice(0, equals)))) return parameter;
    secrets.push(parameter.slice(equals + 1), decoded(parameter.slice(equals + 1)));
    return `${parameter.slice(0, equals)}=…`;
  });
  const named = `${scheme}${user ? `${user}@` : ''}`;
  // Another `@` after the user part: a password holding an unencoded `@` (or `/`), whose tail libpq would take for
  // the host or the database, and show in its messages. Nothing after the user part is named then.
  if (address.includes('@')) {
    return located(location, `${named}…`,
      "an '@' or '/' in the user name or password must be percent-encoded (%40, %2F): as written, libpq would read part of it as the host or database", [...secrets, afterUser]);
  }
  return located(location, `${named}${address}${parameters.length > 0 ? `?${parameters.join('&')}` : ''}`, null, secrets);
}

/** libpq quotes a value with `'` and escapes `'` and `\` with `\` inside it. */
function quotedValue(value: string): string {
  return value === '' || /[\s'\\]/.test(value) ? `'${value.replace(/['\\]/g, '\\$&')}'` : value;
}

/** The keyword=value form (src/connection-string.ts `libpqKeywords`), named without its secret values. */
function parseKeywords(location: string): PostgresLocation {
  const read = libpqKeywords(location);
  if ('problem' in read) return located(location, 'the PostgreSQL connection string (not shown: it could not be read)', read.problem, []);
  const secrets = read.pairs.filter(([k]) => SECRET_KEYWORDS.has(k)).map(([, v]) => v);
  return located(location, read.pairs.map(([k, v]) => `${k}=${SECRET_KEYWORDS.has(k) ? '…' : quotedValue(v)}`).join(' '), null, secrets);
}

/** What a PostgreSQL location says: its name without secrets, and whether it is refused before libpq reads it. */
export function postgresLocation(location: string): PostgresLocation {
  return URI_SCHEME.test(location) ? parseUri(location) : parseKeywords(location);
}

/** How a `--db` location is named in messages: a PostgreSQL one by its parsed parts, without its password. */
export function storeName(location: string): string {
  return isPostgresLocation(location) ? postgresLocation(location).name : location;
}
