/**
 * CSharpCodeScanner (tree-sitter-c-sharp): .NET services, turned into the shared settings language like every
 * other code scanner:
 *   const string Host = "cache-1"; $"{Host}:6380,password=…"          → constant, propagated into the interpolation
 *   new NpgsqlConnection("Host=db;…"), ConnectionMultiplexer.Connect(…) → catalog client calls: positional roles
 *   options.UseNpgsql("Host=…"), builder.AddRedis("cache")              → the same, by method name (EF Core, .NET Aspire)
 *   new ConnectionFactory { HostName = "rabbitmq", Password = … }       → initializer keys under the call site
 *   client.BaseAddress = new Uri("https://…")                           → setting client.BaseAddress
 *   Environment.GetEnvironmentVariable("X") ?? "d"                      → ${X:d}
 * Which call and which argument is data in the catalog (`clients.csharp`); `using Npgsql;` says which engine an
 * ADO.NET string of the file is for when the string itself does not. Comments are not in the AST.
 */
import { codeGate } from '../src/code/gate.js';
import { callSettings, ConstantTable, environmentLookup, evaluatePlus, endpointArgument, interpretCode, rendersView, type CallArgument, settingOf, writtenBranch } from '../src/code/constants.js';
import { clientCalls, clientCallWords, clientModules, kindFromImage, namesTestDouble, RELATIONAL_KINDS } from '../src/catalog/index.js';
import { looksLikeConnectionString, parseConnectionString } from '../src/connection-string.js';
import { parseSource, type SyntaxNode } from '../src/code/parsers.js';
import { kindFromPath } from '../src/settings.js';
import { nameWords } from '../src/text.js';
import { defineScanner, type ScanOutput, type SourceFile, type Setting } from '../src/scanner.js';
import type { Kind } from '../src/result-model.js';

/** Positional argument roles by `Type.Method`, `new Type` or a method name alone (catalog client calls). */
const POSITIONAL = clientCalls('csharp');
/** The product word each of those calls names its site with. */
const CALL_WORDS = clientCallWords('csharp');
/** Namespaces whose import says which product a file talks to (catalog `csharpNamespaces`). */
const NAMESPACE_KINDS = clientModules('csharp');

/** The options class a member is declared in (`RabbitMQOptions`, `ConsulDiscoveryOptions`, `SmtpSettings`), or null. */
function optionsClassOf(member: SyntaxNode): string | null {
  for (let p = member.parent; p; p = p.parent) {
    if (p.type === 'class_declaration' || p.type === 'record_declaration' || p.type === 'struct_declaration') {
      const name = p.childForFieldName('name')?.text ?? '';
      return /(Options|Settings|Config|Configuration)$/.test(name) ? name : null;
    }
  }
  return null;
}

/** Types whose instances are addresses, not clients: `new Uri(…)` is a value, evaluated where it is used. */
const ADDRESS_TYPES = /^(Uri|UriBuilder)$/;

function stringContent(node: SyntaxNode): string {
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'string_literal_content' || c.type === 'raw_string_content') out += c.text;
    else if (c.type === 'escape_sequence') out += unescape(c.text);
  }
  return out;
}

function unescape(seq: string): string {
  const map: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0' };
  return seq.length === 2 ? map[seq[1]!] ?? seq[1]! : seq;
}

/** The last identifier of a name (`Foo.Bar<T>` → `Bar`). */
function simpleName(node: SyntaxNode | null): string {
  if (!node) return '';
  if (node.type === 'generic_name') return node.namedChildren.find((c) => c.type === 'identifier')?.text ?? '';
  if (node.type === 'qualified_name') return simpleName(node.childForFieldName('name') ?? node.namedChildren[node.namedChildren.length - 1] ?? null);
  if (node.type === 'nullable_type') return simpleName(node.namedChildren[0] ?? null);
  return node.text.replace(/<.*$/s, '').split('.').pop()!.trim();
}

/** Property names that hold an address: `BaseUrl`, `ApiUrl`, `Endpoint`, `Host`, `ServerAddress`. */
const ADDRESS_PROPERTY = /^[A-Z]\w*(Url|Uri|Endpoint|Host|Address)$|^(Url|Uri|Endpoint|Host|Address)$/;

