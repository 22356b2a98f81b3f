/**
 * Merging static and model findings: a deterministic union keyed by
 * (app, kind, host, port, database). A model finding that repeats a static one only adds
 * its name to that connection's `sources`; one the rules missed becomes a connection of
 * its own, with a confidence that grows with the number of models that agree.
 * Disagreements at one place (same snippet and kind, different values) are listed as
 * conflicts for a merger call; nothing here calls a model.
 */
import type { Connection } from '../result-model.js';

export function mergeKey(c: Pick<Connection, 'app' | 'kind' | 'host' | 'port' | 'database'>): string {
  return [c.app, c.kind, (c.host ?? '').toLowerCase(), c.port ?? '', c.database ?? ''].join('\u0000');
}

/** A model connection with the snippet it came from (`file:startLine` of the piece sent). */
export interface ModelConnection {
  connection: Connection;
  snippetKey: string;
}

export interface Conflict {
  snippetKey: string;
  /** The disagreeing alternatives, one per key; each was found by one model only. */
  options: Connection[];
}

/** Model confidence: one model alone 0.5, each further model that agrees +0.2. */
function modelConfidence(models: number): number {
  return Math.min(0.9, 0.5 + 0.2 * (models - 1));
}

function orderSources(sources: Iterable<string>, order: readonly string[]): string[] {
  const rank = (s: string) => (s === 'static' ? -1 : order.indexOf(s) === -1 ? order.length : order.indexOf(s));
  return [...new Set(sources)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
}

/** New model connections (not repeating a static one) grouped by key. */
function newByKey(statics: readonly Connection[], found: readonly ModelConnection[]): Map<string, ModelConnection[]> {
  const staticKeys = new Set(statics.map(mergeKey));
  const out = new Map<string, ModelConnection[]>();
  for (const m of found) {
    const key = mergeKey(m.connection);
    if (staticKeys.has(key)) continue;
    const list = out.get(key) ?? [];
    list.push(m);
    out.set(key, list);
  }
  return out;
}

/** Places where models disagree: one snippet and kind, several keys, no key found by more than one model. */
export function findConflicts(statics: readonly Connection[], found: readonly ModelConnection[]): Conflict[] {
  const byPlace = new Map<string, Map<string, ModelConnection[]>>();
  for (const [key, list] of newByKey(statics, found)) {
    const place = `${list[0]!.snippetKey}\u0000${list[0]!.connection.kind}`;
    const keys = byPlace.get(place) ?? new Map<string, ModelConnection[]>();
    keys.set(key, list);
    byPlace.set(place, keys);
  }
  const conflicts: Conflict[] = [];
  for (const keys of byPlace.values()) {
    if (keys.size < 2) continue;
    const lists = [...keys.values()];
    const sourcesOf = (l: ModelConnection[]) => new Set(l.flatMap((m) => m.connection.sources));
    if (lists.some((l) => sourcesOf(l).size > 1)) continue; // some value has agreement: no conflict to settle
    if (new Set(lists.map((l) => [...sourcesOf(l)][0])).size < 2) continue; // one model listing several connections
    conflicts.push({ snippetKey: lists[0]![0]!.snippetKey, options: lists.map((l) => l[0]!.connection) });
  }
  return conflicts;
}

/**
 * The union. `rejected` holds keys a merger call ruled out. Static connections keep their
 * rows and gain the names of models that found the same key (and +0.1 confidence each).
 */
export function mergeConnections(
  statics: readonly Connection[], found: readonly ModelConnection[], order: readonly string[], rejected: ReadonlySet<string> = new Set(),
): Connection[] {
  const modelSources = new Map<string, Set<string>>();
  for (const m of found) {
    const key = mergeKey(m.connection);
    const set = modelSources.get(key) ?? new Set<string>();
    for (const s of m.connection.sources) set.add(s);
    modelSources.set(key, set);
  }
  const out: Connection[] = statics.map((c) => {
    const agree = modelSources.get(mergeKey(c));
    if (!agree) return c;
    return { ...c, sources: orderSources([...c.sources, ...agree], order), confidence: Math.min(1, Math.round((c.confidence + 0.1 * agree.size) * 100) / 100) };
  });
  for (const [key, list] of newByKey(statics, found)) {
    if (rejected.has(key)) continue;
    // The first place it was found, in file order, stands for all.
    const first = [...list].sort((a, b) => (a.connection.file < b.connection.file ? -1 : a.connection.file > b.connection.file ? 1 : a.connection.line - b.connection.line))[0]!;
    const sources = modelSources.get(key)!;
    out.push({ ...first.connection, sources: orderSources(sources, order), confidence: modelConfidence(sources.size) });
  }
  return out;
}
