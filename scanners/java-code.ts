/**
 * JavaCodeScanner (tree-sitter-java): connections written in Java code, turned into the
 * shared settings language like every other scanner:
 *   static final String HOST = "10.0.0.5"                → constant, propagated
 *   @Value("${redis.host:10.0.0.6}") String host          → setting redis.host = ${redis.host:10.0.0.6}
 *   ds.setJdbcUrl(…); ds.setUsername(…); ds.setPassword(…) → settings HikariDataSource.ds.{jdbcUrl,username,password}
 *   props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, …)  → setting Properties.props.bootstrap.servers
 *   DriverManager.getConnection(url, user, pass), new Jedis(host, port) → positional rules below
 *   @FeignClient(url = "…"), restTemplate.getForObject("http://…") → HTTP endpoints
 * Unknown parts of a value become unresolved `${…}`; comments are not in the AST.
 */
import { looksLikeConnectionString } from '../src/connection-string.js';
import { clientCalls, clientModules } from '../src/catalog/index.js';
import { isAssertedData } from '../src/code/assertions.js';
import { parseSource, type SyntaxNode } from '../src/code/parsers.js';
import { defineScanner, type ScanOutput, type SourceFile, type Setting } from '../src/scanner.js';
import { codeGate } from '../src/code/gate.js';
import { scopeFromPath } from '../src/paths.js';
import { annotationSettings, isProductAddress, callSettings, ConstantTable, evaluatePlus, formatPrintf, endpointArgument, hostPortArguments, interpretCode, type CallArgument, settingOf, environmentLookup, writtenBranch } from '../src/code/constants.js';

/** Types named as data carriers by Java convention (`MySQLDataSourceParamDTO`, `ConnectionParam`, `CreateSourceRequest`). */
const DATA_CARRIER_TYPE = /(DTO|Dto|Param|Params|Parameter|Parameters|Request|VO|Vo|Form|Command|Payload)$/;

/** Positional argument names by `Type.method` or `new Type` (catalog client calls). `host-port` reads the first string as host, the first int as port. */
const POSITIONAL = clientCalls('java');

/** Method and constructor names that take an HTTP URL first: only these turn a plain http(s) literal into an endpoint. */
export const HTTP_CALLS = /^(getForObject|getForEntity|postForObject|postForEntity|put|delete|exchange|patchForObject|create|url|baseUrl|uri|newBuilder|get|post|new (HttpGet|HttpPost|HttpPut|HttpDelete|HttpPatch|Request))$/;

/** Packages whose types say which product a receiver talks to (catalog `javaPackages`). */
const IMPORT_KINDS = clientModules('java');

function stringLiteral(node: SyntaxNode): string {
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'string_fragment' || c.type === 'multiline_string_fragment') out += c.text;
    else if (c.type === 'escape_sequence') out += c.text.length === 2 ? c.text[1] : c.text;
  }
  return out;
}

function invocationName(node: SyntaxNode): { receiver: SyntaxNode | null; name: string } {
  return { receiver: node.childForFieldName('object'), name: node.childForFieldName('name')?.text ?? '' };
}

function recvText(receiver: SyntaxNode | null): string {
  return receiver?.text.replace(/\s+/g, '') ?? '';
}

function args(node: SyntaxNode): SyntaxNode[] {
  return node.childForFieldName('arguments')?.namedChildren ?? [];
}

