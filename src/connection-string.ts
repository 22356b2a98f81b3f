/**
 * One parser for every connection-string form the scanners meet: JDBC (MySQL, MariaDB,
 * PostgreSQL, Oracle thin incl. `@//host:port/service` and TNS descriptors, SQL Server,
 * ClickHouse, Phoenix, …), URL forms (`redis://`, `mongodb+srv://`, `amqp://`,
 * `mqtt://`, SQLAlchemy `mysql+pymysql://`, `http(s)://`), Go MySQL DSNs
 * (`user:pass@tcp(host:3306)/db`), ADO.NET `Key=Value;` strings, and bare host lists
 * (`h1:9092,h2:9092`, RocketMQ's `h1:9876;h2:9876`).
 *
 * The password is returned so that callers can tell whether one is present; it must
 * never reach a report — use maskConnectionString for anything shown.
 */
import { defaultPort, HTTP_BASED_KINDS, HTTP_PORT_KINDS, kindFromDriver, kindOfScheme, MYSQL_PROTOCOL_KINDS, PORT_KINDS, RELATIONAL_KINDS, SCHEME_KINDS } from './catalog/index.js';
import type { Kind } from './result-model.js';

export interface Endpoint {
  host: string | null;
  port: number | null;
  /** The port is written as a variable reference: not knowable, and not the kind's default either. */
  unknownPort?: true;
}

export interface ParsedConnection {
  kind: Kind | null;
  endpoints: Endpoint[];
  database: string | null;
  username: string | null;
  password: string | null;
}

/** Schemes that say only "a socket", so the kind must come from the hint or the port. */
const TRANSPORT_SCHEMES = new Set(['tcp', 'ssl', 'tls', 'ws', 'wss']);

/** JDBC sub-protocols for embedded databases: no network resource to record. */
const EMBEDDED_JDBC = new Set(['h2', 'hsqldb', 'sqlite', 'derby', 'tc']);

/** Lookups and format verbs (`%s` in a Sprintf template) that make a host unknown. */
const PLACEHOLDER = /\$\{|\$\(|\{\{|%\(|^%[-+# 0]*\d*[sdvqx]$/;

function decode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a stray % is not an encoding, keep the text as written
  }
}

function emptyToNull(s: string | null | undefined): string | null {
  return s === undefined || s === null || s === '' ? null : s;
}

/** Splits `host:port`, `[v6]:port`, `host` into an endpoint; an unresolved placeholder host becomes null. */
export function parseHostPort(text: string): Endpoint {
  const t = text.trim();
  if (t === '') return { host: null, port: null };
  let host: string;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\](?::(.*))?$/.exec(t);
  if (v6) {
    host = v6[1]!;
    portText = v6[2];
  } else if ((t.match(/:/g) ?? []).length > 1 && !PLACEHOLDER.test(t)) {
    host = t; // bare IPv6 without brackets cannot carry a port
  } else {
    const i = t.lastIndexOf(':');
    if (i >= 0 && !PLACEHOLDER.test(t.slice(i))) {
      host = t.slice(0, i);
      portText = t.slice(i + 1);
    } else if (i >= 0 && PORT_REFERENCE.test(t.slice(i))) {
      // `mongo:${DATABASE_PORT}`: the host is written, the port is whatever the variable says — not the default.
      host = t.slice(0, i);
      portText = t.slice(i + 1);
    } else {
      host = t;
    }
  }
  const port = portText !== undefined && /^\d{1,5}$/.test(portText) ? Number(portText) : null;
  const unknownPort = portText !== undefined && port === null && PLACEHOLDER.test(portText);
  return { host: PLACEHOLDER.test(host) || host === '' ? null : host.toLowerCase(), port, ...(unknownPort ? { unknownPort: true as const } : {}) };
}

/** A port written as one whole variable reference (`:${DB_PORT}`, `:$(PORT)`, `:{{ .Values.port }}`), after a host with no reference of its own. */
const PORT_REFERENCE = /^:(\$\{[^{}:]+\}|\$\([^()]+\)|\{\{[^{}]+\}\})$/;

function fillDefaultPorts(kind: Kind | null, endpoints: Endpoint[], scheme?: string): Endpoint[] {
  return endpoints.map((e) => {
    if (e.port !== null || e.host === null || e.unknownPort) return e;
    if (scheme === 'mongodb+srv') return e; // SRV records carry the ports
    if (scheme === 'https' || scheme === 'wss') return { ...e, port: 443 };
    if (scheme === 'http' || scheme === 'ws') return { ...e, port: 80 };
    return { ...e, port: kind ? defaultPort(kind) : null };
  });
}


function resolveKind(schemeKind: Kind | null, hint: Kind | null | undefined, endpoints: Endpoint[]): Kind | null {
  if (schemeKind === 'http') {
    if (hint && HTTP_BASED_KINDS.has(hint)) return hint;
    const port = endpoints.find((e) => e.port !== null)?.port;
    return (port ? HTTP_PORT_KINDS[port] : undefined) ?? 'http';
  }
  // Doris, StarRocks, OceanBase speak the MySQL protocol and use jdbc:mysql URLs; another engine's word beside a
  // mysql URL (MyBatis Generator's sample context id `DB2Tables`) does not make it that engine.
  if (hint && hint !== 'database' && ((schemeKind === 'mysql' && MYSQL_PROTOCOL_KINDS.has(hint)) || (schemeKind === 'database' && RELATIONAL_KINDS.has(hint)))) {
    return hint;
  }
  if (schemeKind) return schemeKind;
  if (hint) return hint;
  const port = endpoints.find((e) => e.port !== null)?.port;
  return port ? PORT_KINDS[port] ?? null : null;
}

function splitQuery(rest: string): { main: string; query: URLSearchParams } {
  const hashless = rest.split('#')[0]!;
  const q = hashless.indexOf('?');
  if (q < 0) return { main: hashless, query: new URLSearchParams() };
  return { main: hashless.slice(0, q), query: new URLSearchParams(hashless.slice(q + 1)) };
}

function queryValue(query: URLSearchParams | Map<string, string>, names: string[]): string | null {
  for (const [k, v] of query) if (names.includes(k.toLowerCase())) return v;
  return null;
}

/** `key=value` parts (`;`-separated in SQL Server, ADO.NET and PDO strings) by lower-case key, values trimmed. */
function keyValuePairs(parts: readonly string[]): Map<string, string> {
  const params = new Map<string, string>();
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq).trim().toLowerCase(), part.slice(eq + 1).trim());
  }
  return params;
}

