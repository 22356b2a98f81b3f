/**
 * JavaScriptCodeScanner (tree-sitter-javascript / -typescript): Node services.
 *   const HOST = process.env.DB_HOST || '10.0.0.1'   → ${DB_HOST:10.0.0.1}, propagated
 *   new Pool({ host, port, user, password })         → settings pg.Pool@4.{host,port,…} (kind from the import)
 *   mysql.createPool({…}), createClient({ url }), new Kafka({ brokers }), mongoose.connect(`mongodb://${HOST}/app`)
 *   module.exports = { redis: { host: … } }          → settings exports.redis.host
 * Object literals become nested settings; template literals keep their literal parts.
 */
import { codeGate } from '../src/code/gate.js';
import { callSettings, ConstantTable, concatenate, endpointArgument, interpretCode, rendersView, type CallArgument, settingOf } from '../src/code/constants.js';
import { clientCalls, clientModules } from '../src/catalog/index.js';
import { isAssertedData } from '../src/code/assertions.js';
import { parseSource, type Language, type SyntaxNode } from '../src/code/parsers.js';
import { isTestPath } from '../src/paths.js';
import { defineScanner, type ScanOutput, type SourceFile, type Setting } from '../src/scanner.js';

/** Positional argument names by callee (last name, or `new Name`): catalog client calls, and connect-style calls many drivers share. */
const POSITIONAL: Record<string, readonly string[]> = {
  connect: ['url'], createConnection: ['url'], createPool: ['url'], connectAsync: ['url'], ...clientCalls('javascript'),
};
/** Modules whose calls the catalog names by a product's word (`@apollo/client`: GraphQL over HTTP). */
const MODULE_WORDS = clientModules('javascript');
/** envalid's validator functions, whose `{ default }` is a variable's value when it is unset. */
const ENVALID_VALIDATORS = new Set(['str', 'num', 'bool', 'port', 'host', 'url', 'email', 'json']);
/** Callees whose http(s) first argument is an API endpoint. */
const HTTP_CALLEES = /^(fetch|axios(\.(get|post|put|delete|patch|request))?|got|superagent\.\w+|request|needle|ky|(got|request|needle|ky)\.(get|post|put|delete|patch|head)|\$\.(ajax|getJSON))$/;

/** Jest's and Vitest's mock functions told what to give back (`vi.mocked(getConfig).mockReturnValue({ redisUrl })`). */
const MOCK_RESULT = /^mock(ReturnValue|ResolvedValue|RejectedValue|Implementation)(Once)?$/;

/**
 * In a test, a call that hands the code under test its data rather than making a connection: what a mock function is
 * told to return, and a Fetch API request built for a handler to receive (`proxy(new NextRequest("http://localhost:3000/…"))`,
 * `auth.handler(new Request(…))`) — unless the test sends it itself (`fetch(new Request(url))`).
 */
function handsDataToCodeUnderTest(call: SyntaxNode, last: string): boolean {
  if (MOCK_RESULT.test(last)) return true;
  if (call.type !== 'new_expression' || !/^(Request|NextRequest)$/.test(last)) return false;
  const outer = call.parent?.type === 'arguments' ? call.parent.parent : null;
  return outer?.childForFieldName('function')?.text !== 'fetch';
}

/** An assignment to a config object's address member (`mongo.host`, `options.redis.hostname`), not to the page's own. */
const HOST_MEMBER = /^(?!(window|document|location|globalThis|self|req|res|request|response|ctx)\.)[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*\.(host|hostname|server|servers|brokers|nodes|addr|address)$/;

function stringOf(node: SyntaxNode, consts: ConstantTable): string {
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'string_fragment') out += c.text;
    else if (c.type === 'escape_sequence') out += c.text.length === 2 ? c.text[1] : c.text;
    else if (c.type === 'template_substitution') {
      const e = c.namedChildren[0];
      out += (e && evaluate(e, consts)) ?? `\${${e?.text ?? '?'}}`;
    }
  }
  return out;
}

