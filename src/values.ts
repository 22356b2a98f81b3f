/**
 * Placeholder resolution shared by every scanner: `${VAR:default}` (Spring),
 * `${VAR:-default}` / `${VAR-default}` (shell, compose), `${VAR}`, `$VAR`, `$(VAR)`
 * (Kubernetes), `${env:VAR}` (OpenTelemetry Collector), `${VAR:?message}` / `${VAR?message}`
 * and `${VAR:+alternate}` (shell: no default, a message or a value used only when set),
 * `{{ … }}` (Helm, Jinja), `%(name)s` (configparser), `#{…}` (SpEL), Rails ERB `<%= ENV.fetch("X", "d") %>`,
 * Symfony's `%env(X)%` and `%parameter%`, and Ktor's `$X:default`.
 * A default written in the file is a value the file hard-codes (`env-default`);
 * a lookup with no default leaves the value unknown (`placeholder`).
 */
import type { ValueSource } from './result-model.js';

export interface ResolvedValue {
  /** The effective text with defaults substituted; unresolved lookups stay as `${NAME}`. Null when nothing but an unresolved lookup. */
  text: string | null;
  source: ValueSource;
}

// A bare `$NAME` counts as a lookup only when it is the whole value (`password: $DB_PASS` in compose);
// inside a string it is literal text — passwords contain `$` often enough.
// `env:` before an upper-case name is the Collector's environment provider, not a Spring key `env` with a default.
const SPRING_OR_SHELL = /\$\{(?:env:(?=[A-Z_][A-Z0-9_]*[:}]))?([A-Za-z0-9_.\-[\]]+)(?:(:-|:=|:\?|:\+|-|=|\?|\+|:)([^{}]*))?\}/;
/** Operators after which the text is not a default: a message for an unset variable, or a value used only when it is set. */
const NOT_A_DEFAULT = new Set([':?', '?', ':+', '+']);
// `@name@` is a Maven resource-filtering token, replaced at build time; `<%= … %>` is ERB (Rails database.yml).
const OTHER_UNRESOLVED = /<%=?[^%]*%>|\$\(([A-Za-z0-9_]+)\)|\{\{[^}]*\}\}|%\([A-Za-z0-9_]+\)s|#\{[^}]*\}|^\$([A-Za-z_][A-Za-z0-9_]*)$|(?<![\w@])@[A-Za-z][\w.-]*@(?![\w@])/;

/**
 * A key → value lookup for `${key}` references: other keys of the same file (Spring
 * lets `url: jdbc:mysql://${db.host}/x` use `db.host` defined beside it) and the base
 * config of the same app (an XML bean's `${jdbc.url}` defined in jdbc.properties).
 */
export type Definitions = (name: string) => string | undefined;

/**
 * Rails' ERB environment lookups as the lookups above: `<%= ENV.fetch("PG_HOST", 'localhost') %>`,
 * `<%= ENV.fetch("PG_HOST") { "localhost" } %>` and `<%= ENV["PG_HOST"] || "localhost" %>` (or `ENV["X"].presence ||
 * "d"`, Rails' blank-is-unset) default to the literal
 * (a `nil` default is none); any other ERB stays an unresolved expression.
 */
