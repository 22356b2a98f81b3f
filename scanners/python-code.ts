/**
 * PythonCodeScanner (tree-sitter-python): connections written in Python code.
 *
 * The AST is turned into the same flat settings the config scanners produce, so the
 * shared interpreter decides what they mean:
 *   HOST = "10.0.0.5"                      → constant, propagated into later uses
 *   REDIS_URL = os.getenv("REDIS_URL", "redis://cache:6379/0") → setting REDIS_URL = ${REDIS_URL:redis://…}
 *   DATABASES = {"default": {"ENGINE": …, "HOST": …}}          → settings DATABASES.default.*
 *   redis.Redis(host=HOST, port=6379)      → settings redis.Redis@12.host / .port
 *   pymysql.connect("db", "u", "p", "app") → positional arguments named from POSITIONAL below
 * f-strings and `+` concatenation keep their literal parts; an unknown part becomes an
 * unresolved `${…}`, so no value is ever invented. Comments are not in the AST.
 */
import { clientCalls, clientModules, sendsRequest } from '../src/catalog/index.js';
import { isAssertedData } from '../src/code/assertions.js';
import { parseSource, type SyntaxNode } from '../src/code/parsers.js';
import { defineScanner, type ScanOutput, type SourceFile, type Setting } from '../src/scanner.js';
import { codeGate } from '../src/code/gate.js';
import { scopeFromPath } from '../src/paths.js';
import { callSettings, ConstantTable, evaluatePlus, endpointArgument, interpretCode, lookupWithDefault, rendersView, type CallArgument, settingOf, environmentLookup } from '../src/code/constants.js';

/**
 * Names of positional arguments, by the callee's last name (or full dotted name where the last is ambiguous):
 * the products' client calls from the catalog, and calls every Python library names alike.
 */
const POSITIONAL: Record<string, readonly string[]> = { connect: ['host', 'port'], Celery: ['main'], ...clientCalls('python') };

/** Calls that read the environment: `os.getenv("X", "d")` is `${X:d}`. */
const ENV_LOOKUPS = /^(os\.environ\.get|os\.getenv|getenv|environ\.get|env|env\.(str|int|bool|url|db|cache)|config|decouple\.config)$/;

/** Kind hints for clients whose module name says nothing the interpreter knows (catalog `pythonModules`). */
const CALLEE_KINDS = clientModules('python');

function stringValue(node: SyntaxNode, consts: Map<string, string>): string {
  let out = '';
  for (const child of node.namedChildren) {
    if (child.type === 'string_content') out += child.text;
    else if (child.type === 'escape_sequence') out += child.text.length === 2 ? child.text[1] : child.text;
    else if (child.type === 'interpolation') {
      const expr = child.childForFieldName('expression') ?? child.namedChildren[0];
      out += (expr && evaluate(expr, consts)) ?? `\${${expr?.text ?? '?'}}`;
    }
  }
  return out;
}

function callName(node: SyntaxNode): string {
  return node.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
}

/** Declarations of a settings model's or data class's field, which take the field's default. */
const FIELD_DECLARATIONS = /^((pydantic|dataclasses|attrs?)\.)?(Field|field|ib|attrib)$/;

/**
 * A settings model's field with its default (pydantic's `Field(default="https://…")`, `dataclasses.field(default=…)`,
 * attrs' `attr.ib(default=…)`): the default's node (null without one); undefined when the call declares no field.
 */
function fieldDefault(call: SyntaxNode): SyntaxNode | null | undefined {
  if (call.type !== 'call' || !FIELD_DECLARATIONS.test(callName(call))) return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  return args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'default')?.childForFieldName('value')
    ?? (/^(pydantic\.)?Field$/.test(callName(call)) ? args.find((a) => a.type !== 'keyword_argument') : undefined) ?? null;
}