export function evaluate(node: SyntaxNode, consts: ConstantTable): string | null {
  switch (node.type) {
    case 'string': case 'template_string':
      return stringOf(node, consts);
    case 'number': case 'true': case 'false':
      return node.text;
    case 'identifier':
      return consts.get(node.text) ?? null;
    case 'parenthesized_expression':
      return node.namedChildren[0] ? evaluate(node.namedChildren[0], consts) : null;
    case 'as_expression': case 'satisfies_expression': case 'non_null_expression':
      return node.namedChildren[0] ? evaluate(node.namedChildren[0], consts) : null;
    case 'member_expression': case 'subscript_expression': {
      // process.env.X, process.env['X']
      const object = node.childForFieldName('object')?.text.replace(/\s+/g, '');
      if (object === 'process.env') {
        const prop = node.childForFieldName('property') ?? node.childForFieldName('index');
        const name = prop ? (prop.type === 'string' ? stringOf(prop, consts) : prop.text) : null;
        return name ? `\${${name}}` : null;
      }
      const prop = node.childForFieldName('property')?.text;
      return prop ? consts.get(prop) ?? null : null;
    }
    case 'ternary_expression': {
      // `environment.production ? 'https://ghostfol.io/api' : `${rootUrl}/api``: the one branch that is a literal
      // address is the value the code is written for; two different literals leave it open (addValue keeps both).
      const branches = [node.childForFieldName('consequence'), node.childForFieldName('alternative')]
        .map((b) => (b ? evaluate(b, consts) : null))
        .filter((v): v is string => v !== null && v !== '' && !v.includes('${'));
      return branches.length === 1 || (branches.length === 2 && branches[0] === branches[1]) ? branches[0]! : null;
    }
    case 'call_expression': {
      // envalid's validators (`REDIS_HOST: str({ default: 'localhost' })` in `cleanEnv(process.env, …)`): the default
      // is the value the app runs with when the variable is unset.
      const fn = node.childForFieldName('function')?.text;
      const spec = node.childForFieldName('arguments')?.namedChildren[0];
      if (!fn || !ENVALID_VALIDATORS.has(fn) || spec?.type !== 'object') return null;
      const fallback = spec.namedChildren.find((c) => c.type === 'pair' && c.childForFieldName('key')?.text === 'default')?.childForFieldName('value');
      return fallback ? evaluate(fallback, consts) : null;
    }
    case 'binary_expression': {
      const op = node.childForFieldName('operator')?.text;
      const l = node.childForFieldName('left');
      const r = node.childForFieldName('right');
      const lv = l ? evaluate(l, consts) : null;
      const rv = r ? evaluate(r, consts) : null;
      if (op === '||' || op === '??') {
        const m = lv ? /^\$\{([^:}]+)\}$/.exec(lv) : null;
        if (m && rv !== null) return `\${${m[1]}:${rv}}`;
        return lv ?? rv;
      }
      return op === '+' ? concatenate(lv, rv, l?.text, r?.text) : null;
    }
    default:
      return null;
  }
}

function keyOf(pair: SyntaxNode, consts: ConstantTable): string | null {
  const key = pair.childForFieldName('key');
  if (!key) return null;
  if (key.type === 'string') return stringOf(key, consts);
  if (key.type === 'computed_property_name') return key.namedChildren[0] ? evaluate(key.namedChildren[0], consts) : null;
  return key.text;
}

/** `{…} as Config`, `{…} satisfies Config`, `value!`, `(value)`: TypeScript's assertions leave the value as written. */
function unwrapped(node: SyntaxNode): SyntaxNode {
  let n = node;
  while (['as_expression', 'satisfies_expression', 'non_null_expression', 'parenthesized_expression'].includes(n.type) && n.namedChildren[0]) n = n.namedChildren[0];
  return n;
}