const ERB_ENV = /<%=\s*ENV(?:\.fetch\(\s*(['"])([A-Za-z_][A-Za-z0-9_]*)\1\s*(?:,\s*(?:(['"])([^'"]*)\3|nil)\s*)?\)(?:\s*\{\s*(?:(['"])([^'"]*)\5|(\d+))\s*\})?|\[\s*(['"])([A-Za-z_][A-Za-z0-9_]*)\8\s*\](?:\.(?:presence|to_s|strip))?(?:\s*\|\|\s*(['"])([^'"]*)\10)?)\s*%>/g;

/**
 * Symfony's environment references as the lookups above: `%env(APP_SECRET)%`, with processors
 * (`%env(resolve:DATABASE_URL)%`, `%env(int:PORT)%`); a parameter that is the whole value (`%database_host%`,
 * Symfony's parameters.yml) is a lookup of that name. Neither has a default of its own.
 */
const SYMFONY_ENV = /%env\((?:[a-z_]+:)*([A-Za-z_][A-Za-z0-9_]*)\)%/g;
const SYMFONY_PARAMETER = /^%([a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*)%$/;

function symfonyLookups(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(SYMFONY_ENV, (_m, name: string) => `\${${name}}`).replace(SYMFONY_PARAMETER, (_m, name: string) => `\${${name}}`);
}

/** Ktor's YAML and HOCON environment lookup with a default, as the whole value: `"$DB_HOST:localhost"`, `"$PORT:"`. */
const KTOR_ENV_DEFAULT = /^\$([A-Z_][A-Z0-9_]*):(.*)$/s;

function ktorLookup(text: string): string {
  const m = KTOR_ENV_DEFAULT.exec(text);
  return m ? `\${${m[1]}:${m[2]}}` : text;
}

function erbLookups(text: string): string {
  if (!text.includes('<%')) return text;
  return text.replace(ERB_ENV, (_m, _q1, fetched?: string, _q2?: string, argDefault?: string, _q3?: string, blockDefault?: string, blockNumber?: string, _q4?: string, indexed?: string, _q5?: string, orDefault?: string) => {
    const name = fetched ?? indexed!;
    const fallback = argDefault ?? blockDefault ?? blockNumber ?? orDefault;
    return fallback === undefined ? `\${${name}}` : `\${${name}:${fallback}}`;
  });
}

/**
 * Lookups through definitions are bounded: a name already being resolved on this path is a
 * cycle (`x = x + 1`), and one top-level resolution may follow at most 64 definitions, since
 * code produces many `${name}` references and each may refer to several more.
 */
export function resolveValue(raw: string, definitions?: Definitions, depth = 0, budget = { left: 64 }, stack: readonly string[] = []): ResolvedValue {
  let text = ktorLookup(symfonyLookups(erbLookups(raw.trim())));
  let usedDefault = false;
  let unresolved = false;
  // Innermost first, so `${A:${B:x}}` resolves B before A.
  for (let guard = 0; guard < 20; guard++) {
    const m = SPRING_OR_SHELL.exec(text);
    if (!m) break;
    const [whole, name, op, fallback] = m;
    let replacement: string;
    const defined = depth < 5 && !stack.includes(name!) && budget.left-- > 0 ? definitions?.(name!) : undefined;
    if (defined !== undefined) {
      const inner = resolveValue(defined, definitions, depth + 1, budget, [...stack, name!]);
      if (inner.source === 'env-default') usedDefault = true;
      if (inner.source === 'placeholder' || inner.text === null) unresolved = true;
      replacement = inner.text ?? `\u0000${name}\u0001`;
    } else if (op !== undefined && !NOT_A_DEFAULT.has(op)) {
      usedDefault = true;
      replacement = fallback ?? '';
    } else {
      unresolved = true;
      replacement = `\u0000${name}\u0001`; // protect from re-matching, restored below
    }
    text = text.slice(0, m.index) + replacement + text.slice(m.index + whole.length);
  }
  // `@config.server-addr@`: Maven resource filtering's token, filled from the pom's (or a parent pom's) properties.
  if (definitions && text.includes('@')) {
    text = text.replace(/(?<![\w@])@([A-Za-z][\w.-]*)@(?![\w@])/g, (whole, name: string) => {
      const defined = depth < 5 && !stack.includes(name) && budget.left-- > 0 ? definitions(`@${name}`) : undefined;
      if (defined === undefined) return whole;
      const inner = resolveValue(defined, definitions, depth + 1, budget, [...stack, name]);
      return inner.text ?? whole;
    });
  }
  if (OTHER_UNRESOLVED.test(text)) unresolved = true;
  text = text.replace(/\u0000([^\u0001]*)\u0001/g, '${$1}');
  if (unresolved) {
    const onlyLookups = text.replace(/<%=?[^%]*%>|\$\{[^}]*\}|\$\([A-Za-z0-9_]+\)|\{\{[^}]*\}\}|%\([A-Za-z0-9_]+\)s|#\{[^}]*\}|^\$[A-Za-z_][A-Za-z0-9_]*$|(?<![\w@])@[A-Za-z][\w.-]*@(?![\w@])/g, '').trim() === '';
    return { text: onlyLookups ? null : text, source: 'placeholder' };
  }
  return { text, source: usedDefault ? 'env-default' : 'literal' };
}

/** Every lookup of a value, in order (`matchAll` copies it, so no state is shared between calls). */
const EVERY_LOOKUP = new RegExp(SPRING_OR_SHELL.source, 'g');

/** Spring Boot's properties for the address the app itself listens on. */
const OWN_SERVER_KEYS = new Set(['server.port', 'server.address', 'server.servlet.context-path', 'server.servlet.contextPath', 'server.context-path']);

/**
 * An app's own public address, declared under its own name (`maxkey.server.domain`, `shop.server.uri`): the root is
 * the app's, not another system's server (`mail.server.host`, `eureka.server.url`, `ldap.server.url`).
 */
function declaresOwnServer(name: string): boolean {
  const m = /^([a-z][\w-]*)\.server\.(domain|basedomain|base-domain|name|uri|url)$/.exec(name);
  return m !== null && !OTHER_SYSTEM_ROOTS.has(m[1]!);
}

/** Roots under which `server.*` is another system's server: mail, directories, registries, brokers, stores. */
const OTHER_SYSTEM_ROOTS = new Set(['mail', 'smtp', 'email', 'imap', 'pop3', 'ldap', 'ftp', 'sftp', 'proxy', 'dns', 'ntp', 'radius', 'sms',
  'config', 'eureka', 'nacos', 'consul', 'zookeeper', 'apollo', 'xxl', 'seata', 'sentinel', 'dubbo', 'kafka', 'redis', 'mq', 'rabbitmq',
  'rocketmq', 'elasticsearch', 'es', 'db', 'database', 'cas', 'oauth', 'oidc', 'sso', 'auth', 'keycloak', 'vault', 'minio', 'oss', 's3']);

/**
 * Whether a value is built on the app's own listening address (`${app.uri}` where `app.uri = https://sso.acme.io:
 * ${server.port}${server.servlet.context-path}`), through any chain of the file's or app's definitions: the address it
 * is reached at (its issuer, its OIDC endpoints, its login page), not a service it calls.
 */
export function referencesOwnServer(raw: string, definitions?: Definitions, depth = 0, seen = new Set<string>()): boolean {
  if (depth > 5 || !raw.includes('${')) return false;
  for (const m of raw.matchAll(EVERY_LOOKUP)) {
    const name = m[1]!;
    if (OWN_SERVER_KEYS.has(name) || declaresOwnServer(name)) return true;
    if (seen.has(name) || seen.size > 32) continue;
    seen.add(name);
    const defined = definitions?.(name);
    if (defined !== undefined && referencesOwnServer(defined, definitions, depth + 1, seen)) return true;
    if (m[3] !== undefined && referencesOwnServer(m[3], definitions, depth + 1, seen)) return true;
  }
  return false;
}

/** The text still holds a `${…}`, `$(…)` or `{{ … }}` lookup that nothing resolved. */
export function hasUnresolvedLookup(text: string): boolean {
  return /\$\{|\$\(|\{\{/.test(text);
}

/** Combines the sources of the parts that make one connection: the least certain wins. */
export function weakestSource(sources: ValueSource[]): ValueSource {
  if (sources.includes('placeholder')) return 'placeholder';
  if (sources.includes('env-default')) return 'env-default';
  return 'literal';
}
