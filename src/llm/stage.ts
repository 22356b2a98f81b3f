/**
 * ModelStage: after the static scan of a repository, the configured endpoints read the
 * snippets the rules left doubtful, all endpoints at once. Each reply is checked value by
 * value against the snippet it came from (src/llm/verify.ts); what survives is merged
 * with the static findings (src/llm/merge.ts), and a merger call settles places where
 * the models disagree. Replies are cached per (model, prompt version, snippet hash), so
 * unchanged code costs nothing on a rescan. A failing endpoint costs its own findings
 * only: the static result is never lost.
 */
import { createHash } from 'node:crypto';
import { emptyUsage, fitSnippets, loadPrompt, renderSnippets, type EndpointUsage, type ModelClient, type PromptTemplate, type Snippet } from '../../models/client.js';
import { maskConnectionString, parseConnectionString } from '../connection-string.js';
import type { AttributedSnippet, RepoScanResult } from '../engine.js';
import { compareConnections, type Connection, type ModelUsage } from '../result-model.js';
import { profileFromPath } from '../profiles.js';
import { isReportableHost, isLocalHost } from '../hosts.js';
import { resolveValue } from '../values.js';
import { findConflicts, mergeConnections, mergeKey, type ModelConnection } from './merge.js';
import type { ModelFinding } from '../../models/reply.js';
import { verifyModelFinding } from '../../models/verify.js';

export interface ModelCache {
  cachedReply(model: string, promptVersion: string, snippetHash: string): ModelFinding[] | undefined;
  cacheReply(model: string, promptVersion: string, snippetHash: string, findings: ModelFinding[]): void;
}

/** A cache for runs without an inventory (`--no-db`): lives as long as the process. */
export class MemoryModelCache implements ModelCache {
  private readonly map = new Map<string, ModelFinding[]>();
  cachedReply(model: string, promptVersion: string, hash: string): ModelFinding[] | undefined {
    return this.map.get(`${model}\u0000${promptVersion}\u0000${hash}`);
  }
  cacheReply(model: string, promptVersion: string, hash: string, findings: ModelFinding[]): void {
    this.map.set(`${model}\u0000${promptVersion}\u0000${hash}`, findings);
  }
}

export interface ModelStageOptions {
  clients: readonly ModelClient[];
  cache?: ModelCache;
  /** The endpoint that settles conflicts between models; the first client unless null. */
  merger?: ModelClient | null;
}

export function snippetHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Model values may carry the file's own lookups (`${DB_HOST:10.0.0.5}`): resolved as the scanners resolve them. */
function resolved(value: string | null): string | null {
  if (value === null || value.trim() === '') return null;
  const r = resolveValue(value);
  return r.source === 'placeholder' ? null : r.text;
}

/** The line of the snippet where a value is written, so the report points at it. */
function lineOf(text: string, firstLine: number, values: Array<string | null>): number {
  const lines = text.split('\n');
  for (const v of values) {
    if (!v) continue;
    const i = lines.findIndex((l) => l.toLowerCase().includes(v.toLowerCase()));
    if (i >= 0) return firstLine + i;
  }
  return firstLine;
}

/**
 * Verifies one reply value by value and turns it into a connection for one place the
 * snippet occurs (`piece.line` is that place's first line). `empty`: verified, but no
 * host worth a row (a kind alone, a wildcard address).
 */
/** A reply's values with the file's own lookups resolved, as verification and the report see them. */
function normalized(raw: ModelFinding): ModelFinding {
  return { ...raw, host: resolved(raw.host), database: resolved(raw.database), username: resolved(raw.username), url: resolved(raw.url) };
}

/** Longest values a real finding has (a DNS name is at most 253 characters); longer ones are not kept or cached. */
const FIELD_LIMITS = { host: 253, database: 256, username: 256, url: 2048 } as const;
/** A snippet is at most 50 lines: more findings than this from one is not a reading of it. */
const MAX_FINDINGS_PER_SNIPPET = 50;

/** What of an endpoint's answer for one snippet may be cached: verified against the snippet and bounded. */
function cacheable(found: ModelFinding[], snippet: string): ModelFinding[] {
  return found
    .filter((f) => (Object.keys(FIELD_LIMITS) as Array<keyof typeof FIELD_LIMITS>).every((k) => (f[k]?.length ?? 0) <= FIELD_LIMITS[k]))
    .filter((f) => verifyModelFinding(normalized(f), snippet).ok)
    .slice(0, MAX_FINDINGS_PER_SNIPPET);
}