/** The class a statement's constructor builds, when the statement is in one. */
function enclosingConstructor(node: SyntaxNode): string | null {
  for (let at: SyntaxNode | null = node.parent, depth = 0; at && depth < 6; at = at.parent, depth++) {
    if (at.type === 'constructor_declaration') return at.childForFieldName('name')?.text ?? null;
    if (at.type === 'method_declaration' || at.type === 'local_function_statement' || at.type === 'lambda_expression') return null;
  }
  return null;
}

function argumentsOf(node: SyntaxNode): SyntaxNode[] {
  const list = node.childForFieldName('arguments') ?? node.namedChildren.find((c) => c.type === 'argument_list');
  return (list?.namedChildren ?? []).filter((c) => c.type === 'argument').map((a) => a.namedChildren[a.namedChildren.length - 1]!).filter(Boolean);
}

/** The value of an expression in the interpreter's placeholder language, or null when unknown. */
export function evaluate(node: SyntaxNode, consts: ConstantTable): string | null {
  switch (node.type) {
    case 'string_literal': case 'raw_string_literal':
      return stringContent(node);
    case 'verbatim_string_literal':
      return node.text.slice(2, -1).replace(/""/g, '"');
    case 'interpolated_string_expression': {
      const verbatim = /^(\$@|@\$)/.test(node.text);
      let out = '';
      for (const c of node.namedChildren) {
        if (c.type === 'string_content' || c.type === 'raw_string_content') out += verbatim ? c.text.replace(/""/g, '"') : c.text;
        else if (c.type === 'escape_sequence') out += unescape(c.text);
        else if (c.type === 'interpolation') {
          const e = c.namedChildren.find((x) => x.type !== 'interpolation_brace' && x.type !== 'interpolation_alignment_clause' && x.type !== 'interpolation_format_clause');
          out += (e && evaluate(e, consts)) ?? `\${${e?.text ?? '?'}}`;
        }
      }
      return out;
    }
    case 'integer_literal':
      return node.text.replace(/[uUlL_]/g, ''); // 5432L, 1_000u
    case 'boolean_literal':
      return node.text;
    case 'identifier':
      return consts.get(node.text) ?? null;
    case 'member_access_expression':
      // Constants.RedisHost, Settings.Default.DbHost
      return consts.get(node.childForFieldName('name')?.text ?? '') ?? null;
    case 'conditional_expression':
      // `!noDefaultNode ? GetEnvironment("X", "Host=…") : null`
      return writtenBranch([node.childForFieldName('consequence'), node.childForFieldName('alternative')].map((b) => (b ? evaluate(b, consts) : null)));
    case 'parenthesized_expression':
      return node.namedChildren[0] ? evaluate(node.namedChildren[0], consts) : null;
    case 'postfix_unary_expression':
      // `value!`: the null-forgiving operator changes nothing
      return node.text.endsWith('!') && node.namedChildren[0] ? evaluate(node.namedChildren[0], consts) : null;
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text;
      if (op === '+') return evaluatePlus(node, (n) => evaluate(n, consts));
      if (op !== '??') return null;
      // Environment.GetEnvironmentVariable("X") ?? "default"
      const l = node.childForFieldName('left');
      const r = node.childForFieldName('right');
      const lv = l ? evaluate(l, consts) : null;
      const rv = r ? evaluate(r, consts) : null;
      const m = lv ? /^\$\{([^:}]+)\}$/.exec(lv) : null;
      if (m && rv !== null) return `\${${m[1]}:${rv}}`;
      return lv ?? rv;
    }
    case 'object_creation_expression': {
      // new Uri("https://…"), new Uri(BaseUrl + "/v2"): a value, the address it was given
      const first = argumentsOf(node)[0];
      return ADDRESS_TYPES.test(simpleName(node.childForFieldName('type'))) && first ? evaluate(first, consts) : null;
    }
    case 'invocation_expression': {
      const fn = node.childForFieldName('function');
      const name = fn?.type === 'member_access_expression' ? simpleName(fn.childForFieldName('name')) : simpleName(fn);
      const receiver = fn?.type === 'member_access_expression' ? fn.childForFieldName('expression')?.text ?? '' : '';
      const a = argumentsOf(node);
      if (receiver === 'Environment' && name === 'GetEnvironmentVariable' && a[0]) {
        const key = evaluate(a[0], consts);
        return key ? `\${${key}}` : null;
      }
      // A project's own helper over it with a fallback (BTCPay's tests' `GetEnvironment("TESTS_MAILPIT_HOST",
      // "127.0.0.1")`, `GetEnvOrDefault(…)`), as Go's `getEnv("X", "d")` and Rust's `get_env_var` are read.
      if (ENV_HELPER.test(name) && a.length === 2) {
        const key = evaluate(a[0]!, consts);
        const fallback = evaluate(a[1]!, consts);
        if (key !== null && /^[A-Z][A-Z0-9_]*$/.test(key)) return environmentLookup(key, fallback);
      }
      // string.Format("Host={0};Port={1}", host, port)
      if (/^[sS]tring$/.test(receiver) && name === 'Format' && a[0]) {
        const template = evaluate(a[0], consts);
        if (template === null) return null;
        const rest = a.slice(1).map((n) => ({ value: evaluate(n, consts), text: n.text }));
        return template.replace(/\{(\d+)(?:[,:][^}]*)?\}/g, (_m, i: string) => rest[Number(i)]?.value ?? `\${${rest[Number(i)]?.text ?? '?'}}`);
      }
      return null;
    }
    default:
      return null;
  }
}

