/**
 * RubyCodeScanner (tree-sitter-ruby): connections written in Ruby code — Rails initializers and environments, jobs,
 * rake tasks, plain scripts — read into the same flat settings the other languages produce:
 *   API_URL = "https://api.example.com", port = 9200       → constants, propagated into later uses
 *   ENV.fetch("REDIS_URL", "redis://localhost:6379/0")     → ${REDIS_URL:redis://…}; `ENV["X"] || "d"` and
 *                                                            `ENV.fetch("X") { "d" }` alike
 *   config.cache_store = :mem_cache_store, ENV["MEMCACHED"] → settings config.cache_store.mem_cache_store.servers
 *   ActionMailer::Base.smtp_settings = { address: …, port: … } → settings under the receiver's path
 *   Redis.new(url: …), Faraday.new("https://…"), HTTParty.get(url), Net::HTTP.get(URI(url)) → client calls of the catalog
 *   def base_url = "https://…" / a method whose body is one string → a setting named after the method
 * `"#{…}"` interpolation and `+` keep their literal parts; an unknown part becomes an unresolved `${…}`, so no value is
 * ever invented. Comments are not in the tree.
 */
import { clientCalls, clientCallWords } from '../src/catalog/index.js';
import { isAssertedData } from '../src/code/assertions.js';
import { codeGate } from '../src/code/gate.js';
import { parseSource, type SyntaxNode } from '../src/code/parsers.js';
import { callSettings, concatenate, ConstantTable, endpointArgument, evaluatePlus, interpretCode, lookupWithDefault, rendersView, settingOf, type CallArgument, environmentLookup } from '../src/code/constants.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';

/** Positional argument roles by the callee's full name (`Net::HTTP.new`) or its last name (`get`). */
const POSITIONAL = clientCalls('ruby');
/** The product word each known call site is named with (`Dalli::Client.new` → memcached). */
const CALL_WORDS = clientCallWords('ruby');

/** Calls whose value is the address they are given: `URI("https://…")`, `URI.parse(url)`. */
const ADDRESS_CALLS = /^(URI|URI\.parse|Addressable::URI\.parse)$/;
/** Methods of a string that keep it the same address (`"https://…".freeze`, Rails' `ENV["PG_HOST"].presence`). */
const STRING_METHODS = new Set(['freeze', 'to_s', 'strip', 'downcase', 'dup', 'presence']);

function callee(node: SyntaxNode): string {
  const receiver = node.childForFieldName('receiver');
  const method = node.childForFieldName('method')?.text ?? '';
  return (receiver ? `${receiver.text}.${method}` : method).replace(/\s+/g, '');
}

function isEnv(node: SyntaxNode | null): boolean {
  return node !== null && (node.text === 'ENV' || node.text === '::ENV');
}

function stringValue(node: SyntaxNode, consts: Map<string, string>): string {
  let out = '';
  for (const child of node.namedChildren) {
    if (child.type === 'string_content') out += child.text;
    else if (child.type === 'escape_sequence') out += child.text.length === 2 ? child.text[1] : child.text;
    else if (child.type === 'interpolation') {
      const expr = child.namedChildren[0];
      out += (expr && evaluate(expr, consts)) ?? `\${${expr?.text ?? '?'}}`;
    }
  }
  return out;
}

/** `ENV.fetch("X", "d")`, `ENV.fetch("X") { "d" }` → `${X:d}`; `ENV.fetch("X")`, `ENV.fetch("X", nil)` → `${X}`. */
function envFetch(node: SyntaxNode, consts: Map<string, string>): string | null {
  const args = node.childForFieldName('arguments')?.namedChildren ?? [];
  const name = args[0] ? evaluate(args[0], consts) : null;
  if (!name) return null;
  const block = node.childForFieldName('block');
  const blockValue = block?.namedChildren.find((c) => c.type === 'block_body' || c.type === 'body_statement')?.namedChildren;
  const fallbackNode = args[1] ?? (blockValue?.length === 1 ? blockValue[0] : undefined);
  const fallback = fallbackNode && fallbackNode.type !== 'nil' ? evaluate(fallbackNode, consts) : null;
  return environmentLookup(name, fallback);
}

