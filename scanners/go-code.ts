/**
 * GoCodeScanner (tree-sitter-go): Go services.
 *   const DSN = "app:pw@tcp(10.0.0.5:3306)/orders"; sql.Open("mysql", DSN)   → Go MySQL DSN, propagated
 *   redis.NewClient(&redis.Options{Addr: host, Password: "…"})             → settings redis.Options@9.{Addr,Password}
 *   options.Client().ApplyURI("mongodb://…"), sarama.NewSyncProducer([]string{…}, cfg)
 *   getEnv("REDIS_ADDR", "10.0.0.6:6379"), os.Getenv("X")                  → ${REDIS_ADDR:10.0.0.6:6379}, ${X}
 * Struct literals become settings under their type, so the shared interpreter reads Addr,
 * Password, DB, Brokers like any config keys.
 */
import { callSettings, ConstantTable, evaluatePlus, formatPrintf, endpointArgument, interpretCode, type CallArgument, settingOf, environmentLookup } from '../src/code/constants.js';
import { clientCalls } from '../src/catalog/index.js';
import { parseSource, type SyntaxNode } from '../src/code/parsers.js';
import { defineScanner, type ScanOutput, type SourceFile, type Setting } from '../src/scanner.js';

/** Positional argument names by `pkg.Func` or `Func` (catalog client calls). */
const POSITIONAL = clientCalls('go');
/** Helpers that read an env variable with a fallback: getEnv("X", "d"), GetEnvOrDefault, envOr… */
const ENV_HELPERS = /^(os\.Getenv|os\.LookupEnv|(\w+\.)?[gG]et[eE]nv(OrDefault|WithDefault|Or)?|(\w+\.)?[eE]nvOr(Default)?|(\w+\.)?[gG]etenv)$/;

function stringOf(node: SyntaxNode): string {
  if (node.type === 'raw_string_literal') return node.text.slice(1, -1);
  let out = '';
  for (const c of node.namedChildren) {
    if (c.type === 'interpreted_string_literal_content') out += c.text;
    else if (c.type === 'escape_sequence') out += c.text.length === 2 ? c.text[1] : c.text;
  }
  return out;
}

