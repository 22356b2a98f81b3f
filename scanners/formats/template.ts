/**
 * Templated config and code, read before it is rendered: Jinja (cookiecutter and copier project templates, Ansible
 * `.j2`, Salt), Go templates (Helm charts, consul-template) and ERB (Rails' config YAML). Such a file is not YAML or Python until a tool fills
 * it in, yet the hosts and credentials it will hold are written in it, often once per alternative
 * (`{% if use_docker %}postgres{% else %}localhost{% endif %}`).
 *
 * A template becomes a few plain texts with the same lines: control tags are removed (a line that held only a tag
 * is left blank), comments are blanked, and an expression `{{ cookiecutter.project_slug }}` becomes the lookup
 * `${cookiecutter.project_slug}`, which every scanner already treats as a value nobody resolved. Which branch a
 * renderer takes is unknown, so three readings are offered: every branch kept (all of an `elif` chain's
 * alternatives, which code reassigns harmlessly), the first branch of each block, and the last (the `else`). The
 * caller scans each and keeps the union; a YAML mapping that only parses with one branch still gets read.
 */

/** Go template actions that are control flow, at the start of an action's text. */
const GO_CONTROL = /^(else\s+if|if|else|end|range|with|define|block|template|include)\b/;

interface Tag {
  start: number;
  end: number;
  /** Lines of the tag's first and last characters (1-based), to tell a block within one line. */
  startLine: number;
  endLine: number;
  /** `if`, `elif`, `else`, `endif`, `for`, `endfor`… or `expr` for `{{ … }}`, `comment`, `stmt`, `raw`, `endraw`. */
  word: string;
  body: string;
}

/** Tags that open a block (`{% set x %}…{% endset %}` too; `{% set x = 1 %}` is a statement). */
const OPENERS = new Set(['if', 'for', 'range', 'with', 'macro', 'block', 'define', 'call', 'filter', 'set']);
const MIDDLES = new Set(['elif', 'else', 'else if']);
const CLOSERS: Record<string, string> = { '#': '#}', '%': '%}', '{': '}}' };

/**
 * The tags of a text, in order: `{# … #}`, `{% … %}` and `{{ … }}` (not GitHub's `${{ … }}`), each ending at the first
 * closing delimiter after it. Linear in the text, whatever it holds: a tag's closer is looked for once, and an opener
 * whose closer is nowhere after it means no later opener of its kind closes either (a regex with a lazy body was
 * quadratic on a file of openers that never close: 300 KB took 25 s).
 */
/** The line of each position asked for in increasing order, counted once through the text. */
function forwardLines(text: string): (position: number) => number {
  let line = 1;
  let counted = 0;
  return (position) => {
    for (; counted < position; counted++) if (text.charCodeAt(counted) === 10) line++;
    return line;
  };
}

function* tagsIn(text: string): Generator<Tag> {
  const unclosed = new Set<string>();
  let raw = false;
  const lineAt = forwardLines(text);
  for (let i = text.indexOf('{'); i >= 0 && i + 1 < text.length; i = text.indexOf('{', i)) {
    const kind = text[i + 1]!;
    const closer = CLOSERS[kind];
    if (closer === undefined || unclosed.has(kind) || (kind === '{' && text[i - 1] === '$')) {
      i += 1;
      continue;
    }
    const close = text.indexOf(closer, i + 2);
    if (close < 0) {
      unclosed.add(kind);
      i += 2;
      continue;
    }
    const start = i;
    const end = close + 2;
    const body = text.slice(i + 2, close).replace(/^-/, '').replace(/-$/, '').trim();
    i = end;
    if (kind === '#') {
      if (!raw) yield { start, end, startLine: lineAt(start), endLine: lineAt(end), word: 'comment', body: '' };
      continue;
    }
    if (kind === '%') {
      const word = /^[a-z]+/.exec(body)?.[0] ?? '';
      if (raw && word !== 'endraw') continue;
      raw = word === 'raw';
      yield { start, end, startLine: lineAt(start), endLine: lineAt(end), word: word === 'set' && body.includes('=') ? 'stmt' : word, body };
      continue;
    }
    if (raw) continue;
    const control = GO_CONTROL.exec(body)?.[1]?.replace(/\s+/, ' ');
    const word = control === undefined ? 'expr' : control === 'template' || control === 'include' ? 'stmt' : control;
    yield { start, end, startLine: lineAt(start), endLine: lineAt(end), word, body };
  }
}

