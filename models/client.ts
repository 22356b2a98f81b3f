/**
 * ModelClient: one OpenAI-compatible endpoint (vLLM), used with the `openai` package.
 * Asks for JSON that matches ModelReply through `response_format: json_schema` (vLLM
 * enforces it with guided decoding), validates every reply with zod, retries an invalid
 * reply once, and lets the SDK retry 429/5xx with backoff. Snippet batches are packed to
 * fit the endpoint's context and split in half when the server still says they do not.
 */
import OpenAI from 'openai';
import pLimit from 'p-limit';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ModelReply, modelReplyJsonSchema, type ModelFinding } from './reply.js';
import type { CheckedAddress, EndpointConfig } from './endpoint.js';
import { guardedFetch } from '../src/http.js';

export interface Snippet {
  id: string;
  file: string;
  line: number;
  text: string;
}

export interface PromptTemplate {
  id: string;
  version: number;
  system: string;
  user: string;
}

export interface EndpointUsage {
  requests: number;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  errors: string[];
  /** Snippets not sent because the endpoint's token budget was spent. */
  skippedBudget: number;
  /** Findings naming a snippet that was not in the request: nothing to verify them against. */
  unmatched: number;
}

export function emptyUsage(): EndpointUsage {
  return { requests: 0, promptTokens: 0, completionTokens: 0, latencyMs: 0, errors: [], skippedBudget: 0, unmatched: 0 };
}

export function loadPrompt(name = 'extract-connections'): PromptTemplate {
  const file = fileURLToPath(new URL(`../../prompts/${name}.json`, import.meta.url));
  const fallback = fileURLToPath(new URL(`../prompts/${name}.json`, import.meta.url));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = readFileSync(fallback, 'utf8');
  }
  return JSON.parse(text) as PromptTemplate;
}

/** Conservative token estimate: code tokenizes at roughly 3–4 characters per token; 3 never undercounts by much. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 3);
}

export function renderSnippets(snippets: Snippet[]): string {
  return snippets.map((s) => `### ${s.id} ${s.file}:${s.line}\n${s.text}`).join('\n\n');
}

/** Tokens a request may spend on snippets: 60% of the context, less the prompt, leaves room for the answer. */
function snippetBudget(prompt: PromptTemplate, maxModelLen: number): number {
  return Math.floor(maxModelLen * 0.6) - estimateTokens(prompt.system + prompt.user) - 64;
}

/** Splits every snippet too big for one request by lines into pieces that fit, keeping line numbers right; never cuts. */
export function fitSnippets(snippets: Snippet[], prompt: PromptTemplate, maxModelLen: number): Snippet[] {
  const budget = snippetBudget(prompt, maxModelLen);
  const out: Snippet[] = [];
  for (const s of snippets) {
    if (estimateTokens(s.text) + 16 <= budget) {
      out.push(s);
      continue;
    }
    const lines = s.text.split('\n');
    let start = 0;
    let part = 0;
    while (start < lines.length) {
      let end = start;
      let size = 0;
      while (end < lines.length && size + estimateTokens(lines[end]!) + 1 <= budget - 16) size += estimateTokens(lines[end++]!) + 1;
      if (end === start) end = start + 1;
      out.push({ ...s, id: `${s.id}.${part++}`, line: s.line + start, text: lines.slice(start, end).join('\n') });
      start = end;
    }
  }
  return out;
}

