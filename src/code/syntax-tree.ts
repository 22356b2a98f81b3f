/**
 * A tree-sitter tree copied into typed arrays by one cursor walk, read through node objects with the
 * subset of tree-sitter's `SyntaxNode` interface the code scanners use.
 *
 * Why: in tree-sitter's Node binding every read that returns a node (`childForFieldName`, `namedChildren`,
 * `parent`) is a native call that looks up or creates a JavaScript object for the node, about 2 µs each. The
 * scanners make about a million of them on a real tree (the Python scanner alone: 330,000 field reads,
 * 116,000 child lists, 97,000 parent reads on 397 files), more time than the parse itself. A cursor walk
 * costs a few number-returning calls per node (about 0.15 µs each); after it every read is plain JavaScript.
 * The copy holds no reference to the native tree, so its finalizer can free it as soon as the walk ends (the engine
 * pauses for finalizers every few files).
 */
import type Parser from 'tree-sitter';
import { lineStarts, rowAt } from '../text.js';

/** What the scanners read of a node. Positions are 0-based rows and UTF-16 columns, as tree-sitter gives them for a string. */
export interface SyntaxNode {
  readonly type: string;
  readonly text: string;
  readonly isNamed: boolean;
  readonly startIndex: number;
  readonly endIndex: number;
  readonly startPosition: Point;
  readonly endPosition: Point;
  readonly parent: SyntaxNode | null;
  readonly children: SyntaxNode[];
  readonly namedChildren: SyntaxNode[];
  childForFieldName(field: string): SyntaxNode | null;
  childrenForFieldName(field: string): SyntaxNode[];
  /** The node and its descendants of the given types, in document order. */
  descendantsOfType(types: string | readonly string[]): SyntaxNode[];
  /** The smallest node that contains the point. */
  descendantForPosition(point: Point): SyntaxNode;
}

export interface Point {
  row: number;
  column: number;
}

export interface SyntaxTree {
  readonly rootNode: SyntaxNode;
}

/** Names of a grammar's node types and fields by id, filled in as the walks meet them (one native read per id). */
interface GrammarNames {
  types: string[];
  named: boolean[];
  fields: string[];
  fieldIds: Map<string, number>;
}

const grammarNames = new Map<string, GrammarNames>();

function namesOf(language: string): GrammarNames {
  let names = grammarNames.get(language);
  if (!names) {
    names = { types: [], named: [], fields: [], fieldIds: new Map() };
    grammarNames.set(language, names);
  }
  return names;
}

const NONE = -1;

/** Copies a parsed tree. Node i is the i-th in document order, so a subtree is the index range [i, end[i]). */
export function copyTree(tree: Parser.Tree, text: string, grammar: string): SyntaxTree {
  const names = namesOf(grammar);
  const cursor = tree.walk();
  let capacity = 1024;
  let type = new Uint16Array(capacity);
  let field = new Uint16Array(capacity);
  let start = new Uint32Array(capacity);
  let end = new Uint32Array(capacity);
  let parent = new Int32Array(capacity);
  let subtreeEnd = new Uint32Array(capacity);
  let nextSibling = new Int32Array(capacity);
  const grow = () => {
    capacity *= 2;
    const widen = <T extends Uint16Array | Uint32Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(capacity);
      b.set(a);
      return b;
    };
    [type, field, start, end, subtreeEnd] = [widen(type), widen(field), widen(start), widen(end), widen(subtreeEnd)];
    [parent, nextSibling] = [widen(parent), widen(nextSibling)];
  };
  const open: number[] = []; // the path from the root to the current node
  let previous = NONE; // the last node closed at the current depth: its next sibling is the next node opened there
  let count = 0;
  for (;;) {
    if (count === capacity) grow();
    const i = count++;
    const typeId = cursor.nodeTypeId;
    if (names.types[typeId] === undefined) {
      names.types[typeId] = cursor.nodeType;
      names.named[typeId] = cursor.nodeIsNamed;
    }
    const fieldId = cursor.currentFieldId;
    if (fieldId !== 0 && names.fields[fieldId] === undefined) {
      names.fields[fieldId] = cursor.currentFieldName;
      names.fieldIds.set(cursor.currentFieldName, fieldId);
    }
    type[i] = typeId;
    field[i] = fieldId;
    start[i] = cursor.startIndex;
    end[i] = cursor.endIndex;
    parent[i] = open.length > 0 ? open[open.length - 1]! : NONE;
    nextSibling[i] = NONE;
    if (previous !== NONE) nextSibling[previous] = i;
    if (cursor.gotoFirstChild()) {
      open.push(i);
      previous = NONE;
      continue;
    }
    subtreeEnd[i] = count;
    previous = i;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return new FlatTree(text, names, { type, field, start, end, parent, subtreeEnd, nextSibling });
      previous = open.pop()!;
      subtreeEnd[previous] = count;
    }
  }
}

