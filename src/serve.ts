/**
 * `cmdb-scan serve`: the inventory as a read-only HTTP API other tools call (a CMDB's sync job, a dashboard, a
 * chat-ops bot), on Hono — the framework the MCP SDK already brings along, so the API costs no second web stack.
 * Every route is a GET over src/queries.ts; the inventory is opened read-only once, so a running batch's writes
 * show up and nothing here can change them. Secrets are metadata only (masked preview, fingerprint): no value is
 * stored to serve.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { Http2ServerRequest } from 'node:http2';
import { serve as listen, type ServerType } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { readCmdbResources } from './cmdb-resources.js';
import { Inventory } from './inventory.js';
import { appAnswer, appList, dependencySummary, diffAnswer, unusedAnswer, usesAnswer, type Answer } from './queries.js';
import { filterReport, parseScopes, type ReportFilter } from './report-filter.js';
import { renderHtml, renderNotFound } from './reporters/html.js';
import { isOneOf, REPORT_SCHEMA_VERSION, SEVERITIES, type Secret } from './result-model.js';
import { hostNames } from './targets.js';
import { TOOL_VERSION } from './version.js';

/** Report filters from query parameters, as the CLI's flags: `scope`, `profile`, `kind` (comma-separated), `min_severity`, `no_tests`. */
function filterFrom(q: (name: string) => string | undefined): ReportFilter {
  const list = (name: string) => q(name)?.split(',').map((x) => x.trim()).filter(Boolean);
  const severity = q('min_severity');
  if (severity !== undefined && !isOneOf(SEVERITIES, severity)) throw new Error(`min_severity ${severity}: one of low, medium, high`);
  const scopes = list('scope');
  const profiles = list('profile');
  const kinds = list('kind');
  return {
    ...(scopes ? { scopes: parseScopes(scopes) } : {}), ...(profiles ? { profiles } : {}), ...(kinds ? { kinds } : {}),
    ...(severity ? { minSeverity: severity as Secret['severity'] } : {}), ...(q('no_tests') !== undefined ? { noTests: true } : {}),
  };
}

/** Whether a request asks for a page (a browser's navigation) rather than data: `Accept` prefers text/html to JSON. */
function wantsHtml(accept: string | undefined): boolean {
  if (!accept) return false;
  const quality = (type: RegExp) => {
    const part = accept.split(',').map((p) => p.trim()).find((p) => type.test(p.split(';')[0]!.trim()));
    if (part === undefined) return -1;
    const q = /;\s*q=([\d.]+)/.exec(part);
    return q ? Number(q[1]) : 1;
  };
  return quality(/^text\/html$/i) > quality(/^application\/json$/i);
}

