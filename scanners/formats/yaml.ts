/**
 * YAML documents → settings, with 1-based lines, for every YAML-based scanner.
 * Uses the `yaml` package's AST (not its JS output) so each value keeps its position
 * and comments never become values.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, visit, type Alias, type Document, type Node, type YAMLMap } from 'yaml';
import type { Setting } from '../../src/scanner.js';

export interface YamlDocument {
  doc: Document.Parsed;
  /** Line of a node, 1-based. */
  line(node: Node | null | undefined): number;
  /** The node an alias names (the last anchor of that name before it), from an index built once per document. */
  target(alias: Alias): Node | null;
}

/**
 * How many nodes aliases may add to a document once expanded. Real files share a block or two
 * (`<<: *defaults`); a few hundred bytes of nested aliases expand to billions (the "billion
 * laughs"), and every consumer here walks the expanded tree. Such a document is refused.
 */
export const ALIAS_EXPANSION_LIMIT = 100_000;

/**
 * Each alias's target, in one walk: the `yaml` package's own `Alias.resolve` walks the whole
 * document on every call, which makes many aliases quadratic.
 */
function aliasTargets(doc: Document.Parsed): Map<Alias, Node> {
  const targets = new Map<Alias, Node>();
  const anchors = new Map<string, Node>();
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        const t = anchors.get(node.source);
        if (t) targets.set(node, t);
      } else if (node.anchor) {
        anchors.set(node.anchor, node);
      }
    },
  });
  return targets;
}

/** Nodes added by expanding aliases, or Infinity past the limit or on a cycle (`&a [*a]`). */
function aliasGrowth(doc: Document.Parsed, targets: Map<Alias, Node>): number {
  if (targets.size === 0) return 0;
  const size = new Map<unknown, number>();
  const open = new Set<unknown>();
  let plain = 0;
  const measure = (node: unknown, viaAlias: boolean): number => {
    if (node === null || node === undefined) return 0;
    const known = size.get(node);
    if (known !== undefined && viaAlias) return known;
    if (open.has(node)) return Infinity;
    open.add(node);
    let n = 1;
    if (isAlias(node)) n = measure(targets.get(node), true);
    else if (isMap(node) || isSeq(node)) {
      for (const item of node.items as unknown[]) {
        n += isPair(item) ? measure(item.key, viaAlias) + measure(item.value, viaAlias) : measure(item, viaAlias);
        if (n > ALIAS_EXPANSION_LIMIT * 2) break;
      }
    }
    open.delete(node);
    if (!viaAlias && !isAlias(node)) plain++;
    size.set(node, n);
    return n;
  };
  const total = measure(doc.contents, false);
  return total === Infinity ? Infinity : total - plain;
}

export interface ParsedYaml {
  documents: YamlDocument[];
  errors: string[];
}

/**
 * Maven resource filtering writes `name: @artifactId@` into YAML that Maven rewrites
 * before Spring reads it; as written it is invalid YAML (`@` cannot start a plain
 * scalar). Quoting such tokens keeps every line where it was.
 */
