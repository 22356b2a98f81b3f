/**
 * A fake OpenAI-compatible server, speaking the wire format vLLM does: `GET /v1/models`,
 * `POST /v1/chat/completions` with `response_format`, usage counts, and vLLM's errors.
 * Each model's replies are scripted by the caller. Listens on 127.0.0.1 only. Used by the
 * tests and by `npm run bench` (never by a scan): there are no model weights on CI machines.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequest {
  model: string;
  messages: Array<{ role: string; content: string }>;
  response_format?: { type: string; json_schema?: { name: string; schema: unknown } };
}

export type Script = (req: ChatRequest, n: number) => { status?: number; content?: string; error?: string; delayMs?: number };

export interface FakeServer {
  baseURL: string;
  requests: ChatRequest[];
  /** Highest number of chat requests in flight at once, per model. */
  maxInFlight: Map<string, number>;
  /** Highest number of chat requests in flight at once, across all models. */
  maxInFlightTotal: () => number;
  close(): Promise<void>;
}

export async function startFakeOpenAI(scripts: Record<string, Script>): Promise<FakeServer> {
  const requests: ChatRequest[] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  let total = 0;
  let maxTotal = 0;
  const counts = new Map<string, number>();
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/v1/models') {
      send(200, { object: 'list', data: Object.keys(scripts).map((id) => ({ id, object: 'model', created: 0, owned_by: 'vllm' })) });
      return;
    }
    if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
      send(404, { object: 'error', message: 'Not Found', type: 'NotFoundError', code: 404 });
      return;
    }
    let raw = '';
    req.on('data', (c: Buffer) => { raw += c.toString('utf8'); });
    req.on('end', async () => {
      const body = JSON.parse(raw) as ChatRequest;
      requests.push(body);
      const script = scripts[body.model];
      if (!script) {
        send(404, { object: 'error', message: `The model \`${body.model}\` does not exist.`, type: 'NotFoundError', code: 404 });
        return;
      }
      const n = (counts.get(body.model) ?? 0) + 1;
      counts.set(body.model, n);
      inFlight.set(body.model, (inFlight.get(body.model) ?? 0) + 1);
      maxInFlight.set(body.model, Math.max(maxInFlight.get(body.model) ?? 0, inFlight.get(body.model)!));
      total++;
      maxTotal = Math.max(maxTotal, total);
      const reply = script(body, n);
      if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
      inFlight.set(body.model, inFlight.get(body.model)! - 1);
      total--;
      if (res.destroyed) return;
      if (reply.status && reply.status !== 200) {
        send(reply.status, { object: 'error', message: reply.error ?? 'error', type: 'BadRequestError', param: null, code: reply.status });
        return;
      }
      const prompt = JSON.stringify(body.messages).length;
      send(200, {
        id: `chatcmpl-${n}`, object: 'chat.completion', created: 0, model: body.model,
        choices: [{ index: 0, message: { role: 'assistant', content: reply.content ?? '' }, finish_reason: 'stop', logprobs: null }],
        usage: { prompt_tokens: Math.ceil(prompt / 4), completion_tokens: Math.ceil((reply.content ?? '').length / 4), total_tokens: 0 },
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    maxInFlight,
    maxInFlightTotal: () => maxTotal,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** vLLM's wording when a prompt exceeds --max-model-len. */
export const VLLM_CONTEXT_ERROR = "This model's maximum context length is 2048 tokens. However, you requested 4096 tokens (3800 in the messages, 296 in the completion). Please reduce the length of the messages or completion.";
