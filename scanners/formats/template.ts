/**
 * Templated config and code, read before it is rendered: Jinja (cookiecutter and copier project templates, Ansible
 * `.j2`, Salt) and Go templates (Helm charts, consul-template). Such a file is not YAML or Python until a tool fills
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

/** A block tag `{% … %}` (Jinja), or a Go template action that is control flow. */
const JINJA_BLOCK = /\{%-?[\s\S]*?-?%\}/;
const GO_CONTROL = /\{\{-?\s*(?:if|else|else\s+if|end|range|with|define|block|template|include)\b[\s\S]*?-?\}\}/;

/** A template is a file with Jinja block tags, or with Go control actions (`{{- if … }}`, `{{ end }}`). */
export function isTemplate(text: string): boolean {
  return (text.includes('{%') && JINJA_BLOCK.test(text)) || (text.includes('{{') && GO_CONTROL.test(text));
}

interface Tag {
  start: number;
  end: number;
  /** `if`, `elif`, `else`, `endif`, `for`, `endfor`… or `expr` for `{{ … }}`, `comment`, `raw`, `endraw`. */
  word: string;
  body: string;
}

/** Tags that open a block (`{% set x %}…{% endset %}` too; `{% set x = 1 %}` is a statement). */
const OPENERS = new Set(['if', 'for', 'range', 'with', 'macro', 'block', 'define', 'call', 'filter', 'set']);
const MIDDLES = new Set(['elif', 'else', 'else if']);

function tagsOf(text: string): Tag[] {
  const tags: Tag[] = [];
  // Bounded by construction: each alternative ends at the first closing delimiter after its opening one.
  const re = /\{#[\s\S]*?#\}|\{%-?\s*([\s\S]*?)\s*-?%\}|(?<!\$)\{\{-?\s*([\s\S]*?)\s*-?\}\}/g;
  let raw = false;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (m[0].startsWith('{#')) {
      if (!raw) tags.push({ start, end, word: 'comment', body: '' });
      continue;
    }
    if (m[1] !== undefined) {
      const word = /^[a-z]+/.exec(m[1])?.[0] ?? '';
      if (raw && word !== 'endraw') continue;
      raw = word === 'raw';
      tags.push({ start, end, word: word === 'set' && /=/.test(m[1]) ? 'stmt' : word, body: m[1] });
      continue;
    }
    if (raw) continue;
    const body = m[2] ?? '';
    const control = /^(else\s+if|if|else|end|range|with|define|block|template|include)\b/.exec(body)?.[1]?.replace(/\s+/, ' ');
    tags.push({ start, end, word: control === undefined ? 'expr' : control === 'template' || control === 'include' ? 'stmt' : control, body });
  }
  return tags;
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

type Choice = 'all' | 'first' | 'last';

function render(text: string, tags: readonly Tag[], choice: Choice): string {
  // Each block on a stack: the branch being emitted, and whether this reading emits it.
  interface Frame { branch: number; branches: number; oneLine: boolean; emitting: boolean }
  const branchCounts = new Map<number, number>();
  // A block within one line (`"{% if docker %}postgres{% else %}localhost{% endif %}"`) is one value's alternatives:
  // kept together they would make a new value, so even the every-branch reading takes one of them.
  const inline = new Set<number>();
  {
    const stack: number[] = [];
    tags.forEach((t, i) => {
      if (OPENERS.has(t.word)) {
        stack.push(i);
        branchCounts.set(i, 1);
      } else if (MIDDLES.has(t.word) && stack.length > 0) {
        const top = stack[stack.length - 1]!;
        branchCounts.set(top, branchCounts.get(top)! + 1);
      } else if (closes(t.word)) {
        const opener = stack.pop();
        if (opener !== undefined && !text.slice(tags[opener]!.start, t.end).includes('\n')) inline.add(opener);
      }
    });
  }
  const stack: Frame[] = [];
  const visible = () => stack.every((f) => f.emitting);
  const emits = (branch: number, branches: number, oneLine: boolean) =>
    (choice === 'all' && !oneLine) || (choice === 'last' ? branch === branches - 1 : branch === 0);
  let out = '';
  let at = 0;
  const copy = (upTo: number) => {
    const piece = text.slice(at, upTo);
    out += visible() ? piece : blank(piece);
    at = upTo;
  };
  tags.forEach((t, i) => {
    copy(t.start);
    const whole = text.slice(t.start, t.end);
    if (t.word === 'expr') {
      out += visible() ? lookupFor(t.body) + blank(whole) : blank(whole);
    } else {
      out += blank(whole);
      if (OPENERS.has(t.word)) {
        const branches = branchCounts.get(i) ?? 1;
        stack.push({ branch: 0, branches, oneLine: inline.has(i), emitting: emits(0, branches, inline.has(i)) });
      } else if (MIDDLES.has(t.word) && stack.length > 0) {
        const f = stack[stack.length - 1]!;
        f.branch += 1;
        f.emitting = emits(f.branch, f.branches, f.oneLine);
      } else if (closes(t.word)) {
        stack.pop();
      }
    }
    at = t.end;
  });
  copy(text.length);
  return out;
}

/**
 * The plain readings of a template (see above), each with the template's line count; identical readings once.
 * A block with no `else` contributes nothing to the last reading, as a renderer whose condition is false would.
 */
export function untemplate(text: string): string[] {
  const tags = tagsOf(text);
  const readings = (['all', 'first', 'last'] as const).map((choice) => render(text, tags, choice));
  return [...new Set(readings)];
}
