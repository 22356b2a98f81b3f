/**
 * RustCodeScanner (tree-sitter-rust): Rust services.
 *   const RELAY: &str = "https://push.example.net";              → RELAY, propagated to its uses
 *   env::var("CLICKHOUSE_HOST").unwrap_or("127.0.0.1".to_string()) → ${CLICKHOUSE_HOST:127.0.0.1}
 *   ClickhouseConfig { host: …, port: … }                         → settings ClickhouseConfig@12.{host,port}
 *   client.get(format!("https://api.github.com/repos/{repo}"))   → the call's url
 *   ClientConfig::new().set("bootstrap.servers", "k1:9092"), HashMap::from([("bootstrap.servers", "…")]) → bootstrap.servers
 *   make_config! { push_relay_uri: String, false, def, "https://…".to_owned(); } → push_relay_uri
 * Struct literals become settings under their type, so the shared interpreter reads `host`, `port`, `url` as it
 * reads config keys; string conversions (`.to_string()`, `.into()`, `String::from`) are the string they convert.
 */
import { callSettings, ConstantTable, endpointArgument, environmentLookup, interpretCode, settingOf, type CallArgument } from '../src/code/constants.js';
import { codeGate } from '../src/code/gate.js';
import { parseSource, type SyntaxNode } from '../src/code/parsers.js';
import { defineScanner, type ScanOutput, type SourceFile, type Setting } from '../src/scanner.js';

/** Methods that hand back the value they are called on, as far as an address is concerned. */
const PASS_THROUGH = new Set(['to_string', 'to_owned', 'into', 'clone', 'as_str', 'as_ref', 'parse', 'unwrap', 'expect', 'to_lowercase', 'trim', 'ok']);
/** Constructors from a string (`String::from("…")`, `Url::parse("…")`), the string itself. */
const FROM_STRING = /^(String|PathBuf|Url|url::Url|Uri)::(from|parse|new)$/;
/** Reads of one environment variable: std's `env::var`, dotenvy's and the older dotenv's `var`. */
const ENV_READ = /^(std::)?env::var(_os)?$|^(dotenvy?)::var$/;
/** A project's helper that reads a variable with a default: `get_env_var`, `env_or`, `get_env_or_default`, `env_var_or`. */
const ENV_HELPER = /^(\w+::)*(get_?env(_var)?(_or(_default)?)?|env_or(_default)?|env_var_or(_default)?|var_or(_default)?)$/;
/** Fallbacks of an `Option`/`Result`: the value when the variable is unset. */
const FALLBACKS = new Set(['unwrap_or', 'unwrap_or_else']);
/** Macros whose first argument is a message or a template, never an address on its own. */
const TEMPLATE_MACROS = new Set(['format', 'println', 'print', 'eprintln', 'eprint', 'write', 'writeln', 'panic', 'format_args', 'info', 'warn', 'error', 'debug', 'trace', 'assert', 'assert_eq', 'assert_ne', 'debug_assert', 'todo', 'unimplemented', 'unreachable', 'concat', 'include_str', 'include_bytes', 'env', 'option_env', 'json', 'vec', 'matches', 'cfg', 'sqlx', 'query']);
/** Macros that log: their arguments are messages. */
const LOG_MACROS = /^(println|print|eprintln|eprint|write|writeln|panic|info|warn|error|debug|trace|assert\w*|debug_assert\w*|todo|unimplemented|unreachable)$/;

function stringOf(node: SyntaxNode): string {
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'string_content') out += c.text;
    else if (c.type === 'escape_sequence') out += c.text === '\\n' ? '\n' : c.text === '\\t' ? '\t' : c.text.length === 2 ? c.text[1] : '';
  }
  return out;
}

/** A call's function as written without generics: `reqwest::get`, `client.get`, `get_json_api` (of `get_json_api::<T>`). */
function calleeOf(call: SyntaxNode): SyntaxNode | null {
  const fn = call.childForFieldName('function');
  return fn?.type === 'generic_function' ? fn.childForFieldName('function') : fn;
}

