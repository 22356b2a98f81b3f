/**
 * Constants of one source file, with a record of which were used. A constant that other
 * expressions use is a definition (`HOST = "10.0.0.5"` feeding `redis.Redis(host=HOST)`):
 * the connection is reported where it is used, its secret where it is written.
 */
import type { SyntaxNode } from './parsers.js';
import { profileFromPath } from '../profiles.js';
import { scopeFromPath } from '../paths.js';
import type { ScanOutput, SourceFile, Setting } from '../scanner.js';
import { interpretWithDefinitions, kindFromPath, mayDescribeConnection } from '../settings.js';
import { looksLikeConnectionString } from '../connection-string.js';
import { namesTestDouble, sendsRequest } from '../catalog/index.js';
import { resolveValue } from '../values.js';

export class ConstantTable extends Map<string, string> {
  readonly used = new Set<string>();
  /** Where each constant's value is written. */
  private readonly lines = new Map<string, number>();
  /** The constants looked up since the last `track`, in evaluation order. */
  private touched: string[] = [];

  override get(name: string): string | undefined {
    const value = super.get(name);
    if (value !== undefined) {
      this.used.add(name);
      this.touched.push(name);
    }
    return value;
  }

  /**
   * Records a declaration. One whose value cannot be evaluated (`const url = makeUrl(…)`) hides an
   * earlier constant of the same name, so a `url` in one function never takes another function's value.
   */
  define(name: string, value: string | null, line: number): void {
    if (value === null) {
      this.delete(name);
      this.lines.delete(name);
      return;
    }
    this.set(name, value);
    this.lines.set(name, line);
  }