/** The value of an expression as text in the interpreter's placeholder language, or null when it is not a scalar. */
export function evaluate(node: SyntaxNode, consts: Map<string, string>): string | null {
  switch (node.type) {
    case 'string':
      return stringValue(node, consts);
    case 'concatenated_string':
      return node.namedChildren.map((c) => evaluate(c, consts) ?? '').join('');
    case 'integer': case 'float':
      return node.text;
    case 'true': case 'false':
      return node.text.toLowerCase();
    case 'identifier':
      return consts.get(node.text) ?? null;
    case 'attribute': {
      const name = node.childForFieldName('attribute')?.text;
      return name ? consts.get(name) ?? null : null;
    }
    case 'parenthesized_expression':
      return node.namedChildren[0] ? evaluate(node.namedChildren[0], consts) : null;
    case 'conditional_expression': {
      // A call's argument (`os.getenv("DB_ENGINE", "django_prometheus.db.backends.postgresql" if METRICS else
      // "django.db.backends.postgresql")`): the branch written first, else the other. Elsewhere the choice is not
      // made here: a conditional that is a setting's whole value has both branches read by addValue, and a name bound
      // to one (`PROTO = 'rediss' if SSL else 'redis'`) stays unknown where it is used.
      if (node.parent?.type !== 'argument_list') return null;
      const parts = node.namedChildren.filter((c) => c.type !== 'comment' && c.type !== 'line_continuation');
      const first = parts[0] ? evaluate(parts[0], consts) : null;
      return first ?? (parts.length === 3 ? evaluate(parts[2]!, consts) : null);
    }
    case 'binary_operator':
      return evaluatePlus(node, (n) => evaluate(n, consts));
    case 'boolean_operator': {
      // `os.environ.get('SECRET_KEY') or 'dev-key'`: the literal is the default when the variable is unset or empty.
      if (node.childForFieldName('operator')?.type !== 'or') return null;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      const looked = left ? evaluate(left, consts) : null;
      // `self.settings.llm_endpoint or "http://localhost:11434"`: a configured value the code cannot see, and the
      // literal it falls back to when unset: a lookup with a default, named by what it reads.
      const fallback = right ? evaluate(right, consts) : null;
      // A call's `or ""` says only that the value may be missing; its `or "https://…"` is the default it runs with.
      const named = looked === null && left ? (left.type === 'attribute' || left.type === 'identifier' || fallback ? lookupOf(left) : null) : looked;
      return lookupWithDefault(named, fallback);
    }
    case 'subscript': {
      // os.environ["X"]
      if (node.childForFieldName('value')?.text.replace(/\s+/g, '') !== 'os.environ') return null;
      const key = node.childForFieldName('subscript');
      const name = key ? evaluate(key, consts) : null;
      return name ? `\${${name}}` : null;
    }
    case 'call': {
      // "redis://{}:{}/0".format(HOST, 6379), "{host}:{port}".format(host=HOST, port=PORT)
      const fn = node.childForFieldName('function');
      if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
        const template = fn.childForFieldName('object');
        const text = template ? evaluate(template, consts) : null;
        if (text === null) return null;
        const fargs = node.childForFieldName('arguments')?.namedChildren ?? [];
        const positional = fargs.filter((a) => a.type !== 'keyword_argument');
        const keyword = new Map(fargs.filter((a) => a.type === 'keyword_argument').map((a) => [a.childForFieldName('name')?.text ?? '', a.childForFieldName('value')]));
        let auto = 0;
        return text.replace(/\{([^{}]*)\}/g, (_m, field: string) => {
          const name = field.split(/[!:]/)[0]!;
          const argNode = name === '' ? positional[auto++] : /^\d+$/.test(name) ? positional[Number(name)] : keyword.get(name);
          const v = argNode ? evaluate(argNode, consts) : null;
          return v ?? `\${${argNode?.text ?? (name || '?')}}`;
        });
      }
      // `os.environ.get("REDIS_URL", "redis://localhost:6379/0").replace("/0", "/5")`: string methods that keep an address.
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
      if (method && STRING_METHODS.has(method)) {
        const target = fn!.childForFieldName('object');
        const text = target ? evaluate(target, consts) : null;
        if (text === null) return null;
        const margs = (node.childForFieldName('arguments')?.namedChildren ?? []).map((a) => evaluate(a, consts));
        if (method === 'replace') return margs[0] != null && margs[1] != null ? text.split(margs[0]).join(margs[1]) : null;
        return margs.length === 0 ? (method === 'lower' ? text.toLowerCase() : method.endsWith('strip') ? text.trim() : text) : null;
      }
      // A settings model's field with its default (pydantic's `Field(default="https://…")`, `dataclasses.field(default=
      // …)`, attrs' `attr.ib(default=…)`): the value the attribute holds until configuration sets it.
      const declared = fieldDefault(node);
      if (declared !== undefined) return declared ? evaluate(declared, consts) : null;
      if (!ENV_LOOKUPS.test(callName(node))) return null;
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      const positional = args.filter((a) => a.type !== 'keyword_argument');
      const nameNode = positional[0];
      const name = nameNode ? evaluate(nameNode, consts) : null;
      if (!name) return null;
      const defaultKw = args.find((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === 'default')?.childForFieldName('value');
      const defaultNode = defaultKw ?? positional[1];
      const fallback = defaultNode ? evaluate(defaultNode, consts) : null;
      return environmentLookup(name, fallback);
    }
    case 'list': {
      // KAFKA_SERVERS = ["k1:9092", "k2:9092"] used later as bootstrap_servers=KAFKA_SERVERS
      const items = node.namedChildren.map((c) => evaluate(c, consts));
      return items.length > 0 && items.every((i) => i !== null) ? items.join(',') : null;
    }
    case 'tuple': {
      // ('127.0.0.1', 6379) in Django CHANNEL_LAYERS hosts: host and port
      const parts = node.namedChildren.map((c) => evaluate(c, consts));
      return parts.length === 2 && parts.every((p) => p !== null) ? `${parts[0]}:${parts[1]}` : null;
    }
    default:
      return null;
  }
}

