/**
 * PhpCodeScanner (tree-sitter-php): connections written in PHP application code — Laravel services and Saloon
 * connectors, Symfony services, plain scripts — read into the same flat settings the other languages produce
 * (`config/*.php` arrays are php-config's):
 *   const API_URL = 'https://…', protected string $baseUrl = 'https://…', define('X', …) → constants, propagated
 *   public function resolveBaseUrl(): string { return 'https://…'; }                 → a setting named after the method
 *   env('DB_HOST', '127.0.0.1'), getenv('X') ?: 'd', $_ENV['X'] ?? 'd'               → ${X:d}
 *   Http::withToken($t)->get('https://…'), new Client(['base_uri' => …]), curl_init(…) → client calls of the catalog
 *   new PDO('mysql:host=…;dbname=…', 'user', 'pw'), $redis->connect('cache', 6379)   → the same
 *   $mail->Host = 'smtp.…'; $mail->Port = 587                                          → settings grouped by receiver
 * "…{$x}…" interpolation and `.` concatenation keep their literal parts; an unknown part becomes an unresolved
 * `${…}`, so no value is ever invented. Comments are not in the tree.
 */
import { clientCalls, clientCallWords } from '../src/catalog/index.js';
import { isAssertedData } from '../src/code/assertions.js';
import { codeGate } from '../src/code/gate.js';
import { parseSource, type SyntaxNode } from '../src/code/parsers.js';
import { callSettings, concatenate, ConstantTable, endpointArgument, interpretCode, lookupWithDefault, rendersView, settingOf, type CallArgument, environmentLookup } from '../src/code/constants.js';
import { scopeFromPath } from '../src/paths.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';

/** Positional argument roles by the callee as written (`new PDO`, `Http::get`) or its last name (`get`). */
const POSITIONAL = clientCalls('php');
/** The product word each known call site is named with (`new PDO` → database). */
const CALL_WORDS = clientCallWords('php');
/** Calls that read the environment: Laravel's `env('X', 'd')`, PHP's `getenv('X')`. */
const ENV_CALLS = /^\\?(env|getenv)$/;
/** Superglobals that hold the environment. */
const ENV_ARRAYS = /^\$_(ENV|SERVER)$/;

function stringValue(node: SyntaxNode, consts: Map<string, string>): string {
  let out = '';
  for (const child of node.namedChildren) {
    if (child.type === 'string_content' || child.type === 'string_value') out += child.text;
    else if (child.type === 'escape_sequence') out += child.text.length === 2 ? child.text[1] : child.text;
    else out += evaluate(child, consts) ?? `\${${child.text.replace(/^\{|\}$/g, '')}}`;
  }
  return out;
}

function lookupName(node: SyntaxNode | undefined, consts: Map<string, string>): string | null {
  return node ? evaluate(node.type === 'argument' ? node.namedChildren[0] ?? node : node, consts) : null;
}

/** The last name of a constant or property reference: `self::API_URL`, `static::X`, `$this->baseUrl`, `API_URL`. */
function referenceName(node: SyntaxNode): string | null {
  if (node.type === 'name') return node.text;
  if (node.type === 'class_constant_access_expression') return node.namedChildren[node.namedChildren.length - 1]?.text ?? null;
  if (node.type === 'member_access_expression' || node.type === 'nullsafe_member_access_expression') {
    return node.childForFieldName('object')?.text === '$this' ? node.childForFieldName('name')?.text ?? null : null;
  }
  return null;
}

