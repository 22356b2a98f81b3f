/**
 * `cmdb-scan serve`: the inventory as a read-only HTTP API other tools call (a CMDB's sync job, a dashboard, a
 * chat-ops bot), on Hono — the framework the MCP SDK already brings along, so the API costs no second web stack.
 * Every route is a GET over src/queries.ts; the inventory is opened read-only once, so a running batch's writes
 * show up and nothing here can change them. Secrets are metadata only (masked preview, fingerprint): no value is
 * stored to serve.
 */
import { serve as listen, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { readCmdbResources } from './cmdb-resources.js';
import { Inventory } from './inventory.js';
import { appAnswer, appList, dependencySummary, diffAnswer, unusedAnswer, usesAnswer, type Answer } from './queries.js';
import { filterReport, parseScopes, type ReportFilter } from './report-filter.js';
import { REPORT_SCHEMA_VERSION, Severity, type Secret } from './result-model.js';
import { TOOL_VERSION } from './version.js';

/** Report filters from query parameters, as the CLI's flags: `scope`, `profile`, `kind` (comma-separated), `min_severity`, `no_tests`. */
function filterFrom(q: (name: string) => string | undefined): ReportFilter {
  const list = (name: string) => q(name)?.split(',').map((x) => x.trim()).filter(Boolean);
  const severity = q('min_severity');
  if (severity !== undefined && !Severity.safeParse(severity).success) throw new Error(`min_severity ${severity}: one of low, medium, high`);
  const scopes = list('scope');
  const profiles = list('profile');
  const kinds = list('kind');
  return {
    ...(scopes ? { scopes: parseScopes(scopes) } : {}), ...(profiles ? { profiles } : {}), ...(kinds ? { kinds } : {}),
    ...(severity ? { minSeverity: severity as Secret['severity'] } : {}), ...(q('no_tests') !== undefined ? { noTests: true } : {}),
  };
}

/** The API over one inventory (a file, or a PostgreSQL database). */
export function inventoryApi(inventory: Inventory, cmdbFile?: string): Hono {
  const app = new Hono().basePath('/api/v1');
  const answered = (a: Answer, asked: string) => (a.report
    ? { status: 200 as const, body: { summary: dependencySummary(a.report), report: a.report } }
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

/** Starts the API on `host:port` (port 0: any free one); resolves with the server and its URL once listening. */
export function startServer(dbFile: string, opts: { host: string; port: number; cmdb?: string }): Promise<{ server: ServerType; url: string; close(): void }> {
  const inventory = Inventory.openReadOnly(dbFile);
  const api = inventoryApi(inventory, opts.cmdb);
  return new Promise((resolve) => {
    const server = listen({ fetch: api.fetch, hostname: opts.host, port: opts.port }, (info) => {
      const shown = info.address.includes(':') ? `[${info.address}]` : info.address;
      resolve({ server, url: `http://${shown}:${info.port}/api/v1`, close: () => { server.close(); inventory.close(); } });
    });
  });
}