/** Packs snippets into requests whose prompt fits the context with room for the answer. */
export function packSnippets(snippets: Snippet[], prompt: PromptTemplate, maxModelLen: number): Snippet[][] {
  const budget = snippetBudget(prompt, maxModelLen);
  const batches: Snippet[][] = [];
  let current: Snippet[] = [];
  let used = 0;
  for (const s of fitSnippets(snippets, prompt, maxModelLen)) {
    const cost = estimateTokens(s.text) + 16;
    if (used + cost > budget && current.length > 0) {
      batches.push(current);
      current = [];
      used = 0;
    }
    current.push(s);
    used += cost;
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

export class ContextLengthError extends Error {}

/** A reply of at most 4,096 tokens of JSON is tens of kilobytes; anything near this is not an answer. */
export const MAX_REPLY_BYTES = 4 * 1024 * 1024;

export class ModelClient {
  readonly config: EndpointConfig;
  private readonly client: OpenAI;
  readonly prompt: PromptTemplate;
  private readonly limit: ReturnType<typeof pLimit>;
  /** Prompt tokens sent so far in this run, against `budgetTokens`. */
  private tokensSpent = 0;
  /** Requests that failed in a row (after the SDK's retries); at 3 the endpoint is given up for the run. */
  private failuresInARow = 0;
  private givenUp: string | null = null;

  /**
   * `pinned`: the address the endpoint policy checked; requests connect there and nowhere else. Every request
   * refuses redirects (an allowed endpoint could otherwise send the code on to one the policy refuses), must
   * finish body included within the timeout (a server that drips bytes cannot hold the scan), and may not
   * answer more than MAX_REPLY_BYTES.
   */
  constructor(config: EndpointConfig, prompt = loadPrompt(), pinned: CheckedAddress | null = null) {
    this.config = config;
    this.prompt = prompt;
    // One limiter per endpoint for the whole run: concurrent repositories share the server's capacity.
    this.limit = pLimit(config.maxConcurrency);
    const fetch = guardedFetch({ timeoutMs: config.timeoutMs, maxBytes: MAX_REPLY_BYTES, redirect: 'error', ...(pinned ? { pinnedAddress: pinned } : {}) });
    this.client = new OpenAI({ baseURL: config.baseURL, apiKey: config.apiKey ?? 'not-needed', timeout: config.timeoutMs, maxRetries: 2, fetch });
  }

  /** The cache key part that says which prompt produced a reply. */
  get promptVersion(): string {
    return `${this.prompt.id}@${this.prompt.version}`;
  }

  /** `GET /v1/models`: is the server up, and does it serve the configured model? */
  async health(): Promise<{ ok: true } | { ok: false; reason: string }> {
    try {
      const models = [];
      for await (const m of this.client.models.list()) models.push(m.id);
      return models.includes(this.config.model) ? { ok: true } : { ok: false, reason: `${this.config.name}: model ${this.config.model} not served (has ${models.join(', ') || 'none'})` };
    } catch (e) {
      return { ok: false, reason: `${this.config.name}: ${(e as Error).message}` };
    }
  }

  /** One chat completion constrained to ModelReply; an invalid reply is retried once. The SDK retries 429/5xx with backoff. */
  async complete(system: string, user: string, usage: EndpointUsage): Promise<ModelReply> {
    const messages = [{ role: 'system' as const, content: system }, { role: 'user' as const, content: user }];
    let lastProblem = '';
    for (let attempt = 0; attempt < 2; attempt++) {
      const started = Date.now();
      let completion;
      try {
        completion = await this.client.chat.completions.create({
          model: this.config.model,
          messages,
          temperature: 0,
          // Bounded so that a model that does not stop cannot hold a slot for the whole context; a list of
          // connections for one batch fits easily.
          max_tokens: Math.max(256, Math.min(4096, this.config.maxModelLen - estimateTokens(system + user) - 64)),
          response_format: { type: 'json_schema', json_schema: { name: 'connections', schema: modelReplyJsonSchema(), strict: true } },
        });
      } catch (e) {
        // vLLM has answered an over-long prompt with a top-level {object:"error", message} and, in newer
        // versions, with OpenAI's {error: {message}}; the SDK keeps only the latter. Any 400 is treated as
        // "too long" when the batch can still be split: a 400 for another reason fails again on each half.
        const err = e as { status?: number; message: string; error?: unknown };
        if (err.status === 400) throw new ContextLengthError(`${err.message} ${JSON.stringify(err.error ?? '')}`);
        throw e;
      } finally {
        usage.requests++;
        usage.latencyMs += Date.now() - started;
      }
      const promptTokens = completion.usage?.prompt_tokens ?? estimateTokens(system + user);
      usage.promptTokens += promptTokens;
      this.tokensSpent += promptTokens;
      usage.completionTokens += completion.usage?.completion_tokens ?? 0;
      const content = completion.choices[0]?.message?.content ?? '';
      let json: unknown;
      try {
        json = JSON.parse(content);
      } catch {
        lastProblem = 'reply is not JSON';
        continue;
      }
      const parsed = ModelReply.safeParse(json);
      if (parsed.success) return parsed.data;
      lastProblem = `reply does not match the schema: ${parsed.error.issues[0]?.message ?? 'invalid'}`;
    }
    throw new Error(lastProblem);
  }

  /**
   * Runs the snippets, splitting any batch the server says is too long. Returns the findings of
   * every snippet that was answered (an empty list is an answer); failed or unsent snippets are
   * absent, and their errors are in `usage`.
   */
  async extract(snippets: Snippet[], usage: EndpointUsage = emptyUsage()): Promise<Map<string, ModelFinding[]>> {
    const answered = new Map<string, ModelFinding[]>();
    const run = async (batch: Snippet[]): Promise<void> => {
      const user = this.prompt.user.replace('{{snippets}}', renderSnippets(batch));
      try {
        const reply = await this.limit(() => {
          // An endpoint that is down or hung would otherwise cost timeout × retries for every batch left.
          if (this.givenUp) throw new Error(this.givenUp);
          const estimate = estimateTokens(this.prompt.system + user);
          if (this.config.budgetTokens !== undefined && this.tokensSpent + estimate > this.config.budgetTokens) return null;
          return this.complete(this.prompt.system, user, usage);
        });
        this.failuresInARow = 0;
        if (reply === null) {
          usage.skippedBudget += batch.length;
          return;
        }
        for (const s of batch) answered.set(s.id, []);
        for (const f of reply.connections) {
          const list = answered.get(f.snippet);
          if (list) list.push(f);
          else usage.unmatched++;
        }
      } catch (e) {
        if (e instanceof ContextLengthError && batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          await Promise.all([run(batch.slice(0, half)), run(batch.slice(half))]);
          return;
        }
        if (!this.givenUp && ++this.failuresInARow >= 3) this.givenUp = `given up after 3 failed requests in a row (last: ${(e as Error).message})`;
        usage.errors.push(`${this.config.name}: ${batch.map((s) => `${s.file}:${s.line}`).join(', ')}: ${(e as Error).message}`);
      }
    };
    await Promise.all(packSnippets(snippets, this.prompt, this.config.maxModelLen).map(run));
    return answered;
  }
}
