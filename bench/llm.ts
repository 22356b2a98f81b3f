/**
 * The model stage's benchmark, part of `npm run bench`: on a tree, how many prompt tokens
 * the naive approach (every keyword hit with ±10 lines, pasted into one prompt) would send
 * per MB of scanned source, against what this design sends (only hints the rules left
 * unexplained, the enclosing block, identical snippets once, secrets masked); and the wall
 * time of the model stage with two endpoints in parallel against one after the other, on
 * the fake vLLM server with a fixed latency per token (no weights exist here).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { estimateTokens, loadPrompt, ModelClient, packSnippets, renderSnippets } from '../models/client.js';
import { EndpointConfig } from '../models/endpoint.js';
import { startFakeOpenAI, type ChatRequest } from '../models/fake-vllm.js';
import { decodeBuffer } from '../src/decode.js';
import { scanRepository } from '../src/engine.js';
import { createKeywordFilter, DEFAULT_KEYWORDS } from '../src/keywords.js';
import { MemoryModelCache, runModelStage } from '../src/llm/stage.js';
import { walkRepository } from '../src/walker.js';

/** Fake latency: 100 ms per request (decoding a short answer) plus 0.05 ms per prompt token (prefill). */
const MS_PER_REQUEST = 100;
const MS_PER_PROMPT_TOKEN = 0.05;
const MAX_MODEL_LEN = 8192;

/** Every line with a keyword, ±10 lines, overlapping windows merged, over every text file of the tree. */
async function naivePromptTokens(dir: string): Promise<{ tokens: number; bytes: number }> {
  const filter = createKeywordFilter(DEFAULT_KEYWORDS);
  const walk = await walkRepository(dir, { maxFileSize: 2 * 1024 * 1024 });
  const prompt = loadPrompt();
  let chars = prompt.system.length + prompt.user.length;
  let bytes = 0;
  for (const f of walk.files) {
    const buf = readFileSync(f.absolute);
    const decoded = decodeBuffer(buf);
    if (!decoded.ok) continue;
    bytes += buf.length;
    const lines = decoded.text.split('\n');
    let shownUntil = -1;
    for (let i = 0; i < lines.length; i++) {
      if (!filter.test(lines[i]!)) continue;
      const from = Math.max(i - 10, shownUntil + 1);
      const to = Math.min(lines.length - 1, i + 10);
      for (let j = from; j <= to; j++) chars += lines[j]!.length + 1;
      shownUntil = to;
    }
  }
  return { tokens: Math.ceil(chars / 3), bytes };
}

export async function benchModelStage(dir: string): Promise<string[]> {
  const out: string[] = [];
  const naive = await naivePromptTokens(dir);
  const mb = naive.bytes / 1048576;
  const t0 = performance.now();
  const result = await scanRepository(dir, { modelSnippets: {} });
  const staticSeconds = (performance.now() - t0) / 1000;
  const snippets = result.snippets ?? [];
  const unique = new Map(snippets.map((s) => [s.text, s]));
  const prompt = loadPrompt();
  const batches = packSnippets([...unique.values()].map((s, i) => ({ id: `s${i}`, file: s.file, line: s.startLine, text: s.text })), prompt, MAX_MODEL_LEN);
  const designTokens = batches.reduce((n, b) => n + estimateTokens(prompt.system + prompt.user.replace('{{snippets}}', renderSnippets(b))), 0);
  out.push(`model stage on ${path.basename(dir)} (${mb.toFixed(1)} MB of text, static scan ${staticSeconds.toFixed(2)} s):`);
  out.push(`  naive (every keyword hit ±10 lines, one prompt): ${naive.tokens} prompt tokens = ${(naive.tokens / mb).toFixed(0)} per MB (${(naive.tokens / MAX_MODEL_LEN).toFixed(1)}× an ${MAX_MODEL_LEN}-token context)`);
  out.push(`  this design: ${snippets.length} snippets, ${unique.size} distinct, ${batches.length} requests, ${designTokens} prompt tokens = ${(designTokens / mb).toFixed(0)} per MB = ${(designTokens / Math.max(naive.tokens, 1) * 100).toFixed(2)}% of naive`);

  const answer = (req: ChatRequest) => {
    const tokens = estimateTokens(JSON.stringify(req.messages));
    return { delayMs: MS_PER_REQUEST + tokens * MS_PER_PROMPT_TOKEN, content: '{"connections":[]}' };
  };
  const server = await startFakeOpenAI({ llama: answer, qwen: answer });
  try {
    const client = (name: string) => new ModelClient(EndpointConfig.parse({ name, baseURL: server.baseURL, model: name, maxModelLen: MAX_MODEL_LEN, maxConcurrency: 4, timeoutMs: 600_000 }));
    const timed = async (f: () => Promise<unknown>) => {
      const s = performance.now();
      await f();
      return (performance.now() - s) / 1000;
    };
    const parallel = await timed(() => runModelStage(result, { clients: [client('llama'), client('qwen')], cache: new MemoryModelCache(), merger: null }));
    const sequential = await timed(async () => {
      await runModelStage(result, { clients: [client('llama')], cache: new MemoryModelCache(), merger: null });
      await runModelStage(result, { clients: [client('qwen')], cache: new MemoryModelCache(), merger: null });
    });
    const cache = new MemoryModelCache();
    const clients = [client('llama'), client('qwen')];
    await runModelStage(result, { clients, cache, merger: null });
    const before = server.requests.length;
    const rescan = await timed(() => runModelStage(result, { clients, cache, merger: null }));
    out.push(`  two endpoints (fake vLLM, ${MS_PER_REQUEST} ms/request + ${MS_PER_PROMPT_TOKEN} ms/prompt token, 4 in flight each): parallel ${parallel.toFixed(2)} s, sequential ${sequential.toFixed(2)} s (${(sequential / parallel).toFixed(2)}×); rescan from cache ${rescan.toFixed(3)} s with ${server.requests.length - before} requests`);
    // A heavier load, so that parallelism has requests to overlap: every hint (--llm-all) and 2048-token contexts.
    const all = await scanRepository(dir, { modelSnippets: { all: true } });
    const small = (name: string) => new ModelClient(EndpointConfig.parse({ name, baseURL: server.baseURL, model: name, maxModelLen: 2048, maxConcurrency: 4, timeoutMs: 600_000 }));
    const start = server.requests.length;
    const heavyParallel = await timed(() => runModelStage(all, { clients: [small('llama'), small('qwen')], cache: new MemoryModelCache(), merger: null }));
    const perEndpoint = (server.requests.length - start) / 2;
    const heavySequential = await timed(async () => {
      await runModelStage(all, { clients: [small('llama')], cache: new MemoryModelCache(), merger: null });
      await runModelStage(all, { clients: [small('qwen')], cache: new MemoryModelCache(), merger: null });
    });
    out.push(`  --llm-all with 2048-token contexts: ${all.snippets?.length ?? 0} snippets, ${perEndpoint} requests per endpoint: parallel ${heavyParallel.toFixed(2)} s, sequential ${heavySequential.toFixed(2)} s (${(heavySequential / heavyParallel).toFixed(2)}×)`);
  } finally {
    await server.close();
  }
  return out;
}