function addValue(out: Setting[], path: string[], written: SyntaxNode, consts: ConstantTable): void {
  const node = unwrapped(written);
  if (node.type === 'ternary_expression' && evaluate(node, consts) === null) {
    // `isProd ? 'https://api.acme.io' : 'http://localhost:3000'`: either may be used.
    for (const branch of [node.childForFieldName('consequence'), node.childForFieldName('alternative')]) if (branch) addValue(out, path, branch, consts);
    return;
  }
  if (node.type === 'object') {
    for (const child of node.namedChildren) {
      if (child.type === 'pair') {
        const key = keyOf(child, consts);
        const value = child.childForFieldName('value');
        if (key !== null && value) addValue(out, [...path, key], value, consts);
      } else if (child.type === 'shorthand_property_identifier') {
        addValue(out, [...path, child.text], child, consts);
      }
    }
    return;
  }
  if (node.type === 'array') {
    if (node.namedChildren.some((c) => c.type === 'object')) {
      node.namedChildren.forEach((c, i) => addValue(out, [...path, String(i)], c, consts));
      return;
    }
    const values = node.namedChildren.map((c) => evaluate(c, consts)).filter((v): v is string => v !== null);
    if (values.length > 0) out.push({ path, value: values.join(','), line: node.startPosition.row + 1 });
    return;
  }
  const target = node.type === 'shorthand_property_identifier' ? { ...node, type: 'identifier' } as SyntaxNode : node;
  const tracked = consts.track(() => evaluate(target, consts));
  const text = tracked.value ?? (node.type === 'identifier' || node.type === 'shorthand_property_identifier' ? `\${${node.text}}` : null);
  if (text !== null) out.push(settingOf(path, { ...tracked, value: text }, node.startPosition.row + 1));
}

function moduleOf(node: SyntaxNode): string | null {
  // require('pg'), import … from 'pg'
  if (node.type === 'call_expression' && node.childForFieldName('function')?.text === 'require') {
    const arg = node.childForFieldName('arguments')?.namedChildren[0];
    return arg?.type === 'string' ? arg.text.slice(1, -1) : null;
  }
  return null;
}

/** Longer lines than this are a minifier's or a bundler's; people break theirs well before. */
const MINIFIED_LINE = 500;

/**
 * A bundle or minified library committed under another name (`open-jssdk.es.js`, an editor bundle under ASP.NET's
 * `wwwroot/`): most of its text in lines hundreds of characters long (terser wraps at ~500, many bundlers never).
 * Its strings are a vendor's, not this app's settings; the token search still reads it.
 */
function isMinified(text: string): boolean {
  if (text.length < 20_000) return false;
  let inLongLines = 0;
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start);
    const stop = end < 0 ? text.length : end;
    if (stop - start > MINIFIED_LINE) inLongLines += stop - start;
    start = stop + 1;
  }
  return inLongLines > text.length / 2;
}

/** Functions a file defines at its top level or in a `describe` block: declarations and arrow or function expressions bound to a name. */
function localFunctionNames(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const d of root.descendantsOfType('function_declaration')) {
    const name = d.childForFieldName('name')?.text;
    if (name) names.add(name);
  }
  for (const d of root.descendantsOfType('variable_declarator')) {
    const value = d.childForFieldName('value');
    const name = d.childForFieldName('name');
    if (name?.type === 'identifier' && value && /^(arrow_function|function_expression|function)$/.test(value.type)) names.add(name.text);
  }
  return names;
}

