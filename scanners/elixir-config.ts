/**
 * ElixirConfigScanner: Mix config files (`config/config.exs`, `dev.exs`, `test.exs`, `prod.exs`, `runtime.exs`).
 * Each `config :app, Module, key: value, …` statement is a keyword list; every key becomes a setting under
 * [app, Module, …the keys it is nested in], at its own line:
 *   config :shop, Shop.Repo, hostname: "localhost", password: "postgres"     → a database, a weak password
 *   url: System.get_env("DATABASE_URL")                                      → ${DATABASE_URL}, used, address unknown
 *   secret_key_base: System.get_env("SECRET_KEY_BASE", "dev-key-…")          → ${SECRET_KEY_BASE:dev-key-…}
 *   redis: [host: "cache", port: 6380]                                       → nested under `redis`
 * An Ecto repository (`MyApp.Repo`, Ecto's naming) is a database whose adapter is declared in code; the settings
 * name it `database`, which takes the repository's engine where it has one. Values that are expressions (a variable,
 * an interpolated string, a function call other than an environment lookup) are left out.
 */
import { profileFromPath } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import { environmentLookup } from '../src/code/constants.js';

const CONFIG_STATEMENT = /^(\s*)config\s+:([a-z_][\w]*)\s*(?:,\s*(.*))?$/;
/** The second argument: a module (`Shop.Repo`) or an atom key (`:logger`). */
const CONFIG_SUBJECT = /^([A-Z][\w.]*|:[a-z_]\w*)\s*(?:,\s*(.*))?$/;
/** An environment lookup, with its default: `System.get_env("X", "d")`, `System.get_env("X") || "d"`, `System.fetch_env!("X")`. */
const ENV_LOOKUP = /^System\.(?:get_env|fetch_env!)\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*(?:,\s*"((?:[^"\\]|\\.)*)"\s*)?\)(?:\s*\|\|\s*"((?:[^"\\]|\\.)*)")?/;

interface Statement {
  indent: number;
  base: string[];
  /** Open brackets since the statement began: the key a keyword list or map is under, or null for any other. */
  open: Array<string | null>;
}

/** A line with its comment removed (a `#` outside a string; `#{…}` inside one is interpolation). */
function withoutComment(line: string): string {
  let quote = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') i++;
    else if (c === '"') quote = !quote;
    else if (c === '#' && !quote) return line.slice(0, i);
  }
  return line;
}

const WORD = /[a-z_]\w*[?!]?/y;
const KEY_END = /:\s+/y;
const STRING = /"((?:[^"\\]|\\.)*)"/y;
const INTEGER = /(-?\d[\d_]*)(?![\w.])/y;
/** Deeper than this, keys are not recorded: config nests a few levels; a generated file may nest thousands. */
const MAX_DEPTH = 16;