export function quoteMavenTokens(text: string): string {
  if (!text.includes('@')) return text;
  return text.replace(/^(\s*(?:-\s+)?(?:[^#\s'"][^#:]*:\s+)?)(@[A-Za-z][\w.-]*@)(\s*(?:#.*)?)$/gm, '$1"$2"$3');
}

/**
 * Runs `fn` with no stack captured for the errors it creates: the `yaml` package reports each problem as an
 * Error, a Helm template or a broken file makes dozens, and capturing their stacks was 15 % of YAML time on
 * real repositories. Only messages and positions are kept from them.
 */
function withoutStackTraces<T>(fn: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

export function parseYaml(rawText: string, lineOffset = 0): ParsedYaml {
  const text = quoteMavenTokens(rawText);
  const counter = new LineCounter();
  // `merge` keeps YAML 1.1 merge keys (`<<: *defaults`), which compose files use for shared environment blocks.
  const docs = withoutStackTraces(() => parseAllDocuments(text, { lineCounter: counter, uniqueKeys: false, strict: false, merge: true }));
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
    const targets = text.includes('*') ? aliasTargets(doc) : new Map<Alias, Node>();
    if (aliasGrowth(doc, targets) > ALIAS_EXPANSION_LIMIT) {
      const pos = doc.range ? counter.linePos(doc.range[0]).line + lineOffset : 1 + lineOffset;
      errors.push(`line ${pos}: aliases expand to more than ${ALIAS_EXPANSION_LIMIT} nodes (or refer to themselves); document left out`);
      continue;
    }
    documents.push({
      doc,
      line: (node) => (node?.range ? counter.linePos(node.range[0]).line + lineOffset : 1 + lineOffset),
      target: (alias) => targets.get(alias) ?? null,
    });
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

/** Follows an alias (`*name`) to its anchored node. */
export function resolveAlias(node: unknown, y: YamlDocument): Node | null {
  let cur = node;
  for (let i = 0; i < 10 && isAlias(cur); i++) cur = y.target(cur);
  return (cur ?? null) as Node | null;
}

function isMergeKey(key: unknown): boolean {
  return isScalar(key) && (typeof key.value === 'symbol' || key.value === '<<');
}

/**
 * The key/value pairs of a map with merge keys applied: `<<: [*a, *b]` contributes the
 * pairs of a and b, and keys written in the map itself win, as YAML 1.1 specifies.
 */
export function mapPairs(map: YAMLMap, y: YamlDocument, depth = 0): Array<{ key: Node; value: Node | null }> {
  const own: Array<{ key: Node; value: Node | null }> = [];
  const merged: Array<{ key: Node; value: Node | null }> = [];
  for (const pair of map.items) {
    if (isMergeKey(pair.key)) {
      if (depth > 5) continue;
      const target = resolveAlias(pair.value, y);
      const sources = isSeq(target) ? (target.items as Node[]).map((i) => resolveAlias(i, y)) : [target];
      for (const source of sources) if (isMap(source)) merged.push(...mapPairs(source, y, depth + 1));
      continue;
    }
    own.push({ key: pair.key as Node, value: resolveAlias(pair.value, y) });
  }
  const ownKeys = new Set(own.map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  return [...own, ...merged.filter((p) => !(isScalar(p.key) && ownKeys.has(String(p.key.value))))];
}

/** Flattens a YAML node into settings. A list of scalars becomes one comma-joined setting (a host list). */
export function flattenYaml(node: Node | null | undefined, y: YamlDocument, path: string[] = [], opts: FlattenOptions = {}, out: Setting[] = []): Setting[] {
  node = resolveAlias(node, y);
  if (!node) return out;
  if (isMap(node)) {
    // A settings schema (a plugin's `props: { endpoint: { type: String, default: 'https://…' } }`, JSON Schema
    // written in YAML): the default is the value the setting runs with when no one sets it, a setting of its own name.
    const typed = node.items.some((p) => isScalar(p.key) && p.key.value === 'type' && isScalar(p.value));
    const fallback = typed ? node.items.find((p) => isScalar(p.key) && p.key.value === 'default') : undefined;
    if (fallback && path.length > 0 && isScalar(fallback.value)) {
      const text = scalarText(fallback.value);
      if (text !== null && text !== '') out.push({ path, value: text, line: y.line(fallback.value) });
    }
    for (const pair of mapPairs(node, y)) {
      const key = pair.key as Node | null;
      const keyText = key && isScalar(key) ? String(key.value) : null;
      if (keyText === null) continue;
      const segments = opts.splitDottedKeys ? keyText.split('.') : [keyText];
      const value = pair.value;
      if (value === null || (isScalar(value) && (value.value === null || value.value === undefined))) {
        out.push({ path: [...path, ...segments], value: '', line: y.line(key) });
      } else {
        flattenYaml(value, y, [...path, ...segments], opts, out);
      }
    }
  } else if (isSeq(node)) {
    const items = (node.items as Node[]).map((i) => resolveAlias(i, y)).filter((i): i is Node => i !== null);
    if (items.every((i) => isScalar(i))) {
      const lines = items.map((i) => y.line(i));
      if (items.length > 0) out.push({ path, value: items.map((i) => scalarText(i) ?? '').join(','), line: lines[0]!, ...(new Set(lines).size > 1 ? { itemLines: lines } : {}) });
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

/**
 * `getIn` through merge keys and aliases: a compose service's `image:` or `environment:` written once in an
 * `x-defaults: &defaults` block and merged with `<<: *defaults`.
 */
export function getInMerged(node: unknown, path: readonly string[], y: YamlDocument): Node | undefined {
  let cur = resolveAlias(node as Node, y) ?? undefined;
  for (const key of path) {
    if (!isMap(cur)) return undefined;
    cur = mapPairs(cur, y).find((p) => isScalar(p.key) && String(p.key.value) === key)?.value ?? undefined;
  }
  return cur;
}

export function scalarAt(node: unknown, path: Array<string | number>): string | null {
  const v = getIn(node, path);
  return isScalar(v) && v.value !== null && v.value !== undefined ? String(v.value) : null;
}