  /**
   * Evaluates with `evaluate` and reports whether the value drew on a constant, and `origin`: the line of
   * the constant that wrote the value's address. That is the first constant looked up that sits where the
   * host does, after at most a scheme and user info (`${BASE}/users`, `"http://" + HOST`), so a connection
   * built from constants is reported where its address is written, once however many calls use it.
   */
  track<T extends string | null>(evaluate: () => T): { value: T; derived: boolean; origin?: number } {
    this.touched = [];
    const value = evaluate();
    const derived = this.touched.length > 0;
    if (!derived || value === null) return { value, derived };
    for (const name of this.touched) {
      const part = super.get(name)!;
      // A URL constant may reach the value reformatted (`String.format(URL, id)`): its scheme and authority still show.
      const head = /^[a-z][a-z0-9+.-]*:\/\/[^/?#%$\s]+/i.exec(part)?.[0] ?? part;
      const at = head === '' ? -1 : value.indexOf(head);
      // Before it: at most env lookups whose fallback it is (`${RQ_REDIS_URL:…}`), a scheme (`jdbc:mysql://`)
      // and user info (`user:pw@`, a Go DSN's `user:pw@tcp(`).
      // A constant followed by more user info (`smtp://${USER}:${PASSWORD}@smtp.relay.net`) is the user, not the address.
      const userInfo = /^[^/@\s]*@/.test(value.slice(at + head.length));
      if (at >= 0 && !userInfo && /^(\$\{[\w.-]+:)*((?:[a-z][a-z0-9+.-]*:)+\/\/)?([^@/\s]*@(tcp6?\()?)?$/i.test(value.slice(0, at))) {
        const origin = this.lines.get(name);
        return origin === undefined ? { value, derived } : { value, derived, origin };
      }
    }
    return { value, derived };
  }
}

/** A setting for a value `track` returned, written on `line`: one derived from constants stands where its address was written. */
export function settingOf(path: string[], tracked: { value: string; derived: boolean; origin?: number }, line: number): Setting {
  return { path, value: tracked.value, line: tracked.origin ?? line, ...(tracked.derived ? { derived: true } : {}) };
}

/**
 * `left + right` where either side may be unknown: known parts are kept, an unknown part
 * becomes an unresolved `${expression}`, and nothing is invented. Null when both are unknown.
 */
export function concatenate(left: string | null, right: string | null, leftText: string | undefined, rightText: string | undefined): string | null {
  if (left === null && right === null) return null;
  return `${left ?? `\${${leftText ?? '?'}}`}${right ?? `\${${rightText ?? '?'}}`}`;
}

/** A `+` expression node (Java, Go, Python): concatenation of what each side evaluates to; null for other operators. */
export function evaluatePlus(node: SyntaxNode, evaluate: (n: SyntaxNode) => string | null): string | null {
  if (node.childForFieldName('operator')?.text !== '+') return null;
  const left = node.childForFieldName('left');
  const right = node.childForFieldName('right');
  return concatenate(left ? evaluate(left) : null, right ? evaluate(right) : null, left?.text, right?.text);
}

/**
 * An annotation's attribute as settings. Spring Cloud OpenFeign's `@FeignClient(url = …)` takes "an absolute URL or
 * resolvable hostname (the protocol is optional)": `127.0.0.1:8081` or `pay.internal` there is an http address. A
 * bare name stays a name (a service discovery resolves it: LABELLING's logical service names).
 */
export function annotationSettings(annotation: string, attribute: string, settings: Setting[]): Setting[] {
  if (annotation !== 'FeignClient' || attribute !== 'url') return settings;
  return settings.map((s) => (SCHEMELESS_ADDRESS.test(s.value) ? { ...s, value: `http://${s.value}` } : s));
}

/** A dotted host name or a `host:port`, with an optional path: an address written without its protocol. */
const SCHEMELESS_ADDRESS = /^(?:[\w-]+\.)+[\w-]+(?::\d+)?(?:\/|$)|^[\w.-]+:\d+(?:\/|$)/;

/** An environment read as the lookup settings resolve: `getenv("X", "d")` is `${X:d}`, `getenv("X")` is `${X}`. */
export function environmentLookup(name: string, fallback?: string | null): string {
  return fallback === null || fallback === undefined ? `\${${name}}` : `\${${name}:${fallback}}`;
}

/**
 * A conditional's value as code reads it (Java's and C#'s `cond ? a : b`): the branch written here when only one is
 * (`url != null ? url : "https://…"`, `flag ? GetEnvironment("X", "d") : null`), the default the other leaves to the
 * caller; with both written, which one runs is not known here.
 */
export function writtenBranch(branches: ReadonlyArray<string | null>): string | null {
  const known = branches.filter((b) => b !== null);
  return known.length === 1 ? known[0]! : null;
}

/**
 * An environment lookup or-ed with a literal (`os.environ.get("X") or "d"`, `ENV["X"] || "d"`, `getenv('X') ?: 'd'`):
 * the literal is the default when the variable is unset, `${X:d}`. Null when the left side is no single lookup or the
 * right side no literal.
 */
export function lookupWithDefault(lookup: string | null, fallback: string | null): string | null {
  const name = lookup === null ? null : /^\$\{([^:}]+)\}$/.exec(lookup)?.[1];
  return name && fallback !== null && !fallback.includes('}') ? environmentLookup(name, fallback) : null;
}

/** printf-style templates (`String.format`, `fmt.Sprintf`): each verb takes the next argument's value or stays unresolved. */
export function formatPrintf(template: string, args: Array<{ value: string | null; text: string } | undefined>, verbs: RegExp): string {
  let i = 0;
  return template.replace(verbs, () => {
    const arg = args[i++];
    return arg?.value ?? `\${${arg?.text ?? '?'}}`;
  });
}

/**
 * The end of every code scan: constants other code used become definitions, the
 * settings are interpreted, and a profile-less file offers its constants to the app's
 * other files (`from .config import REDIS_HOST`, a Java `Constants` class).
 */
export function interpretCode(file: SourceFile, all: Setting[], consts: ConstantTable, declared: Map<Setting, string>): ScanOutput {
  for (const [setting, name] of declared) if (consts.used.has(name)) setting.definition = true;
  // Test code is full of URLs that are data (`DataSource(source_url=…)`, an expected value): there only a URL
  // given to a call as its endpoint is a call; other connection strings (a test Redis) still count.
  const lines = scopeFromPath(file.path) === 'test' ? file.text.split('\n') : null;
  const settings = (lines ? all.filter((s) => !isTestDataUrl(s, lines)) : all).filter((s) => !passesEnvironmentThrough(s));
  const profile = profileFromPath(file.path);
  const { interpretation, definitionFindings } = interpretWithDefinitions(settings, { profile, definitions: file.definitions, strictHosts: true });
  const out: ScanOutput = interpretation;
  // A constant a known client uses is reported on its own line with the kind and port the use says (origin in
  // ConstantTable.track); one that only unknown code uses (`new InvoiceApi(BASE_URL)`) is reported from its
  // definition alone, unless a use already put that host on that line.
  const where = (f: { host: string | null; line: number }) => `${f.line}|${(f.host ?? '').toLowerCase()}`;
  const reported = new Set(out.findings.map(where));
  // In a test a constant no client uses (`private static final String TEST_URL = "http://127.0.0.1/"`) is data for
  // the code under test.
  for (const f of lines ? [] : definitionFindings) {
    if (f.host !== null && !reported.has(where(f))) {
      reported.add(where(f));
      out.findings.push(f);
    }
  }
  // Only constants that could take part in a connection are offered: a large code base has many others.
  if (profile === null) out.definitions = Object.fromEntries([...consts.entries()].filter(([k, v]) => mayDescribeConnection(k, v)));
  return out;
}

/**
 * `{ DATABASE_URL: process.env.DATABASE_URL }` (t3-env's `runtimeEnv`, Next.js's `env`, a config loader's table): an
 * object member that hands a variable on under its own name, with no default, says nothing about where anything
 * connects; the client built from it is the site (LABELLING: a client built from config values with no literal host).
 * A module's own setting (`LDAP_AUTH_URL = env.str("LDAP_AUTH_URL")` in a Django settings module) is the app's
 * configuration and stays.
 */
function passesEnvironmentThrough(setting: Setting): boolean {
  const variable = /^\$\{([^:}]+)\}$/.exec(setting.value)?.[1];
  // `#2` marks a name assigned again in a settings module (a generation, scanners/python-code.ts), not an object.
  const members = setting.path.filter((segment) => !/^#\d+$/.test(segment));
  return variable !== undefined && members.length > 1 && variable === members[members.length - 1];
}

/**
 * Calls whose arguments are what a page or response shows (`res.render('view', { docsUrl })`,
 * `render_template(…, help_url=…)`, `jsonify(…)`, `res.redirect(…)`, a help text's `.format(url=…)`):
 * links for a browser, not connections.
 */
export function rendersView(name: string): boolean {
  return /^(render|renderFile|render_template|render_to_string|render_to_response|TemplateResponse|jsonify|JsonResponse|json|redirect|redirect_to|link_to|button_to|image_tag|HttpResponseRedirect|RedirectResponse|format|format_html|format_lazy|gettext|gettext_lazy|ngettext|mark_safe)$/.test(name);
}

/**
 * The `urlFirst` test of `callSettings` for a call named `name`: any connection string, and an http(s) URL
 * when the call sends requests (its name says so, or `knownClient`) or the argument's role is `url`.
 */
export function endpointArgument(name: string, knownClient = false): (value: string, role: string | undefined) => boolean {
  return (value, role) => {
    // Every connection string and URL has one of these; most call arguments have none.
    if (!/[:=@]/.test(value)) return false;
    const shown = resolveValue(value).text ?? value;
    return looksLikeConnectionString(shown) || (/^https?:\/\//i.test(shown) && (knownClient || role === 'url' || sendsRequest(name)));
  };
}

function isTestDataUrl(s: Setting, lines: readonly string[]): boolean {
  const text = resolveValue(s.value).text ?? s.value;
  if (!/^https?:\/\//i.test(text)) return false;
  const site = /^(.*)@(\d+)$/.exec(s.path[s.path.length - 2] ?? '');
  if (s.path[s.path.length - 1] !== 'url' || site === null) return true;
  // A test double's request (`MockServerHttpRequest.get(url)`, WireMock's `stubFor`) is built, never sent.
  if (namesTestDouble(site[1]!)) return true;
  // A BDD step (`GivenTheDownstreamRequestUriIs(url)`, `ThenTheResponseIs(…)`, `WhenIGetUrlOnTheApiGateway(…)`: BDDfy,
  // SpecFlow, Ocelot's tests) sets up, drives or checks the system under test: its URLs are data or the app's own.
  if (/^(Given|When|Then|And)[A-Z_]/.test(site[1]!.split('.').pop()!)) return true;
  // In a test, `build_coords_url('https://maps…')` is the function under test; `get(…)`, `fetchJson(…)` and a
  // client builder's `.url(…)` / `.baseUrl(…)` send requests …
  const name = site[1]!.split('.').pop()!;
  if (!(sendsRequest(name, { builders: false }) || /^(url|uri|baseUrl|baseURL|base_url|baseUri|endpoint)$/.test(name))) return true;
  // … when a client makes them (`requests.get`, `webClient.get().uri(…)`), not a service under test (`thumbnailService.get(url)`).
  const at = Number(site[2]);
  const call = lines.slice(Math.max(0, at - 2), at).join('\n').replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  return !/client|http|request|rest|axios|fetch|session|curl|web|api/i.test(call);
}

/** One argument of a client call, as the calling language reads it; each language keeps its own evaluator. */
export interface CallArgument {
  /** A keyword argument (`Redis(host=…)`): its own name is its role. */
  name?: string;
  /** Options written as keys (`{ host, port }`, `&redis.Options{Addr: …}`): they go under the call site, keys as roles. */
  keyed?: boolean;
  /** The argument's settings under a path: a scalar, a host list, nested keys, or `${name}` for a variable. */
  settingsAt(path: string[]): Setting[];
  /** The argument as one value in the placeholder language, and whether constants from elsewhere built it. */
  scalar(): { value: string | null; derived: boolean; origin?: number };
  line: number;
}

/**
 * The roles of a `host-port` client call's positional arguments (`new Jedis(host, 6379, timeout, password)`, for
 * Java and Kotlin alike): the first name or non-numeric value is the address (`url` when it reads as a connection
 * string, else `host`), the next number its port, a non-numeric value after the port the password. A variable typed
 * as something other than a string is a config object, passed over.
 */
export function hostPortArguments(
  args: readonly SyntaxNode[], value: (arg: SyntaxNode) => string | null, typeOf: (name: string) => string | undefined,
): Array<{ arg: SyntaxNode; role: 'url' | 'host' | 'port' | 'password' }> {
  const out: Array<{ arg: SyntaxNode; role: 'url' | 'host' | 'port' | 'password' }> = [];
  let host = false;
  let port = false;
  for (const arg of args) {
    const v = value(arg);
    if (!host && (v === null ? arg.type === 'identifier' : !/^\d+$/.test(v))) {
      const type = v === null && arg.type === 'identifier' ? typeOf(arg.text) : undefined;
      if (type && type !== 'String') continue; // a config object
      host = true;
      out.push({ arg, role: v !== null && looksLikeConnectionString(v) ? 'url' : 'host' });
    } else if (host && !port && v !== null && /^\d+$/.test(v)) {
      port = true;
      out.push({ arg, role: 'port' });
    } else if (port && v !== null && !/^\d+$/.test(v)) {
      out.push({ arg, role: 'password' });
    }
  }
  return out;
}

/**
 * The settings a client call writes, for every language alike: keyed options under the call site, keyword
 * arguments under their names, positional arguments under the role the catalog gives their position, and a
 * positional argument without a role that is a connection string on its own as the site's `url`.
 * `urlFirst` lets a language say that a value is an endpoint whatever its position (an http(s) URL passed to
 * an HTTP client): it then goes under `url`.
 */
export function callSettings(
  site: string[], roles: readonly string[], args: readonly CallArgument[],
  opts: { urlFirst?: (value: string, role: string | undefined) => boolean } = {},
): Setting[] {
  const out: Setting[] = [];
  let position = 0;
  for (const arg of args) {
    if (arg.keyed) {
      // An options object still takes its place among the positional arguments (`new Redis(6379, host, {…})`).
      position++;
      out.push(...arg.settingsAt(site));
      continue;
    }
    if (arg.name !== undefined) {
      out.push(...arg.settingsAt([...site, arg.name]));
      continue;
    }
    const role = roles[position++];
    if (opts.urlFirst) {
      const tracked = arg.scalar();
      if (tracked.value !== null && opts.urlFirst(tracked.value, role)) {
        out.push(settingOf([...site, 'url'], { ...tracked, value: tracked.value }, arg.line));
        continue;
      }
    }
    if (role) {
      out.push(...arg.settingsAt([...site, role]));
      continue;
    }
    const tracked = arg.scalar();
    if (tracked.value !== null && looksLikeConnectionString(tracked.value)) out.push(settingOf([...site, 'url'], { ...tracked, value: tracked.value }, arg.line));
    // `new ZookeeperDataSource<>("127.0.0.1:2181", path, parser)`, `new RedisClusterClient("10.0.0.5:7000")`: a class or
    // function named for a product, given a `host:port`, is given that product's address.
    else if (tracked.value !== null && isProductAddress(site, tracked.value)) out.push(settingOf([...site, 'address'], { ...tracked, value: tracked.value }, arg.line));
  }
  return out;
}

/** A host (a name or an IPv4 address) and a port, nothing else. */
const HOST_AND_PORT = /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9-]+)*):\d{2,5}$/i;

/** Whether `value` is a `host:port` handed to a call whose class or function name (its last two names) names a product. */
export function isProductAddress(site: string[], value: string): boolean {
  if (!HOST_AND_PORT.test(value)) return false;
  const callee = site[site.length - 1]!.replace(/@\d+$/, '').replace(/^new /, '').replace(/<[^>]*>/g, '').split('.').slice(-2);
  const kind = kindFromPath(callee);
  return kind !== null && kind !== 'database' && kind !== 'http';
}