export function scanJavaScriptCode(file: SourceFile, language: Language): ScanOutput {
  if (isMinified(file.text)) return { findings: [] };
  const root = parseSource(language, file.text).rootNode;
  const consts = new ConstantTable();
  const declared = new Map<Setting, string>();
  const imported = new Map<string, string>(); // local name → module
  for (const imp of root.descendantsOfType('import_statement')) {
    const source = imp.childForFieldName('source')?.text.slice(1, -1);
    if (!source) continue;
    for (const id of imp.descendantsOfType('identifier')) imported.set(id.text, source);
  }
  // The module a test file is named for (`create-config.test.ts` → `create-config`), when it is one.
  const testOf = /^(.+)\.(test|spec)\.[cm]?[jt]sx?$/.exec(file.path.split('/').pop()!);
  const underTest = testOf ? testOf[1]! : null;
  // A test's own helpers (`function buildRequest(url, …)`, `const makeEvent = (…) => …`) build fixtures for the code
  // under test: what the test hands them is data, whatever they are called (as a Java test class's own methods are).
  const inTest = isTestPath(file.path);
  const ownHelpers = inTest ? localFunctionNames(root) : new Set<string>();
  const settings: Setting[] = [];
  // A class's fields and `this.<name> = …` in its methods hold its configuration (`private static baseUrl =
  // 'https://…'`, `this.apiUrl = …`): settings named for the field, and constants for `${this.apiUrl}/…` later. A field
  // assigned again (`if (apiKeyPro) this.apiUrl = …`) is one more value of it, kept apart by its line.
  const fieldsSeen = new Set<string>();
  const addField = (name: string, value: SyntaxNode, line: number) => {
    const tracked = consts.track(() => evaluate(value, consts));
    if (!fieldsSeen.has(name)) consts.define(name, tracked.value, tracked.origin ?? value.startPosition.row + 1);
    if (tracked.value === null) return;
    const setting = settingOf([fieldsSeen.has(name) ? `${name}@${line}` : name], { ...tracked, value: tracked.value }, value.startPosition.row + 1);
    settings.push(setting);
    if (!fieldsSeen.has(name)) declared.set(setting, name);
    fieldsSeen.add(name);
  };
  for (const node of root.descendantsOfType(['variable_declarator', 'assignment_expression', 'call_expression', 'new_expression', 'export_statement', 'public_field_definition', 'field_definition', 'return_statement'])) {
    if (node.type === 'return_statement') {
      // `function dbConfig() { switch (env) { case 'postgres': return { type: 'postgres', host: …, port: … } } }`: an
      // options object a factory returns (TypeORM's DataSource options per database) is read as the function's keys.
      const value = node.namedChildren[0] ? unwrapped(node.namedChildren[0]) : null;
      // Only one shaped as connection options (a `host` or a `port` key, or Knex's `{ client, connection: { host } }`):
      // a returned `{ name, url }` describes a link.
      const addressed = (o: SyntaxNode) => o.namedChildren.some((c) => c.type === 'pair' && /^['"]?(host|hostname|port)['"]?$/.test(c.childForFieldName('key')?.text ?? ''));
      if (value?.type === 'object' && (addressed(value) || value.namedChildren.some((c) => c.type === 'pair' && c.childForFieldName('value')?.type === 'object' && addressed(c.childForFieldName('value')!)))) {
        addValue(settings, [`${enclosingFunctionName(node)}@${node.startPosition.row + 1}`], value, consts);
      }
      continue;
    }
    if (node.type === 'public_field_definition' || node.type === 'field_definition') {
      const name = node.childForFieldName('name') ?? node.childForFieldName('property');
      const value = node.childForFieldName('value');
      if (name && value && value.type !== 'object' && value.type !== 'arrow_function') addField(name.text, value, node.startPosition.row + 1);
      continue;
    }
    if (node.type === 'variable_declarator') {
      const name = node.childForFieldName('name');
      const written = node.childForFieldName('value');
      if (!name || !written) continue;
      const value = unwrapped(written);
      const mod = moduleOf(value);
      if (mod) {
        for (const id of name.type === 'identifier' ? [name] : name.descendantsOfType(['shorthand_property_identifier_pattern', 'identifier'])) imported.set(id.text, mod);
        continue;
      }
      if (name.type !== 'identifier') continue;
      if (value.type === 'object') {
        consts.define(name.text, null, 0);
        addValue(settings, [name.text], value, consts);
        continue;
      }
      const tracked = consts.track(() => evaluate(value, consts));
      consts.define(name.text, tracked.value, tracked.origin ?? value.startPosition.row + 1);
      if (tracked.value !== null) {
        const setting = settingOf([name.text], { ...tracked, value: tracked.value }, value.startPosition.row + 1);
        settings.push(setting);
        declared.set(setting, name.text);
      }
      continue;
    }
    if (node.type === 'assignment_expression' || node.type === 'export_statement') {
      const written = node.type === 'export_statement' ? node.childForFieldName('value') ?? node.namedChildren.find((c) => c.type === 'object') : node.childForFieldName('right');
      const value = written ? unwrapped(written) : written;
      const left = node.type === 'export_statement' ? 'exports' : node.childForFieldName('left')?.text.replace(/\s+/g, '') ?? '';
      const field = /^this\.([A-Za-z_$][\w$]*)$/.exec(left)?.[1];
      if (field && value && value.type !== 'object') addField(field, value, node.startPosition.row + 1);
      else if (value?.type === 'object') addValue(settings, [left], value, consts);
      // `axios.defaults.baseURL = 'https://…'`, `instance.defaults.baseURL = …`: axios's documented global and instance
      // default; `client.basePath = 'http://…/api'`: the base of an OpenAPI-generated client (openapi-generator's ApiClient).
      else if (value && /\.(defaults\.baseURL|basePath|baseURL|baseUrl)$/.test(left)) addValue(settings, [`${left}@${node.startPosition.row + 1}`.replace(/\.(baseURL|basePath|baseUrl)@/, '@'), 'url'], value, consts);
      // `mongo.host = '127.0.0.1'` filling in a config object's missing address: a setting of that object, named by it.
      else if (value && HOST_MEMBER.test(left)) addValue(settings, left.split('.'), value, consts);
      continue;
    }
    const fn = node.type === 'new_expression' ? node.childForFieldName('constructor') : node.childForFieldName('function');
    const calleeText = fn?.text.replace(/\s+/g, '') ?? '';
    if (!calleeText || calleeText === 'require') continue;
    const last = calleeText.split('.').pop()!;
    // In an assertion only a client the test itself calls is a connection (`expect(await fetch(url)).toBeOk()`).
    if (isAssertedData(node, last, 'javascript')) continue;
    const head = calleeText.split('.')[0]!;
    // `createConfig({ db: { host: 'localhost' } })` in create-config.test.ts: the function the test is named for is the
    // code under test, and what it is handed is data (as in Python's and Java's tests).
    const headModule = imported.get(head);
    if (underTest !== null && headModule !== undefined && moduleStem(headModule) === underTest) continue;
    if (ownHelpers.has(calleeText)) continue;
    if (inTest && handsDataToCodeUnderTest(node, last)) continue;
    if (rendersView(last)) continue;
    const callee = node.type === 'new_expression' ? `new ${last}` : last;
    const mod = headModule ?? imported.get(last);
    // A module the catalog gives a product (`@apollo/client` → http) names the site alone: its call names would say another.
    const word = mod ? MODULE_WORDS.find(([re]) => re.test(mod))?.[1] : undefined;
    const written = node.childForFieldName('arguments')?.namedChildren ?? [];
    const names = POSITIONAL[callee] ?? [];
    // An http(s) URL passed to an HTTP client, or any connection string (judged by an env lookup's fallback), is the site's url.
    const endpoint = endpointArgument(callee, HTTP_CALLEES.test(calleeText));
    // `fetch(publication ? `${API}/publications/${id}/posts` : `${API}/users/${id}/posts`)`: either branch may be the
    // call, each a site of its own at its line.
    for (const { args, line } of argumentChoices(written, consts, node.startPosition.row + 1)) {
      const site = word ? [`${word}@${line}`] : [...(mod ? [mod] : []), `${calleeText}@${line}`];
      settings.push(...callSettings(site, names, args.map((arg): CallArgument => ({
        keyed: arg.type === 'object',
        settingsAt: (path) => {
          if (arg.type === 'object') {
            const out: Setting[] = [];
            addValue(out, path, arg, consts);
            return out;
          }
          const tracked = consts.track(() => evaluate(arg, consts));
          if (tracked.value !== null) return path[path.length - 1] === 'url' ? [] : [settingOf(path, { ...tracked, value: tracked.value }, arg.startPosition.row + 1)];
          return arg.type === 'identifier' ? [{ path, value: `\${${arg.text}}`, line: arg.startPosition.row + 1 }] : [];
        },
        scalar: () => consts.track(() => evaluate(arg, consts)),
        line: arg.startPosition.row + 1,
      })), { urlFirst: endpoint }));
    }
  }
  // `return process.env.MEWE_HOST || 'https://mewe.com'`, `connectForm(process.env.MASTODON_URL || 'https://…')`: a
  // variable's fallback written where no name of the code's holds it is a setting named by the variable, as a
  // `.env` line is. (Declarations, object keys and assignments name it themselves, above.)
  for (const node of root.descendantsOfType('binary_expression')) {
    if (node.parent?.type !== 'return_statement' && node.parent?.type !== 'arguments') continue;
    const lookup = /^\$\{([A-Za-z_]\w*):(.+)\}$/s.exec(evaluate(node, consts) ?? '');
    if (lookup) settings.push({ path: [lookup[1]!], value: lookup[0], line: node.startPosition.row + 1 });
  }
  return interpretCode(file, settings, consts, declared);
}

/** A module specifier's file name without folders or extension: `../../lib/create-config.js` → `create-config`. */
function moduleStem(specifier: string): string {
  return specifier.split('/').pop()!.replace(/\.[cm]?[jt]sx?$/, '');
}

/**
 * A call's arguments as written, or, when one is a conditional whose branches differ (`cond ? urlA : urlB`), the
 * arguments once with each branch in its place, at that branch's line.
 */
function argumentChoices(args: SyntaxNode[], consts: ConstantTable, line: number): Array<{ args: SyntaxNode[]; line: number }> {
  const at = args.findIndex((a) => unwrapped(a).type === 'ternary_expression' && evaluate(a, consts) === null);
  if (at < 0) return [{ args, line }];
  const conditional = unwrapped(args[at]!);
  return [conditional.childForFieldName('consequence'), conditional.childForFieldName('alternative')]
    .filter((b): b is SyntaxNode => b !== null)
    .map((branch) => ({ args: args.map((a, i) => (i === at ? branch : a)), line: branch.startPosition.row + 1 }));
}

export const KEYWORDS = /mysql|redis|mongo|kafka|amqp|rabbit|\bpg\b|postgres|sequelize|typeorm|knex|elastic|mqtt|nacos|axios|fetch\(|\b(?:got|request|needle|ky|superagent)\.(?:get|post|put|delete|patch|head)\(|\$\.(?:ajax|getJSON)\(|baseURL|basePath|prefixUrl|ApolloClient|createHttpLink|process\.env|export\s+const\s+environment\b|(?:require\(|from)\s*['"](?:request|request-promise(?:-native)?|got|superagent|needle|ky|undici|node-fetch)['"]|[a-z+]+:\/\/[^\s/'"`]*[:@]|password|secret/i;
export const GATE = codeGate({
  quotes: "'\"`", assign: '[:=]',
  extra: [
    String.raw`process\.env\.\w+\s*(?:\|\||\?\?)`,
    String.raw`\b(?:require|from|import)\s*\(?\s*['"](?:mysql2?|pg|pg-promise|postgres|ioredis|redis|mongodb|mongoose|kafkajs|amqplib|amqp-connection-manager|mqtt|@elastic\/elasticsearch|elasticsearch|knex|typeorm|sequelize|@prisma\/client|nats|minio|aws-sdk|@aws-sdk\/[\w-]+|axios|node-fetch|got|superagent|needle|ky|undici|request|request-promise(?:-native)?|nodemailer|ldapjs|envalid)['"]`,
    String.raw`\b(?:new\s+(?:Redis|IORedis|MongoClient|Sequelize|Kafka|Pool|Client)\b|createClient|createPool|createConnection|mongoose\.connect|fetch\s*\()`,
  ],
});

export default defineScanner({
  id: 'javascript-code',
  description: 'JavaScript/TypeScript code: driver and client constructors, object-literal options, process.env defaults (tree-sitter)',
  files: ['*.js', '*.mjs', '*.cjs', '*.jsx', '*.ts', '*.mts', '*.cts', '*.tsx'],
  // Locale modules (`src/locales/en_US/project.ts`) are UI text: a sample URL in a form's hint, `password: 'Password'`.
  excludeFiles: ['*.d.ts', '*.min.js', '*.bundle.js', '**/public/**', '**/static/**', '**/assets/**', '*.config.js', '*.config.ts', '**/locales/**', '**/i18n/**'],
  keywords: KEYWORDS,
  gate: GATE,
  sourceCode: true,
  scan: (file: SourceFile) => scanJavaScriptCode(file, /\.tsx$/.test(file.path) ? 'tsx' : /\.[mc]?ts$/.test(file.path) ? 'typescript' : 'javascript'),
});

/** The name a returned value is known by: its function's, a method's, or the variable an arrow function is bound to. */
function enclosingFunctionName(node: SyntaxNode): string {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_declaration' || n.type === 'method_definition' || n.type === 'generator_function_declaration') {
      return n.childForFieldName('name')?.text ?? 'return';
    }
    if ((n.type === 'arrow_function' || n.type === 'function_expression' || n.type === 'function') && n.parent?.type === 'variable_declarator') {
      return n.parent.childForFieldName('name')?.text ?? 'return';
    }
  }
  return 'return';
}
