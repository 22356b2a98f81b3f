/**
 * YAML documents → settings, with 1-based lines, for every YAML-based scanner.
 * Uses the `yaml` package's AST (not its JS output) so each value keeps its position
 * and comments never become values.
 */
import { isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node } from 'yaml';
import type { Setting } from '../../src/settings.js';

export interface YamlDocument {
  doc: Document.Parsed;
  /** Line of a node, 1-based. */
  line(node: Node | null | undefined): number;
}

export interface ParsedYaml {
  documents: YamlDocument[];
  errors: string[];
}

export function parseYaml(text: string, lineOffset = 0): ParsedYaml {
  const counter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false, strict: false });
  const list = Array.isArray(docs) ? docs : [];
  const errors: string[] = [];
  const documents: YamlDocument[] = [];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0]!;
      const pos = e.linePos?.[0];
      errors.push(`${pos ? `line ${pos.line + lineOffset}: ` : ''}${e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`);
      continue;
    }
    documents.push({ doc, line: (node) => (node?.range ? counter.linePos(node.range[0]).line + lineOffset : 1 + lineOffset) });
  }
  return { documents, errors };
}

export interface FlattenOptions {
  /** Split `a.b.c: x` keys into segments (Spring treats both spellings alike). */
  splitDottedKeys?: boolean;
}

function scalarText(node: Node): string | null {
  if (!isScalar(node)) return null;
  if (node.value === null || node.value === undefined) return '';
  return String(node.value);
}

/** Flattens a YAML node into settings. A list of scalars becomes one comma-joined setting (a host list). */
export function flattenYaml(node: Node | null | undefined, y: YamlDocument, path: string[] = [], opts: FlattenOptions = {}, out: Setting[] = []): Setting[] {
  if (!node) return out;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      const keyText = key && isScalar(key) ? String(key.value) : null;
      if (keyText === null) continue;
      const segments = opts.splitDottedKeys ? keyText.split('.') : [keyText];
      const value = pair.value as Node | null;
      if (value === null || (isScalar(value) && (value.value === null || value.value === undefined))) {
        out.push({ path: [...path, ...segments], value: '', line: y.line(key) });
      } else {
        flattenYaml(value, y, [...path, ...segments], opts, out);
      }
    }
  } else if (isSeq(node)) {
    const items = node.items as Node[];
    if (items.every((i) => isScalar(i))) {
      if (items.length > 0) out.push({ path, value: items.map((i) => scalarText(i) ?? '').join(','), line: y.line(items[0]) });
    } else {
      items.forEach((item, i) => flattenYaml(item, y, [...path, String(i)], opts, out));
    }
  } else {
    const text = scalarText(node);
    if (text !== null) out.push({ path, value: text, line: y.line(node) });
  }
  return out;
}

/** Reads a path of keys from a parsed document as plain JS (for descriptors such as `kind:` or `image:`). */
export function getIn(node: unknown, path: Array<string | number>): unknown {
  let cur: unknown = node;
  for (const key of path) {
    if (isMap(cur)) cur = cur.get(key, true);
    else if (isSeq(cur) && typeof key === 'number') cur = cur.items[key];
    else return undefined;
  }
  return cur;
}

export function scalarAt(node: unknown, path: Array<string | number>): string | null {
  const v = getIn(node, path);
  return isScalar(v) && v.value !== null && v.value !== undefined ? String(v.value) : null;
}