/** The value of an expression as text in the interpreter's placeholder language, or null when it is not a scalar. */
function evaluate(node: SyntaxNode, consts: Map<string, string>): string | null {
  switch (node.type) {
    case 'string':
      return stringValue(node, consts);
    case 'chained_string':
      return node.namedChildren.map((c) => evaluate(c, consts) ?? '').join('');
    case 'integer':
      return node.text.replace(/_/g, '');
    case 'float': case 'true': case 'false':
      return node.text;
    case 'simple_symbol':
      return node.text.slice(1);
    case 'constant': case 'identifier':
      return consts.get(node.text) ?? null;
    case 'scope_resolution': {
      // `Settings::API_URL`: a constant of another class or module, by its own name.
      const name = node.childForFieldName('name')?.text;
      return name ? consts.get(name) ?? null : null;
    }
    case 'parenthesized_statements':
      return node.namedChildren.length === 1 ? evaluate(node.namedChildren[0]!, consts) : null;
    case 'binary': {
      const operator = node.childForFieldName('operator')?.text;
      if (operator === '+') return evaluatePlus(node, (n) => evaluate(n, consts));
      // `"https://www.gravatar.com/avatar/" << digest << "?s=#{size}"`: a string appended to.
      if (operator === '<<') {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const head = left ? evaluate(left, consts) : null;
        // An unknown part is named by its text, `::` made `.` so it does not read as a lookup's default.
        return head === null ? null : concatenate(head, right ? evaluate(right, consts) : null, left?.text, right?.text.replace(/::/g, '.'));
      }
      if (operator !== '||' && operator !== 'or') return null;
      // `ENV["ELASTICSEARCH_URL"] || "http://localhost:9200"`: the literal is the default when the variable is unset.
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      return lookupWithDefault(left ? evaluate(left, consts) : null, right ? evaluate(right, consts) : null);
    }
    case 'element_reference': {
      // ENV["REDIS_URL"]
      const [object, key] = node.namedChildren;
      if (!isEnv(object ?? null) || !key) return null;
      const name = evaluate(key, consts);
      return name ? `\${${name}}` : null;
    }
    case 'call': {
      const name = callee(node);
      if (/^(::)?ENV\.fetch$/.test(name)) return envFetch(node, consts);
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      if (ADDRESS_CALLS.test(name)) return args.length === 1 ? evaluate(args[0]!, consts) : null;
      const method = node.childForFieldName('method')?.text;
      const receiver = node.childForFieldName('receiver');
      if (method && receiver && STRING_METHODS.has(method) && args.length === 0) return evaluate(receiver, consts);
      return null;
    }
    case 'array': {
      // `SERVERS = ["cache1:11211", "cache2:11211"]`: a host list.
      const items = node.namedChildren.map((c) => evaluate(c, consts));
      return items.length > 0 && items.every((i) => i !== null) ? items.join(',') : null;
    }
    default:
      return null;
  }
}

/** A hash key as written: `url:`, `:url =>`, `"url" =>`. */
function keyOf(pair: SyntaxNode, consts: Map<string, string>): string | null {
  const key = pair.childForFieldName('key');
  if (!key) return null;
  if (key.type === 'hash_key_symbol') return key.text;
  return evaluate(key, consts);
}

/** Adds a value (scalar, hash, list) under a path as settings. */
function addValue(out: Setting[], path: string[], node: SyntaxNode, consts: ConstantTable, line: number): void {
  if (node.type === 'conditional') {
    // `Rails.env.production? ? "https://api.acme.io" : "http://localhost:3000"`: either may be used.
    for (const branch of [node.childForFieldName('consequence'), node.childForFieldName('alternative')]) {
      if (branch) addValue(out, path, branch, consts, branch.startPosition.row + 1);
    }
    return;
  }
  if (node.type === 'hash') {
    for (const pair of node.namedChildren.filter((c) => c.type === 'pair')) {
      const key = keyOf(pair, consts);
      const value = pair.childForFieldName('value');
      if (key === null || !value) continue;
      // The OAuth2 gem's `client_options: { site: … }` is the provider's API base, not a homepage.
      addValue(out, [...path, path[path.length - 1] === 'client_options' && key === 'site' ? 'url' : key], value, consts, value.startPosition.row + 1);
    }
    return;
  }
  if (node.type === 'right_assignment_list') {
    // `config.cache_store = :mem_cache_store, "cache-1:11211", { failover: true }`: a store named by its symbol, then
    // its servers and options.
    const [first, ...rest] = node.namedChildren;
    const store = first?.type === 'simple_symbol' ? first.text.slice(1) : null;
    const under = store ? [...path, store] : path;
    for (const item of store ? rest : node.namedChildren) {
      addValue(out, item.type === 'hash' ? under : [...under, 'servers'], item, consts, item.startPosition.row + 1);
    }
    return;
  }
  if (node.type === 'array' && node.namedChildren.some((i) => i.type === 'hash')) {
    node.namedChildren.forEach((item, i) => addValue(out, [...path, String(i)], item, consts, item.startPosition.row + 1));
    return;
  }
  const tracked = consts.track(() => evaluate(node, consts));
  if (tracked.value !== null) out.push(settingOf(path, { ...tracked, value: tracked.value }, line));
}