/** `env::var("X")`, read to the name; null for other calls. */
function environmentName(node: SyntaxNode, consts: ConstantTable): string | null {
  if (node.type !== 'call_expression') return null;
  const fn = calleeOf(node)?.text.replace(/\s+/g, '') ?? '';
  if (!ENV_READ.test(fn)) return null;
  const arg = node.childForFieldName('arguments')?.namedChildren[0];
  return arg ? evaluate(arg, consts) : null;
}

/**
 * `format!("https://{}/api/{id}", host)`: the template with each placeholder given its argument's value, or the
 * unresolved `${name}` (an inline `{id}` names its variable).
 */
function formatted(tree: SyntaxNode, consts: ConstantTable): string | null {
  const parts = tree.namedChildren;
  const template = parts[0];
  if (!template || template.type !== 'string_literal') return null;
  // The arguments after the template, split at top-level commas: `host`, `config.port`, `name = value`.
  const args: SyntaxNode[][] = [];
  for (const child of tree.children.slice(2, -1)) {
    if (child.type === ',') args.push([]);
    else (args[args.length - 1] ?? args[args.push([]) - 1]!).push(child);
  }
  const values = args.filter((a) => a.length > 0).map((a) => ({ value: a.length === 1 ? evaluate(a[0]!, consts) : null, text: a.map((n) => n.text).join('') }));
  let next = 0;
  return stringOf(template).replace(/\{\{|\}\}|\{([A-Za-z_][\w.]*|\d*)(?::[^}]*)?\}/g, (whole, name: string | undefined) => {
    if (whole === '{{') return '{';
    if (whole === '}}') return '}';
    if (name && !/^\d+$/.test(name)) return consts.get(name) ?? `\${${name}}`;
    const arg = values[name ? Number(name) : next++];
    return arg?.value ?? `\${${arg?.text ?? '?'}}`;
  });
}

export function evaluate(node: SyntaxNode, consts: ConstantTable): string | null {
  switch (node.type) {
    case 'string_literal': case 'raw_string_literal':
      return stringOf(node);
    case 'integer_literal': case 'boolean_literal':
      return node.text.replace(/_?(u8|u16|u32|u64|usize|i32|i64)$/, '');
    case 'identifier':
      return consts.get(node.text) ?? null;
    case 'scoped_identifier': case 'field_expression': {
      // `config::DEFAULT_URL`, `Self::BASE`, `self.base_url`: a constant of this file by its last name.
      const name = node.childForFieldName('name') ?? node.childForFieldName('field');
      return name ? consts.get(name.text) ?? null : null;
    }
    case 'parenthesized_expression': case 'reference_expression': case 'try_expression': case 'await_expression':
      return node.namedChildren[0] ? evaluate(node.namedChildren[node.namedChildren.length - 1]!, consts) : null;
    case 'macro_invocation': {
      const name = node.childForFieldName('macro')?.text;
      const tree = node.namedChildren.find((c) => c.type === 'token_tree');
      return name === 'format' && tree ? formatted(tree, consts) : null;
    }
    case 'call_expression': {
      const fn = calleeOf(node);
      const args = node.childForFieldName('arguments')?.namedChildren ?? [];
      const variable = environmentName(node, consts);
      if (variable !== null) return environmentLookup(variable);
      // A project's own reader with its default (`get_env_var("SMTP_HOST", "smtp.gmail.com")`, `env_or("X", "d")`), as
      // Go's `getEnv("X", "d")` is read.
      if (ENV_HELPER.test(fn?.text.replace(/\s+/g, '') ?? '') && args.length === 2) {
        const name = evaluate(args[0]!, consts);
        if (name) return environmentLookup(name, evaluate(args[1]!, consts));
      }
      if (fn?.type === 'field_expression') {
        const method = fn.childForFieldName('field')?.text ?? '';
        const receiver = fn.childForFieldName('value');
        if (!receiver) return null;
        if (FALLBACKS.has(method)) {
          // `env::var("X").unwrap_or("d".into())`, `.unwrap_or_else(|_| "d".to_string())`, through `.ok()` and `.map(…)`.
          let lookup: SyntaxNode | null = receiver;
          while (lookup?.type === 'call_expression' && environmentName(lookup, consts) === null) {
            const inner = calleeOf(lookup);
            lookup = inner?.type === 'field_expression' ? inner.childForFieldName('value') : null;
          }
          const name = lookup ? environmentName(lookup, consts) : null;
          const given = args[0]?.type === 'closure_expression' ? args[0].childForFieldName('body') : args[0];
          const fallback = given ? evaluate(given, consts) : null;
          if (name !== null) return environmentLookup(name, fallback);
          return evaluate(receiver, consts) ?? fallback;
        }
        return PASS_THROUGH.has(method) && args.length === 0 ? evaluate(receiver, consts) : null;
      }
      if (fn && FROM_STRING.test(fn.text.replace(/\s+/g, '')) && args[0]) return evaluate(args[0], consts);
      return null;
    }
    default:
      return null;
  }
}