/** The value of an expression in the interpreter's placeholder language, or null when unknown. */
export function evaluate(node: SyntaxNode, consts: Map<string, string>): string | null {
  switch (node.type) {
    case 'string_literal':
      return stringLiteral(node);
    case 'decimal_integer_literal': case 'true': case 'false':
      return node.text.replace(/[lL_]/g, '');
    case 'identifier':
      return consts.get(node.text) ?? null;
    case 'field_access':
      return consts.get(node.childForFieldName('field')?.text ?? '') ?? null;
    case 'parenthesized_expression':
      return node.namedChildren[0] ? evaluate(node.namedChildren[0], consts) : null;
    case 'ternary_expression':
      // `url != null ? url : "https://nominatim.openstreetmap.org/reverse"`
      return writtenBranch([node.childForFieldName('consequence'), node.childForFieldName('alternative')].map((b) => (b ? evaluate(b, consts) : null)));
    case 'binary_expression':
      return evaluatePlus(node, (n) => evaluate(n, consts));
    case 'object_creation_expression': {
      // new URI("https://…"), new URL(BASE + path): a value, the address it was given
      const type = simpleType(node.childForFieldName('type'));
      const first = args(node)[0];
      return ADDRESS_TYPES.test(type) && first ? evaluate(first, consts) : null;
    }
    case 'method_invocation': {
      const { receiver, name } = invocationName(node);
      const a = args(node);
      const recv = receiver?.text ?? '';
      // URI.create(…), URL.of(…), Uri.parse(…): a value, the address it was given
      if (ADDRESS_TYPES.test(recv) && /^(create|of|parse|valueOf)$/.test(name) && a[0]) return evaluate(a[0], consts);
      if (recv === 'System' && (name === 'getenv' || name === 'getProperty') && a[0]) {
        const key = evaluate(a[0], consts);
        if (!key) return null;
        const fallback = a[1] ? evaluate(a[1], consts) : null;
        return environmentLookup(key, fallback);
      }
      // System.getenv().getOrDefault("X", "d"): the environment as a Map, read with a default
      if (name === 'getOrDefault' && /^(System\s*\.\s*)?getenv\s*\(\s*\)$/.test(recv) && a.length === 2) {
        const key = evaluate(a[0]!, consts);
        const fallback = evaluate(a[1]!, consts);
        return key === null ? null : environmentLookup(key, fallback);
      }
      // String.format("jdbc:mysql://%s:%d/%s", host, port, db)
      if (recv === 'String' && name === 'format' && a[0]) {
        const template = evaluate(a[0], consts);
        if (template === null) return null;
        return formatPrintf(template, a.slice(1).map((n) => ({ value: evaluate(n, consts), text: n.text })), /%[-#+ 0,(]*\d*(?:\.\d+)?[sdfxX]/g);
      }
      // Optional.ofNullable(System.getenv("X")).orElse("d"), Objects.requireNonNullElse(System.getenv("X"), "d") (or
      // statically imported, without `Objects.`)
      if ((name === 'orElse' && receiver) || (name === 'requireNonNullElse' && (recv === 'Objects' || receiver === null))) {
        const inner = name === 'orElse' ? receiver!.namedChildren.find((c) => c.type === 'argument_list')?.namedChildren[0] : a[0];
        const lookup = inner ? evaluate(inner, consts) : null;
        const fallback = a[name === 'orElse' ? 0 : 1];
        const d = fallback ? evaluate(fallback, consts) : null;
        const m = lookup ? /^\$\{([^:}]+)\}$/.exec(lookup) : null;
        if (m && d !== null) return `\${${m[1]}:${d}}`;
        return lookup;
      }
      return null;
    }
    default:
      return null;
  }
}

/** Types whose instances are addresses, not clients: making one sends nothing (`URI.create(PROBLEM_TYPE)`). */
const ADDRESS_TYPES = /^(URI|URL|Uri|HttpUrl)$/;

/**
 * The JDK's socket address, built from a host and a port and handed to whatever client the code has (a binlog
 * dumper's `new AuthenticationInfo(new InetSocketAddress("127.0.0.1", 3306), …)`): a site whose port may name the
 * product, as a `host`/`port` pair in a config file does.
 */
const SOCKET_ADDRESS_CALLS = new Set(['new InetSocketAddress', 'InetSocketAddress.createUnresolved']);

/**
 * The type a builder chain starts from (`new License().name(…).url(…)` → `License`), so that the chain's purpose
 * (a licence, a contact, external documentation of an OpenAPI description) is part of where its values sit.
 */
function chainRoot(receiver: SyntaxNode | null): string | null {
  let node = receiver;
  for (let depth = 0; node && node.type === 'method_invocation' && depth < 32; depth++) node = node.childForFieldName('object');
  return node?.type === 'object_creation_expression' && node !== receiver ? simpleType(node.childForFieldName('type')) : null;
}

function simpleType(node: SyntaxNode | null): string {
  return (node?.text ?? '').replace(/<.*$/, '').split('.').pop() ?? '';
}

export function scanJavaCode(file: SourceFile): ScanOutput {
  const root = parseSource('java', file.text).rootNode;
  const imports = new Map<string, string>();
  for (const node of root.namedChildren) {
    if (node.type !== 'import_declaration') continue;
    const name = node.namedChildren.find((c) => c.type === 'scoped_identifier')?.text ?? '';
    imports.set(name.split('.').pop()!, name);
  }
  const kindOfType = (type: string): string | null => {
    const pkg = imports.get(type);
    return pkg ? IMPORT_KINDS.find(([re]) => re.test(pkg))?.[1] ?? null : null;
  };
  const consts = new ConstantTable();
  const declared = new Map<Setting, string>();
  const types = new Map<string, string>(); // variable → declared type
  const writtenTypes = new Map<string, string>(); // variable → its type as written (`Outer.Inner`)
  const settings: Setting[] = [];
  const receiverPath = (receiver: SyntaxNode | null): string[] => {
    const name = receiver?.text.replace(/\s+/g, '') ?? '';
    const type = types.get(name) ?? '';
    const kind = type ? kindOfType(type) : null;
    return [...(kind ? [kind] : []), ...(type ? [type] : []), name];
  };
  const settingsAt = (path: string[], node: SyntaxNode, unknownAsPlaceholder: boolean): Setting[] => {
    const tracked = consts.track(() => evaluate(node, consts));
    const value = tracked.value ?? (unknownAsPlaceholder && /^[\w.]+$/.test(node.text) ? `\${${node.text.split('.').pop()}}` : null);
    return value === null ? [] : [settingOf(path, { ...tracked, value }, node.startPosition.row + 1)];
  };
  const add = (path: string[], node: SyntaxNode, unknownAsPlaceholder: boolean) => settings.push(...settingsAt(path, node, unknownAsPlaceholder));

  // descendantsOfType walks natively and returns document order: ~20x faster than visiting every node from JS.
  // Calls are most of the nodes in business code (`repository.find(id, page)`); only those on lines that
  // hold a string literal, a setter/put, or a name declared as a constant can contribute a value.
  const sourceLines = file.text.split('\n');
  const declaredNames = new Set<string>();
  for (const d of root.descendantsOfType('variable_declarator')) {
    const n = d.childForFieldName('name')?.text;
    if (n && /^[A-Za-z_$][\w$]*$/.test(n)) declaredNames.add(n);
  }
  const namesPattern = declaredNames.size > 0 ? new RegExp(`\\b(${[...declaredNames].join('|')})\\b`) : null;
  // In a test, what the test class itself defines and what it tests are the code under test: a helper of its own
  // (`buildServerWebExchange("http://localhost/api", …)`) and the setters of the class its name says
  // (`ClickHouseConfigTest` sets a `ClickHouseConfig`'s host to assert it back) are handed data, whatever URLs they
  // are given. A client the test constructs (`new SunoApi("https://…")` in `SunoApiTests`) may well be called for real.
  const inTest = scopeFromPath(file.path) === 'test';
  const ownMethods = new Set(inTest ? root.descendantsOfType('method_declaration').map((m) => m.childForFieldName('name')?.text ?? '') : []);
  const subject = inTest ? /([A-Z]\w*?)(?:Tests?|IT|IntegrationTest)\.java$/.exec(file.path)?.[1] ?? null : null;
  const isSubject = (type: string) => subject !== null && type !== '' && type.split('.')[0] === subject;
  const interesting = sourceLines.map((l) => l.includes('"') || /\.(set[A-Z]\w*|put|setProperty)\s*\(|\bnew\s/.test(l) || (namesPattern?.test(l) ?? false));
  const touchesInteresting = (n: SyntaxNode) => {
    const end = n.endPosition.row;
    for (let r = n.startPosition.row; r <= end; r++) if (interesting[r]) return true;
    return false;
  };
  for (const node of root.descendantsOfType(['field_declaration', 'constant_declaration', 'local_variable_declaration', 'annotation', 'method_invocation', 'object_creation_expression', 'assignment_expression', 'enum_constant'])) {
    // An enum of the services the app knows (`MAVEN_CENTRAL(RepositoryType.MAVEN, "central", "https://repo1.maven.org/maven2/", 1)`,
    // `KENNA_API_URL("integrations", "kenna.api.url", "https://api.kennasecurity.com", …)`): the constant's address,
    // named by the constant.
    if (node.type === 'enum_constant') {
      const name = node.childForFieldName('name')?.text;
      for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
        if (!name || arg.type !== 'string_literal') continue;
        const value = stringLiteral(arg);
        // `PG("pg", "jdbc:postgresql://%s:%s/%s", …)`: a template the code fills in, not an address.
        if (/%[sd]|\{\d*\}/.test(value)) break;
        if (!/^https?:\/\/[^\s/]/i.test(value) && !looksLikeConnectionString(value)) continue;
        settings.push({ path: [name], value, line: arg.startPosition.row + 1 });
        break;
      }
      continue;
    }
    if ((node.type === 'method_invocation' || node.type === 'object_creation_expression' || node.type === 'assignment_expression') && !touchesInteresting(node)) continue;
    const line = node.startPosition.row + 1;
    // `url = "https://…"` when a parameter is null, `this.url = url != null ? url : "https://…"`: a value given to a
    // name after its declaration is that name's setting, as its initialiser would be. Not `+=`, which adds a path or
    // query to whatever the name holds.
    if (node.type === 'assignment_expression') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const name = left?.type === 'identifier' ? left.text : left?.type === 'field_access' ? left.childForFieldName('field')?.text : undefined;
      if (!name || !right || node.childForFieldName('operator')?.text !== '=') continue;
      const tracked = consts.track(() => evaluate(right, consts));
      // The line the address is written on: `String.format(` may open a line above its template.
      const written = right.type === 'string_literal' ? right : right.descendantsOfType('string_literal')[0] ?? right;
      if (tracked.value !== null) settings.push(settingOf([name], { ...tracked, value: tracked.value }, written.startPosition.row + 1));
      continue;
    }
    // Fields, locals, and interface constants (`String URL = "…";` in an interface is a constant_declaration).
    if (node.type === 'field_declaration' || node.type === 'constant_declaration' || node.type === 'local_variable_declaration') {
      const type = simpleType(node.childForFieldName('type'));
      const annotations = node.namedChildren.find((c) => c.type === 'modifiers')?.namedChildren.filter((c) => c.type === 'annotation') ?? [];
      for (const decl of node.namedChildren.filter((c) => c.type === 'variable_declarator')) {
        const name = decl.childForFieldName('name')?.text;
        const valueNode = decl.childForFieldName('value');
        if (!name) continue;
        types.set(name, type);
        writtenTypes.set(name, (node.childForFieldName('type')?.text ?? '').replace(/<.*$/, ''));
        const tracked = consts.track(() => (valueNode ? evaluate(valueNode, consts) : null));
        const { value } = tracked;
        consts.define(name, value, tracked.origin ?? (valueNode ? valueNode.startPosition.row + 1 : line));
        if (value !== null) {
          const setting = settingOf([name], { ...tracked, value }, valueNode!.startPosition.row + 1);
          settings.push(setting);
          declared.set(setting, name);
        }
      }
      // @Value("${key:default}"): the default is a value written in code; without one it only refers to config.
      for (const a of annotations) {
        if (a.childForFieldName('name')?.text !== 'Value') continue;
        const arg = a.childForFieldName('arguments')?.namedChildren[0];
        const text = arg?.type === 'string_literal' ? stringLiteral(arg) : null;
        const m = text ? /^\$\{([^:}]+):(.*)\}$/.exec(text) : null;
        if (m) settings.push({ path: m[1]!.split('.'), value: text!, line: a.startPosition.row + 1 });
      }
      continue;
    }
    if (node.type === 'annotation') {
      // @FeignClient(name = "pay", url = "https://…")
      const name = node.childForFieldName('name')?.text ?? '';
      for (const pair of node.childForFieldName('arguments')?.namedChildren.filter((c) => c.type === 'element_value_pair') ?? []) {
        const key = pair.childForFieldName('key')?.text;
        const value = pair.childForFieldName('value');
        if (key === 'properties' && value) {
          // @SpringBootTest(properties = {"spring.redis.host=10.0.0.6", …}), @TestPropertySource(properties = …): the
          // Spring properties of the application context the test runs, each on its own line.
          const items = value.type === 'element_value_array_initializer' ? value.namedChildren : [value];
          for (const item of items) {
            const text = item.type === 'string_literal' ? stringLiteral(item) : null;
            const m = text ? /^\s*([\w.\-[\]]+)\s*[=:]\s*(.*)$/.exec(text) : null;
            if (m) settings.push({ path: m[1]!.split('.'), value: m[2]!, line: item.startPosition.row + 1 });
          }
          continue;
        }
        // `@Schema(example = "jdbc:mysql://…")`, `@ApiModelProperty(example = …)`: a sample value for the API's documentation.
        if (key === 'example' || key === 'examples') continue;
        if (key && value && name !== 'Value') settings.push(...annotationSettings(name, key, settingsAt([`${name}@${line}`, key], value, false)));
      }
      continue;
    }
    if (node.type !== 'method_invocation' && node.type !== 'object_creation_expression') continue;
    if (inTest && node.type === 'method_invocation') {
      const { receiver, name } = invocationName(node);
      if ((receiver === null || receiver.type === 'this') && ownMethods.has(name)) continue;
      const receiverType = receiver ? writtenTypes.get(receiver.text.replace(/\s+/g, '')) ?? '' : '';
      if (receiver && isSubject(receiverType)) continue;
      // A data object the test fills for the code under test (`paramDTO.setHost("localhost")`, a request's `setJdbcUrl`):
      // data fed to that code, as a request body is, not a client the test connects with.
      if (receiver && /^set[A-Z]/.test(name) && DATA_CARRIER_TYPE.test(receiverType)) continue;
    }
    // In an assertion only a client the test itself calls is a connection.
    if (node.type === 'method_invocation' && isAssertedData(node, node.childForFieldName('name')?.text ?? '', 'java')) continue;
    // An address object is a value (evaluated where it is used), not a call site.
    if (node.type === 'object_creation_expression' ? ADDRESS_TYPES.test(simpleType(node.childForFieldName('type'))) : ADDRESS_TYPES.test(invocationName(node).receiver?.text ?? '')) continue;
    const a = args(node);
    if (node.type === 'method_invocation' && springLookup(invocationName(node).name, a, settings)) continue;
    let callee: string;
    if (node.type === 'object_creation_expression') {
      callee = `new ${simpleType(node.childForFieldName('type'))}`;
    } else {
      const { receiver, name } = invocationName(node);
      // Setters on a receiver: ds.setJdbcUrl(…), factory.setHost(…), producer.setNamesrvAddr(…); a builder's
      // `.withFeedUrl(URI.create("https://…"))`, `.withApiUrl(…)` alike.
      const property = /^(?:set|with)([A-Z]\w*)$/.exec(name)?.[1];
      if (property && a.length === 1 && receiver) {
        add([...receiverPath(receiver), property], a[0]!, true);
        continue;
      }
      // Testcontainers' `.withEnv("DT_DATASOURCE_URL", "jdbc:postgresql://postgres:5432/dtrack")`: the environment the
      // container runs with, as a compose service's; `Map.entry("apiUrl", "https://…")`: one entry of a settings map.
      if (((name === 'withEnv' && receiver) || (name === 'entry' && recvText(receiver) === 'Map')) && a.length === 2) {
        const key = evaluate(a[0]!, consts);
        if (key) add([...(name === 'withEnv' ? ['env'] : []), key], a[1]!, true);
        continue;
      }
      // Properties and config maps: props.put("bootstrap.servers", …), props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, …)
      if ((name === 'put' || name === 'setProperty') && a.length === 2 && receiver) {
        const keyNode = a[0]!;
        const key = keyNode.type === 'field_access'
          ? (keyNode.childForFieldName('field')?.text ?? '').replace(/_CONFIG$/, '').toLowerCase().replace(/_/g, '.')
          : evaluate(keyNode, consts);
        if (key) add([...receiverPath(receiver), key], a[1]!, true);
        continue;
      }
      callee = `${receiver ? simpleType(receiver) : ''}${receiver ? '.' : ''}${name}`;
    }
    const rule = POSITIONAL[callee] ?? (SOCKET_ADDRESS_CALLS.has(callee) ? 'host-port' : undefined);
    const calleeKind = kindOfType(callee.replace(/^new /, ''));
    const builder = node.type === 'method_invocation' ? chainRoot(invocationName(node).receiver) : null;
    const site = [...(calleeKind ? [calleeKind] : []), ...(builder ? [builder] : []), `${callee}@${line}`];
    if (rule === 'host-port') {
      const roles = hostPortArguments(a, (arg) => evaluate(arg, consts), (name) => types.get(name));
      // A bare socket address says nothing of its product but its port: with the host unknown here, nothing is known.
      if (SOCKET_ADDRESS_CALLS.has(callee) && !roles.some(({ arg, role }) => role === 'host' && evaluate(arg, consts) !== null)) continue;
      for (const { arg, role } of roles) add([...site, role], arg, role === 'url' || role === 'host');
      continue;
    }
    if (Array.isArray(rule)) {
      settings.push(...callSettings(site, rule, a.map((arg): CallArgument => ({
        settingsAt: (path) => settingsAt(path, arg, true),
        scalar: () => consts.track(() => evaluate(arg, consts)),
        line: arg.startPosition.row + 1,
      }))));
      continue;
    }
    // A call that is itself a value (String.format(…), System.getenv(…)) may build a connection string.
    const whole = node.type === 'method_invocation' ? consts.track(() => evaluate(node, consts)) : null;
    if (whole?.value != null && looksLikeConnectionString(whole.value)) {
      settings.push(settingOf([...site, 'url'], { ...whole, value: whole.value }, line));
      continue;
    }
    // Any other call: a first argument that is a connection string on its own, or an http(s) URL given to an HTTP client.
    const first = a[0];
    const tracked = consts.track(() => (first ? evaluate(first, consts) : null));
    const bare = callee.split('.').pop()!;
    const v = tracked.value;
    if (v !== null && endpointArgument(bare, HTTP_CALLS.test(bare))(v, undefined)) {
      settings.push(settingOf([...site, 'url'], { ...tracked, value: v }, first!.startPosition.row + 1));
    } else if (v !== null && isProductAddress(site, v)) {
      settings.push(settingOf([...site, 'address'], { ...tracked, value: v }, first!.startPosition.row + 1));
    }
  }
  const out = interpretCode(file, settings, consts, declared);
  // A Gatling simulation (`extends Simulation`, io.gatling's DSL) drives load at the system under test: its base URL
  // is the app's own address, as an e2e test's is; the credentials it logs in with are still written here.
  if ([...imports.values()].some((name) => name.startsWith('io.gatling.'))) return { ...out, findings: [] };
  return out;
}