/** A call argument that names a variable whose value is unknown still says which client is built. */
function addArgument(out: Setting[], path: string[], node: SyntaxNode, consts: ConstantTable): void {
  const before = out.length;
  addValue(out, path, node, consts, node.startPosition.row + 1);
  if (out.length === before && (node.type === 'identifier' || node.type === 'constant' || node.type === 'instance_variable')) {
    out.push({ path, value: `\${${node.text.replace(/^@+/, '')}}`, line: node.startPosition.row + 1 });
  }
}

/** Where an assignment is: at the top of the file or in a class or module body (a constant), or inside a method or block. */
function inDefinitionBody(node: SyntaxNode): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'method' || p.type === 'singleton_method' || p.type === 'block' || p.type === 'do_block' || p.type === 'lambda') return false;
    if (p.type === 'program') return true;
  }
  return false;
}

/** Inside an `if`, `unless`, `case` or a modifier of one, below the file's top. */
function underCondition(node: SyntaxNode): boolean {
  for (let p = node.parent; p && p.type !== 'program'; p = p.parent) {
    if (p.type === 'if' || p.type === 'unless' || p.type === 'case' || p.type === 'if_modifier' || p.type === 'unless_modifier' || p.type === 'elsif' || p.type === 'else') return true;
  }
  return false;
}

/** The settings path an assignment's left side names, or null for a target that is not a name. */
function targetPath(left: SyntaxNode, consts: Map<string, string>): string[] | null {
  switch (left.type) {
    case 'constant': case 'identifier':
      return [left.text];
    case 'instance_variable': case 'class_variable': case 'global_variable':
      return [left.text.replace(/^[@$]+/, '')];
    case 'scope_resolution': case 'call':
      // `config.cache_store`, `ActionMailer::Base.smtp_settings`, `Searchkick.client`
      return [left.text.replace(/\s+/g, '')];
    case 'element_reference': {
      // `options[:url]`, `config.x["api_base"]`
      const [object, key] = left.namedChildren;
      const keyText = key ? evaluate(key, consts) : null;
      return object && keyText ? [object.text.replace(/\s+/g, ''), keyText] : null;
    }
    default:
      return null;
  }
}