/** ERB's control words as the block words above: `unless`/`case` open like `if`, `when` is another branch. */
const ERB_WORDS: Record<string, string> = { if: 'if', unless: 'if', case: 'if', while: 'if', until: 'if', elsif: 'elif', when: 'elif', else: 'else', end: 'endif' };

/**
 * ERB's control tags (Rails' `database.yml`, `storage.yml`, `cable.yml`): `<% if … %>`, `<% elsif … %>`, `<% else %>`,
 * `<% end %>`, a block `<% list.each do |x| %>`, a comment `<%# … %>`. Output tags (`<%= ENV.fetch("X", "d") %>`) are
 * left in the text: the value readers resolve them as lookups. Linear as `tagsIn` is: no closer after a tag's
 * opener means none after any later opener.
 */
function* erbTagsIn(text: string): Generator<Tag> {
  const lineAt = forwardLines(text);
  for (let i = text.indexOf('<%'); i >= 0; i = text.indexOf('<%', i)) {
    const close = text.indexOf('%>', i + 2);
    if (close < 0) return;
    const start = i;
    const end = close + 2;
    const marker = text[i + 2];
    i = end;
    if (marker === '=' || marker === '%') continue;
    const body = text.slice(start + (marker === '#' || marker === '-' ? 3 : 2), close).replace(/-$/, '').trim();
    const word = marker === '#' ? 'comment' : ERB_WORDS[/^[a-z]+/.exec(body)?.[0] ?? ''] ?? (/\bdo(\s*\|[^|]*\|)?$/.test(body) ? 'for' : 'stmt');
    yield { start, end, startLine: lineAt(start), endLine: lineAt(end), word, body };
  }
}

/** Whether a text holds ERB control tags (not only output tags, which read as values). */
function hasErbControl(text: string): boolean {
  return text.includes('<%') && /<%(?![=%])/.test(text);
}

/**
 * A template is a file with Jinja block tags, Go control actions (`{{- if … }}`, `{{ end }}`) or ERB control tags
 * (`<% if … %>`).
 */
export function isTemplate(text: string): boolean {
  if (hasErbControl(text)) return [...erbTagsIn(text)].some((t) => t.word !== 'comment');
  if (!text.includes('{%') && !text.includes('{{')) return false;
  for (const t of tagsIn(text)) {
    const kind = text[t.start + 1];
    if (kind === '%' || (kind === '{' && t.word !== 'expr')) return true;
  }
  return false;
}

/** Whether a tag ends the block its opener began (Jinja `endif`/`endfor`…, Go `end`); `endraw` only ends verbatim text. */
function closes(word: string): boolean {
  return word.startsWith('end') && word !== 'endraw';
}

/** Only the newlines of `text`, so that every line keeps its number. */
function blank(text: string): string {
  return text.replace(/[^\n]/g, '');
}

/** A lookup every scanner knows to be unresolved, named after the expression's first dotted name. */
function lookupFor(expression: string): string {
  const name = /[A-Za-z_][\w.]*/.exec(expression.replace(/^\./, ''))?.[0] ?? 'template';
  return '${' + name + '}';
}

/** Each block opener's number of branches, and the openers whose block sits within one line. */
interface BlockShape {
  branches: Map<number, number>;
  /**
   * A block within one line (`"{% if docker %}postgres{% else %}localhost{% endif %}"`) is one value's alternatives:
   * kept together they would make a new value, so even the every-branch reading takes one of them.
   */
  inline: Set<number>;
}