/** The value of an expression as text in the interpreter's placeholder language, or null when it is not a scalar. */
function evaluate(node: SyntaxNode, consts: Map<string, string>): string | null {
  switch (node.type) {
    case 'string': case 'encapsed_string':
      return stringValue(node, consts);
    case 'integer': case 'float': case 'boolean':
      return node.text.replace(/_/g, '');
    case 'parenthesized_expression':
      return node.namedChildren[0] ? evaluate(node.namedChildren[0], consts) : null;
    case 'name': case 'class_constant_access_expression': case 'member_access_expression': case 'nullsafe_member_access_expression': {
      const name = referenceName(node);
      return name ? consts.get(name) ?? null : null;
    }
    case 'variable_name':
      return consts.get(node.text) ?? null;
    case 'binary_expression': {
      const operator = node.childForFieldName('operator')?.text ?? node.children.find((c) => !c.isNamed)?.text;
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (operator === '.') return concatenate(left ? evaluate(left, consts) : null, right ? evaluate(right, consts) : null, left?.text, right?.text);
      if (operator !== '??' && operator !== '?:' && operator !== '||') return null;
      const lookup = left ? evaluate(left, consts) : null;
      return lookupWithDefault(lookup, right ? evaluate(right, consts) : null) ?? lookup;
    }
    case 'conditional_expression': {
      // `getenv('DB_HOST') ?: 'localhost'`: the short ternary is a default.
      if (node.childForFieldName('body')) return null;
      const condition = node.childForFieldName('condition');
      const alternative = node.childForFieldName('alternative');
      const lookup = condition ? evaluate(condition, consts) : null;
      return lookupWithDefault(lookup, alternative ? evaluate(alternative, consts) : null) ?? lookup;
    }
    case 'subscript_expression': {
      // $_ENV['REDIS_HOST'], $_SERVER['DB_HOST']
      const [array, key] = node.namedChildren;
      if (!array || !ENV_ARRAYS.test(array.text) || !key) return null;
      const name = evaluate(key, consts);
      return name ? `\${${name}}` : null;
    }
    case 'function_call_expression': {
      const fn = node.childForFieldName('function')?.text ?? '';
      if (!ENV_CALLS.test(fn)) return null;
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      const name = lookupName(args[0], consts);
      if (!name) return null;
      const fallback = args[1] ? lookupName(args[1], consts) : null;
      return environmentLookup(name, fallback);
    }
    default:
      return null;
  }
}

function isPlainList(node: SyntaxNode): boolean {
  return node.type === 'array_creation_expression' && node.namedChildren.every((e) => e.type !== 'array_element_initializer' || e.namedChildren.length === 1);
}

/** Every item a URL, a `host:port` or an IP address. */
function listOfAddresses(list: SyntaxNode, consts: ConstantTable): boolean {
  const items = list.namedChildren.filter((e) => e.type === 'array_element_initializer').map((e) => (e.namedChildren[0] ? evaluate(e.namedChildren[0], consts) : null));
  return items.length > 0 && items.every((i) => i !== null && /^[a-z][a-z0-9+.-]*:\/\/|:\d{2,5}$|^\d{1,3}(\.\d{1,3}){3}$/i.test(i));
}

/** Adds a value (scalar or array) under a path as settings. */
function addValue(out: Setting[], path: string[], node: SyntaxNode, consts: ConstantTable, line: number): void {
  const value = node.type === 'argument' ? node.namedChildren[0] ?? node : node;
  if (value.type === 'array_creation_expression') {
    const elements = value.namedChildren.filter((c) => c.type === 'array_element_initializer');
    const keyed = elements.every((e) => e.namedChildren.length === 2);
    if (keyed) {
      for (const element of elements) {
        const [keyNode, item] = element.namedChildren;
        const key = keyNode ? evaluate(keyNode, consts) : null;
        if (key !== null && item) addValue(out, [...path, key], item, consts, item.startPosition.row + 1);
      }
      return;
    }
    const items = elements.map((e) => (e.namedChildren[0] ? evaluate(e.namedChildren[0], consts) : null));
    if (items.length > 0 && items.every((i) => i !== null)) out.push({ path, value: items.join(','), line });
    return;
  }
  const tracked = consts.track(() => evaluate(value, consts));
  if (tracked.value !== null) out.push(settingOf(path, { ...tracked, value: tracked.value }, line));
}