export function scanRubyCode(file: SourceFile): ScanOutput {
  const root = parseSource('ruby', file.text).rootNode;
  const consts = new ConstantTable();
  const declared = new Map<Setting, string>();
  const settings: Setting[] = [];
  const locals = new Set<string>();
  const nodes = root.descendantsOfType(['assignment', 'operator_assignment', 'call', 'method']);
  for (const node of nodes) {
    const line = node.startPosition.row + 1;
    if (node.type === 'assignment' || node.type === 'operator_assignment') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) continue;
      const path = targetPath(left, consts);
      if (!path) continue;
      const topLevel = inDefinitionBody(node);
      if (topLevel && (left.type === 'constant' || left.type === 'identifier')) {
        // `port = 9200` then `port = 22_221` under `if Rails.env.local?`: the branch changes it only sometimes, so the
        // unconditional value stays the one later uses see.
        if (!(consts.has(left.text) && underCondition(node))) {
          const tracked = consts.track(() => evaluate(right, consts));
          consts.define(left.text, tracked.value, tracked.origin ?? right.startPosition.row + 1);
        }
      } else if (left.type === 'identifier') {
        // A method's local assigned again: one more value of that name, kept apart by its line.
        if (locals.has(left.text)) path[0] = `${left.text}@${line}`;
        locals.add(left.text);
      }
      const before = settings.length;
      addValue(settings, path, right, consts, right.startPosition.row + 1);
      if (topLevel && left.type === 'constant' && settings.length === before + 1) declared.set(settings[before]!, left.text);
      continue;
    }
    if (node.type === 'method') {
      // `def api_base_url = "https://api.fastly.com"`, or a body that is one string: an address by another name.
      const name = node.childForFieldName('name')?.text;
      const body = node.namedChildren.filter((c) => c.type !== 'identifier' && c.type !== 'method_parameters');
      const statements = body.length === 1 ? (body[0]!.type === 'body_statement' ? body[0]!.namedChildren : [body[0]!]) : [];
      // `def api_url; "https://arca.live/api/…/#{post_id}" if post_id.present?; end`: the value, when the method has one.
      const value = statements.map((v) => (v.type === 'if_modifier' || v.type === 'unless_modifier' ? v.childForFieldName('body') ?? v : v));
      // `def base_url = ENV["SYNTH_URL"] || "https://api.synthfinance.com"` is one too.
      if (name && value.length === 1 && ['string', 'chained_string', 'binary', 'call', 'element_reference'].includes(value[0]!.type)) {
        addValue(settings, [name], value[0]!, consts, value[0]!.startPosition.row + 1);
      }
      continue;
    }
    const name = callee(node);
    if (!node.childForFieldName('method') || /^(::)?ENV\.fetch$/.test(name) || ADDRESS_CALLS.test(name)) continue;
    const last = node.childForFieldName('method')!.text;
    if (rendersView(last)) continue;
    if (isAssertedData(node, last, 'ruby')) continue;
    const word = CALL_WORDS[name];
    const site = [...(word ? [word] : []), `${name}@${line}`];
    const callArgs = node.childForFieldName('arguments')?.namedChildren ?? [];
    // OmniAuth's strategy DSL, `option :client_options, { site: …, authorize_url: … }`, and the same options handed to
    // `config.omniauth :provider, key, secret, client_options: { … }`: the OAuth provider's endpoints.
    if (last === 'option' && callArgs[0]?.type === 'simple_symbol' && callArgs[1]?.type === 'hash') {
      addValue(settings, [`${name}@${line}`, callArgs[0].text.slice(1)], callArgs[1], consts, callArgs[1].startPosition.row + 1);
      continue;
    }
    for (const arg of callArgs) {
      if (arg.type === 'pair' && keyOf(arg, consts) === 'client_options' && arg.childForFieldName('value')?.type === 'hash') {
        addValue(settings, [...site, 'client_options'], arg.childForFieldName('value')!, consts, arg.startPosition.row + 1);
      }
    }
    const roles = POSITIONAL[name] ?? POSITIONAL[last] ?? [];
    const args: CallArgument[] = [];
    for (const arg of callArgs) {
      if (arg.type === 'splat_argument' || arg.type === 'hash_splat_argument' || arg.type === 'block_argument') continue;
      const keyword = arg.type === 'pair';
      const key = keyword ? keyOf(arg, consts) : undefined;
      const value = keyword ? arg.childForFieldName('value') : arg;
      if (!value || (keyword && !key)) continue;
      args.push({
        ...(key ? { name: key } : {}),
        settingsAt: (path) => {
          const out: Setting[] = [];
          addArgument(out, path, value, consts);
          return out;
        },
        scalar: () => consts.track(() => evaluate(value, consts)),
        line: value.startPosition.row + 1,
      });
    }
    settings.push(...callSettings(site, roles, args, { urlFirst: endpointArgument(last, word !== undefined) }));
  }
  return interpretCode(file, settings, consts, declared);
}

export default defineScanner({
  id: 'ruby-code',
  description: 'Ruby code: Rails initializers and environments, client constructors, HTTP calls, ENV lookups (tree-sitter)',
  files: ['*.rb', '*.rake'],
  // Schema, migrations and gem specs hold no connection; a gemspec's homepage and metadata links are not calls.
  // Rails view helpers build links for pages (`"https://twitter.com/#{user.handle}"`), not calls.
  excludeFiles: ['**/db/migrate/**', '**/db/schema.rb', '*.gemspec', 'Gemfile', 'Guardfile', '**/vendor/**', '**/app/helpers/**'],
  keywords: /['"]https?:\/\/|[a-z+]+:\/\/[^\s/'"]*[:@]|ENV|redis|mongo|memcache|dalli|elasticsearch|opensearch|searchkick|kafka|bunny|amqp|smtp|Faraday|HTTParty|RestClient|Net::HTTP|Excon|Typhoeus|password|secret|_HOST|_URL|_URI/i,
  gate: codeGate({
    quotes: `'"`, assign: '(?:=>|[:=(])',
    extra: [
      String.raw`ENV\.fetch\(\s*['"][^'"]+['"]\s*(?:,\s*['"]|\)\s*\{\s*['"])`,
      String.raw`ENV\[\s*['"][^'"]+['"]\s*\](?:\.presence)?\s*\|\|\s*['"]`,
      String.raw`\b(?:Redis|Dalli::Client|Mongo::Client|Elasticsearch::Client|OpenSearch::Client|Bunny|Kafka|Mysql2::Client|Aws::S3::Client)\.new\b|\bPG\.connect\b`,
      String.raw`\bcache_store\s*=\s*:(?:mem_cache_store|redis_cache_store)`,
    ],
  }),
  sourceCode: true,
  scan: scanRubyCode,
});