/** A struct literal's fields as settings under `path`; nested literals under their field's name. */
function addStruct(out: Setting[], path: string[], node: SyntaxNode, consts: ConstantTable): void {
  for (const field of node.childForFieldName('body')?.namedChildren ?? []) {
    if (field.type === 'shorthand_field_initializer') {
      const name = field.namedChildren[0]?.text;
      if (name) out.push({ path: [...path, name], value: consts.get(name) ?? `\${${name}}`, line: field.startPosition.row + 1 });
      continue;
    }
    if (field.type !== 'field_initializer') continue;
    const name = field.childForFieldName('field')?.text;
    const value = field.childForFieldName('value');
    if (!name || !value) continue;
    if (value.type === 'struct_expression') {
      addStruct(out, [...path, name], value, consts);
      continue;
    }
    const tracked = consts.track(() => evaluate(value, consts));
    if (tracked.value !== null) out.push(settingOf([...path, name], { ...tracked, value: tracked.value }, value.startPosition.row + 1));
    else if (value.type === 'identifier') out.push({ path: [...path, name], value: `\${${value.text}}`, line: value.startPosition.row + 1 });
  }
}

/** The type a struct literal builds, without its module path or generics: `ClickhouseConfig`, `Options`. */
function structName(node: SyntaxNode): string {
  const name = node.childForFieldName('name');
  const text = (name?.type === 'generic_type' ? name.childForFieldName('type') : name)?.text ?? 'struct';
  return text.split('::').pop()!;
}

/**
 * Fields of a config-declaring macro's body, one a line (`push_relay_uri: String, false, def, "https://…".to_owned();`):
 * a line that opens with `name:` and holds a string literal gives that name the literal, its declared default.
 */
function macroFields(tree: SyntaxNode, out: Setting[]): void {
  const children = tree.children.filter((c) => c.type !== 'line_comment' && c.type !== 'block_comment');
  for (let i = 0; i + 1 < children.length; i++) {
    const name = children[i]!;
    const previous = children[i - 1];
    // The line's first token: after a separator, or the first of its row.
    const opensLine = !previous || ['{', '(', '[', ';', ','].includes(previous.type) || previous.endPosition.row < name.startPosition.row;
    if (name.type !== 'identifier' || children[i + 1]!.type !== ':' || !opensLine) continue;
    const row = name.startPosition.row;
    for (let j = i + 2; j < children.length && children[j]!.startPosition.row === row && children[j]!.type !== ';'; j++) {
      // The literal itself, or one inside a call on the line (`|c| format!("sqlite://{}", …)`).
      const token = children[j]!;
      const literal = token.type === 'token_tree' ? token.descendantsOfType(['string_literal', 'raw_string_literal'])[0] : token;
      if (!literal || (literal.type !== 'string_literal' && literal.type !== 'raw_string_literal')) continue;
      out.push({ path: [name.text], value: stringOf(literal), line: row + 1 });
      break;
    }
  }
}