/** `scheme://[user[:pass]@]host1[:port][,host2…][/path][?query]`. */
function parseUrlForm(scheme: string, rest: string, hint: Kind | null | undefined): ParsedConnection {
  const { main, query } = splitQuery(rest);
  const slash = main.indexOf('/');
  const authority = slash < 0 ? main : main.slice(0, slash);
  const path = slash < 0 ? '' : main.slice(slash + 1);
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at) : '';
  const hostsText = at >= 0 ? authority.slice(at + 1) : authority;
  const colon = userinfo.indexOf(':');
  let username = emptyToNull(decode(colon >= 0 ? userinfo.slice(0, colon) : userinfo));
  let password = colon >= 0 ? decode(userinfo.slice(colon + 1)) : null;
  const endpoints = hostsText.split(',').map(parseHostPort).filter((e, _i, all) => e.host !== null || all.length === 1);

  const base = scheme.split('+')[0]!; // SQLAlchemy dialect+driver
  let schemeKind: Kind | null = kindOfScheme(scheme) ?? kindOfScheme(base);
  if (TRANSPORT_SCHEMES.has(scheme)) schemeKind = null;
  // A provider's secure WebSocket API (`wss://ws.provider.io/graphql`) is an HTTP service upgraded, unless a hint or its
  // port names a product that speaks over it (MQTT over `wss://broker:8084`). A plain `ws://` to an address of the
  // stack is a front end's socket to its own back end, as it was before.
  if (scheme === 'wss' && !hint && !endpoints.some((e) => e.port !== null && PORT_KINDS[e.port])) schemeKind = 'http';
  if (scheme.includes('+') && !SCHEME_KINDS[scheme]) schemeKind = kindFromDriver(scheme) ?? schemeKind;
  const kind = resolveKind(schemeKind, hint, endpoints);

  let database: string | null = null;
  if (kind !== 'http' && !(kind && HTTP_BASED_KINDS.has(kind) && (scheme === 'http' || scheme === 'https'))) {
    const first = path.split('/')[0] ?? '';
    database = emptyToNull(decode(kind === 'rabbitmq' ? path : first));
    if (kind === 'rabbitmq' && database === null && path === '' && slash >= 0) database = null;
  }
  username ??= emptyToNull(queryValue(query, ['user', 'username']));
  password ??= queryValue(query, ['password', 'pwd']);
  database ??= emptyToNull(queryValue(query, ['database', 'databasename', 'db', 'dbname']));
  if (password === null && username !== null && colon < 0 && (scheme === 'http' || scheme === 'https')) {
    // https://ghp_…@github.com, https://<key>@sentry.io: a lone userinfo on a web URL is a token
    password = username;
    username = null;
  }
  if (kind === 'redis' && password === null && username !== null && colon < 0 && (scheme === 'redis' || scheme === 'rediss')) {
    // redis://:secret@host is the usual form; redis://secret@host is read by most clients as a password
    password = username;
    username = null;
  }
  // `s3://bucket/key` (AWS CLI, Hadoop `s3a://`, `oss://`, `cos://`, `obs://`): the authority is a bucket, not a host;
  // the endpoint is the provider's own, or what the command names beside it.
  if (BUCKET_SCHEMES.has(scheme)) return { kind, endpoints: [{ host: null, port: null }], database: emptyToNull(decode(hostsText)), username, password: emptyToNull(password) };
  return { kind, endpoints: fillDefaultPorts(kind, endpoints, scheme), database, username, password: emptyToNull(password) };
}