export function acceptModelFinding(
  raw: ModelFinding, piece: Snippet, owner: AttributedSnippet, repo: string, source: string,
): { ok: true; connection: Connection } | { ok: false; reason: 'unverified' | 'empty' } {
  const f = normalized(raw);
  if (!verifyModelFinding(f, piece.text).ok) return { ok: false, reason: 'unverified' };
  // Parts a URL spells out fill what the model left empty; they are verbatim as the URL is.
  if (f.url) {
    const parsed = parseConnectionString(f.url, f.kind);
    const e = parsed?.endpoints[0];
    if (f.host === null && e?.host) f.host = e.host;
    if (f.port === null && e?.port) f.port = e.port;
    if (f.database === null && parsed?.database) f.database = parsed.database;
    if (f.username === null && parsed?.username) f.username = parsed.username;
  }
  if (f.host === null || !isReportableHost(f.host)) return { ok: false, reason: 'empty' };
  if (f.port !== null && (f.port < 1 || f.port > 65535)) return { ok: false, reason: 'unverified' };
  const line = lineOf(piece.text, piece.line, [f.url, f.host, f.database]);
  const url = f.url ? maskConnectionString(f.url) : null;
  return {
    ok: true,
    connection: {
      repo, app: owner.app, file: owner.file, scope: owner.scope, scanner: 'model', kind: f.kind, host: f.host, port: f.port,
      database: f.database, username: f.username, hasPassword: url !== null && url.includes('****'), passwordHardcoded: false,
      url, line, profile: profileFromPath(owner.file), valueSource: 'literal', confidence: 0.5, local: isLocalHost(f.host), sources: [source],
    },
  };
}

interface Unique {
  snippet: Snippet;
  /** Every place this exact text occurs (copied config): the answer applies to all. */
  owners: AttributedSnippet[];
}

/** One endpoint over all snippets: cache first, then requests for the rest. */
async function runEndpoint(client: ModelClient, uniques: Unique[], repo: string, cache: ModelCache | undefined) {
  const usage: EndpointUsage = emptyUsage();
  let cacheHits = 0;
  let accepted = 0;
  let rejected = 0;
  const pieces = fitSnippets(uniques.map((u) => u.snippet), client.prompt, client.config.maxModelLen);
  const hashOf = new Map(pieces.map((p) => [p.id, snippetHash(p.text)]));
  const answers = new Map<string, ModelFinding[]>();
  const misses: Snippet[] = [];
  for (const p of pieces) {
    const hit = cache?.cachedReply(client.config.model, client.promptVersion, hashOf.get(p.id)!);
    if (hit) {
      cacheHits++;
      answers.set(p.id, hit.map((f) => ({ ...f, snippet: p.id })));
    } else misses.push(p);
  }
  if (misses.length > 0) {
    const textOf = new Map(misses.map((p) => [p.id, p.text]));
    for (const [id, found] of await client.extract(misses, usage)) {
      answers.set(id, found.slice(0, MAX_FINDINGS_PER_SNIPPET * 4));
      // Only what could be accepted is cached, bounded: a hostile reply must not fill the inventory.
      cache?.cacheReply(client.config.model, client.promptVersion, hashOf.get(id)!, cacheable(found, textOf.get(id)!).map((f) => ({ ...f, snippet: '' })));
    }
  }
  // A piece keeps its snippet's id as prefix (`s3`, `s3.0`, `s3.1`).
  const uniqueOf = new Map(uniques.map((u) => [u.snippet.id, u]));
  const found: Array<ModelConnection & { piece: Snippet }> = [];
  for (const p of pieces) {
    const unique = uniqueOf.get(p.id.split('.')[0]!)!;
    const placeAt = (owner: AttributedSnippet): Snippet => ({ ...p, file: owner.file, line: owner.startLine + (p.line - unique.snippet.line) });
    const [first, ...copies] = unique.owners;
    for (const f of answers.get(p.id) ?? []) {
      // The same text at every place it occurs: verified once, then placed at each copy.
      const firstPiece = placeAt(first!);
      const verdict = acceptModelFinding(f, firstPiece, first!, repo, client.config.name);
      if (!verdict.ok) {
        if (verdict.reason === 'unverified') rejected++;
        continue;
      }
      accepted++;
      found.push({ connection: verdict.connection, snippetKey: `${firstPiece.file}:${firstPiece.line}`, piece: firstPiece });
      for (const owner of copies) {
        const piece = placeAt(owner);
        const connection = {
          ...verdict.connection, app: owner.app, file: owner.file, scope: owner.scope, profile: profileFromPath(owner.file),
          line: verdict.connection.line + (piece.line - firstPiece.line),
        };
        found.push({ connection, snippetKey: `${piece.file}:${piece.line}`, piece });
      }
    }
  }
  rejected += usage.unmatched;
  const summary: ModelUsage = {
    repo, endpoint: client.config.name, model: client.config.model, requests: usage.requests, promptTokens: usage.promptTokens,
    completionTokens: usage.completionTokens, cacheHits, latencyMs: usage.latencyMs, errors: usage.errors.length, accepted,
    rejectedUnverified: rejected, skippedBudget: usage.skippedBudget,
  };
  return { found, summary, errors: usage.errors };
}

