/**
 * Model endpoints: OpenAI-compatible servers (vLLM) the team runs itself. The point of
 * running them locally is that code stays in-house, so an endpoint must be on loopback
 * or a private network unless the user explicitly allows a remote one.
 */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { z } from 'zod';

export const EndpointConfig = z.object({
  name: z.string().min(1),
  baseURL: z.string().url(),
  model: z.string().min(1),
  apiKey: z.string().optional(),
  timeoutMs: z.number().int().positive().default(60_000),
  maxConcurrency: z.number().int().positive().default(4),
  /** The context length the server was started with (`--max-model-len`). */
  maxModelLen: z.number().int().positive().default(8192),
  /** Most prompt tokens this endpoint may receive in one run (`--llm-budget`); snippets past it are not sent. */
  budgetTokens: z.number().int().positive().optional(),
});
export type EndpointConfig = z.infer<typeof EndpointConfig>;

/** Loopback, RFC 1918, CGNAT, link-local and IPv6 unique-local addresses. */
export function isPrivateAddress(address: string): boolean {
  if (isIP(address) === 4) {
    const [a, b] = address.split('.').map(Number) as [number, number];
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
  }
  if (isIP(address) === 6) {
    const v = address.toLowerCase();
    return v === '::1' || v.startsWith('fc') || v.startsWith('fd') || v.startsWith('fe80') || /^::ffff:(127|10|192\.168)\./.test(v);
  }
  return false;
}

/** Resolves the endpoint's host; allowed when every address it resolves to is private (or the user allows remote ones). */
export async function checkEndpointAllowed(baseURL: string, allowRemote: boolean): Promise<{ ok: true } | { ok: false; reason: string }> {
  if (allowRemote) return { ok: true };
  const host = new URL(baseURL).hostname.replace(/^\[|\]$/g, '');
  if (host === 'localhost') return { ok: true };
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookup(host, { all: true })).map((a) => a.address);
  } catch (e) {
    return { ok: false, reason: `${host}: cannot resolve (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  const remote = addresses.filter((a) => !isPrivateAddress(a));
  return remote.length === 0 ? { ok: true } : { ok: false, reason: `${host} resolves to public address ${remote[0]}; pass --allow-remote-llm to send code there` };
}