/** Object-store URIs whose authority names a bucket. */
const BUCKET_SCHEMES = new Set(['s3', 's3a', 's3n', 'oss', 'cos', 'cosn', 'obs', 'gs']);

/** Oracle thin: `[user/pass]@host:port:SID`, `@//host:port/service`, `@host:port/service`, `@(DESCRIPTION=…)`. */
function parseOracleThin(rest: string): ParsedConnection {
  let username: string | null = null;
  let password: string | null = null;
  const at = rest.indexOf('@');
  const before = at >= 0 ? rest.slice(0, at) : '';
  let target = at >= 0 ? rest.slice(at + 1) : rest;
  if (before) {
    const [u, p] = before.split('/');
    username = emptyToNull(u);
    password = emptyToNull(p);
  }
  if (target.trim().startsWith('(')) {
    const hosts = [...target.matchAll(/\(\s*HOST\s*=\s*([^)\s]+)\s*\)(?:\s*\(\s*PORT\s*=\s*(\d+)\s*\))?/gi)];
    const service = /\(\s*(?:SERVICE_NAME|SID)\s*=\s*([^)\s]+)\s*\)/i.exec(target);
    const endpoints = hosts.map((m) => ({ host: m[1]!.toLowerCase(), port: m[2] ? Number(m[2]) : 1521 }));
    return { kind: 'oracle', endpoints, database: service?.[1] ?? null, username, password };
  }
  target = target.replace(/^\/\//, '');
  const { main } = splitQuery(target);
  // host:port:sid  |  host:port/service  |  host/service
  const m = /^(\[[^\]]+\]|[^:/]+)(?::(\d+))?(?:[:/](.+))?$/.exec(main);
  if (!m) return { kind: 'oracle', endpoints: [], database: null, username, password };
  const host = PLACEHOLDER.test(m[1]!) ? null : m[1]!.replace(/^\[|\]$/g, '').toLowerCase();
  const endpoints = [{ host, port: m[2] ? Number(m[2]) : host ? 1521 : null }];
  return { kind: 'oracle', endpoints, database: emptyToNull(m[3]), username, password };
}

