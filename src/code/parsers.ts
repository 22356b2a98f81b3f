/**
 * tree-sitter parsers, created once per language and reused (a Parser is cheap to keep,
 * expensive to create). Grammars are loaded lazily, so a scan with no code pays nothing.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type Parser from 'tree-sitter';
import { copyTree, type SyntaxTree } from './syntax-tree.js';

const require = createRequire(import.meta.url);

export type Language = 'python' | 'java' | 'javascript' | 'typescript' | 'tsx' | 'go' | 'csharp' | 'kotlin' | 'ruby' | 'php' | 'rust';

const GRAMMARS: Record<Language, () => unknown> = {
  python: () => require('tree-sitter-python'),
  java: () => require('tree-sitter-java'),
  javascript: () => require('tree-sitter-javascript'),
  typescript: () => (require('tree-sitter-typescript') as { typescript: unknown }).typescript,
  tsx: () => (require('tree-sitter-typescript') as { tsx: unknown }).tsx,
  go: () => require('tree-sitter-go'),
  // tree-sitter-c-sharp's entry is an ES module with a top-level await, which require() refuses; its native
  // binding is loaded the way that entry does it, with node-gyp-build (prebuilt, or built at install).
  csharp: () => (require('node-gyp-build') as (dir: string) => unknown)(path.dirname(require.resolve('tree-sitter-c-sharp/package.json'))),
  // The tree-sitter-grammars organisation's maintained Kotlin grammar: a CommonJS entry over prebuilt binaries.
  kotlin: () => require('@tree-sitter-grammars/tree-sitter-kotlin'),
  // Prebuilt binaries; its peer range names an older tree-sitter, so the package's `overrides` pin it to ours.
  ruby: () => require('tree-sitter-ruby'),
  // The grammar for PHP files with their `<?php` tags (the package also has one for bare PHP).
  php: () => (require('tree-sitter-php') as { php: unknown }).php,
  // Prebuilt binaries; pinned to our tree-sitter by the package's `overrides`, as Ruby's is.
  rust: () => require('tree-sitter-rust'),
};

const parsers = new Map<Language, Parser>();

export function parserFor(language: Language): Parser {
  let parser = parsers.get(language);
  if (!parser) {
    const ParserClass = require('tree-sitter') as typeof Parser;
    parser = new ParserClass();
    parser.setLanguage(GRAMMARS[language]() as Parser.Language);
    parsers.set(language, parser);
  }
  return parser;
}

export type { SyntaxNode, SyntaxTree } from './syntax-tree.js';

/** tree-sitter's own tree of source text; it needs an explicit buffer for texts over 32 KiB. */
export function parseTree(language: Language, text: string): Parser.Tree {
  return parserFor(language).parse(text, undefined, { bufferSize: Math.max(32 * 1024, text.length * 2 + 1024) });
}

/** Parses source text into a copied tree, which the rules read (./syntax-tree.ts says why). */
export function parseSource(language: Language, text: string): SyntaxTree {
  return copyTree(parseTree(language, text), text, language);
}
