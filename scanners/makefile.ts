/**
 * MakefileScanner: a Makefile read as the shell it runs. GNU make's manual gives it two kinds of line that say where
 * things are: variable assignments (`ZEUS_URL ?= https://api.example.io`, `DB := postgres://…`, `export X = …`) and
 * recipe lines, the tab-indented shell commands a target runs (`\tSIGNOZ_DSN=tcp://127.0.0.1:9000 go run ./cmd`).
 * Both are lowered to a shell script of the same lines — an assignment to `NAME="value"`, a recipe to its command
 * without make's `@`/`-`/`+` prefixes, make's `$(NAME)` to the shell's `${NAME}` and `$$` to `$` — and read by the
 * shell-script scanner, so variables, environments, clients and requests mean what they mean in a script. Rules,
 * directives and `define` blocks become empty lines: line numbers are the Makefile's.
 */
import { defineScanner, type ScanOutput, type SourceFile } from '../src/scanner.js';
import { readShellScript } from './shell-script.js';

/** `NAME = v`, `NAME := v`, `NAME ::= v`, `NAME ?= v`, `NAME != cmd`, with `export`/`override` before it. */
const ASSIGNMENT = /^(?:(?:export|override)\s+)*([A-Za-z_][A-Za-z0-9_]*)\s*(\?=|!=|:{1,3}=|=)\s*(.*)$/;

/** make's references to a variable (`$(NAME)`, `${NAME}`) as the shell writes them, and `$$` as one `$`. */
function shellReferences(text: string): string {
  return text.replace(/\$\$|\$[({]([A-Za-z_][A-Za-z0-9_]*)[)}]/g, (_whole, name: string | undefined) => (name === undefined ? '$' : `\${${name}}`));
}

/** The Makefile as a shell script of the same lines. */
export function makefileAsShell(text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  let inRecipe = false;
  let inDefine = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (inDefine) {
      if (/^\s*endef\b/.test(line)) inDefine = false;
      out.push('');
      continue;
    }
    if (line.startsWith('\t') && inRecipe) {
      out.push(shellReferences(line.slice(1).replace(/^[@+-]+/, '')));
      continue;
    }
    if (/^\s*define\b/.test(line)) {
      inDefine = true;
      out.push('');
      continue;
    }
    const assignment = ASSIGNMENT.exec(line);
    if (assignment && !/^\s/.test(line)) {
      inRecipe = false;
      // A value continued over lines is joined onto the first; the lines it took stay empty. Parts are joined once:
      // growing one string per line (a hostile file of a million `\` lines) would cost the square of its length.
      const parts = [assignment[3]!];
      let extra = 0;
      while (parts[parts.length - 1]!.endsWith('\\') && i + extra + 1 < lines.length) {
        extra++;
        parts[parts.length - 1] = parts[parts.length - 1]!.slice(0, -1).trimEnd();
        parts.push(lines[i + extra]!.trim());
      }
      const value = parts.join(' ');
      // `!=` runs a command, and a value with a make function (`$(shell …)`, `$(wildcard …)`) is computed.
      const computed = assignment[2] === '!=' || /\$[({][a-z]+\s/.test(value);
      out.push(computed ? '' : `${assignment[1]}="${shellReferences(value.replace(/\s+#.*$/, '').trim()).replace(/["\\`]/g, '\\$&')}"`);
      for (let k = 0; k < extra; k++) out.push('');
      i += extra;
      continue;
    }
    // A rule (`build: deps`, `run: ## help`) starts a recipe; anything else (directives, comments) ends one.
    inRecipe = /^[^\t#=][^=]*:(?!=)/.test(line) || (inRecipe && (line.trim() === '' || line.trimStart().startsWith('#')));
    out.push('');
  }
  return out.join('\n');
}

function scanMakefile(file: SourceFile): ScanOutput {
  return readShellScript({ ...file, text: makefileAsShell(file.text) });
}

export default defineScanner({
  id: 'makefile',
  description: 'Makefiles: variable assignments and recipe lines, read as the shell they run',
  files: ['Makefile', 'makefile', 'GNUmakefile', '*.mk'],
  scope: 'deploy',
  scan: scanMakefile,
});
