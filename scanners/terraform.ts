/**
 * TerraformScanner: Terraform and OpenTofu configuration (`*.tf`, `*.tfvars`), HCL's native syntax read line by line
 * with a stack of the blocks and objects open, the way the other small formats here are:
 *   variable "redis_host" { default = "10.0.3.4" }                 → setting redis_host
 *   locals { tinybird = { api_url = "https://api.tinybird.co" } }  → setting tinybird.api_url
 *   resource "aws_ecs_task_definition" "api" { … }                 → settings under aws_ecs_task_definition.api
 *   env { name = "DATABASE_URL" value = "postgres://…" }           → setting DATABASE_URL (a name/value pair, as
 *   API_URL = { value = "https://…", sensitive = false }              Kubernetes' `env` is read), and a map entry
 *                                                                     whose object holds only its `value`
 * A string's `${var.x}` interpolation stays an unresolved lookup: a value only the plan knows names no host. Bare
 * expressions (`var.db_host`, `module.db.endpoint`), heredocs (policies, scripts) and comments are not read.
 */
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';

/** One open block or object: its path words and the scalars written directly in it (for name/value pairs). */
interface Frame {
  path: string[];
  scalars: Map<string, { value: string; line: number }>;
  /** A `variable "x" { … }` block: its `default` is the variable's value. */
  variable?: string;
}

const IDENT = String.raw`[A-Za-z_][\w-]*`;
const ATTRIBUTE = new RegExp(String.raw`^(${IDENT}|"[^"]*")\s*=\s*(.*)$`);
const BLOCK = new RegExp(String.raw`^(${IDENT})((?:\s+(?:"[^"]*"|${IDENT}))*)\s*\{\s*$`);
const STRING_LITERAL = /^"((?:[^"\\$]|\\.|\$(?!\{)|\$\{[^{}]*\})*)"\s*,?$/;

/** The line without a trailing `#` or `//` comment, strings kept whole. */
function withoutComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '\\') i++;
    else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '#' || (c === '/' && line[i + 1] === '/'))) return line.slice(0, i);
  }
  return line;
}

/** A HCL string literal's value, `${expr}` kept as a lookup of the expression; null for anything else. */
function stringValue(text: string): string | null {
  const m = STRING_LITERAL.exec(text.trim());
  if (!m) return null;
  return m[1]!.replace(/\\(.)/g, (_all, c: string) => ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c)
    .replace(/\$\{\s*([^{}]*?)\s*\}/g, (_all, expr: string) => `\${${expr.replace(/[^\w.-]/g, '_')}}`);
}

/** `{ a = "x", b = "y" }` on one line: its attributes (the commas or spaces HCL allows between them). */
function inlineObject(text: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const m of text.slice(1, -1).matchAll(new RegExp(String.raw`(${IDENT})\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s}]+)`, 'g'))) {
    const value = stringValue(m[2]!);
    if (value !== null) out.push([m[1]!, value]);
  }
  return out;
}

export function scanTerraform(file: SourceFile): ScanOutput {
  const lines = file.text.split('\n');
  const settings: Setting[] = [];
  const stack: Frame[] = [{ path: [], scalars: new Map() }];
  const emit = (frame: Frame, key: string, value: string, line: number) => {
    if (frame.variable !== undefined && key === 'default') settings.push({ path: [frame.variable], value, line });
    else settings.push({ path: [...frame.path, key], value, line });
  };
  // An object that holds a `value` is one setting: under its `name`/`key` when it has one, else under its own key.
  const close = () => {
    const frame = stack.pop()!;
    const value = frame.scalars.get('value');
    if (!value) {
      // `key`, `name`: what a resource or an entry is called (`tfe_variable`'s `key = "db_password"`), not a value.
      for (const [key, s] of frame.scalars) if (key !== 'key' && key !== 'name') emit(frame, key, s.value, s.line);
      return;
    }
    const name = frame.scalars.get('name') ?? frame.scalars.get('key');
    settings.push({ path: name ? [...frame.path.slice(0, -1), name.value] : frame.path, value: value.value, line: value.line });
  };
  let heredoc: RegExp | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    if (heredoc) {
      if (heredoc.test(raw)) heredoc = null;
      continue;
    }
    const text = withoutComment(raw).trim();
    if (text === '' || text.startsWith('/*') || text.startsWith('*')) continue;
    const marker = /<<-?\s*([A-Za-z_]\w*)\s*$/.exec(text);
    if (marker) {
      heredoc = new RegExp(String.raw`^\s*${marker[1]}\s*$`);
      continue;
    }
    const frame = stack[stack.length - 1]!;
    if (/^[}\]]/.test(text)) {
      for (const c of text.replace(/[^}]/g, '')) if (c === '}' && stack.length > 1) close();
      continue;
    }
    const block = BLOCK.exec(text);
    if (block) {
      const labels = [...block[2]!.matchAll(/"([^"]*)"|([\w-]+)/g)].map((m) => m[1] ?? m[2]!);
      const words = block[1] === 'resource' || block[1] === 'data' || block[1] === 'module' || block[1] === 'provider' ? labels
        : block[1] === 'locals' || block[1] === 'terraform' ? [] : [block[1]!, ...labels];
      stack.push({ path: [...frame.path, ...words], scalars: new Map(), ...(block[1] === 'variable' && labels[0] ? { variable: labels[0] } : {}) });
      continue;
    }
    if (text === '{' || text === '{,') {
      stack.push({ path: frame.path, scalars: new Map() }); // an object element of a list
      continue;
    }
    const attribute = ATTRIBUTE.exec(text);
    if (!attribute) continue;
    const key = attribute[1]!.replace(/^"|"$/g, '');
    const rest = attribute[2]!.trim().replace(/,$/, '');
    if (rest === '{') {
      stack.push({ path: [...frame.path, key], scalars: new Map() });
    } else if (rest.startsWith('{') && rest.endsWith('}')) {
      const inline: Frame = { path: [...frame.path, key], scalars: new Map(inlineObject(rest).map(([k, v]) => [k, { value: v, line: i + 1 }])) };
      stack.push(inline);
      close();
    } else if (rest.startsWith('[')) {
      // A list of strings on one line or over several: its items joined, at the line of its first string.
      let body = rest;
      let at = i;
      while (!body.includes(']') && at + 1 < lines.length && at - i < 200) body += ' ' + withoutComment(lines[++at]!).trim();
      if (!body.includes(']')) continue;
      const items = [...body.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => stringValue(`"${m[1]}"`)).filter((v): v is string => v !== null);
      if (/^\[\s*\{/.test(body) || items.length === 0) continue;
      const first = lines.slice(i, at + 1).findIndex((l) => l.includes('"'));
      emit(frame, key, items.join(','), i + 1 + Math.max(first, 0));
      i = at;
    } else {
      const value = stringValue(rest);
      if (value !== null) frame.scalars.set(key, { value, line: i + 1 });
    }
  }
  while (stack.length > 0) close();
  return interpretSettings(settings, { profile: null });
}

export default defineScanner({
  id: 'terraform',
  description: 'Terraform/OpenTofu configuration (*.tf, *.tfvars): variable defaults, locals, resource attributes, env name/value pairs',
  files: ['*.tf', '*.tfvars'],
  excludeFiles: ['**/.terraform/**'],
  scope: 'deploy',
  scan: scanTerraform,
});
