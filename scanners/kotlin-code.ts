/**
 * KotlinCodeScanner (tree-sitter-kotlin): connections written in Kotlin code, read into the same settings the
 * Java reader produces, with the catalog's Java client tables (Kotlin calls the same JVM clients, without `new`):
 *   const val HOST = "10.0.0.5", companion object constants      → constants, propagated
 *   "jdbc:mysql://$HOST:3306/${db}"                                → string templates, literal parts kept
 *   @Value("\${redis.host:10.0.0.6}") val host: String            → setting redis.host = ${redis.host:10.0.0.6}
 *   Jedis(host, 6379), RedisClient.create(url), DriverManager.getConnection(url, user, pw) → catalog positional rules
 *   ds.jdbcUrl = …, HikariConfig().apply { jdbcUrl = … }, ds.setPassword(…) → settings grouped by receiver
 *   props[ProducerConfig.BOOTSTRAP_SERVERS_CONFIG] = …, mapOf(BOOTSTRAP_SERVERS_CONFIG to …) → Kafka properties
 *   System.getenv("X") ?: "d"                                      → ${X:d}
 *   WebClient.create("https://…"), WebClient.builder().baseUrl(…), restTemplate.getForObject(…),
 *   Ktor HttpClient { defaultRequest { url("https://…") } }        → HTTP endpoints
 * Comments are not in the tree; unknown parts of a value become unresolved `${…}`.
 */
import { looksLikeConnectionString } from '../src/connection-string.js';
import { clientCalls, clientModules } from '../src/catalog/index.js';
import { parseSource, type SyntaxNode } from '../src/code/parsers.js';
import { annotationSettings, callSettings, ConstantTable, endpointArgument, evaluatePlus, formatPrintf, hostPortArguments, interpretCode, settingOf, type CallArgument, environmentLookup } from '../src/code/constants.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import javaCode, { HTTP_CALLS } from './java-code.js';

/** The Java reader's client calls (`new Jedis`, `RedisClient.create`): a Kotlin constructor call is `Jedis(…)`. */
const POSITIONAL = clientCalls('java');
const IMPORT_KINDS = clientModules('java');
/** Types whose instances are addresses, not clients. */
const ADDRESS_TYPES = /^(URI|URL|Uri|HttpUrl)$/;
/** Scope functions whose lambda's receiver is the object they are called on (`HikariConfig().apply { jdbcUrl = … }`). */
const SCOPE_FUNCTIONS = /^(apply|also|run|let)$/;

interface Call {
  receiver: SyntaxNode | null;
  name: string;
  args: Array<{ name: string | null; expr: SyntaxNode }>;
}

/** A call's callee and arguments; named arguments (`password = "…"`) keep their name. */
function callOf(node: SyntaxNode): Call | null {
  const callee = node.namedChildren[0];
  if (!callee) return null;
  let receiver: SyntaxNode | null = null;
  let name: string;
  if (callee.type === 'identifier') name = callee.text;
  else if (callee.type === 'navigation_expression') {
    const parts = callee.namedChildren;
    const last = parts[parts.length - 1];
    if (!last || last.type !== 'identifier' || parts.length < 2) return null;
    receiver = parts[0]!;
    name = last.text;
  } else return null;
  const args: Call['args'] = [];
  for (const list of node.namedChildren.filter((c) => c.type === 'value_arguments')) {
    for (const a of list.namedChildren) {
      if (a.type !== 'value_argument') continue;
      const named = a.children.some((c) => c.type === '=') && a.namedChildren[0]?.type === 'identifier';
      const expr = a.namedChildren[named ? 1 : 0];
      if (expr) args.push({ name: named ? a.namedChildren[0]!.text : null, expr });
    }
  }
  return { receiver, name, args };
}

/** The property a call's value or delegate initializes (`val url by setting(…)`, `val url = setting(…)`), if any. */
function enclosingProperty(node: SyntaxNode): string | null {
  for (let at: SyntaxNode | null = node.parent, depth = 0; at && depth < 4; at = at.parent, depth++) {
    if (at.type === 'property_declaration') {
      return at.namedChildren.find((c) => c.type === 'variable_declaration')?.namedChildren.find((c) => c.type === 'identifier')?.text ?? null;
    }
  }
  return null;
}

