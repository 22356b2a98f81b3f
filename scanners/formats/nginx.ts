/**
 * nginx's directive syntax (https://nginx.org/en/docs/beginners_guide.html#conf_structure): words separated
 * by whitespace, `;` ending a simple directive, `{ … }` holding a block's directives, `#` starting a comment
 * where a word could start, single or double quotes with backslash escapes. `$var` and `${var}` are kept
 * inside their word (`${var}` is not a block). No maintained JavaScript parser of this syntax exists (the npm
 * packages edit files rather than read text), and this much is all the scanner needs.
 */

export interface NginxWord {
  value: string;
  line: number;
}

export interface NginxDirective {
  name: string;
  args: NginxWord[];
  line: number;
  /** The directives of its `{ … }` block, if it has one. */
  block?: NginxDirective[];
}

function* words(text: string): Generator<NginxWord | { value: ';' | '{' | '}'; line: number; special: true }> {
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') { line++; i++; continue; }
    if (c === ' ' || c === '\t' || c === '\r') { i++; continue; }
    if (c === '#') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === ';' || c === '{' || c === '}') {
      yield { value: c, line, special: true };
      i++;
      continue;
    }
    const start = line;
    let value = '';
    if (c === '"' || c === "'") {
      i++;
      while (i < n && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < n) { value += text[i + 1]; i += 2; continue; }
        if (text[i] === '\n') line++;
        value += text[i++];
      }
      i++;
      yield { value, line: start };
      continue;
    }
    while (i < n) {
      const d = text[i]!;
      if (d === ' ' || d === '\t' || d === '\r' || d === '\n' || d === ';' || d === '{' || d === '}') {
        // `${name}` is a variable, not a block.
        if (d === '{' && value.endsWith('$')) {
          const close = text.indexOf('}', i);
          if (close > 0 && !text.slice(i, close).includes('\n')) {
            value += text.slice(i, close + 1);
            i = close + 1;
            continue;
          }
        }
        break;
      }
      if (d === '\\' && i + 1 < n) { value += text.slice(i, i + 2); i += 2; continue; }
      value += d;
      i++;
    }
    yield { value, line: start };
  }
}

/** The directives of an nginx config file, blocks nested. Lenient: an unclosed block ends at the end of the text. */
export function parseNginx(text: string): NginxDirective[] {
  const root: NginxDirective[] = [];
  const stack: NginxDirective[][] = [root];
  let current: NginxDirective | null = null;
  for (const w of words(text)) {
    const list = stack[stack.length - 1]!;
    if ('special' in w) {
      if (w.value === ';') {
        if (current) list.push(current);
        current = null;
      } else if (w.value === '{') {
        const block: NginxDirective = current ?? { name: '', args: [], line: w.line };
        block.block = [];
        list.push(block);
        stack.push(block.block);
        current = null;
      } else {
        if (current) list.push(current);
        current = null;
        if (stack.length > 1) stack.pop();
      }
      continue;
    }
    if (current) current.args.push(w);
    else current = { name: w.value, args: [], line: w.line };
  }
  if (current) stack[stack.length - 1]!.push(current);
  return root;
}