/** A page of the interactive report, as a page is served: never sniffed, never framed by another site. */
function page(html: string, status: 200 | 404 = 200): Response {
  return new Response(html, { status, headers: { 'content-type': 'text/html; charset=utf-8', 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' } });
}

/**
 * The web view and the API together: `/` is the interactive report of the whole inventory (read when asked, so a
 * running batch's writes show), `/apps/<name>` and `/uses?target=` are that report narrowed to the answer when a
 * browser asks for HTML and the API's JSON otherwise; `/api/v1/*` is the API.
 */
export function inventorySite(inventory: Inventory, cmdbFile?: string): Hono {
  const api = inventoryApi(inventory, cmdbFile);
  const site = new Hono();
  // A request for data at a page's address is the API's request at its own address, answered as the API answers.
  const fromApi = (c: Context) => api.fetch(new Request(new URL(`/api/v1${c.req.path}${new URL(c.req.url).search}`, c.req.url), { headers: c.req.raw.headers }));
  const htmlOr = (asked: string, a: Answer) => {
    if (a.report) return page(renderHtml(a.report, { served: true, title: asked }));
    return page(renderNotFound(asked, a.nearest), 404);
  };
  site.onError((e, c) => c.json({ error: e.message }, 400));
  site.get('/', () => page(renderHtml(inventory.report(), { served: true })));
  site.get('/apps/:name', (c) => {
    if (!wantsHtml(c.req.header('accept'))) return fromApi(c);
    const name = c.req.param('name');
    return htmlOr(name, appAnswer(inventory, name, filterFrom((n) => c.req.query(n))));
  });
  site.get('/uses', (c) => {
    if (!wantsHtml(c.req.header('accept'))) return fromApi(c);
    const target = c.req.query('target');
    if (!target) return page(renderNotFound('', []), 404);
    return htmlOr(target, usesAnswer(inventory, target, new Map(), filterFrom((n) => c.req.query(n))));
  });
  site.all('/api/v1/*', (c) => api.fetch(c.req.raw));
  site.all('*', (c) => (c.req.method === 'GET' ? c.json({ error: 'no such route' }, 404) : c.json({ error: 'read-only: GET only' }, 405)));
  return site;
}

/** The API over one inventory (a file, or a PostgreSQL database). */
export function inventoryApi(inventory: Inventory, cmdbFile?: string): Hono {
  const app = new Hono().basePath('/api/v1');
  const answered = (a: Answer, asked: string) => (a.report
    ? { status: 200 as const, body: { summary: dependencySummary(a.report), report: a.report, ...(a.distinct ? { distinct: a.distinct } : {}) } }
    : { status: 404 as const, body: { error: `nothing matches ${asked}`, nearest: a.nearest } });
  app.onError((e, c) => c.json({ error: e.message }, 400));
  app.get('/health', (c) => c.json({ ok: true, tool: TOOL_VERSION, reportSchemaVersion: REPORT_SCHEMA_VERSION, inventory: inventory.name }));
  app.get('/apps', (c) => c.json(appList(inventory)));
  app.get('/apps/:name', (c) => {
    const r = answered(appAnswer(inventory, c.req.param('name'), filterFrom((n) => c.req.query(n))), c.req.param('name'));
    return c.json(r.body, r.status);
  });
  app.get('/uses', (c) => {
    const target = c.req.query('target');
    if (!target) return c.json({ error: 'target is required: a kind, host, host:port, URL, CIDR or wildcard' }, 400);
    const r = answered(usesAnswer(inventory, target, new Map(), filterFrom((n) => c.req.query(n))), target);
    return c.json(r.body, r.status);
  });
  app.get('/unused', (c) => c.json(unusedAnswer(inventory, cmdbFile ? readCmdbResources(cmdbFile) : null)));
  app.get('/diff', (c) => {
    const since = c.req.query('since');
    if (!since) return c.json({ error: 'since is required: a scan id, a date or a duration (24h, 7d)' }, 400);
    return c.json(diffAnswer(inventory, since, c.req.query('until')));
  });
  app.get('/secrets', (c) => c.json(filterReport(inventory.report(), filterFrom((n) => c.req.query(n))).secrets.map((s) => {
    const { value: _never, ...metadata } = s;
    return metadata;
  })));
  // Read-only: anything but GET is refused by name, not answered as "not found".
  app.all('*', (c) => (c.req.method === 'GET' ? c.json({ error: 'no such route' }, 404) : c.json({ error: 'read-only API: GET only' }, 405)));
  return app;
}

/**
 * Who may ask. A browser sends a page's requests to a name the page chose, so a site whose DNS name is switched to
 * 127.0.0.1 (DNS rebinding) could read the inventory through its visitor's browser: only requests addressed to a
 * name of this server are answered — a loopback name, the `--host` address, the address the connection arrived
 * at, or an `--allow-host` name. A token, when given, is required of every request.
 */
interface Access {
  hosts: ReadonlySet<string>;
  /** SHA-256 of the bearer token, or null when none is required. */
  tokenDigest: Buffer | null;
}

export interface ServeOptions {
  host: string;
  port: number;
  cmdb?: string;
  /** Further names requests may be addressed to (`--allow-host`, repeatable). */
  allowHost?: string[];
  /** A file holding the bearer token (`--token-file`); without it, CMDB_SCAN_SERVE_TOKEN. */
  tokenFile?: string;
}

/** The name a Host header or a host option gives: lower case, without port, IPv6 brackets or a final dot. */
function hostName(header: string): string {
  const text = header.trim().toLowerCase();
  if (/^[0-9a-f]*:[0-9a-f]*:/.test(text)) return text; // a bare IPv6 address (`--host ::`): no port to strip
  const m = /^\[([^\]]*)\]|^[^:]*/.exec(text)!;
  return (m[1] ?? m[0]).replace(/\.$/, '');
}

function isLoopback(address: string): boolean {
  return hostNames(address).has('localhost') || /^(?:::ffff:)?127(?:\.\d{1,3}){3}$/i.test(address);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/** The token requests must carry: the content of --token-file, else CMDB_SCAN_SERVE_TOKEN, else none. */
function readToken(tokenFile: string | undefined): string | null {
  if (tokenFile === undefined) return process.env['CMDB_SCAN_SERVE_TOKEN']?.trim() || null;
  let text: string;
  try {
    text = readFileSync(tokenFile, 'utf8');
  } catch (e) {
    throw new Error(`${tokenFile}: cannot read the token (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const token = text.trim();
  if (!token || /\s/.test(token)) throw new Error(`${tokenFile}: expected one token on one line`);
  return token;
}

/** Why a request is not answered (403: addressed to another name; 401: no or a wrong token), or null to answer it. */
function refusal(incoming: IncomingMessage | Http2ServerRequest, access: Access): Response | null {
  const host = incoming.headers.host;
  const name = host === undefined ? '' : hostName(host);
  const arrivedAt = (incoming.socket.localAddress ?? '').replace(/^::ffff:/i, '');
  if (!name || !(isLoopback(name) || access.hosts.has(name) || name === arrivedAt)) {
    return Response.json({ error: `requests to host ${host ?? '(none)'} are not answered: use a loopback name or the listening address, or start serve with --allow-host <name>` }, { status: 403 });
  }
  if (access.tokenDigest) {
    const given = /^Bearer +(\S+) *$/i.exec(incoming.headers.authorization ?? '')?.[1] ?? '';
    // Digests have one length whatever was sent, as timingSafeEqual needs, and the comparison takes the same time wherever they differ.
    if (!timingSafeEqual(sha256(given), access.tokenDigest)) {
      return Response.json({ error: 'a bearer token is required: Authorization: Bearer <token>' }, { status: 401, headers: { 'WWW-Authenticate': 'Bearer realm="cmdb-scan"' } });
    }
  }
  return null;
}

const LISTEN_ERRORS: Record<string, string> = {
  EADDRINUSE: 'the port is in use', EADDRNOTAVAIL: 'not an address of this machine', EACCES: 'permission denied', ENOTFOUND: 'no such host',
};

/**
 * Starts the API on `host:port` (port 0: any free one); resolves once listening with the server, its URL and a
 * warning to print when anyone on the network may read the inventory; rejects with one line when it cannot listen.
 */
export function startServer(dbFile: string, opts: ServeOptions): Promise<{ server: ServerType; url: string; warning: string | null; close(): void }> {
  const token = readToken(opts.tokenFile);
  const access: Access = { hosts: new Set([opts.host, ...opts.allowHost ?? []].map(hostName)), tokenDigest: token === null ? null : sha256(token) };
  const inventory = Inventory.openReadOnly(dbFile);
  const api = inventorySite(inventory, opts.cmdb);
  return new Promise((resolve, reject) => {
    const server = listen({ fetch: (request, env) => refusal(env.incoming, access) ?? api.fetch(request, env), hostname: opts.host, port: opts.port }, (info) => {
      server.off('error', notListening);
      const shown = info.address.includes(':') ? `[${info.address}]` : info.address;
      const warning = token === null && !isLoopback(info.address)
        ? `cmdb-scan: warning: listening on ${shown}, beyond this machine, without a token: anyone who can connect can read the inventory (--token-file or CMDB_SCAN_SERVE_TOKEN)`
        : null;
      resolve({ server, url: `http://${shown}:${info.port}/api/v1`, warning, close: () => { server.close(); inventory.close(); } });
    });
    function notListening(e: NodeJS.ErrnoException) {
      inventory.close();
      reject(new Error(`cannot listen on ${opts.host}:${opts.port}: ${LISTEN_ERRORS[e.code ?? ''] ?? e.code ?? e.message}`));
    }
    server.once('error', notListening);
  });
}