/** `re` (sticky) matched at `at` in `text`, without copying the rest of the line. */
function matchAt(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/**
 * Reads the keyword pairs of one line of a statement, pushing a setting per literal value. Each character is looked
 * at a bounded number of times (a word is skipped whole, an unterminated string ends the line), so a long or hostile
 * line costs time in proportion to its length.
 */
function readPairs(text: string, line: number, st: Statement, out: Setting[], heredoc: (path: string[]) => void, bindings: ReadonlyMap<string, Binding>): void {
  let i = 0;
  const path = () => [...st.base, ...st.open.filter((k): k is string => k !== null)];
  const recording = () => st.open.length <= MAX_DEPTH && st.open.every((k) => k !== null);
  while (i < text.length) {
    const c = text[i]!;
    const word = /[a-z_]/.test(c) && (i === 0 || !/\w/.test(text[i - 1]!)) ? matchAt(WORD, text, i) : null;
    if (word) {
      i += word[0].length;
      const colon = matchAt(KEY_END, text, i);
      if (!colon) continue;
      const key = word[0];
      i += colon[0].length;
      if (text.startsWith('"""', i)) {
        if (recording()) heredoc([...path(), key]);
        return;
      }
      // An environment lookup is short; its pattern runs on a bounded window, not the rest of a long line.
      const env = text.startsWith('System.', i) ? ENV_LOOKUP.exec(text.slice(i, i + 400)) : null;
      if (env) {
        const fallback = env[2] ?? env[3];
        if (recording()) out.push({ path: [...path(), key], value: environmentLookup(env[1]!, fallback), line });
        i += env[0].length;
      } else if (text[i] === '"') {
        const str = matchAt(STRING, text, i);
        if (!str) return; // unterminated on this line: nothing after it can be read
        if (recording() && !str[1]!.includes('#{')) out.push({ path: [...path(), key], value: str[1]!.replace(/\\(.)/g, '$1'), line });
        i += str[0].length;
      } else if (text[i] === '[' || text.startsWith('%{', i)) {
        st.open.push(key);
        i += text[i] === '[' ? 1 : 2;
      } else {
        const scalar = matchAt(INTEGER, text, i);
        if (scalar && recording()) out.push({ path: [...path(), key], value: scalar[1]!.replace(/_/g, ''), line });
        // `url: database_url`, bound above: the binding's value, where it is written.
        const name = scalar ? null : matchAt(WORD, text, i);
        const bound = name ? bindings.get(name[0]) : undefined;
        if (bound && recording() && !/^[\w?!]/.test(text[i + name![0].length] ?? '')) out.push({ path: [...path(), key], value: bound.value, line: bound.line });
      }
      continue;
    }
    if (c === '"') {
      const str = matchAt(STRING, text, i);
      if (!str) return;
      i += str[0].length;
    } else if (c === '[' || c === '(' || c === '{') {
      st.open.push(null);
      i++;
    } else if (c === '%' && text[i + 1] === '{') {
      st.open.push(null);
      i += 2;
    } else if (c === ']' || c === ')' || c === '}') {
      st.open.pop();
      i++;
    } else {
      i++;
    }
  }
}

/** A value bound to a name outside a config statement (`database_url = System.get_env("DATABASE_URL") || "ecto://…"`). */
interface Binding {
  value: string;
  line: number;
}

/** `name = <an environment lookup, with its default>` or `name = "literal"`, at a statement's level. */
const BINDING = /^\s*([a-z_]\w*)\s*=\s*(.*)$/;

function bindingValue(expression: string): string | null {
  const text = expression.trim();
  const env = text.startsWith('System.') ? ENV_LOOKUP.exec(text.slice(0, 400)) : null;
  if (env && env[0].length === text.length) return environmentLookup(env[1]!, env[2] ?? env[3]);
  const str = /^"((?:[^"\\]|\\.)*)"$/.exec(text);
  return str && !str[1]!.includes('#{') ? str[1]!.replace(/\\(.)/g, '$1') : null;
}

export function scanElixirConfig(file: SourceFile): ScanOutput {
  const lines = file.text.split('\n');
  const settings: Setting[] = [];
  const bindings = new Map<string, Binding>();
  let st: Statement | null = null;
  let pending: { path: string[]; line: number; body: string[] } | null = null;
  lines.forEach((raw, n) => {
    const line = n + 1;
    if (pending) {
      if (/^\s*"""/.test(raw)) {
        settings.push({ path: pending.path, value: pending.body.map((l) => l.trim()).join('\n'), line: pending.line });
        pending = null;
      } else pending.body.push(raw);
      return;
    }
    const code = withoutComment(raw);
    if (code.trim() === '') return;
    const indent = code.length - code.trimStart().length;
    const open = (path: string[]) => { pending = { path, line, body: [] }; };
    const statement = CONFIG_STATEMENT.exec(code);
    if (statement) {
      st = { indent, base: [statement[2]!], open: [] };
      const subject = CONFIG_SUBJECT.exec(statement[3] ?? '');
      let rest = statement[3] ?? '';
      if (subject) {
        const name = subject[1]!.replace(/^:/, '');
        // Ecto's convention: `MyApp.Repo` (or `MyApp.RepoBase`, `MyApp.ReadOnlyRepo`) is the app's database.
        st.base.push(/Repo(Base)?$/.test(name) ? 'database' : name);
        rest = subject[2] ?? '';
      }
      readPairs(rest, line, st, settings, open, bindings);
      return;
    }
    // A line no deeper than the statement starts something else (`import Config`, `if config_env() == :prod do`, `end`).
    if (st === null || indent <= (st as Statement).indent) {
      st = null;
      const binding = BINDING.exec(code);
      const value = binding ? bindingValue(binding[2]!) : null;
      if (binding && value !== null) bindings.set(binding[1]!, { value, line });
      return;
    }
    readPairs(code, line, st, settings, open, bindings);
  });
  return interpretSettings(settings, { profile: profileFromPath(file.path) });
}

export default defineScanner({
  id: 'elixir-config',
  description: 'Elixir Mix config (config/*.exs): keyword lists of config statements',
  files: ['config/*.exs', '**/config/*.exs'],
  alwaysScan: true,
  scan: scanElixirConfig,
});