/** `#[cfg(test)]`, `#[test]`, `#[tokio::test]`, `#[sqlx::test(…)]`, spaces removed. */
const TEST_ATTRIBUTE = /^#\[(cfg\(test\)|(\w+::)*test(\(.*\))?)\]$/;

/**
 * Rows of a file's tests: `#[cfg(test)] mod tests { … }` and functions marked `#[test]` or `#[tokio::test]`. Rust keeps
 * unit tests beside the code, so the path does not say what a test's literals are. An item's attributes are the
 * attribute items written just before it: each parent's children are walked once.
 */
function testRows(root: SyntaxNode): Array<[number, number]> {
  const rows: Array<[number, number]> = [];
  const parents = new Set<string>();
  for (const item of root.descendantsOfType(['mod_item', 'function_item'])) {
    const parent = item.parent;
    const key = parent ? `${parent.type}:${parent.startIndex}:${parent.endIndex}` : '';
    if (!parent || parents.has(key)) continue;
    parents.add(key);
    let marked = false;
    for (const child of parent.namedChildren) {
      if (child.type === 'attribute_item') {
        marked ||= TEST_ATTRIBUTE.test(child.text.replace(/\s+/g, ''));
        continue;
      }
      if (marked && (child.type === 'mod_item' || child.type === 'function_item')) rows.push([child.startPosition.row, child.endPosition.row]);
      marked = false;
    }
  }
  return rows;
}

/**
 * A struct's field defaults written as attributes, the smart-default crate's `#[default("postgres://…")]` (Lemmy's
 * settings): the field's value when the config file leaves it out, a setting under the struct's name at the
 * attribute's line; a `vec![…]` of strings is a list.
 */
function fieldDefaults(list: SyntaxNode, out: Setting[]): void {
  const owner = list.parent?.childForFieldName('name')?.text ?? 'struct';
  let pending: { values: string[]; line: number } | null = null;
  for (const child of list.namedChildren) {
    if (child.type === 'attribute_item') {
      const attribute = child.namedChildren[0];
      if (attribute?.namedChildren[0]?.text !== 'default') continue;
      const tree = attribute.namedChildren.find((c) => c.type === 'token_tree');
      const values = (tree?.descendantsOfType(['string_literal', 'raw_string_literal']) ?? []).map(stringOf);
      pending = values.length > 0 ? { values, line: child.startPosition.row + 1 } : null;
    } else if (child.type === 'field_declaration') {
      const name = child.childForFieldName('name')?.text;
      if (pending && name) out.push({ path: [owner, name], value: pending.values.join(','), line: pending.line });
      pending = null;
    }
  }
}

