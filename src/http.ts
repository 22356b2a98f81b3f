/**
 * HTTP for servers cmdb-scan talks to but does not trust (Jenkins, GitLab, model endpoints):
 * a deadline for the whole exchange, body included (a server that sends its headers and then
 * drips bytes must not hold a scan forever), a cap on the body size, no redirects unless the
 * caller allows them, and optionally a pinned address, so that the address a policy checked
 * is the address connected to (no DNS rebinding between the check and the request).
 * Built on undici, the library behind Node's own fetch, for its connection `lookup` hook.
 */
import { Agent, fetch as undiciFetch } from 'undici';

export interface GuardOptions {
  /** The whole exchange: connecting, headers and every byte of the body. */
  timeoutMs: number;
  /** Bodies larger than this fail with an error instead of filling memory. */
  maxBytes: number;
  /** `error` (default): a redirect fails the request. `same-origin`: followed (up to 5) only within the URL's origin, so credentials never go elsewhere. */
  redirect?: 'error' | 'same-origin';
  /** Connect here whatever DNS says now: the address checked by policy. */
  pinnedAddress?: { address: string; family: 4 | 6 };
}

export class HttpError extends Error {}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | Array<{ address: string; family: number }>, family?: number) => void;

function pinnedAgent(pin: { address: string; family: 4 | 6 }): Agent {
  return new Agent({
    connect: {
      lookup: (_host: string, opts: { all?: boolean }, cb: LookupCallback) => {
        if (opts?.all) cb(null, [{ address: pin.address, family: pin.family }]);
        else cb(null, pin.address, pin.family);
      },
    },
  });
}

/** A body stream that errors once more than `max` bytes have passed. */
function capped(body: ReadableStream<Uint8Array>, max: number, url: string): ReadableStream<Uint8Array> {
  let seen = 0;
  return body.pipeThrough(new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      seen += chunk.byteLength;
      if (seen > max) controller.error(new HttpError(`${url}: response larger than ${Math.round(max / 1048576)} MB`));
      else controller.enqueue(chunk);
    },
  }));
}

/**
 * A signal that aborts with a TimeoutError after `ms`. Not `AbortSignal.timeout`: its timer holds the signal only
 * weakly, and inside `AbortSignal.any` nothing else holds it, so a garbage collection before the deadline loses the
 * deadline and a dripping body is read forever (nodejs/node#57736; seen as a test that hung once in sixty runs).
 * Here the timer's closure holds the controller until it fires; it is unref'd, so it keeps no process alive.
 */
function deadlineSignal(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')), ms).unref();
  return controller.signal;
}

/**
 * A `fetch` with the guards applied, for libraries that take one (the openai SDK). The deadline's
 * signal stays attached to the body, so reading a dripping body fails when the time is up.
 */
export function guardedFetch(guard: GuardOptions): typeof fetch {
  const dispatcher = guard.pinnedAddress ? pinnedAgent(guard.pinnedAddress) : undefined;
  const MAX_HOPS = 5;
  const request = async (input: string | URL | Request, init?: RequestInit, hops = 0): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const deadline = deadlineSignal(guard.timeoutMs);
    const signal = init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
    const res = await undiciFetch(url, {
      ...(init as Record<string, unknown>), signal, redirect: guard.redirect === 'same-origin' ? 'manual' : 'error', ...(dispatcher ? { dispatcher } : {}),
    } as Parameters<typeof undiciFetch>[1]);
    if (guard.redirect === 'same-origin' && res.status >= 300 && res.status < 400) {
      const location = res.headers.get('location');
      await res.body?.cancel();
      const next = location ? new URL(location, url) : null;
      if (!next || next.origin !== new URL(url).origin) throw new HttpError(`${url}: redirected to another origin (${next?.origin ?? 'nowhere'}); not followed`);
      if (hops >= MAX_HOPS) throw new HttpError(`${url}: more than ${MAX_HOPS} redirects`);
      return request(next.href, init, hops + 1);
    }
    const body = res.body ? capped(res.body as ReadableStream<Uint8Array>, guard.maxBytes, url) : null;
    return new Response(body, { status: res.status, statusText: res.statusText, headers: new Headers([...res.headers]) });
  };
  return ((input: string | URL | Request, init?: RequestInit) => request(input, init)) as typeof fetch;
}

/** What went wrong with a request, in a few words: `timed out`, `ECONNREFUSED`, `HTTP 500`… never a stack. */
export function describeFetchError(e: unknown): string {
  const err = e as Error & { cause?: { code?: unknown; message?: unknown } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') return 'timed out';
  if (err instanceof HttpError) return err.message;
  if (typeof err?.cause?.code === 'string') return err.cause.code;
  if (typeof err?.cause?.message === 'string') return err.cause.message;
  return String(err?.message ?? e);
}