/** SQL Server: `//host[\instance][:port][;key=value]*`. */
function parseSqlServer(rest: string): ParsedConnection {
  const [hostPart = '', ...props] = rest.replace(/^\/\//, '').split(';');
  const params = keyValuePairs(props);
  const slash = hostPart.indexOf('/'); // jTDS puts the database in the path
  const hostPort = slash >= 0 ? hostPart.slice(0, slash) : hostPart;
  const instanceless = hostPort.replace(/\\[^:]*/, '');
  let endpoint = parseHostPort(instanceless);
  if (endpoint.host === null && params.has('servername')) endpoint = parseHostPort(params.get('servername')!);
  if (endpoint.port === null && params.has('portnumber')) endpoint.port = Number(params.get('portnumber')) || null;
  return {
    kind: 'sqlserver',
    endpoints: fillDefaultPorts('sqlserver', [endpoint]),
    database: emptyToNull(slash >= 0 ? hostPart.slice(slash + 1) : null) ?? emptyToNull(queryValue(params, ['databasename', 'database'])),
    username: emptyToNull(queryValue(params, ['user', 'username', 'userid'])),
    password: emptyToNull(queryValue(params, ['password'])),
  };
}

/**
 * A database inside the app's own process (SQLite, H2 in memory or in a file): a connection with no host, named by
 * its file or in-memory name (`jdbc:h2:mem:testdb;DB_CLOSE_DELAY=-1` → `testdb`), options dropped.
 */
function embeddedDatabase(kind: 'sqlite' | 'h2', location: string): ParsedConnection {
  const name = location.split(/[;?]/)[0]!.trim();
  return { kind, endpoints: [], database: emptyToNull(name), username: null, password: null };
}

export function parseJdbcUrl(url: string, hint?: Kind | null): ParsedConnection | null {
  let rest = url.trim().replace(/^jdbc:/i, '');
  // Wrappers that proxy another driver: jdbc:p6spy:mysql://…, jdbc:log4jdbc:mysql://…
  rest = rest.replace(/^(p6spy|log4jdbc|otel|tracing|opentelemetry):/i, '');
  const colon = rest.indexOf(':');
  if (colon < 0) return null;
  const sub = rest.slice(0, colon).toLowerCase();
  let after = rest.slice(colon + 1);
  if ((sub === 'h2' || sub === 'sqlite') && !/^tcp:\/\//i.test(after)) return embeddedDatabase(sub, after.replace(/^(mem|file):/i, ''));
  if (EMBEDDED_JDBC.has(sub) && !/^tcp:\/\//i.test(after)) return null;
  if (sub === 'oracle') return parseOracleThin(after.replace(/^(thin|oci):/i, ''));
  if (sub === 'sqlserver') return parseSqlServer(after);
  if (sub === 'jtds') return parseSqlServer(after.replace(/^sqlserver:/i, ''));
  if (sub === 'phoenix') {
    // jdbc:phoenix:zk1,zk2:2181:/hbase — the ZooKeeper quorum of an HBase cluster
    const quorum = after.split(':/')[0]!;
    const portMatch = /:(\d+)$/.exec(quorum);
    const hosts = quorum.replace(/:\d+$/, '').split(',');
    const endpoints = hosts.map((h) => ({ host: h.trim().toLowerCase() || null, port: portMatch ? Number(portMatch[1]) : 2181 }));
    return { kind: 'hbase', endpoints, database: null, username: null, password: null };
  }
  // jdbc:mysql:loadbalance://, jdbc:mysql:replication://, jdbc:clickhouse:http://
  after = after.replace(/^(loadbalance|replication|aurora|failover|http|https|tcp):/i, '');
  if (sub === 'postgresql' && !after.startsWith('//')) {
    return { kind: 'postgresql', endpoints: [{ host: 'localhost', port: 5432 }], database: emptyToNull(after.split('?')[0]), username: null, password: null };
  }
  if (!after.startsWith('//')) return null;
  const parsed = parseUrlForm(sub, after.slice(2), hint);
  if (parsed.kind === null || parsed.kind === 'http') parsed.kind = hint ?? 'database';
  parsed.endpoints = fillDefaultPorts(parsed.kind, parsed.endpoints);
  return parsed;
}

/** Go's go-sql-driver/mysql DSN: `[user[:pass]@][tcp|unix](address)/dbname[?params]`. */
export function parseGoMysqlDsn(dsn: string): ParsedConnection | null {
  // The protocol may be left out before the address (`user:pw@(localhost:3306)/db`): the driver's default is tcp.
  const m = /^(?:([^:@/()]*)(?::(.*))?@)?(tcp6?|unix)?\(([^)]*)\)\/([^?]*)(?:\?.*)?$/.exec(dsn.trim());
  // Without the protocol only a written address says it is a DSN (`(%s:%d)` is a format string's piece).
  if (!m || (m[3] === undefined && (!dsn.includes('@') || !/^[\w.[\]-]+(:|$)/.test(m[4]!)))) return null;
  // A unix socket is the local server, reached without a port.
  const endpoints = m[3] === 'unix' ? [{ host: 'localhost', port: null }] : fillDefaultPorts('mysql', [parseHostPort(m[4]!)]);
  return {
    kind: 'mysql',
    endpoints,
    database: emptyToNull(m[5]),
    username: emptyToNull(m[1]),
    password: emptyToNull(m[2]),
  };
}

const ADO_HOST_KEYS = ['server', 'data source', 'datasource', 'host', 'address', 'addr', 'network address', 'hostname'];
/** The host keys that can only name a server: `Data Source` names a server or, for SQLite, a file. */
const ADO_SERVER_KEYS = ADO_HOST_KEYS.filter((k) => !/^data ?source$/.test(k));
const ADO_DB_KEYS = ['database', 'initial catalog', 'dbname'];
const ADO_USER_KEYS = ['user id', 'userid', 'uid', 'user', 'username', 'user name'];
const ADO_PASSWORD_KEYS = ['password', 'pwd'];
/** Keywords only Npgsql's connection strings have (its documented connection-string parameters). */
const NPGSQL_ONLY_KEYS = ['include error detail', 'search path', 'searchpath', 'server compatibility mode', 'root certificate', 'load table composites'];

/**
 * libpq's keyword=value form (`host=db port=5433 dbname=app user=u password='a b'`), as its conninfo_parse reads it:
 * keyword, `=`, and a value that is bare (up to white space) or single-quoted, `\` escaping the next character in
 * both. Also what Go's lib/pq and pgx accept as a DSN. The problem, when the text is not in that form, says why.
 */
export function libpqKeywords(text: string): { pairs: Array<[keyword: string, value: string]> } | { problem: string } {
  const pairs: Array<[keyword: string, value: string]> = [];
  const isSpace = (c: string | undefined) => c !== undefined && ' \t\n\v\f\r'.includes(c);
  let i = 0;
  for (;;) {
    while (isSpace(text[i])) i++;
    if (i >= text.length) break;
    let keyword = '';
    while (i < text.length && text[i] !== '=' && !isSpace(text[i])) keyword += text[i++];
    while (isSpace(text[i])) i++;
    if (text[i] !== '=') return { problem: "a word in it is not keyword=value (a value that holds spaces is quoted: password='a b')" };
    i++;
    while (isSpace(text[i])) i++;
    let value = '';
    const quoted = text[i] === "'";
    if (quoted) i++;
    for (;;) {
      if (i >= text.length) {
        if (quoted) return { problem: `the quoted value of ${keyword} is not closed` };
        break;
      }
      const c = text[i++]!;
      if (c === '\\' && i < text.length) value += text[i++];
      else if (quoted ? c === "'" : isSpace(c)) break;
      else value += c;
    }
    pairs.push([keyword, value]);
  }
  return { pairs };
}

/** A PostgreSQL DSN in libpq's keyword=value form, with a host and at least one other keyword. */
function parseLibpqDsn(text: string): ParsedConnection | null {
  if (!/^\s*(host|hostaddr|dbname|user|port)\s*=/.test(text)) return null;
  const read = libpqKeywords(text);
  if ('problem' in read || read.pairs.length < 2) return null;
  const get = (k: string) => read.pairs.find(([key]) => key === k)?.[1] ?? null;
  // Without a host libpq connects to the server on this machine (its Unix socket), as the URL form `postgres:///app`
  // does; a DSN whose values are still template slots (`user=%s dbname=%s`) is completed elsewhere.
  if (get('host') === null && get('hostaddr') === null && read.pairs.some(([, v]) => PLACEHOLDER.test(v) || /%[sdv]/.test(v))) return null;
  const hosts = (get('host') ?? get('hostaddr') ?? 'localhost').split(',');
  const ports = (get('port') ?? '').split(',');
  return {
    kind: 'postgresql',
    endpoints: hosts.map((h, n) => ({ host: h.startsWith('/') ? 'localhost' : h.toLowerCase(), port: Number(ports[n] ?? ports[0]) || 5432 })),
    database: emptyToNull(get('dbname')), username: emptyToNull(get('user')), password: emptyToNull(get('password')),
  };
}

/** ADO.NET-style `Server=h,1433;Database=d;User Id=u;Password=p;` (SqlClient, Npgsql, MySqlConnector). */
export function parseAdoNetConnectionString(text: string, hint?: Kind | null): ParsedConnection | null {
  const params = keyValuePairs(text.split(';'));
  const hostText = queryValue(params, ADO_HOST_KEYS);
  if (!hostText) return null;
  // SQLite (Microsoft.Data.Sqlite, System.Data.SQLite): the data source is a file or memory, embedded like jdbc:sqlite.
  // A `Server=`/`Host=` names a server whatever it looks like (`Server=podcast.db`, a compose service with a dot).
  const namesServer = ADO_SERVER_KEYS.some((k) => params.has(k));
  if (!namesServer && /^(:memory:|.*\.(db|db3|sqlite3?|s3db)|.*[/\\].*\.\w+|\|DataDirectory\|.*)$/i.test(hostText) || /^memory$/i.test(queryValue(params, ['mode']) ?? '')) return embeddedDatabase('sqlite', hostText);
  // SQL Server LocalDB (`(localdb)\MSSQLLocalDB`): a named instance on this machine, reached over a named pipe, no TCP port.
  if (/^\(localdb\)\\[\w.-]+$/i.test(hostText)) {
    return {
      kind: 'sqlserver', endpoints: [{ host: hostText, port: null }], database: emptyToNull(queryValue(params, ADO_DB_KEYS)),
      username: emptyToNull(queryValue(params, ADO_USER_KEYS)), password: emptyToNull(queryValue(params, ADO_PASSWORD_KEYS)),
    };
  }
  // SqlClient's names for this machine: `.`, `(local)`, `.\SQLEXPRESS`.
  const first = hostText.replace(/^tcp:/i, '').replace(/^(\.|\(local\))(?=$|[\\,])/i, 'localhost').split(/[,;](?=\s*[^\d\s])/)[0]!;
  // SqlClient writes the port after a comma: Server=tcp:db,1433
  const comma = /^([^,]+),\s*(\d+)$/.exec(first);
  // A host left as a lookup (`tcp:${sqlServerName},1433`) is unknown, as parseHostPort says of one without a port.
  let endpoint = comma ? { host: PLACEHOLDER.test(comma[1]!) ? null : comma[1]!.replace(/\\.*$/, '').toLowerCase(), port: Number(comma[2]) } : parseHostPort(first.replace(/\\[^:]*$/, ''));
  const portParam = queryValue(params, ['port']);
  if (endpoint.port === null && portParam && /^\d+$/.test(portParam)) endpoint = { ...endpoint, port: Number(portParam) };
  let kind: Kind | null = hint && hint !== 'database' ? hint : null;
  kind ??= kindFromDriver(queryValue(params, ['provider', 'providername', 'driver']) ?? '');
  if (!kind && (params.has('host') || NPGSQL_ONLY_KEYS.some((k) => params.has(k)))) kind = 'postgresql'; // Npgsql's spellings
  if (!kind && endpoint.port !== null) kind = PORT_KINDS[endpoint.port] ?? null;
  if (!kind && (params.has('uid') || params.has('sslmode'))) kind = 'mysql';
  kind ??= hint === 'database' ? 'sqlserver' : hint ?? 'sqlserver';
  return {
    kind,
    endpoints: fillDefaultPorts(kind, [endpoint]),
    database: emptyToNull(queryValue(params, ADO_DB_KEYS)),
    username: emptyToNull(queryValue(params, ADO_USER_KEYS)),
    password: emptyToNull(queryValue(params, ADO_PASSWORD_KEYS)),
  };
}

const HOST_LIST = /^\s*(?:\[[0-9a-f:]+\]|[\w.-]+)(?::\d{1,5})?(?:\s*[,;]\s*(?:\[[0-9a-f:]+\]|[\w.-]+)(?::\d{1,5})?)*\s*[,;]?\s*$/i;

/**
 * A bare host list: `h1:9092,h2:9092`, `h1:9876;h2:9876`, or a list whose items are
 * URLs (`http://es1:9200,http://es2:9200`). Needs a kind from the caller.
 */
export function parseHostList(text: string, kind: Kind): ParsedConnection | null {
  // StackExchange.Redis and similar clients mix options into the list: `h1:6379,h2:6379,password=…,ssl=True`.
  const all = text.split(/[,;]/).map((s) => s.trim()).filter(Boolean);
  if (all.some((i) => /\s/.test(i))) return null;
  const options = new Map<string, string>();
  for (const o of all.filter((i) => /^[a-z][a-z0-9_]*=/i.test(i))) options.set(o.slice(0, o.indexOf('=')).toLowerCase(), o.slice(o.indexOf('=') + 1));
  const items = all.filter((i) => !/^[a-z][a-z0-9_]*=/i.test(i));
  if (items.length === 0) return null;
  if (items.some((i) => /^(true|false|yes|no|on|off|none|null|enabled|disabled|\d+)$/i.test(i))) return null;
  if (items.every((i) => /^[a-z][a-z0-9+.-]*:\/\//i.test(i))) {
    const parsed = items.map((i) => parseConnectionString(i, kind)).filter((p): p is ParsedConnection => p !== null);
    if (parsed.length === 0) return null;
    return { ...parsed[0]!, endpoints: parsed.flatMap((p) => p.endpoints) };
  }
  if (!HOST_LIST.test(items.join(','))) return null;
  return {
    kind, endpoints: fillDefaultPorts(kind, items.map(parseHostPort)),
    database: emptyToNull(options.get('defaultdatabase') ?? null), username: emptyToNull(options.get('user') ?? null),
    password: emptyToNull(options.get('password') ?? null),
  };
}

/** PDO's DSN prefixes (PHP): `mysql:host=db;port=3306;dbname=app`, `pgsql:…`, `sqlsrv:Server=db,1433;Database=app`, `sqlite:/path`. */
const PDO_DRIVERS: Record<string, Kind> = { mysql: 'mysql', pgsql: 'postgresql', sqlsrv: 'sqlserver', sqlite: 'sqlite' };
const PDO_DSN = /^(?:(mysql|pgsql|sqlsrv):(\w+=.*)|(sqlite):(?!\/\/)([/.~:\w].*))$/i;

function parsePdoDsn(text: string): ParsedConnection | null {
  const m = PDO_DSN.exec(text);
  if (!m) return null;
  const kind = PDO_DRIVERS[(m[1] ?? m[3])!.toLowerCase()]!;
  const body = (m[2] ?? m[4])!;
  if (kind === 'sqlite') return embeddedDatabase('sqlite', body);
  if (kind === 'sqlserver') return parseAdoNetConnectionString(body, 'sqlserver');
  const params = keyValuePairs(body.split(';'));
  const host = emptyToNull(params.get('host') ?? null);
  if (host === null && !params.has('unix_socket')) return null;
  const port = params.get('port');
  return {
    kind, endpoints: [{ host: host ?? 'localhost', port: port && /^\d{1,5}$/.test(port) ? Number(port) : defaultPort(kind) }],
    database: emptyToNull(params.get('dbname') ?? null), username: emptyToNull(params.get('user') ?? null), password: emptyToNull(params.get('password') ?? null),
  };
}

/** Azure Storage's connection string keys, as its documentation spells them (compared in lower case). */
const AZURE_STORAGE_STRING = /^(?:usedevelopmentstorage\s*=\s*true\b|(?:[^;=]+=[^;]*;)*\s*(?:accountname|blobendpoint|queueendpoint|tableendpoint|fileendpoint)\s*=)/i;

/**
 * An Azure Storage connection string: `UseDevelopmentStorage=true` is the emulator on this machine (its ports are
 * per service, so none is written); otherwise the blob endpoint written, else `<account>.blob.<EndpointSuffix>`.
 */
function parseAzureStorage(text: string): ParsedConnection | null {
  if (!AZURE_STORAGE_STRING.test(text)) return null;
  if (/^usedevelopmentstorage\s*=\s*true\b/i.test(text)) {
    // `DevelopmentStorageProxyUri=http://azurite`: the emulator in another container (compose), not this machine.
    const proxy = /developmentstorageproxyuri\s*=\s*https?:\/\/([^;/:\s]+)/i.exec(text)?.[1]?.toLowerCase() ?? '127.0.0.1';
    return { kind: 'azure-storage', endpoints: [{ host: proxy, port: null }], database: null, username: null, password: null };
  }
  const params = keyValuePairs(text.split(';'));
  const account = emptyToNull(params.get('accountname') ?? null);
  const key = emptyToNull(params.get('accountkey') ?? params.get('sharedaccesssignature') ?? null);
  const written = params.get('blobendpoint') ?? params.get('queueendpoint') ?? params.get('tableendpoint') ?? params.get('fileendpoint');
  if (written) {
    const parsed = parseUrlForm(/^https?/i.exec(written)?.[0]?.toLowerCase() ?? 'https', written.replace(/^https?:\/\//i, ''), 'azure-storage');
    return { ...parsed, kind: 'azure-storage', username: account, password: key };
  }
  if (!account || !params.has('accountkey') && !params.has('sharedaccesssignature') && !params.has('defaultendpointsprotocol')) return null;
  const suffix = params.get('endpointsuffix') || 'core.windows.net';
  const host = PLACEHOLDER.test(account) ? null : `${account.toLowerCase()}.blob.${suffix.toLowerCase()}`;
  return { kind: 'azure-storage', endpoints: [{ host, port: 443 }], database: null, username: account, password: key };
}

/**
 * Parses any connection-string form. `hint` is the kind the surrounding key suggests;
 * it decides ambiguous forms (`tcp://`, a jdbc:mysql URL that is really Doris, a bare
 * host list). Returns null for text that is not a connection string.
 */
export function parseConnectionString(raw: string, hint?: Kind | null): ParsedConnection | null {
  const text = raw.trim();
  if (text === '') return null;
  if (PDO_DSN.test(text)) return parsePdoDsn(text);
  // `"jdbc:mysql://"`, `"jdbc:oracle:thin:@//"`: a driver's prefix kept as a constant that code appends a host to; a
  // JDBC URL names a server or a database after it, so the prefix alone is a template part, not a connection.
  if (/^jdbc:[a-z0-9]+(?::[a-z0-9]+)*:(?:\/\/|@\/\/|@)$/i.test(text)) return null;
  if (/^jdbc:/i.test(text)) return parseJdbcUrl(text, hint);
  // R2DBC (`r2dbc:pool:mysql://…`, `r2dbc:postgresql://…`) names its driver the way JDBC does; `pool:`/`proxy:` wrap another.
  if (/^r2dbc:/i.test(text)) return parseJdbcUrl(text.replace(/^r2dbc:((pool|proxy):)*/i, 'jdbc:'), hint);
  // ActiveMQ's composite transports (`failover:(tcp://mq1:61616,tcp://mq2:61616)?randomize=false`, `static:(…)`):
  // the brokers are the URIs in the parentheses, each with its own options.
  const composite = /^(?:failover|static):\(([^()]*)\)(?:\?.*)?$/is.exec(text);
  if (composite) {
    const members = composite[1]!.split(',').map((uri) => parseConnectionString(uri, hint)).filter((p): p is ParsedConnection => p !== null);
    const kind = members[0]?.kind;
    if (!kind || members.some((m) => m.kind !== kind)) return null;
    return { ...members[0]!, endpoints: members.flatMap((m) => m.endpoints) };
  }
  const scheme = /^([a-z][a-z0-9+._-]*):\/\//i.exec(text);
  if (scheme) {
    const s = scheme[1]!.toLowerCase();
    // SQLAlchemy and dj-database-url: `sqlite:///path/app.db` (a path), `sqlite://` (in memory).
    if (s === 'sqlite') return embeddedDatabase('sqlite', text.slice(scheme[0].length).replace(/^\//, '') || ':memory:');
    if (s === 'file') return null;
    // The templates the libraries document: alembic's `driver://user:pass@localhost/dbname`, SQLAlchemy's
    // `dialect+driver://username:password@host:port/database`. A scheme that names the slot is no engine.
    if (/^(driver|dialect(\+driver)?|scheme|protocol|engine|dbtype)$/.test(s)) return null;
    // `s@mongodb://@@g` (a sed substitution with `@` as its delimiter): `@` cannot stand unencoded in a userinfo
    // (RFC 3986), so an authority that starts with `@@` is delimiters, not a user and a host.
    if (text.startsWith('@@', scheme[0].length)) return null;
    // `mysql://user:pw@(host:3306)/db`, `mysql://…@tcp(host:3306)/db`: a Go driver's DSN behind the scheme, as Go's
    // pop (gobuffalo) and Ory's services take it; the address in parentheses is not a URL's authority.
    if ((s === 'mysql' || s === 'mariadb') && /^[^/?#]*@(tcp6?|unix)?\(/.test(text.slice(scheme[0].length))) {
      const dsn = parseGoMysqlDsn(text.slice(scheme[0].length));
      if (dsn) return { ...dsn, kind: s };
    }
    const parsed = parseUrlForm(s, text.slice(scheme[0].length), hint);
    if (!parsed.kind) return null;
    // libpq: no host in the URL (`postgres:///app`) and none in its query is the server on this machine (its socket);
    // redis-py and ioredis read `redis://` the same way (localhost, the default port).
    if ((parsed.kind === 'postgresql' || parsed.kind === 'redis') && parsed.endpoints.length === 1 && parsed.endpoints[0]!.host === null
      && /^(?:[^/?#@]*@)?(\/|$)/.test(text.slice(scheme[0].length)) && !/[?&]host=/i.test(text)) {
      return { ...parsed, endpoints: [{ host: 'localhost', port: parsed.endpoints[0]!.port ?? (parsed.kind === 'redis' ? 6379 : 5432) }] };
    }
    return parsed;
  }
  const goDsn = parseGoMysqlDsn(text);
  if (goDsn) return goDsn;
  const libpq = parseLibpqDsn(text);
  if (libpq) return libpq;
  const azure = parseAzureStorage(text);
  if (azure) return azure;
  if (text.includes('=') && (text.includes(';') || /^data source\s*=/i.test(text))) return parseAdoNetConnectionString(text, hint);
  if (hint) return parseHostList(text, hint);
  return null;
}

/** True when the text is shaped like a connection string on its own, whatever key holds it. */
export function looksLikeConnectionString(text: string): boolean {
  const t = text.trim();
  if (/^(jdbc|r2dbc):[a-z0-9]+:/i.test(t)) return true;
  const scheme = /^([a-z][a-z0-9+._-]*):\/\/\S/i.exec(t);
  if (scheme) {
    const s = scheme[1]!.toLowerCase();
    const base = s.split('+')[0]!;
    return s !== 'http' && s !== 'https' && s !== 'file' && (kindOfScheme(s) !== null || kindOfScheme(base) !== null);
  }
  if (/^(?:[^:@/()\s]*(?::\S*)?@)?tcp6?\([^)]*\)\/\S*$/.test(t) || /^[^:@/()\s]*(?::\S*)?@\([^)]*\)\/\S*$/.test(t)) return true;
  // libpq's keyword=value form with its host and database or user (`host=localhost port=5432 user=app dbname=app`).
  if (/^host=\S+(\s+\w+=\S*)+$/.test(t) && /\s(dbname|user)=/.test(t)) return true;
  if (/^(mysql|pgsql|sqlsrv):(?!\/\/)\w+=/i.test(t)) return true; // a PDO DSN
  if (AZURE_STORAGE_STRING.test(t)) return true;
  // Microsoft.Data.Sqlite's `Data Source=app.db` (a file, or `:memory:`) is a whole connection string on its own.
  if (/^data source\s*=\s*(?::memory:|[^;=]+\.(?:db|db3|sqlite3?|s3db))\s*(?:;|$)/i.test(t)) return true;
  return /(?:^|;)\s*(?:server|data source|host)\s*=[^;]+;/i.test(t) && /(?:database|initial catalog|user id|uid|username)\s*=/i.test(t);
}

/** Query and option names whose values are credentials (webhook tokens, API keys, signatures). */
const SECRET_PARAMS = 'accountkey|sharedaccesskey|sharedaccesssignature|password|pwd|passwd|access_token|accesstoken|token|apikey|api_key|api-key|key|secret|client_secret|secret_key|signature|sig|sign|auth|authorization|private_token|sas';

/** Webhook URLs whose token is a path segment rather than a parameter. */
const PATH_TOKEN_URLS: RegExp[] = [
  /(hooks\.slack\.com\/services\/)[^\s?#]+/i, // Slack incoming webhooks
  /(open\.(?:feishu\.cn|larksuite\.com)\/open-apis\/bot\/v2\/hook\/)[^\s?#/]+/i, // Feishu / Lark bots
  /(discord(?:app)?\.com\/api\/webhooks\/)[^\s?#]+/i,
  /(outlook\.office\.com\/webhook\/)[^\s?#]+/i,
];

/**
 * Replaces every credential in a connection string with `****`, keeping the rest
 * readable: URL userinfo passwords, a token used as the whole userinfo of an http(s) URL
 * (`https://ghp_…@github.com`), secret-named query/option values, Go DSN and Oracle
 * passwords, and the token segment of well-known webhook URLs.
 */
export function maskConnectionString(text: string): string {
  let out = text
    .replace(/(\/\/[^:/@\s]*:)([^@/\s]+)(@)/g, '$1****$3') // scheme://user:pass@
    .replace(/^(https?:\/\/)([^:/@\s]+)(@)/i, '$1****$3') // https://token@host
    .replace(new RegExp(`(^|[;?&,\\s])((?:${SECRET_PARAMS})\\s*=\\s*)([^;&,#\\s]*)`, 'gi'), (_m, lead: string, key: string, value: string) => `${lead}${key}${value ? '****' : ''}`)
    .replace(/^([^:@/()\s]*:)(.+)(@(?:tcp6?|unix)\()/, '$1****$3') // Go DSN
    .replace(/^(?!jdbc:)([^:@/()\s]*:)(.+)(@\()/i, '$1****$3') // Go DSN with the protocol left out (not Oracle's `@(DESCRIPTION=…)`)
    .replace(/^(jdbc:oracle:(?:thin|oci):[^/@]*\/)([^@]+)(@)/i, '$1****$3');
  for (const pattern of PATH_TOKEN_URLS) out = out.replace(pattern, '$1****');
  return out;
}