/**
 * Spring's own lookups with a default, written in code: `environment.resolvePlaceholders("${spring.cloud.nacos
 * .server-addr:127.0.0.1:8848}")` and `environment.getProperty("spring.redis.host", "localhost")` read that property,
 * and the default is what runs when nobody sets it: a setting of that key.
 */
function springLookup(name: string, a: readonly SyntaxNode[], out: Setting[]): boolean {
  const first = a[0]?.type === 'string_literal' ? stringLiteral(a[0]) : null;
  if (first === null) return false;
  if ((name === 'resolvePlaceholders' || name === 'resolveRequiredPlaceholders') && a.length === 1) {
    const m = /^\$\{([\w.\-[\]]+):(.+)\}$/.exec(first);
    if (!m) return false;
    out.push({ path: m[1]!.split('.'), value: first, line: a[0]!.startPosition.row + 1 });
    return true;
  }
  if (name === 'getProperty' && a.length === 2 && a[1]!.type === 'string_literal' && /^[a-z][\w-]*(\.[\w-]+)+$/.test(first)) {
    out.push({ path: first.split('.'), value: `\${${first}:${stringLiteral(a[1]!)}}`, line: a[1]!.startPosition.row + 1 });
    return true;
  }
  return false;
}

export default defineScanner({
  id: 'java-code',
  description: 'Java code: JDBC, Jedis/Lettuce, Mongo, Kafka Properties, RocketMQ/RabbitMQ setters, @Value defaults, Feign/RestTemplate URLs (tree-sitter)',
  files: ['*.java'],
  // No bare `://`: every Apache-licensed file carries http://www.apache.org/licenses/ in its header.
  keywords: /jdbc:|redis:\/\/|rediss:\/\/|mongodb(\+srv)?:\/\/|amqps?:\/\/|mqtts?:\/\/|tcp:\/\/|DriverManager|DataSource|Jedis|Redis|Lettuce|Redisson|Mongo|Kafka|bootstrap|Namesrv|RocketMQ|ConnectionFactory|Elasticsearch|Nacos|ZooKeeper|Curator|Mqtt|Minio|OSSClient|ClickHouse|HBase|Influx|Neo4j|@Value\(|FeignClient|RestTemplate|WebClient|OkHttp|HttpClient|getenv|[Ss]ecret|SECRET|[Pp]assword|[Tt]oken|TOKEN|[Aa]pi[Kk]ey|API_KEY|InetSocketAddress|setUrl|setHost|setJdbcUrl|resolve(?:Required)?Placeholders|getProperty\(\s*"[a-z]|"https?:\/\/|"[\w.-]+:\d{2,5}"/,
  gate: codeGate({
    quotes: '"', assign: '(?:=|\\()',
    extra: [
      String.raw`\$\{[^}:]+:[^}]+\}`, // a Spring placeholder with a default
      String.raw`getenv\s*\(|getOrDefault\s*\(`,
      String.raw`\b(?:Jedis\w*|HostAndPort|InetSocketAddress|Redis\w*Configuration|Lettuce\w*|Redisson|MongoClient\w*|ServerAddress|ConnectionString|DefaultMQ\w+|Mqtt\w*Client|NamingService|ConfigService|NacosFactory|ZooKeeper|CuratorFramework\w*|OSSClient\w*|DriverManager|\w*DataSource|KafkaProducer|KafkaConsumer|RestHighLevelClient|ElasticsearchClient|RestClient|MinioClient|FeignClient|RestTemplate|WebClient|OkHttpClient|HttpClient\w*|HttpPost|HttpGet|InfluxDB\w*|GraphDatabase|ClickHouse\w*|ConnectionFactory)\b`,
    ],
  }),
  sourceCode: true,
  scan: scanJavaCode,
});
