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

/** An address a policy check accepted: requests connect to it, whatever DNS answers later. */
export interface CheckedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Resolves the endpoint's host; allowed when every address it resolves to is private (or the user allows remote
 * ones). The first address is returned so that the client connects to exactly what was checked (no rebinding).
 */
export async function checkEndpointAllowed(baseURL: string, allowRemote: boolean): Promise<{ ok: true; pinned: CheckedAddress | null } | { ok: false; reason: string }> {
  const host = new URL(baseURL).hostname.replace(/^\[|\]$/g, '');
  let addresses: Array<{ address: string; family: number }>;
  try {
    addresses = isIP(host) ? [{ address: host, family: isIP(host) }] : await lookup(host, { all: true });
  } catch (e) {
    if (allowRemote) return { ok: true, pinned: null };
    return { ok: false, reason: `${host}: cannot resolve (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})` };
  }
  const first = addresses[0];
  const pinned = first ? { address: first.address, family: first.family === 6 ? 6 as const : 4 as const } : null;
  if (allowRemote) return { ok: true, pinned };
  const remote = addresses.filter((a) => !isPrivateAddress(a.address));
  return remote.length === 0 ? { ok: true, pinned } : { ok: false, reason: `${host} resolves to public address ${remote[0]!.address}; pass --allow-remote-llm to send code there` };
}