/** Names of a helper that reads an environment variable with a default: `GetEnvironment`, `GetEnvOrDefault`, `EnvOr`. */
const ENV_HELPER = /^(Get)?Env(ironment)?(Var(iable)?)?(OrDefault|WithDefault|Or)?$/;

/** The value a declarator is given: the node after its name (`x = …`), or a property's initializer. */
function declaredValue(declarator: SyntaxNode): SyntaxNode | null {
  const name = declarator.childForFieldName('name');
  const rest = declarator.namedChildren.filter((c) => c !== name && c.startIndex !== name?.startIndex && c.type !== 'bracketed_argument_list');
  return rest[rest.length - 1] ?? null;
}

/**
 * A value built on a constant is no secret of its own (the constant's is reported where it is written), but a
 * password written in the expression itself (`$"{Host}:6380,password=…"`) is one, on the expression's line.
 */
function inlinePassword(path: string[], derived: boolean, value: string, node: SyntaxNode): Setting[] {
  if (!derived) return [];
  const password = parseConnectionString(value, kindFromPath(path))?.password;
  if (!password || password.includes('${') || !node.text.includes(password)) return [];
  return [{ path: [...path.slice(0, -1), path.length > 1 ? 'password' : `${path[0]}Password`], value: password, line: node.startPosition.row + 1 }];
}

