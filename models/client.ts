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
import { ModelReply, modelReplyJsonSchema, type ModelFinding } from '../src/llm/schema.js';
import type { EndpointConfig } from './endpoint.js';

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

function renderSnippets(snippets: Snippet[]): string {
  return snippets.map((s) => `### ${s.id} ${s.file}:${s.line}\n${s.text}`).join('\n\n');
}

/** Packs snippets into requests whose prompt fits the context with room for the answer; a snippet too big alone is split, never cut. */
export function packSnippets(snippets: Snippet[], prompt: PromptTemplate, maxModelLen: number): Snippet[][] {
  const budget = Math.floor(maxModelLen * 0.6) - estimateTokens(prompt.system + prompt.user) - 64;
  const batches: Snippet[][] = [];
  let current: Snippet[] = [];
  let used = 0;
  for (const s of snippets) {
    const cost = estimateTokens(s.text) + 16;
    if (cost > budget) {
      // Split an oversized snippet by lines into pieces that fit, keeping line numbers right.
      const lines = s.text.split('\n');
      let start = 0;
      let part = 0;
      while (start < lines.length) {
        let end = start;
        let size = 0;
        while (end < lines.length && size + estimateTokens(lines[end]!) + 1 <= budget - 16) size += estimateTokens(lines[end++]!) + 1;
        if (end === start) end = start + 1;
        batches.push([{ ...s, id: `${s.id}.${part++}`, line: s.line + start, text: lines.slice(start, end).join('\n') }]);
        start = end;
      }
      continue;
    }
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

export class ModelClient {
  readonly config: EndpointConfig;
  private readonly client: OpenAI;
  private readonly prompt: PromptTemplate;
  readonly usage: EndpointUsage = { requests: 0, promptTokens: 0, completionTokens: 0, latencyMs: 0, errors: [] };

  constructor(config: EndpointConfig, prompt = loadPrompt()) {
    this.config = config;
    this.prompt = prompt;
    this.client = new OpenAI({ baseURL: config.baseURL, apiKey: config.apiKey ?? 'not-needed', timeout: config.timeoutMs, maxRetries: 2 });
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

  private async ask(snippets: Snippet[]): Promise<ModelReply> {
    const messages = [
      { role: 'system' as const, content: this.prompt.system },
      { role: 'user' as const, content: this.prompt.user.replace('{{snippets}}', renderSnippets(snippets)) },
    ];
    let lastProblem = '';
    // An invalid reply is retried once; a second invalid reply is an error for these snippets.
    for (let attempt = 0; attempt < 2; attempt++) {
      const started = Date.now();
      let completion;
      try {
        completion = await this.client.chat.completions.create({
          model: this.config.model,
          messages,
          temperature: 0,
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
        this.usage.requests++;
        this.usage.latencyMs += Date.now() - started;
      }
      this.usage.promptTokens += completion.usage?.prompt_tokens ?? 0;
      this.usage.completionTokens += completion.usage?.completion_tokens ?? 0;
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

  /** Runs all snippets, splitting any batch the server says is too long; failures are recorded, not thrown. */
  async extract(snippets: Snippet[]): Promise<ModelFinding[]> {
    const limit = pLimit(this.config.maxConcurrency);
    const out: ModelFinding[] = [];
    const run = async (batch: Snippet[]): Promise<void> => {
      try {
        const reply = await limit(() => this.ask(batch));
        out.push(...reply.connections);
      } catch (e) {
        if (e instanceof ContextLengthError && batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          await Promise.all([run(batch.slice(0, half)), run(batch.slice(half))]);
          return;
        }
        this.usage.errors.push(`${this.config.name}: ${batch.map((s) => s.id).join(',')}: ${(e as Error).message}`);
      }
    };
    await Promise.all(packSnippets(snippets, this.prompt, this.config.maxModelLen).map(run));
    return out;
  }
}