export function scanRustCode(file: SourceFile): ScanOutput {
  const root = parseSource('rust', file.text).rootNode;
  const consts = new ConstantTable();
  const declared = new Map<Setting, string>();
  const settings: Setting[] = [];
  const tests = testRows(root);
  const inTest = (node: SyntaxNode) => tests.some(([from, to]) => node.startPosition.row >= from && node.startPosition.row <= to);
  const bind = (name: string, value: SyntaxNode) => {
    const tracked = consts.track(() => evaluate(value, consts));
    consts.define(name, tracked.value, tracked.origin ?? value.startPosition.row + 1);
    // In a test, a literal bound to a name is data for the code under test (`let path = "s3://bucket/key"`); the
    // test's own connections come from the environment (`env::var("CLICKHOUSE_HOST").unwrap_or(…)`) or a client's config.
    if (tracked.value === null || (inTest(value) && !tracked.value.includes('${'))) return;
    const setting = settingOf([name], { ...tracked, value: tracked.value }, value.startPosition.row + 1);
    settings.push(setting);
    declared.set(setting, name);
  };
  for (const list of root.descendantsOfType('field_declaration_list')) fieldDefaults(list, settings);
  for (const node of root.descendantsOfType(['const_item', 'static_item', 'let_declaration', 'struct_expression', 'call_expression', 'macro_invocation', 'tuple_expression'])) {
    if (node.type === 'const_item' || node.type === 'static_item' || node.type === 'let_declaration') {
      const name = node.childForFieldName(node.type === 'let_declaration' ? 'pattern' : 'name');
      const value = node.childForFieldName('value');
      if (name?.type === 'identifier' && value && value.type !== 'struct_expression') bind(name.text, value);
      continue;
    }
    if (node.type === 'struct_expression') {
      // Nested literals are read under their field; a literal given to a call or bound to a name, under its type.
      if (node.parent?.type !== 'field_initializer') addStruct(settings, [`${structName(node)}@${node.startPosition.row + 1}`], node, consts);
      continue;
    }
    if (node.type === 'tuple_expression') {
      // `HashMap::from([("bootstrap.servers", "127.0.0.1:9092")])`, `vec![("host", "…")]`: a key and its value.
      const [key, value] = node.namedChildren;
      const name = node.namedChildren.length === 2 && key && value ? evaluate(key, consts) : null;
      if (name && /^[A-Za-z_][\w.-]*$/.test(name) && value) {
        const tracked = consts.track(() => evaluate(value, consts));
        if (tracked.value !== null) settings.push(settingOf([name], { ...tracked, value: tracked.value }, value.startPosition.row + 1));
      }
      continue;
    }
    if (node.type === 'macro_invocation') {
      const name = node.childForFieldName('macro')?.text.split('::').pop() ?? '';
      const tree = node.namedChildren.find((c) => c.type === 'token_tree');
      // Groups nest (`make_config! { push { push_relay_uri: … } }`): each group's lines are read alike.
      if (tree && !TEMPLATE_MACROS.has(name) && !LOG_MACROS.test(name)) for (const group of [tree, ...tree.descendantsOfType('token_tree')]) macroFields(group, settings);
      continue;
    }
    const fn = calleeOf(node);
    const calleeText = fn?.text.replace(/\s+/g, '') ?? '';
    if (!calleeText || ENV_READ.test(calleeText) || ENV_HELPER.test(calleeText)) continue;
    const last = (fn?.type === 'field_expression' ? fn.childForFieldName('field')?.text : calleeText.split('::').pop()) ?? '';
    const args = node.childForFieldName('arguments')?.namedChildren ?? [];
    if ((last === 'set' || last === 'insert') && args.length === 2) {
      // rdkafka's `ClientConfig::new().set("bootstrap.servers", brokers)`, a map's `insert("host", …)`: a key and its value.
      const key = evaluate(args[0]!, consts);
      const tracked = consts.track(() => evaluate(args[1]!, consts));
      if (key && /^[A-Za-z_][\w.-]*$/.test(key) && tracked.value !== null) settings.push(settingOf([key], { ...tracked, value: tracked.value }, args[1]!.startPosition.row + 1));
      continue;
    }
    if (PASS_THROUGH.has(last) || FALLBACKS.has(last) || FROM_STRING.test(calleeText)) continue;
    const site = [`${calleeText}@${node.startPosition.row + 1}`];
    settings.push(...callSettings(site, [], args.map((arg): CallArgument => ({
      keyed: arg.type === 'struct_expression',
      settingsAt: () => [],
      scalar: () => consts.track(() => evaluate(arg, consts)),
      line: arg.startPosition.row + 1,
    })), { urlFirst: endpointArgument(last) }));
  }
  return interpretCode(file, settings, consts, declared);
}

export const GATE = codeGate({
  quotes: '"', assign: '[:=(]',
  extra: [String.raw`env::var|dotenvy?::var|ClientConfig|HashMap::from`],
});

export default defineScanner({
  id: 'rust-code',
  description: 'Rust code: env::var fallbacks, struct literals of client configs, HTTP calls with literal URLs, config macros (tree-sitter)',
  files: ['*.rs'],
  excludeFiles: ['**/target/**', '**/vendor/**'],
  keywords: /env::var|dotenv|[a-z+]+:\/\/|ClientConfig|bootstrap\.servers|[Pp]assword|[Ss]ecret|[Hh]ost|[Uu]rl|[Uu]ri/,
  gate: GATE,
  sourceCode: true,
  scan: scanRustCode,
});