export function evaluate(node: SyntaxNode, consts: ConstantTable): string | null {
  switch (node.type) {
    case 'interpreted_string_literal': case 'raw_string_literal':
      return stringOf(node);
    case 'int_literal': case 'true': case 'false':
      return node.text;
    case 'identifier':
      return consts.get(node.text) ?? null;
    case 'selector_expression':
      return consts.get(node.childForFieldName('field')?.text ?? '') ?? null;
    case 'parenthesized_expression': case 'literal_element':
      return node.namedChildren[0] ? evaluate(node.namedChildren[0], consts) : null;
    case 'binary_expression':
      return evaluatePlus(node, (n) => evaluate(n, consts));
    case 'composite_literal': {
      // []string{"k1:9092", "k2:9092"}: a list constant, used later as sarama.NewSyncProducer(brokers, …)
      const body = node.childForFieldName('body')?.namedChildren ?? [];
      if (body.length === 0 || body.some((c) => c.type === 'keyed_element')) return null;
      const items = body.map((c) => evaluate(c, consts));
      return items.every((i) => i !== null) ? items.join(',') : null;
    }
    case 'call_expression': {
      const fn = node.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
      const a = node.childForFieldName('arguments')?.namedChildren ?? [];
      // fmt.Sprintf("%s:%s@tcp(%s:%d)/%s", user, pass, host, port, db)
      if (fn === 'fmt.Sprintf' && a[0]) {
        const template = evaluate(a[0], consts);
        if (template === null) return null;
        return formatPrintf(template, a.slice(1).map((n) => ({ value: evaluate(n, consts), text: n.text })), /%[-+# 0]*\d*(?:\.\d+)?[svdqxX]/g);
      }
      if (!ENV_HELPERS.test(fn)) return null;
      const name = a[0] ? evaluate(a[0], consts) : null;
      if (!name) return null;
      const fallback = a[1] ? evaluate(a[1], consts) : null;
      return environmentLookup(name, fallback);
    }
    default:
      return null;
  }
}

/**
 * A string flag's name and default, as the standard `flag` package and spf13/pflag (cobra) declare them:
 * `String(name, value, usage)`, `StringVar(&p, name, value, usage)`, `StringP(name, short, value, usage)`,
 * `StringVarP(&p, name, short, value, usage)`, on `flag`, a FlagSet or `cmd.Flags()`.
 */
function flagDefault(method: string, a: SyntaxNode[]): { name: SyntaxNode; value: SyntaxNode } | null {
  const at: Record<string, [number, number, number]> = { String: [0, 1, 3], StringVar: [1, 2, 4], StringP: [0, 2, 4], StringVarP: [1, 3, 5] };
  const shape = at[method];
  if (!shape || a.length !== shape[2]) return null;
  const isString = (n: SyntaxNode | undefined) => n !== undefined && (n.type === 'interpreted_string_literal' || n.type === 'raw_string_literal');
  const name = a[shape[0]];
  const value = a[shape[1]];
  if (!isString(name) || !value || (method.includes('Var') && a[0]!.type !== 'unary_expression')) return null;
  return { name: name!, value };
}

function addValue(out: Setting[], path: string[], node: SyntaxNode, consts: ConstantTable): void {
  const target = node.type === 'unary_expression' ? node.childForFieldName('operand') ?? node : node;
  if (target.type === 'composite_literal') {
    const type = target.childForFieldName('type')?.text ?? '';
    const body = target.childForFieldName('body');
    const keyed = body?.namedChildren.filter((c) => c.type === 'keyed_element') ?? [];
    if (keyed.length > 0) {
      for (const k of keyed) {
        const key = k.childForFieldName('key')?.text ?? k.namedChildren[0]?.text;
        const value = k.childForFieldName('value') ?? k.namedChildren[1];
        if (key && value) addValue(out, [...path, type, key].filter(Boolean), value.type === 'literal_element' && value.namedChildren[0] ? value.namedChildren[0] : value, consts);
      }
      return;
    }
    // []string{"k1:9092", "k2:9092"}
    const values = (body?.namedChildren ?? []).map((c) => evaluate(c, consts)).filter((v): v is string => v !== null);
    if (values.length > 0) out.push({ path, value: values.join(','), line: target.startPosition.row + 1 });
    return;
  }
  const tracked = consts.track(() => evaluate(target, consts));
  const text = tracked.value ?? (target.type === 'identifier' || target.type === 'selector_expression' ? `\${${target.text.split('.').pop()}}` : null);
  if (text !== null) out.push(settingOf(path, { ...tracked, value: text }, target.startPosition.row + 1));
}

/** A struct literal a function returns (through `&` and a result list): `return &Config{…}`, `return Options{…}, nil`. */
function isReturned(literal: SyntaxNode): boolean {
  let node = literal.parent;
  if (node?.type === 'unary_expression') node = node.parent;
  if (node?.type === 'expression_list') node = node.parent;
  // A map is a table keyed by names (optionDefaults reads it), not a record of fields.
  return node?.type === 'return_statement' && !(literal.childForFieldName('type')?.text ?? '').startsWith('map[')
    && literal.childForFieldName('body')?.namedChildren.some((c) => c.type === 'keyed_element') === true;
}

/** A field of an option's record that holds its default: `Default`, `DefaultValue`, `rawValue`, `Value`. */
const DEFAULT_FIELD = /^(default(value)?|raw(value)?|value)$/i;

/**
 * A table of options keyed by their names, each a record with its default (`"DATABASE_URL": {rawValue: "…", valueType:
 * stringType}`, a program's own settings registry): each default is a setting named by its option.
 */
function optionDefaults(table: SyntaxNode, consts: ConstantTable): Setting[] {
  const out: Setting[] = [];
  for (const element of table.childForFieldName('body')?.namedChildren ?? []) {
    if (element.type !== 'keyed_element') continue;
    const key = element.namedChildren[0]?.namedChildren[0] ?? element.namedChildren[0];
    const record = element.namedChildren[1]?.namedChildren[0] ?? element.namedChildren[1];
    if (!key || !record || (key.type !== 'interpreted_string_literal' && key.type !== 'raw_string_literal') || record.type !== 'literal_value') continue;
    const name = evaluate(key, consts);
    const field = record.namedChildren.find((f) => f.type === 'keyed_element' && DEFAULT_FIELD.test(f.namedChildren[0]?.text ?? ''));
    const valueNode = field?.namedChildren[1]?.namedChildren[0] ?? field?.namedChildren[1];
    if (!name || !valueNode || (valueNode.type !== 'interpreted_string_literal' && valueNode.type !== 'raw_string_literal')) continue;
    const value = evaluate(valueNode, consts);
    if (value) out.push({ path: [name], value, line: valueNode.startPosition.row + 1 });
  }
  return out;
}

export function scanGoCode(file: SourceFile): ScanOutput {
  const root = parseSource('go', file.text).rootNode;
  const consts = new ConstantTable();
  const declared = new Map<Setting, string>();
  const settings: Setting[] = [];
  for (const node of root.descendantsOfType(['const_spec', 'var_spec', 'short_var_declaration', 'assignment_statement', 'call_expression', 'composite_literal'])) {
    if (node.type === 'composite_literal') {
      // golang.org/x/oauth2's `oauth2.Endpoint{AuthURL: "…", TokenURL: "…"}`, wherever it is written (a returned
      // `oauth2.Config`, an argument): the identity provider's endpoints. Other literals are read where assigned.
      if (node.childForFieldName('type')?.text === 'oauth2.Endpoint') addValue(settings, [`oauth2@${node.startPosition.row + 1}`], node, consts);
      // `func NewConfig() *Config { return &Config{TwilioCallsBaseURL: "https://api.twilio.com", …} }`: Go's
      // constructor idiom, the defaults a program's settings start from.
      else if (isReturned(node)) addValue(settings, [], node, consts);
      else settings.push(...optionDefaults(node, consts));
      continue;
    }
    if (node.type !== 'call_expression') {
      const names = node.type === 'const_spec' || node.type === 'var_spec'
        ? node.namedChildren.filter((c) => c.type === 'identifier')
        : node.childForFieldName('left')?.namedChildren ?? [];
      const values = (node.type === 'const_spec' || node.type === 'var_spec'
        ? node.childForFieldName('value')
        : node.childForFieldName('right'))?.namedChildren ?? [];
      names.forEach((n, i) => {
        const v = values[i];
        // `provider.Endpoint = "https://api.openai.com/v1"`: a struct field whose name says address, set to a literal URL.
        if (v && n.type === 'selector_expression' && node.type === 'assignment_statement' && v.type === 'interpreted_string_literal'
          && /(endpoint|url|uri|addr|address|host)$/i.test(n.childForFieldName('field')?.text ?? '') && /^"https?:\/\/[^"\s]+"$/.test(v.text)) {
          addValue(settings, [`${n.text.replace(/\s+/g, '')}@${v.startPosition.row + 1}`], v, consts);
          return;
        }
        if (!v || n.type !== 'identifier' || n.text === '_') return;
        const tracked = consts.track(() => evaluate(v, consts));
        const { value } = tracked;
        consts.define(n.text, value, tracked.origin ?? v.startPosition.row + 1);
        if (value !== null) {
          const setting = settingOf([n.text], { ...tracked, value }, v.startPosition.row + 1);
          settings.push(setting);
          declared.set(setting, n.text);
        } else if (v.type === 'composite_literal' || v.type === 'unary_expression') {
          addValue(settings, [n.text], v, consts);
        }
      });
      continue;
    }
    const fn = node.childForFieldName('function')?.text.replace(/\s+/g, '') ?? '';
    // Formatting and logging calls take templates and messages, not connection strings.
    if (!fn || ENV_HELPERS.test(fn) || /^(fmt|log|slog|zap|logrus|errors)\./.test(fn) || /\.(Printf|Infof|Errorf|Warnf|Debugf|Sprintf)$/.test(fn)) continue;
    const parts = fn.split('.');
    const short = parts.length >= 2 ? `${parts[parts.length - 2]}.${parts[parts.length - 1]}` : fn;
    const last = parts[parts.length - 1]!;
    const args0 = node.childForFieldName('arguments')?.namedChildren ?? [];
    const flag = parts.length >= 2 ? flagDefault(last, args0) : null;
    if (flag) {
      // flag.String("redis-addr", "10.0.0.6:6379", "…"): the default is the address the program runs with unless told
      // otherwise, named by the flag as a config key is.
      const name = evaluate(flag.name, consts);
      const value = consts.track(() => evaluate(flag.value, consts));
      if (name && value.value !== null) settings.push(settingOf([name], { ...value, value: value.value }, flag.value.startPosition.row + 1));
      continue;
    }
    // viper's (and koanf's) `SetDefault("database.url", "postgres://…")`: the value the key has until config sets it.
    if (last === 'SetDefault' && parts.length >= 2 && args0.length === 2) {
      const key = evaluate(args0[0]!, consts);
      const value = consts.track(() => evaluate(args0[1]!, consts));
      if (key && value.value !== null) settings.push(settingOf(key.split('.'), { ...value, value: value.value }, args0[1]!.startPosition.row + 1));
      continue;
    }
    const names = POSITIONAL[short] ?? POSITIONAL[last] ?? [];
    const site = [`${fn}@${node.startPosition.row + 1}`];
    const args = node.childForFieldName('arguments')?.namedChildren ?? [];
    settings.push(...callSettings(site, names, args.map((arg): CallArgument => {
      const inner = arg.type === 'unary_expression' ? arg.childForFieldName('operand') ?? arg : arg;
      return {
        keyed: inner.type === 'composite_literal' && inner.childForFieldName('body')?.namedChildren.some((c) => c.type === 'keyed_element') === true,
        settingsAt: (path) => {
          const out: Setting[] = [];
          addValue(out, path, arg, consts);
          return out;
        },
        scalar: () => consts.track(() => evaluate(arg, consts)),
        line: arg.startPosition.row + 1,
      };
    }), { urlFirst: endpointArgument(last) }));
  }
  return interpretCode(file, settings, consts, declared);
}

export default defineScanner({
  id: 'go-code',
  description: 'Go code: database/sql DSNs, go-redis Options, sarama brokers, mongo ApplyURI, env fallbacks (tree-sitter)',
  files: ['*.go'],
  excludeFiles: ['*_test.go', '**/vendor/**', '*.pb.go'],
  // … or an address-named constant or field given a URL (`defaultEndpoint = "https://…"`, `p.BaseURL = "https://…"`).
  keywords: /SetDefault|sql\.Open|sqlx|gorm|[Dd]ialect|oauth2\.Endpoint|pgx|redis|mongo|sarama|kafka|amqp|nats|zk\.Connect|elastic|mqtt|nacos|Getenv|[Ee]nv\(|@tcp\(|[a-z+]+:\/\/[^\s/"`]*[:@]|[Pp]assword|[Ss]ecret|http\.(Get|Post|NewRequest)|(?:[Ee]ndpoint|U[Rr][LlIi]|[Aa]ddr)\s*[:=]\s*"https?:\/\//,
  sourceCode: true,
  scan: scanGoCode,
});