/** A call's callee as written, and its own last name. */
function calleeOf(node: SyntaxNode): { callee: string; last: string } | null {
  const name = node.childForFieldName('name')?.text;
  switch (node.type) {
    case 'function_call_expression': {
      const fn = node.childForFieldName('function')?.text.replace(/^\\/, '');
      return fn ? { callee: fn, last: fn } : null;
    }
    case 'member_call_expression': case 'nullsafe_member_call_expression':
      return name ? { callee: `${node.childForFieldName('object')?.text ?? ''}->${name}`, last: name } : null;
    case 'scoped_call_expression':
      return name ? { callee: `${node.childForFieldName('scope')?.text ?? ''}::${name}`.replace(/^\\/, ''), last: name } : null;
    case 'object_creation_expression': {
      const type = node.namedChildren.find((c) => c.type === 'name' || c.type === 'qualified_name')?.text.replace(/^\\/, '');
      return type ? { callee: `new ${type}`, last: `new ${type.split('\\').pop()}` } : null;
    }
    default:
      return null;
  }
}

/** The receiver of `$http->get(…)` chains back to a facade or class (`Http::withToken($t)->get`): its first name. */
function rootOf(callee: string): string {
  return callee.split(/->|::/)[0]!.replace(/^\$/, '');
}

export function scanPhpCode(file: SourceFile): ScanOutput {
  const root = parseSource('php', file.text).rootNode;
  const inTest = scopeFromPath(file.path) === 'test';
  const consts = new ConstantTable();
  const declared = new Map<Setting, string>();
  const settings: Setting[] = [];
  const seen = new Set<string>();
  // A class constant, a property default, `define()`, or `$this->x = …`: a named value later code may use. One
  // assigned again (`if ($pro) $this->apiUrl = …`) is one more value of it, kept apart by its line.
  const define = (name: string, value: SyntaxNode, line: number, constant: boolean) => {
    const tracked = consts.track(() => evaluate(value, consts));
    if (!seen.has(name)) consts.define(name, tracked.value, tracked.origin ?? value.startPosition.row + 1);
    const before = settings.length;
    addValue(settings, [seen.has(name) ? `${name}@${line}` : name], value, consts, value.startPosition.row + 1);
    if (constant && !seen.has(name) && settings.length === before + 1) declared.set(settings[before]!, name);
    seen.add(name);
  };
  const nodes = root.descendantsOfType([
    'const_element', 'property_element', 'assignment_expression', 'return_statement', 'function_call_expression',
    'member_call_expression', 'nullsafe_member_call_expression', 'scoped_call_expression', 'object_creation_expression',
  ]);
  for (const node of nodes) {
    const line = node.startPosition.row + 1;
    if (node.type === 'const_element') {
      const [name, value] = node.namedChildren;
      if (name && value) define(name.text, value, line, true);
      continue;
    }
    if (node.type === 'property_element') {
      const name = node.childForFieldName('name')?.text.replace(/^\$/, '');
      const value = node.childForFieldName('default_value');
      if (name && value) define(name, value, line, true);
      continue;
    }
    if (node.type === 'assignment_expression') {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (!left || !right) continue;
      if (left.type === 'member_access_expression') {
        const object = left.childForFieldName('object')?.text;
        const name = left.childForFieldName('name')?.text;
        if (!object || !name) continue;
        // `$this->apiUrl = …` is the object's own state; `$mail->Host = …` configures the object in `$mail`.
        if (object === '$this') define(name, right, line, false);
        else addValue(settings, [object.replace(/^\$/, ''), name], right, consts, right.startPosition.row + 1);
      } else if (left.type === 'variable_name') {
        define(left.text, right, line, false);
      }
      continue;
    }
    if (node.type === 'return_statement') {
      // `public function resolveBaseUrl(): string { return 'https://api.lemonsqueezy.com/v1'; }`
      let fn = node.parent;
      while (fn && fn.type !== 'method_declaration' && fn.type !== 'function_definition') fn = fn.parent;
      const name = fn?.childForFieldName('name')?.text;
      const value = node.namedChildren[0];
      if (name && value && ['string', 'encapsed_string', 'binary_expression'].includes(value.type)) addValue(settings, [name], value, consts, value.startPosition.row + 1);
      continue;
    }
    const call = calleeOf(node);
    if (!call || ENV_CALLS.test(call.callee)) continue;
    if (node.type === 'function_call_expression' && call.callee === 'define') {
      // define('API_URL', 'https://…')
      const [name, value] = node.childForFieldName('arguments')?.namedChildren ?? [];
      const key = name ? lookupName(name, consts) : null;
      if (key && value) define(key, value.namedChildren[0] ?? value, line, true);
      continue;
    }
    if (rendersView(call.last) || isAssertedData(node, call.last, 'php')) continue;
    // In a PHPUnit test `$this->…` holds the object under test (`$this->safeHttp->get('http://169.254.169.254/')`
    // checks that it refuses), and a Laravel model factory's attributes are rows: data for the code under test.
    if (inTest && (call.callee.startsWith('$this->') || call.callee.includes('::factory()'))) continue;
    const word = CALL_WORDS[call.callee] ?? CALL_WORDS[`${rootOf(call.callee)}::${call.last}`];
    const site = [...(word ? [word] : []), `${call.callee}@${line}`];
    const roles = POSITIONAL[call.callee] ?? POSITIONAL[call.last] ?? [];
    const args: CallArgument[] = [];
    for (const arg of node.childForFieldName('arguments')?.namedChildren ?? node.namedChildren.find((c) => c.type === 'arguments')?.namedChildren ?? []) {
      if (arg.type !== 'argument') continue;
      const value = arg.namedChildren[arg.namedChildren.length - 1];
      const named = arg.namedChildren.length === 2 && arg.namedChildren[0]!.type === 'name' ? arg.namedChildren[0]!.text : undefined;
      if (!value || arg.text.startsWith('...')) continue;
      args.push({
        ...(named ? { name: named } : {}),
        ...(value.type === 'array_creation_expression' && value.namedChildren.some((e) => e.namedChildren.length === 2) ? { keyed: true } : {}),
        settingsAt: (path) => {
          const out: Setting[] = [];
          // A list handed to a call is an address list only if its items look like addresses (`['tcp://10.0.0.1:6379']`
          // to Predis); Eloquent's `->get(['accounts.id', 'users.email'])` lists columns.
          if (isPlainList(value) && !listOfAddresses(value, consts)) return out;
          addValue(out, path, value, consts, value.startPosition.row + 1);
          if (out.length === 0 && value.type === 'variable_name') out.push({ path, value: `\${${value.text.slice(1)}}`, line: value.startPosition.row + 1 });
          return out;
        },
        scalar: () => consts.track(() => evaluate(value, consts)),
        line: value.startPosition.row + 1,
      });
    }
    settings.push(...callSettings(site, roles, args, { urlFirst: endpointArgument(call.last, word !== undefined) }));
  }
  return interpretCode(file, settings, consts, declared);
}