/** A message handler that is a test double, constructed: `new TestInnerHandler()`, `new Mock<HttpMessageHandler>(…)`. */
const TEST_DOUBLE_HANDLER = /\bnew\s+(?:Mock\s*<\s*HttpMessageHandler\s*>|(\w*Handler\w*))\s*\(/g;

/** HttpClient's request methods (and the System.Net.Http.Json extensions). */
const HTTP_CLIENT_SENDS = /^(Get|Post|Put|Patch|Delete|Send)(StringAsync|StreamAsync|ByteArrayAsync|AsJsonAsync|FromJsonAsync|Async)$/;

export function scanCSharpCode(file: SourceFile): ScanOutput {
  const root = parseSource('csharp', file.text).rootNode;
  const fakesHttp = [...file.text.matchAll(TEST_DOUBLE_HANDLER)].some((m) => m[1] === undefined || namesTestDouble(m[1]) || nameWords(m[1]).includes('test'));
  // `using Npgsql;`: the products the file imports, and the one relational engine when there is exactly one.
  const imported = new Set<string>();
  for (const u of root.descendantsOfType('using_directive')) {
    const name = u.namedChildren.find((c) => c.type === 'qualified_name' || c.type === 'identifier')?.text.replace(/\s+/g, '') ?? '';
    const word = NAMESPACE_KINDS.find(([re]) => re.test(name))?.[1];
    if (word) imported.add(word);
  }
  const engines = [...imported].filter((w) => RELATIONAL_KINDS.has(w as Kind));
  const engine = engines.length === 1 ? engines[0]! : null;
  /** An ADO.NET string that does not name its engine gets the file's: a path word in front. */
  const withEngine = (path: string[], value: string | null): string[] =>
    engine && value !== null && !/^[a-z][a-z0-9+.-]*:/i.test(value) && looksLikeConnectionString(value) && (kindFromPath(path) ?? 'database') === 'database' ? [engine, ...path] : path;

  const consts = new ConstantTable();
  const declared = new Map<Setting, string>();
  const types = new Map<string, string>(); // variable → declared or constructed type
  const assigned = new Set<string>(); // receiver.property already set by an assignment
  const settings: Setting[] = [];
  const settingsAt = (path: string[], node: SyntaxNode, unknownAsPlaceholder: boolean): Setting[] => {
    const tracked = consts.track(() => evaluate(node, consts));
    const value = tracked.value ?? (unknownAsPlaceholder && /^[\w.]+$/.test(node.text) ? `\${${node.text.split('.').pop()}}` : null);
    if (value === null) return [];
    const full = withEngine(path, tracked.value);
    return [settingOf(full, { ...tracked, value }, node.startPosition.row + 1), ...inlinePassword(full, tracked.derived, value, node)];
  };
  const typeWord = (type: string): string | null => CALL_WORDS[`new ${type}`] ?? null;
  /** A known client's object initializer (`new ConnectionFactory { HostName = … }`): its keys under the call site. */
  const initializer = (site: string[], type: string, node: SyntaxNode): Setting[] => {
    const init = node.childForFieldName('initializer');
    const out: Setting[] = [];
    for (const a of init?.namedChildren.filter((c) => c.type === 'assignment_expression') ?? []) {
      const key = simpleName(a.childForFieldName('left'));
      const right = a.childForFieldName('right');
      if (!key || !right) continue;
      const tracked = consts.track(() => evaluate(right, consts));
      // `BaseAddress = new Uri("https://…")`: an address given to a client is the site's url whatever the key is called.
      const asUrl = tracked.value !== null && endpointArgument(type, true)(tracked.value, undefined);
      out.push(...settingsAt([...site, asUrl ? 'url' : key], right, true));
    }
    return out;
  };

  for (const node of root.descendantsOfType(['variable_declaration', 'property_declaration', 'assignment_expression', 'invocation_expression', 'object_creation_expression'])) {
    const line = node.startPosition.row + 1;
    if (node.type === 'variable_declaration' || node.type === 'property_declaration') {
      const declarators = node.type === 'variable_declaration' ? node.namedChildren.filter((c) => c.type === 'variable_declarator') : [node];
      const declaredType = simpleName(node.childForFieldName('type'));
      for (const d of declarators) {
        const name = d.childForFieldName('name')?.text;
        let valueNode = node.type === 'property_declaration' ? d.childForFieldName('value') : declaredValue(d);
        if (valueNode?.type === 'arrow_expression_clause') valueNode = valueNode.namedChildren[0] ?? null;
        if (!name) continue;
        const constructed = valueNode?.type === 'object_creation_expression' ? simpleName(valueNode.childForFieldName('type')) : '';
        types.set(name, declaredType === 'var' || declaredType === '' ? constructed : declaredType);
        if (valueNode?.type === 'conditional_expression') {
          // `Android ? "http://10.0.2.2:11632/" : "http://localhost:11632/"`: either may be used, each is a value.
          // Each branch in a group of its own (`?1`, `?2`), or the interpreter would read them as one address.
          for (const [i, branch] of [valueNode.childForFieldName('consequence'), valueNode.childForFieldName('alternative')].entries()) {
            const each = branch ? consts.track(() => evaluate(branch, consts)) : null;
            if (each?.value != null) settings.push(settingOf(withEngine([`?${i + 1}`, name], each.value), { ...each, value: each.value }, branch!.startPosition.row + 1));
          }
        }
        const tracked = consts.track(() => (valueNode ? evaluate(valueNode, consts) : null));
        const { value } = tracked;
        consts.define(name, value, tracked.origin ?? (valueNode ? valueNode.startPosition.row + 1 : line));
        if (value !== null) {
          // A member of an options class (`RabbitMQOptions.HostName = "localhost"`, .NET's options pattern) is named by its
          // class too: the class says which product the member's default is for.
          const owner = node.type === 'property_declaration' || node.parent?.type === 'field_declaration' ? optionsClassOf(node) : null;
          const setting = settingOf(withEngine(owner ? [owner, name] : [name], value), { ...tracked, value }, valueNode!.startPosition.row + 1);
          settings.push(setting, ...inlinePassword(setting.path, tracked.derived, value, valueNode!));
          declared.set(setting, name);
        }
      }
      continue;
    }
    if (node.type === 'assignment_expression') {
      // client.BaseAddress = new Uri("…"), factory.HostName = "…": a property set on a receiver, like a Java setter.
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      // A settings class's constructor giving an address-named property its default (`public HDBitsSettings() {
      // BaseUrl = "https://…"; }`): a setting of that class, as an options class's initialized member is.
      const owner = left?.type === 'identifier' && right && ADDRESS_PROPERTY.test(left.text) ? enclosingConstructor(node) : null;
      if (owner) {
        settings.push(...settingsAt([owner, left!.text], right!, false));
        continue;
      }
      if (left?.type !== 'member_access_expression' || !right || node.parent?.type === 'initializer_expression') continue;
      const receiver = left.childForFieldName('expression')?.text.replace(/\s+/g, '') ?? '';
      const prop = simpleName(left.childForFieldName('name'));
      const type = types.get(receiver) ?? '';
      const word = type ? typeWord(type) : null;
      // The same property set again (`client.BaseAddress = …` in each branch of an `if`): each is a site of its own at
      // its line, not a second value of the first one's key.
      const site = assigned.has(`${receiver}.${prop}`) ? `${receiver}@${node.startPosition.row + 1}` : receiver;
      assigned.add(`${receiver}.${prop}`);
      settings.push(...settingsAt([...(word ? [word] : []), ...(type ? [type] : []), site, prop], right, false));
      continue;
    }
    const fn = node.type === 'invocation_expression' ? node.childForFieldName('function') : null;
    if (node.type === 'object_creation_expression' && ADDRESS_TYPES.test(simpleName(node.childForFieldName('type')))) continue;
    let callee: string;
    let candidates: string[];
    if (node.type === 'object_creation_expression') {
      callee = `new ${simpleName(node.childForFieldName('type'))}`;
      candidates = [callee];
    } else {
      const name = fn?.type === 'member_access_expression' ? simpleName(fn.childForFieldName('name')) : simpleName(fn);
      const receiver = fn?.type === 'member_access_expression' ? simpleName(fn.childForFieldName('expression')) : '';
      if (!name || rendersView(name) || (receiver === 'Environment' && name === 'GetEnvironmentVariable')) continue;
      callee = receiver ? `${receiver}.${name}` : name;
      candidates = [callee, name];
    }
    // In a file whose HTTP clients are built over a test double's message handler (`new TestInnerHandler()`, Moq's
    // `new Mock<HttpMessageHandler>()`), a request URL goes to that double: it sends nothing anywhere.
    if (fakesHttp && HTTP_CLIENT_SENDS.test(callee.split('.').pop()!)) continue;
    const key = candidates.find((c) => Object.hasOwn(POSITIONAL, c));
    const args = argumentsOf(node);
    if (key !== undefined) {
      const site = [CALL_WORDS[key]!, `${callee}@${line}`];
      const found = callSettings(site, POSITIONAL[key]!, args.map((arg): CallArgument => ({
        settingsAt: (path) => settingsAt(path, arg, true),
        scalar: () => consts.track(() => evaluate(arg, consts)),
        line: arg.startPosition.row + 1,
      })));
      for (const s of found) if (s.path[s.path.length - 1] !== undefined && POSITIONAL[key]!.includes(s.path[s.path.length - 1]!)) s.address = true;
      settings.push(...found);
      // `new HttpClient(handlerMock.Object) { BaseAddress = … }`: a client over a mocked handler sends nothing anywhere.
      if (node.type === 'object_creation_expression' && !args.some((a) => namesTestDouble(a.text.replace(/\s+|\d+/g, '')))) settings.push(...initializer(site, callee.slice(4), node));
      continue;
    }
    // Builders that set what a container or resource runs with: .NET Aspire's and Testcontainers' `.WithEnvironment(
    // "POSTGRES_PASSWORD", "…")`, Aspire's `AddParameter("minio-password", "…", secret: true)` (a name and its value), and
    // Testcontainers' `.WithPassword("…")`/`.WithUsername("…")`: the value is a setting under that name.
    const method = fn?.type === 'member_access_expression' ? simpleName(fn.childForFieldName('name')) : null;
    const named = method === 'WithEnvironment' || method === 'AddParameter' ? args.length >= 2 : method !== null && /^With(Password|Username)$/.test(method) && args.length === 1;
    if (named) {
      const key = args.length >= 2 ? evaluate(args[0]!, consts) : method!.slice(4).toLowerCase();
      const valueNode = args.length >= 2 ? args[1]! : args[0]!;
      const value = evaluate(valueNode, consts);
      if (key !== null && value !== null) settings.push({ path: [`${callee}@${line}`, key], value, line: valueNode.startPosition.row + 1 });
      continue;
    }
    // .NET Aspire's `builder.AddContainer("cache", "valkey/valkey", "9.1")`: a container of a product's image that the
    // app host's other resources reach by its resource name, as compose services reach a service of that image.
    if (method === 'AddContainer' && args.length >= 2) {
      const name = evaluate(args[0]!, consts);
      const image = evaluate(args[1]!, consts);
      const kind = image !== null ? kindFromImage(image) : null;
      if (name !== null && kind !== null) settings.push({ path: [kind, `${callee}@${line}`, 'host'], value: name, line: args[0]!.startPosition.row + 1, address: true });
      continue;
    }
    // Any other call: a first argument that is a connection string on its own, or an http(s) URL given to a call that sends requests.
    // A call given an HTTP method (`new HttpRequestMessage(HttpMethod.Get, "https://…")`, an API wrapper's `new
    // Request(path, "https://plex.tv/", HttpMethod.Get)`) builds a request: its URL may be any argument.
    const requestMethod = args.some((a) => /^(System\.Net\.Http\.)?HttpMethod\.(Get|Post|Put|Delete|Patch|Head|Options)$/.test(a.text.replace(/\s+/g, '')));
    const first = requestMethod ? args.find((a) => /^https?:\/\//i.test(evaluate(a, consts) ?? '')) ?? args[0] : args[0];
    const tracked = consts.track(() => (first ? evaluate(first, consts) : null));
    const v = tracked.value;
    const bare = callee.replace(/^new /, '').split('.').pop()!;
    if (v !== null && endpointArgument(bare, requestMethod)(v, undefined)) {
      settings.push(settingOf(withEngine([`${callee}@${line}`, 'url'], v), { ...tracked, value: v }, first!.startPosition.row + 1));
    }
  }
  return interpretCode(file, settings, consts, declared);
}

export default defineScanner({
  id: 'csharp-code',
  description: 'C# code: ADO.NET/Npgsql/StackExchange.Redis/Mongo clients, EF Core Use*, RabbitMQ/Kafka initializers, HttpClient BaseAddress, .NET Aspire resources (tree-sitter)',
  files: ['*.cs'],
  excludeFiles: ['*.Designer.cs', '*.g.cs', '*.g.i.cs', '**/Migrations/**', '**/obj/**', '**/bin/**'],
  keywords: /Npgsql|SqlConnection|SqlClient|MySql|Oracle|Sqlite|Redis|Mongo|RabbitMQ|ConnectionFactory|Kafka|ProducerConfig|ConsumerConfig|Elasticsearch|Nats|HttpClient|BaseAddress|new Uri|Use(Npgsql|SqlServer|MySql|Oracle)|Add(Postgres|SqlServer|Redis|Valkey|Garnet|RabbitMQ|Kafka|MongoDB|Elasticsearch|Nats|MySql|Oracle)\b|GetEnvironment|GetEnv\(|[a-z+]+:\/\/|Server=|Host=|Data Source=|[Pp]assword|[Ss]ecret|[Tt]oken|[Aa]pi[Kk]ey/,
  gate: codeGate({
    quotes: '"', assign: '(?:=|\\(|:)',
    extra: [
      String.raw`(?:Server|Host|Data Source|Address)\s*=`,
      String.raw`GetEnv(ironment)?(Variable)?\s*\(`,
      String.raw`\b(?:new\s+(?:Npgsql\w*|SqlConnection\w*|MySqlConnection|OracleConnection|MongoClient|MongoUrl|ConnectionFactory|ProducerConfig|ConsumerConfig|AdminClientConfig|ClientConfig|HttpClient|Uri|ElasticsearchClientSettings|RedisCacheOptions)|ConnectionMultiplexer|ConfigurationOptions|Use(?:Npgsql|SqlServer|MySql|MySQL|Oracle|Kafka|RabbitMQ|Redis|MongoDB)|Add(?:Postgres|SqlServer|Redis|Valkey|Garnet|RabbitMQ|Kafka|MongoDB|Elasticsearch|Nats|MySql|Oracle|Npgsql\w*))\b`,
    ],
  }),
  sourceCode: true,
  scan: scanCSharpCode,
});