interface Columns {
  type: Uint16Array;
  field: Uint16Array;
  start: Uint32Array;
  end: Uint32Array;
  parent: Int32Array;
  subtreeEnd: Uint32Array;
  nextSibling: Int32Array;
}

class FlatTree implements SyntaxTree {
  private readonly nodes: Array<FlatNode | undefined> = [];
  private lineStartsCache: number[] | null = null;

  constructor(readonly text: string, readonly names: GrammarNames, readonly columns: Columns) {}

  get rootNode(): SyntaxNode {
    return this.node(0);
  }

  node(i: number): FlatNode {
    return (this.nodes[i] ??= new FlatNode(this, i));
  }

  nodeOrNull(i: number): FlatNode | null {
    return i === NONE ? null : this.node(i);
  }

  point(index: number): Point {
    const starts = this.starts();
    const row = rowAt(starts, index);
    return { row, column: index - starts[row]! };
  }

  index(point: Point): number {
    return (this.starts()[point.row] ?? this.text.length) + point.column;
  }

  private starts(): number[] {
    return (this.lineStartsCache ??= lineStarts(this.text));
  }
}

class FlatNode implements SyntaxNode {
  constructor(private readonly tree: FlatTree, private readonly i: number) {}

  get type(): string {
    return this.tree.names.types[this.tree.columns.type[this.i]!]!;
  }

  get isNamed(): boolean {
    return this.tree.names.named[this.tree.columns.type[this.i]!]!;
  }

  get startIndex(): number {
    return this.tree.columns.start[this.i]!;
  }

  get endIndex(): number {
    return this.tree.columns.end[this.i]!;
  }

  get text(): string {
    return this.tree.text.substring(this.startIndex, this.endIndex);
  }

  get startPosition(): Point {
    return this.tree.point(this.startIndex);
  }

  get endPosition(): Point {
    return this.tree.point(this.endIndex);
  }

  get parent(): SyntaxNode | null {
    return this.tree.nodeOrNull(this.tree.columns.parent[this.i]!);
  }

  get children(): SyntaxNode[] {
    const out: SyntaxNode[] = [];
    for (let c = this.firstChildIndex(); c !== NONE; c = this.tree.columns.nextSibling[c]!) out.push(this.tree.node(c));
    return out;
  }

  get namedChildren(): SyntaxNode[] {
    const { names, columns } = this.tree;
    const out: SyntaxNode[] = [];
    for (let c = this.firstChildIndex(); c !== NONE; c = columns.nextSibling[c]!) if (names.named[columns.type[c]!]) out.push(this.tree.node(c));
    return out;
  }

  childForFieldName(name: string): SyntaxNode | null {
    const id = this.tree.names.fieldIds.get(name);
    if (id === undefined) return null;
    const { columns } = this.tree;
    for (let c = this.firstChildIndex(); c !== NONE; c = columns.nextSibling[c]!) if (columns.field[c] === id) return this.tree.node(c);
    return null;
  }

  childrenForFieldName(name: string): SyntaxNode[] {
    const id = this.tree.names.fieldIds.get(name);
    const out: SyntaxNode[] = [];
    if (id === undefined) return out;
    const { columns } = this.tree;
    for (let c = this.firstChildIndex(); c !== NONE; c = columns.nextSibling[c]!) if (columns.field[c] === id) out.push(this.tree.node(c));
    return out;
  }

  descendantsOfType(types: string | readonly string[]): SyntaxNode[] {
    const wanted = new Set(typeof types === 'string' ? [types] : types);
    const { names, columns } = this.tree;
    const out: SyntaxNode[] = [];
    for (let d = this.i, last = columns.subtreeEnd[this.i]!; d < last; d++) if (wanted.has(names.types[columns.type[d]!]!)) out.push(this.tree.node(d));
    return out;
  }

  descendantForPosition(point: Point): SyntaxNode {
    const { columns } = this.tree;
    const index = this.tree.index(point);
    // Down from this node, into the first child that starts at or before the point and ends after it.
    let at = this.i;
    for (;;) {
      let inner = NONE;
      for (let c = this.tree.node(at).firstChildIndex(); c !== NONE && inner === NONE; c = columns.nextSibling[c]!) {
        if (columns.start[c]! <= index && index < columns.end[c]!) inner = c;
      }
      if (inner === NONE) return this.tree.node(at);
      at = inner;
    }
  }

  private hasChildren(): boolean {
    return this.tree.columns.subtreeEnd[this.i]! > this.i + 1;
  }

  firstChildIndex(): number {
    return this.hasChildren() ? this.i + 1 : NONE;
  }
}