function lastName(node: SyntaxNode | null): string {
  return (node?.text ?? '').replace(/<.*$/s, '').replace(/\(.*$/s, '').split('.').pop()?.trim() ?? '';
}

/** A string template: literal parts as written, `$name` and `${expr}` as their values or unresolved `${…}`. */
function stringValue(node: SyntaxNode, consts: Map<string, string>): string {
  let out = '';
  let run = '';
  const flush = () => {
    out += run.replace(/\$([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => consts.get(name) ?? `\${${name}}`);
    run = '';
  };
  for (const c of node.children) {
    if (c.type === 'string_content') run += c.text;
    else if (c.type === 'escape_sequence') {
      flush();
      out += /^\\u[0-9a-fA-F]{4}$/.test(c.text) ? String.fromCharCode(parseInt(c.text.slice(2), 16)) : c.text.length === 2 ? ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c.text[1]!] ?? c.text[1]! : c.text;
    } else if (c.type === 'interpolation') {
      flush();
      const expr = c.namedChildren[0];
      out += (expr ? evaluate(expr, consts) : null) ?? `\${${expr?.text ?? '?'}}`;
    }
  }
  flush();
  return out;
}

/** The value of an expression in the interpreter's placeholder language, or null when unknown. */
function evaluate(node: SyntaxNode, consts: Map<string, string>): string | null {
  switch (node.type) {
    case 'string_literal': case 'multiline_string_literal':
      return stringValue(node, consts);
    case 'number_literal': case 'integer_literal': case 'long_literal':
      return node.text.replace(/[lLuU_]/g, '');
    case 'boolean_literal':
      return node.text;
    case 'identifier':
      return consts.get(node.text) ?? null;
    case 'navigation_expression': {
      // Config.HOST, Companion.URL: a constant by its own name
      const last = node.namedChildren[node.namedChildren.length - 1];
      return last?.type === 'identifier' ? consts.get(last.text) ?? null : null;
    }
    case 'parenthesized_expression':
      return node.namedChildren[0] ? evaluate(node.namedChildren[0], consts) : null;
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text;
      if (op === '+') return evaluatePlus(node, (n) => evaluate(n, consts));
      if (op === '?:') {
        // System.getenv("X") ?: "d"
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const lookup = left ? evaluate(left, consts) : null;
        const fallback = right ? evaluate(right, consts) : null;
        const m = lookup ? /^\$\{([^:}]+)\}$/.exec(lookup) : null;
        if (m && fallback !== null) return `\${${m[1]}:${fallback}}`;
        return lookup ?? fallback;
      }
      return null;
    }
    case 'call_expression': {
      const call = callOf(node);
      if (!call) return null;
      const recv = call.receiver?.text ?? '';
      const first = call.args[0]?.expr;
      // URI("https://…"), URI.create(…), URL(…): a value, the address it was given
      if (first && ((call.receiver === null && ADDRESS_TYPES.test(call.name)) || (ADDRESS_TYPES.test(recv) && /^(create|of|parse|valueOf)$/.test(call.name)))) return evaluate(first, consts);
      if (recv === 'System' && (call.name === 'getenv' || call.name === 'getProperty') && first) {
        const key = evaluate(first, consts);
        if (!key) return null;
        const fallback = call.args[1] ? evaluate(call.args[1].expr, consts) : null;
        return environmentLookup(key, fallback);
      }
      // String.format("jdbc:mysql://%s:%d/%s", host, port, db), "…%s…".format(host)
      const template = recv === 'String' && call.name === 'format' ? first : call.name === 'format' && call.receiver && /string_literal$/.test(call.receiver.type) ? call.receiver : null;
      if (template) {
        const t = evaluate(template, consts);
        const rest = template === first ? call.args.slice(1) : call.args;
        return t === null ? null : formatPrintf(t, rest.map((a) => ({ value: evaluate(a.expr, consts), text: a.expr.text })), /%[-#+ 0,(]*\d*(?:\.\d+)?[sdfxX]/g);
      }
      // "…".trimIndent(), url.trim(), x.toString()
      if (call.receiver && call.args.length === 0 && /^(trim|trimIndent|trimMargin|toString|lowercase|uppercase)$/.test(call.name)) return evaluate(call.receiver, consts);
      return null;
    }
    default:
      return null;
  }
}

/** The type a scope function's lambda works on: `HikariConfig().apply { jdbcUrl = … }` → the call that made it. */
function scopeReceiver(node: SyntaxNode): SyntaxNode | null {
  for (let p = node.parent, depth = 0; p && depth < 8; p = p.parent, depth++) {
    if (p.type !== 'annotated_lambda') continue;
    const call = p.parent?.type === 'call_expression' ? callOf(p.parent) : null;
    return call && SCOPE_FUNCTIONS.test(call.name) ? call.receiver : null;
  }
  return null;
}

export function scanKotlinCode(file: SourceFile): ScanOutput {
  const root = parseSource('kotlin', file.text).rootNode;
  const imports = new Map<string, string>();
  for (const node of root.descendantsOfType('import')) {
    const name = node.namedChildren.find((c) => c.type === 'qualified_identifier')?.text ?? '';
    imports.set(name.split('.').pop()!, name);
  }
  const kindOfType = (type: string): string | null => {
    const pkg = imports.get(type);
    return pkg ? IMPORT_KINDS.find(([re]) => re.test(pkg))?.[1] ?? null : null;
  };
  const consts = new ConstantTable();
  const declared = new Map<Setting, string>();
  const types = new Map<string, string>(); // variable → declared or constructed type
  const settings: Setting[] = [];
  /** The type a receiver expression is of: a variable's, or a constructor call's own (`HikariConfig()`). */
  const typeOf = (receiver: SyntaxNode | null): string => {
    if (!receiver) return '';
    if (receiver.type === 'call_expression') {
      const c = callOf(receiver);
      return c && c.receiver === null && /^[A-Z]/.test(c.name) ? c.name : '';
    }
    return types.get(receiver.text.replace(/\s+/g, '')) ?? '';
  };
  const receiverPath = (receiver: SyntaxNode | null): string[] => {
    const name = receiver?.type === 'call_expression' ? `${lastName(receiver)}@${receiver.startPosition.row + 1}` : receiver?.text.replace(/\s+/g, '') ?? '';
    const type = typeOf(receiver);
    const kind = type ? kindOfType(type) : null;
    return [...(kind ? [kind] : []), ...(type ? [type] : []), name];
  };
  const settingsAt = (path: string[], node: SyntaxNode, unknownAsPlaceholder: boolean): Setting[] => {
    const tracked = consts.track(() => evaluate(node, consts));
    const value = tracked.value ?? (unknownAsPlaceholder && /^[\w.]+$/.test(node.text) ? `\${${node.text.split('.').pop()}}` : null);
    return value === null ? [] : [settingOf(path, { ...tracked, value }, node.startPosition.row + 1)];
  };
  const add = (path: string[], node: SyntaxNode, unknownAsPlaceholder: boolean) => settings.push(...settingsAt(path, node, unknownAsPlaceholder));
  /** A Kafka/JDBC property key: `ProducerConfig.BOOTSTRAP_SERVERS_CONFIG` → `bootstrap.servers`, or a string's value. */
  const propertyKey = (keyNode: SyntaxNode): string | null => {
    const name = lastName(keyNode);
    if (keyNode.type === 'navigation_expression' || (keyNode.type === 'identifier' && /_CONFIG$/.test(name))) {
      return /_CONFIG$/.test(name) ? name.replace(/_CONFIG$/, '').toLowerCase().replace(/_/g, '.') : evaluate(keyNode, consts);
    }
    return evaluate(keyNode, consts);
  };
  const declare = (name: string, type: string, valueNode: SyntaxNode | null, line: number) => {
    if (type) types.set(name, type);
    else if (valueNode) {
      const t = typeOf(valueNode.type === 'call_expression' && callOf(valueNode)?.name.match(SCOPE_FUNCTIONS) ? callOf(valueNode)!.receiver : valueNode);
      if (t) types.set(name, t);
    }
    const tracked = consts.track(() => (valueNode ? evaluate(valueNode, consts) : null));
    consts.define(name, tracked.value, tracked.origin ?? (valueNode ? valueNode.startPosition.row + 1 : line));
    if (tracked.value !== null && valueNode) {
      const setting = settingOf([name], { ...tracked, value: tracked.value }, valueNode.startPosition.row + 1);
      settings.push(setting);
      declared.set(setting, name);
    }
  };

  for (const node of root.descendantsOfType(['property_declaration', 'class_parameter', 'annotation', 'call_expression', 'assignment'])) {
    const line = node.startPosition.row + 1;
    if (node.type === 'property_declaration') {
      const decl = node.namedChildren.find((c) => c.type === 'variable_declaration');
      const name = decl?.namedChildren.find((c) => c.type === 'identifier')?.text;
      if (!name) continue;
      const type = lastName(decl!.namedChildren.find((c) => c.type !== 'identifier') ?? null);
      // `val x by lazy { … }` is a delegate, not a value; getters are computed each time.
      const valueNode = node.namedChildren.find((c) => !/^(modifiers|variable_declaration|multi_variable_declaration|type_constraints|type_parameters|property_delegate|getter|setter)$/.test(c.type)) ?? null;
      declare(name, type, valueNode, line);
      continue;
    }
    if (node.type === 'class_parameter') {
      // data class RedisProps(val host: String = "10.0.0.6")
      const name = node.namedChildren.find((c) => c.type === 'identifier')?.text;
      const eq = node.children.findIndex((c) => c.type === '=');
      const valueNode = eq >= 0 ? node.children.slice(eq + 1).find((c) => c.isNamed) ?? null : null;
      const type = lastName(node.namedChildren.find((c) => /type$/.test(c.type)) ?? null);
      if (name) declare(name, type, valueNode, line);
      continue;
    }
    if (node.type === 'annotation') {
      const invocation = node.namedChildren.find((c) => c.type === 'constructor_invocation');
      const name = lastName(invocation?.namedChildren.find((c) => c.type === 'user_type') ?? null);
      const args = invocation?.namedChildren.find((c) => c.type === 'value_arguments')?.namedChildren.filter((c) => c.type === 'value_argument') ?? [];
      if (name === 'Value') {
        // @Value("\${key:default}"): the default is a value written in code; without one it only refers to config.
        const arg = args[0]?.namedChildren[0];
        const text = arg && /string_literal$/.test(arg.type) ? stringValue(arg, consts) : null;
        const m = text ? /^\$\{([^:}]+):(.*)\}$/.exec(text) : null;
        if (m) settings.push({ path: m[1]!.split('.'), value: text!, line });
        continue;
      }
      // @FeignClient(name = "pay", url = "https://…")
      for (const a of args) {
        const named = a.children.some((c) => c.type === '=') && a.namedChildren[0]?.type === 'identifier';
        if (named && a.namedChildren[1]) settings.push(...annotationSettings(name, a.namedChildren[0]!.text, settingsAt([`${name}@${line}`, a.namedChildren[0]!.text], a.namedChildren[1], false)));
      }
      continue;
    }
    if (node.type === 'assignment') {
      const target = node.namedChildren[0];
      const value = node.namedChildren[node.namedChildren.length - 1];
      if (!target || !value || target === value) continue;
      if (target.type === 'navigation_expression') {
        // ds.jdbcUrl = "…", factory.host = "…": a property set on a receiver, as Java's setter
        const parts = target.namedChildren;
        const field = lastName(parts[parts.length - 1] ?? null);
        if (parts.length >= 2 && field) add([...receiverPath(parts[0]!), field.charAt(0).toUpperCase() + field.slice(1)], value, true);
      } else if (target.type === 'index_expression') {
        // props[ProducerConfig.BOOTSTRAP_SERVERS_CONFIG] = "…"
        const [receiver, keyNode] = target.namedChildren;
        const key = keyNode ? propertyKey(keyNode) : null;
        if (receiver && key) add([...receiverPath(receiver), key], value, true);
      } else if (target.type === 'identifier') {
        // HikariConfig().apply { jdbcUrl = "…" }
        const receiver = scopeReceiver(node);
        if (receiver) add([...receiverPath(receiver), target.text.charAt(0).toUpperCase() + target.text.slice(1)], value, true);
      }
      continue;
    }
    // call_expression
    const call = callOf(node);
    if (!call) continue;
    const { receiver, name, args } = call;
    if (receiver === null && ADDRESS_TYPES.test(name)) continue;
    if (receiver && ADDRESS_TYPES.test(receiver.text)) continue;
    const positional = args.map((a) => a.expr);
    if (receiver && /^set[A-Z]/.test(name) && args.length === 1) {
      add([...receiverPath(receiver), name.slice(3)], positional[0]!, true);
      continue;
    }
    if (receiver && (name === 'put' || name === 'setProperty') && args.length === 2) {
      const key = propertyKey(positional[0]!);
      if (key) add([...receiverPath(receiver), key], positional[1]!, true);
      continue;
    }
    if (receiver === null && /^(mapOf|mutableMapOf|hashMapOf|linkedMapOf|propertiesOf)$/.test(name)) {
      // mapOf(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG to "…"): a client's properties
      for (const pair of positional) {
        if (pair.type !== 'infix_expression' || pair.namedChildren[1]?.text !== 'to') continue;
        const key = propertyKey(pair.namedChildren[0]!);
        if (key) add([`${name}@${line}`, key], pair.namedChildren[2]!, true);
      }
      continue;
    }
    const callee = receiver === null ? (/^[A-Z]/.test(name) ? `new ${name}` : name) : `${lastName(receiver)}.${name}`;
    const rule = POSITIONAL[callee];
    const calleeKind = kindOfType(receiver === null ? name : lastName(receiver));
    const site = [...(calleeKind ? [calleeKind] : []), `${callee}@${line}`];
    if (rule === 'host-port') {
      for (const { arg, role } of hostPortArguments(positional, (arg) => evaluate(arg, consts), (name) => types.get(name))) add([...site, role], arg, role === 'url' || role === 'host');
      continue;
    }
    if (Array.isArray(rule)) {
      settings.push(...callSettings(site, rule, args.map(({ name: argName, expr }): CallArgument => ({
        ...(argName !== null ? { name: argName } : {}),
        settingsAt: (path) => settingsAt(path, expr, true),
        scalar: () => consts.track(() => evaluate(expr, consts)),
        line: expr.startPosition.row + 1,
      }))));
      continue;
    }
    // A setting declared with its default (`val databaseUrl by StringSetting(defaultValue = "postgresql://…")`, a
    // settings DSL's delegate): the default is what runs until someone sets it, named by the property declared.
    const declaredDefault = args.find((a) => a.name !== null && /^default(Value)?$/.test(a.name));
    if (declaredDefault) {
      const property = enclosingProperty(node);
      if (property) add([property], declaredDefault.expr, false);
      continue;
    }
    // A settings store read with its default (`preferences.getString(SERVER_ADDRESS_KEY, "https://…")`, Android's
    // SharedPreferences, `props.getProperty(key, default)`): a setting named by its key.
    if (receiver && /^(getString|getProperty|getOrDefault)$/.test(name) && positional.length === 2) {
      // The key's text when it is written here, else the constant's name less its `_KEY` (`SERVER_ADDRESS_KEY`).
      const key = evaluate(positional[0]!, consts) ?? lastName(positional[0]!).replace(/_?KEY$/i, '');
      if (key) add([key], positional[1]!, false);
      continue;
    }
    // A call that is itself a value ("…".format(…), System.getenv(…)) may build a connection string.
    const whole = consts.track(() => evaluate(node, consts));
    if (whole.value !== null && looksLikeConnectionString(whole.value)) {
      settings.push(settingOf([...site, 'url'], { ...whole, value: whole.value }, line));
      continue;
    }
    // Any other call: a first argument that is a connection string, or an http(s) URL given to an HTTP client
    // (`WebClient.create(…)`, `.baseUrl(…)`, Ktor's `url(…)`); its named credentials go with it
    // (Exposed's `Database.connect("jdbc:…", user = "…", password = "…")`).
    const first = args[0];
    if (!first || first.name !== null) continue;
    const tracked = consts.track(() => evaluate(first.expr, consts));
    if (tracked.value !== null && endpointArgument(name, HTTP_CALLS.test(name))(tracked.value, undefined)) {
      settings.push(settingOf([...site, 'url'], { ...tracked, value: tracked.value }, first.expr.startPosition.row + 1));
      for (const a of args) if (a.name !== null && /^(user|username|password)$/.test(a.name)) add([...site, a.name], a.expr, false);
    }
  }
  return interpretCode(file, settings, consts, declared);
}

export default defineScanner({
  id: 'kotlin-code',
  description: 'Kotlin code: JDBC, Jedis/Lettuce, Mongo, Kafka properties, @Value defaults, string templates, RestTemplate/WebClient/Ktor URLs (tree-sitter)',
  files: ['*.kt', '*.kts'],
  // Gradle's Kotlin build scripts are build files, read by connection-urls.
  excludeFiles: ['*.gradle.kts'],
  keywords: new RegExp(`${javaCode.keywords!.source}|defaultRequest|baseUrl|Database\\.connect`),
  gate: javaCode.gate!,
  sourceCode: true,
  scan: scanKotlinCode,
});
