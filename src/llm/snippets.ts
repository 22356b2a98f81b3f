/**
 * Snippets for the model stage: the code or config around a keyword hit that a reader
 * needs to understand it — the enclosing function or class for code (found with
 * tree-sitter), the top-level block for YAML, the paragraph for key=value formats — not a
 * blind ±10 lines. Overlapping snippets of one file are merged.
 */
import { parseSource, type Language, type SyntaxNode } from '../code/parsers.js';

export interface SnippetRange {
  /** 1-based, inclusive. */
  startLine: number;
  endLine: number;
}

const ENCLOSING: Record<Language, string[]> = {
  python: ['function_definition', 'class_definition'],
  java: ['method_declaration', 'constructor_declaration', 'class_declaration', 'interface_declaration'],
  javascript: ['function_declaration', 'method_definition', 'arrow_function', 'function_expression', 'class_declaration'],
  typescript: ['function_declaration', 'method_definition', 'arrow_function', 'function_expression', 'class_declaration'],
  tsx: ['function_declaration', 'method_definition', 'arrow_function', 'function_expression', 'class_declaration'],
  go: ['function_declaration', 'method_declaration', 'func_literal'],
  csharp: ['method_declaration', 'constructor_declaration', 'local_function_statement', 'lambda_expression', 'class_declaration', 'record_declaration'],
  kotlin: ['function_declaration', 'anonymous_function', 'class_declaration', 'object_declaration'],
  ruby: ['method', 'singleton_method', 'do_block', 'block', 'class', 'module'],
  php: ['method_declaration', 'function_definition', 'anonymous_function', 'arrow_function', 'class_declaration'],
  rust: ['function_item', 'closure_expression', 'impl_item', 'macro_invocation'],
};

export function languageOf(path: string): Language | null {
  if (/\.py$/.test(path)) return 'python';
  if (/\.java$/.test(path)) return 'java';
  if (/\.go$/.test(path)) return 'go';
  if (/\.cs$/.test(path)) return 'csharp';
  if (/\.kts?$/.test(path)) return 'kotlin';
  if (/\.(rb|rake)$/.test(path)) return 'ruby';
  if (/\.php$/.test(path) && !/\.blade\.php$/.test(path)) return 'php';
  if (/\.rs$/.test(path)) return 'rust';
  if (/\.tsx$/.test(path)) return 'tsx';
  if (/\.[mc]?ts$/.test(path)) return 'typescript';
  if (/\.[mc]?jsx?$/.test(path)) return 'javascript';
  return null;
}

function codeRange(root: SyntaxNode, language: Language, line: number, lineText: string, maxLines: number): SnippetRange {
  const row = line - 1;
  // The first visible character of the line: a point inside the statement, not the whole line's span.
  const column = Math.max(0, lineText.search(/\S/));
  let node: SyntaxNode | null = root.descendantForPosition({ row, column });
  let statement: SyntaxNode | null = null;
  // Smallest enclosing function that is not too long; else the top-level statement holding the line.
  while (node && node.parent) {
    if (ENCLOSING[language].includes(node.type) && node.endPosition.row - node.startPosition.row + 1 <= maxLines) {
      return { startLine: node.startPosition.row + 1, endLine: node.endPosition.row + 1 };
    }
    if (node.parent === root || node.parent.type === 'program' || node.parent.type === 'module' || node.parent.type === 'source_file' || node.parent.type === 'compilation_unit') statement = node;
    node = node.parent;
  }
  if (statement && statement.endPosition.row - statement.startPosition.row + 1 <= maxLines) {
    return { startLine: statement.startPosition.row + 1, endLine: statement.endPosition.row + 1 };
  }
  // No function or statement small enough: a few lines either side, as a reader would glance at.
  return { startLine: Math.max(1, line - 6), endLine: line + 6 };
}

/** YAML: from the top-level key above the hit to the next top-level key. */
function yamlRange(lines: string[], line: number): SnippetRange {
  let start = line;
  while (start > 1 && !/^\S/.test(lines[start - 1] ?? '')) start--;
  let end = line;
  while (end < lines.length && !/^\S/.test(lines[end] ?? '')) end++;
  return { startLine: start, endLine: end };
}

/** key=value formats: the paragraph (lines between blank lines) holding the hit. */
function paragraphRange(lines: string[], line: number): SnippetRange {
  let start = line;
  while (start > 1 && (lines[start - 2] ?? '').trim() !== '') start--;
  let end = line;
  while (end < lines.length && (lines[end] ?? '').trim() !== '') end++;
  return { startLine: start, endLine: end };
}

/**
 * Code no parser here reads (Kotlin, C#, PHP…): the innermost `{ … }` block holding the
 * hit, found by counting braces, if it is not too long; else the paragraph. Braces inside
 * strings can mislead the count; the cost is a larger or smaller snippet, not a wrong value.
 */
function braceRange(lines: string[], line: number, maxLines: number): SnippetRange {
  let depth = 0;
  let start = -1;
  for (let i = line - 1; i >= 0 && line - i <= maxLines; i--) {
    const text = lines[i]!;
    for (let j = text.length - 1; j >= 0; j--) {
      if (text[j] === '}' && i !== line - 1) depth++;
      else if (text[j] === '{') {
        if (depth === 0) { start = i; break; }
        depth--;
      }
    }
    if (start >= 0) break;
  }
  if (start < 0) return paragraphRange(lines, line);
  depth = 0;
  for (let i = start; i < lines.length && i - start < maxLines; i++) {
    for (const ch of lines[i]!) {
      if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) return { startLine: start + 1, endLine: i + 1 };
    }
  }
  return paragraphRange(lines, line);
}

/** Source files read without a parser, whose blocks are braces. */
const BRACE_CODE = /\.(kt|kts|scala|groovy|gradle|cs|php|rs|swift|c|cc|cpp|h|hpp|tf)$/i;

/** Ranges around the given 1-based hit lines, merged where they overlap or touch. */
export function snippetRanges(path: string, text: string, hitLines: number[], maxLines = 50): SnippetRange[] {
  if (hitLines.length === 0) return [];
  const lines = text.split('\n');
  const language = languageOf(path);
  const root = language ? parseSource(language, text).rootNode : null;
  const ranges = [...new Set(hitLines)].sort((a, b) => a - b).map((line) =>
    root && language ? codeRange(root, language, line, lines[line - 1] ?? '', maxLines)
      : /\.ya?ml$/i.test(path) ? yamlRange(lines, line)
        : BRACE_CODE.test(path) ? braceRange(lines, line, maxLines)
          : paragraphRange(lines, line));
  const merged: SnippetRange[] = [];
  for (const r of ranges.map((x) => ({ startLine: Math.max(1, x.startLine), endLine: Math.min(lines.length, x.endLine) })).sort((a, b) => a.startLine - b.startLine)) {
    const last = merged[merged.length - 1];
    if (last && r.startLine <= last.endLine + 1) last.endLine = Math.max(last.endLine, r.endLine);
    else merged.push({ ...r });
  }
  return merged;
}