function blockShape(tags: readonly Tag[]): BlockShape {
  const shape: BlockShape = { branches: new Map(), inline: new Set() };
  const stack: number[] = [];
  tags.forEach((t, i) => {
    if (OPENERS.has(t.word)) {
      stack.push(i);
      shape.branches.set(i, 1);
    } else if (MIDDLES.has(t.word) && stack.length > 0) {
      const top = stack[stack.length - 1]!;
      shape.branches.set(top, shape.branches.get(top)! + 1);
    } else if (closes(t.word)) {
      const opener = stack.pop();
      if (opener !== undefined && tags[opener]!.startLine === t.endLine) shape.inline.add(opener);
    }
  });
  return shape;
}

/** Which branch of each block a reading keeps: every one, the first, the last, or the n-th (none where a block has fewer). */
type Choice = 'all' | 'first' | 'last' | number;

function render(text: string, tags: readonly Tag[], shape: BlockShape, choice: Choice): string {
  // Each block on a stack: the branch being emitted, and whether this reading emits it; `hidden` counts the frames
  // that do not, so a piece is visible when it is 0.
  interface Frame { branch: number; branches: number; oneLine: boolean; emitting: boolean }
  const stack: Frame[] = [];
  let hidden = 0;
  const emits = (branch: number, branches: number, oneLine: boolean) =>
    typeof choice === 'number' ? branch === choice
      : (choice === 'all' && !oneLine) || (choice === 'last' ? branch === branches - 1 : branch === 0);
  const out: string[] = [];
  let at = 0;
  const copy = (upTo: number) => {
    const piece = text.slice(at, upTo);
    out.push(hidden === 0 ? piece : blank(piece));
    at = upTo;
  };
  tags.forEach((t, i) => {
    copy(t.start);
    const whole = text.slice(t.start, t.end);
    if (t.word === 'expr') {
      out.push(hidden === 0 ? lookupFor(t.body) + blank(whole) : blank(whole));
    } else {
      out.push(blank(whole));
      if (OPENERS.has(t.word)) {
        const branches = shape.branches.get(i) ?? 1;
        const frame = { branch: 0, branches, oneLine: shape.inline.has(i), emitting: emits(0, branches, shape.inline.has(i)) };
        stack.push(frame);
        if (!frame.emitting) hidden++;
      } else if (MIDDLES.has(t.word) && stack.length > 0) {
        const f = stack[stack.length - 1]!;
        if (!f.emitting) hidden--;
        f.branch += 1;
        f.emitting = emits(f.branch, f.branches, f.oneLine);
        if (!f.emitting) hidden++;
      } else if (closes(t.word)) {
        const f = stack.pop();
        if (f && !f.emitting) hidden--;
      }
    }
    at = t.end;
  });
  copy(text.length);
  return out.join('');
}

/**
 * The plain readings of a template (see above), each with the template's line count; identical readings once.
 * A block with no `else` contributes nothing to the last reading, as a renderer whose condition is false would.
 */
export function untemplate(text: string): string[] {
  const erb = hasErbControl(text);
  const tags = erb ? [...erbTagsIn(text)] : [...tagsIn(text)];
  const shape = blockShape(tags);
  // ERB in Rails' YAML chooses between whole alternatives of one mapping (`<% if ENV['DATABASE_HOST'] %>` host
  // and port `<% elsif … %>` SQLite `<% else %>` a URL): kept together they would make one mixed datasource, so
  // each is read alone, the n-th branch of every block in the n-th reading (at most 8). The widest block is found
  // by a loop: a file may hold hundreds of thousands of blocks, more than a call's arguments can carry.
  let widest = 1;
  for (const branches of shape.branches.values()) widest = Math.max(widest, branches);
  const choices: Choice[] = erb ? Array.from({ length: Math.min(8, widest) }, (_, n) => n) : ['all', 'first', 'last'];
  const readings = choices.map((choice) => render(text, tags, shape, choice));
  return [...new Set(readings)];
}