export default defineScanner({
  id: 'php-code',
  description: 'PHP code: class constants and properties, methods returning URLs, HTTP and database clients, env() lookups (tree-sitter)',
  files: ['*.php'],
  // Templates render pages; translations are labels; migrations and vendored packages are not the app's configuration.
  excludeFiles: ['*.blade.php', '**/vendor/**', '**/lang/**', '**/resources/lang/**', '**/translations/**', '**/database/migrations/**', '**/storage/**'],
  keywords: /['"]https?:\/\/|[a-z+]+:\/\/[^\s/'"]*[:@]|env\(|getenv|\$_ENV|PDO|redis|mongo|memcache|amqp|smtp|Http::|Guzzle|curl_init|HttpClient|base_?ur[il]|password|secret|_HOST|_URL/i,
  gate: codeGate({
    quotes: `'"`, assign: '(?:=>|=|\\()',
    extra: [
      String.raw`\b(?:env|getenv)\(\s*['"][^'"]+['"]\s*(?:,\s*['"]|\)\s*\?:\s*['"])`,
      String.raw`\bnew\s+\\?(?:PDO|Redis|Predis\\Client|MongoDB\\Client|Memcached|AMQPStreamConnection)\b|->connect\(\s*['"]`,
    ],
  }),
  sourceCode: true,
  scan: scanPhpCode,
});