/** Settles one conflict: the merger says which alternatives the snippet configures; its answer is verified too. */
async function settle(merger: ModelClient, prompt: PromptTemplate, piece: Snippet, options: Connection[], usage: EndpointUsage): Promise<Set<string> | null> {
  const candidates = options.map((o) => JSON.stringify({ kind: o.kind, host: o.host, port: o.port, database: o.database, username: o.username, url: o.url }));
  const user = prompt.user.replace('{{snippets}}', renderSnippets([piece])).replace('{{candidates}}', candidates.join('\n'));
  try {
    const reply = await merger.complete(prompt.system, user, usage);
    const chosen = new Set<string>();
    for (const f of reply.connections) {
      if (!verifyModelFinding(f, piece.text).ok) continue;
      // Same key as the union uses; every option of a conflict belongs to one app.
      const match = options.find((o) => mergeKey(o) === mergeKey({ ...f, app: o.app }));
      if (match) chosen.add(mergeKey(match));
    }
    return chosen.size > 0 ? chosen : null; // an answer naming none of the candidates settles nothing
  } catch (e) {
    usage.errors.push(`${merger.config.name}: settling ${piece.file}:${piece.line}: ${(e as Error).message}`);
    return null; // unsettled: every candidate stays
  }
}

export interface ModelStageResult extends RepoScanResult {
  /** Endpoint errors, one line each (file and line named, never a secret). */
  modelErrors: string[];
}

/** Runs every endpoint over the repository's snippets in parallel and merges what they verifiably found. */
export async function runModelStage(result: RepoScanResult, options: ModelStageOptions): Promise<ModelStageResult> {
  const { snippets: attributed = [], ...rest } = result;
  const byText = new Map<string, Unique>();
  for (const s of attributed) {
    const u = byText.get(s.text);
    if (u) u.owners.push(s);
    else byText.set(s.text, { snippet: { id: `s${byText.size}`, file: s.file, line: s.startLine, text: s.text }, owners: [s] });
  }
  const uniques = [...byText.values()];
  const runs = await Promise.all(options.clients.map((c) => runEndpoint(c, uniques, result.repo.path, options.cache)));
  const found = runs.flatMap((r) => r.found);
  const errors = runs.flatMap((r) => r.errors);
  const order = options.clients.map((c) => c.config.name);
  const rejectedKeys = new Set<string>();
  const merger = options.merger === undefined ? options.clients[0] : options.merger;
  const conflicts = merger ? findConflicts(result.connections, found) : [];
  if (merger && conflicts.length > 0) {
    const usage = emptyUsage();
    const prompt = loadPrompt('resolve-conflict');
    for (const conflict of conflicts) {
      const piece = found.find((f) => f.snippetKey === conflict.snippetKey)!.piece;
      const chosen = await settle(merger, prompt, piece, conflict.options, usage);
      if (chosen) for (const o of conflict.options) if (!chosen.has(mergeKey(o))) rejectedKeys.add(mergeKey(o));
    }
    // The merger's calls count with its endpoint's usage.
    const summary = runs.find((r) => r.summary.endpoint === merger.config.name)?.summary;
    if (summary) {
      summary.requests += usage.requests;
      summary.promptTokens += usage.promptTokens;
      summary.completionTokens += usage.completionTokens;
      summary.latencyMs += usage.latencyMs;
      summary.errors += usage.errors.length;
    }
    errors.push(...usage.errors);
  }
  const connections = mergeConnections(result.connections, found, order, rejectedKeys).sort(compareConnections);
  return { ...rest, connections, models: runs.map((r) => r.summary), modelErrors: errors };
}