/**
 * The left side of `x or "literal"` as the lookup it is: an attribute or a name (`self.settings.llm_endpoint`), a
 * call that reads configuration (`get_config("oauth_endpoint")`, named by its key), or a chain of them
 * (`get_app_config("X") or get_config("x") or "https://…"`, named by the first).
 */
function lookupOf(node: SyntaxNode): string | null {
  if (node.type === 'attribute' || node.type === 'identifier') return `\${${node.text}}`;
  if (node.type === 'parenthesized_expression' && node.namedChildren[0]) return lookupOf(node.namedChildren[0]);
  if (node.type === 'boolean_operator' && node.childForFieldName('operator')?.type === 'or') {
    const left = node.childForFieldName('left');
    return left ? lookupOf(left) : null;
  }
  if (node.type === 'call') {
    const key = node.childForFieldName('arguments')?.namedChildren[0];
    const name = key?.type === 'string' ? key.text.replace(/^[rbuf]*(['"]{1,3})(.*)\1$/is, '$2') : node.childForFieldName('function')?.text;
    return name && /^[\w.-]+$/.test(name) ? `\${${name}}` : null;
  }
  return null;
}

/** Adds a value (scalar, dict, list) under a path as settings. */
function addValue(out: Setting[], path: string[], node: SyntaxNode, consts: ConstantTable, line: number): void {
  // `'https://login.microsoftonline.com/' if public else 'https://login.chinacloudapi.cn/'`: either may be used.
  if (node.type === 'conditional_expression') {
    const parts = node.namedChildren.filter((c) => c.type !== 'comment' && c.type !== 'line_continuation');
    for (const branch of [parts[0], parts[parts.length - 1]]) if (branch) addValue(out, path, branch, consts, branch.startPosition.row + 1);
    return;
  }
  if (node.type === 'dictionary') {
    for (const pair of node.namedChildren.filter((c) => c.type === 'pair')) {
      const keyNode = pair.childForFieldName('key');
      const valueNode = pair.childForFieldName('value');
      const key = keyNode ? evaluate(keyNode, consts) : null;
      if (key === null || !valueNode) continue;
      addValue(out, [...path, key], valueNode, consts, valueNode.startPosition.row + 1);
    }
    return;
  }
  if (node.type === 'list' || (node.type === 'tuple' && evaluate(node, consts) === null)) {
    const items = node.namedChildren;
    if (items.some((i) => i.type === 'dictionary')) {
      items.forEach((item, i) => addValue(out, [...path, String(i)], item, consts, item.startPosition.row + 1));
      return;
    }
    const values = items.map((i) => evaluate(i, consts)).filter((v): v is string => v !== null);
    if (values.length > 0) out.push({ path, value: values.join(','), line });
    return;
  }
  if (node.type === 'call' && callName(node) === 'dict') {
    for (const kw of node.childForFieldName('arguments')?.namedChildren.filter((a) => a.type === 'keyword_argument') ?? []) {
      const name = kw.childForFieldName('name')?.text;
      const value = kw.childForFieldName('value');
      if (name && value) addValue(out, [...path, name], value, consts, value.startPosition.row + 1);
    }
    return;
  }
  const tracked = consts.track(() => evaluate(node, consts));
  if (tracked.value !== null) out.push(settingOf(path, { ...tracked, value: tracked.value }, hostLine(node, tracked.value) ?? line));
}

/**
 * A string written over several lines (`(f"smtp://{user}"\n f":{pw}@smtp.relay.net:587/")`): the line of the part that
 * holds the host, which is where a reader looks for the address.
 */
function hostLine(node: SyntaxNode, value: string): number | null {
  if (node.startPosition.row === node.endPosition.row) return null;
  // `${oauth_endpoint:https://auth.example.org/…}`: a lookup's default holds the address as well.
  const host = /(?:^|:)[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?([^:/?#\s$}]+)/i.exec(value)?.[1];
  if (!host) return null;
  const part = node.descendantsOfType('string').find((s) => s.text.includes(host));
  return part ? part.startPosition.row + 1 : null;
}

/**
 * A call argument: its value when it can be worked out, else an unresolved `${name}`, so
 * that `redis.Redis(host=REDIS_HOST)` with REDIS_HOST imported from elsewhere still says
 * "this app uses a Redis" (and the engine's second pass may resolve it from that file).
 */
function addArgument(out: Setting[], path: string[], node: SyntaxNode, consts: ConstantTable): void {
  const before = out.length;
  addValue(out, path, node, consts, node.startPosition.row + 1);
  if (out.length === before && (node.type === 'identifier' || node.type === 'attribute')) {
    const name = node.type === 'attribute' ? node.childForFieldName('attribute')?.text ?? node.text : node.text;
    out.push({ path, value: `\${${name}}`, line: node.startPosition.row + 1 });
  }
}

/** Django names the database NAME beside ENGINE; the interpreter calls it a database. */
function djangoDatabaseName(setting: Setting): void {
  if (setting.path[setting.path[0]!.startsWith('#') ? 1 : 0] === 'DATABASES' && setting.path[setting.path.length - 1] === 'NAME') setting.path = [...setting.path.slice(0, -1), 'database'];
}

/** `from clickhouse_driver import Client` → Client: clickhouse_driver, so that `Client(host=…)` says what it connects to. */
function importedFrom(root: SyntaxNode): Map<string, string> {
  const out = new Map<string, string>();
  for (const node of root.descendantsOfType('import_from_statement')) {
    const module = node.childForFieldName('module_name')?.text;
    if (!module) continue;
    for (const name of node.childrenForFieldName('name')) {
      const local = name.type === 'aliased_import' ? name.childForFieldName('alias')?.text : name.text;
      if (local) out.set(local, module);
    }
  }
  return out;
}

/** String methods whose result is still the address they were called on. */
const STRING_METHODS = new Set(['replace', 'strip', 'rstrip', 'lstrip', 'lower']);

/** Settings written in the module itself, at its top or under an `if`/`try` there, not in a function or a class. */
function inModuleBody(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'lambda') return false;
    if (p.type === 'module') return true;
  }
  return false;
}

export function scanPythonCode(file: SourceFile): ScanOutput {
  const tree = parseSource('python', file.text);
  const inTest = scopeFromPath(file.path) === 'test';
  const root = tree.rootNode;
  const imports = importedFrom(root);
  const consts = new ConstantTable();
  const declared = new Map<Setting, string>();
  // Module- and class-level constants first, in order, so later uses see them.
  const nodes = root.descendantsOfType(['assignment', 'call', 'return_statement']); // document order, walked natively
  for (const node of nodes) {
    if (node.type !== 'assignment') continue;
    const scope = node.parent?.parent;
    const topLevel = scope?.type === 'module' || scope?.parent?.type === 'class_definition' || scope?.type === 'block' && scope.parent?.type === 'class_definition';
    // Checked before the fields are read: each field read builds JavaScript objects for tree nodes.
    if (!topLevel) continue;
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (left?.type !== 'identifier' || !right) continue;
    const tracked = consts.track(() => evaluate(right, consts));
    consts.define(left.text, tracked.value, tracked.origin ?? (fieldDefault(right) ?? right).startPosition.row + 1);
  }
  const settings: Setting[] = [];
  // A name assigned again (`DATABASES = …` inside `if os.environ.get("CI"):`, `EMAIL_HOST` once per branch of an
  // `if`) is another configuration, not more of the first: it and the names assigned after it (`EMAIL_PORT` beside
  // the second `EMAIL_HOST`) sit in a generation of their own, or the interpreter would read both as one group.
  let assigned = new Set<string>();
  let generation = 1;
  const locals = new Set<string>();
  for (const node of nodes) {
    const line = node.startPosition.row + 1;
    if (node.type === 'assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) continue;
      let path: string[] | null = null;
      if (left.type === 'identifier') {
        if (!inModuleBody(node)) {
          // A function's local reassigned: one more value of that name, kept apart by its line.
          path = [locals.has(left.text) ? `${left.text}@${line}` : left.text];
          locals.add(left.text);
        } else {
          if (assigned.has(left.text)) {
            generation += 1;
            assigned = new Set();
          }
          assigned.add(left.text);
          path = generation === 1 ? [left.text] : [`#${generation}`, left.text];
        }
      }
      else if (left.type === 'attribute') path = [left.text.replace(/\s+/g, '')];
      else if (left.type === 'subscript') {
        // app.config["SQLALCHEMY_DATABASE_URI"] = …
        const key = left.childForFieldName('subscript');
        const keyText = key ? evaluate(key, consts) : null;
        if (keyText) path = [left.childForFieldName('value')?.text ?? '', keyText];
      }
      if (path) {
        const before = settings.length;
        // A field's default is reported where it is written, inside its `Field(…)`.
        addValue(settings, path, right, consts, (fieldDefault(right) ?? right).startPosition.row + 1);
        if (left.type === 'identifier' && settings.length === before + 1) declared.set(settings[before]!, left.text);
      }
      continue;
    }
    if (node.type === 'return_statement') {
      // `def api_base_url(self): return "https://app.asana.com/api/1.0"`: a method that answers with an
      // address is a constant by another name; its result is a setting named after the method.
      let fn = node.parent;
      while (fn && fn.type !== 'function_definition') fn = fn.parent;
      const name = fn?.childForFieldName('name')?.text;
      const value = node.namedChildren[0];
      if (name && value && ['string', 'concatenated_string', 'conditional_expression'].includes(value.type)) addValue(settings, [name], value, consts, value.startPosition.row + 1);
      continue;
    }
    if (node.type !== 'call') continue;
    const callee = callName(node);
    if (!callee || ENV_LOOKUPS.test(callee) || callee === 'dict') continue;
    const last = callee.split('.').pop()!;
    if (rendersView(last)) continue;
    // drf-spectacular's `OpenApiExample(value={…})`, an `Example(…)` of a schema: a sample payload for the API's
    // documentation, whatever URLs it shows.
    if (/Examples?$/.test(last)) continue;
    const names = POSITIONAL[callee] ?? POSITIONAL[last] ?? [];
    const module = imports.get(callee.split('.')[0]!);
    const qualified = module ? `${module}.${callee}` : callee;
    const hint = CALLEE_KINDS.find(([re]) => re.test(qualified))?.[1];
    // In an assertion only a client the test itself calls is a connection (`assert requests.get(url).ok`).
    if (!hint && isAssertedData(node, last, 'python')) continue;
    // In a test, a call the catalog does not know and that sends nothing (`_build_mail_form_data(smtp_host="localhost")`,
    // `EventFactory(…)`) is handed data for the code under test; Django's `override_settings(…)` configures the app
    // the test runs, and stays.
    if (inTest && !hint && names.length === 0 && !sendsRequest(last) && !/^(override_settings|modify_settings)$/.test(last)) continue;
    // A function the test imports by name and the catalog does not know (`from app.webhooks import send_webhook`) is
    // the code under test, whatever it is called: what the test hands it is data (its client is mocked or faked).
    if (inTest && !hint && names.length === 0 && !callee.includes('.') && imports.has(callee) && !/^(override_settings|modify_settings)$/.test(last)) continue;
    const site = [...(hint ? [hint] : []), `${qualified}@${line}`];
    const args: CallArgument[] = [];
    for (const arg of node.childForFieldName('arguments')?.namedChildren ?? []) {
      if (arg.type === 'list_splat' || arg.type === 'dictionary_splat') continue;
      const keyword = arg.type === 'keyword_argument';
      const name = keyword ? arg.childForFieldName('name')?.text : undefined;
      const value = keyword ? arg.childForFieldName('value') : arg;
      if (!value || (keyword && !name)) continue;
      args.push({
        ...(name !== undefined ? { name } : {}),
        settingsAt: (path) => {
          const out: Setting[] = [];
          addArgument(out, path, value, consts);
          return out;
        },
        scalar: () => consts.track(() => evaluate(value, consts)),
        line: value.startPosition.row + 1,
      });
    }
    settings.push(...callSettings(site, names, args, { urlFirst: endpointArgument(last) }));
  }
  for (const s of settings) djangoDatabaseName(s);
  const documentation = docstringLines(root);
  const out = interpretCode(file, settings, consts, declared);
  return documentation.length > 0 ? { ...out, documentation } : out;
}

/**
 * PEP 257 docstrings — the first statement of a module, class or function when it is a string — with the doctests
 * they hold (`>>> get_redis_url(1, {'password': 'password'})`): the function's documentation, not its settings.
 */
function docstringLines(root: SyntaxNode): Array<{ from: number; to: number }> {
  const out: Array<{ from: number; to: number }> = [];
  const bodies = [root, ...root.descendantsOfType(['class_definition', 'function_definition']).map((d) => d.childForFieldName('body'))];
  for (const body of bodies) {
    const first = body?.namedChildren.find((c) => c.type !== 'comment');
    if (first?.type === 'expression_statement' && first.namedChildren.length === 1 && first.namedChildren[0]!.type === 'string') {
      out.push({ from: first.startPosition.row + 1, to: first.endPosition.row + 1 });
    }
  }
  return out;
}

export default defineScanner({
  id: 'python-code',
  description: 'Python code: Django settings, client constructors and connect calls, env lookups (tree-sitter)',
  files: ['*.py'],
  excludeFiles: ['**/migrations/**', 'setup.py', 'conftest.py', 'manage.py'],
  keywords: /['"]https?:\/\/|[a-z+]+:\/\/[^\s/'"]*[:@]|redis:\/\/|mongodb|amqp:\/\/|DATABASES|CACHES|BROKER|CHANNEL_LAYERS|ELASTICSEARCH|HAYSTACK|redis|mongo|pymysql|MySQLdb|mysql|psycopg|sqlalchemy|create_engine|Elasticsearch|Kafka|confluent|pika|paho|mqtt|clickhouse|happybase|influx|neo4j|nacos|requests\.(get|post|put|delete|patch|request)|httpx|getenv|environ|PASSWORD|password|secret|SECRET|_HOST|_URL|_URI|_DSN/,
  gate: codeGate({
    quotes: `'"`, assign: '[:=]',
    extra: [
      String.raw`(?:getenv|environ\.get|environ\.setdefault|env\.str|env\.url|env\.db|env)\s*\(\s*['"][^'"]+['"]\s*,\s*(?:default\s*=\s*)?[rbuf]?['"]`,
      String.raw`\b(?:DATABASES|CACHES|BROKER_URL|CELERY_BROKER|CHANNEL_LAYERS|ELASTICSEARCH|HAYSTACK)`,
      String.raw`\b(?:import|from)\s+(?:pymysql|MySQLdb|mysql|psycopg2?|asyncpg|redis|aioredis|pymongo|motor|elasticsearch|kafka|confluent_kafka|aiokafka|pika|aio_pika|paho|influxdb\w*|neo4j|nacos|happybase|clickhouse\w*|sqlalchemy|cassandra|pymemcache|kazoo|minio|boto3|oss2|ldap3?|smtplib|ftplib|requests|httpx|aiohttp|urllib3?)\b`,
    ],
  }),
  sourceCode: true,
  scan: scanPythonCode,
});
