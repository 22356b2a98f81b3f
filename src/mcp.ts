/**
 * `cmdb-scan mcp`: the inventory's questions as tools of a Model Context Protocol server on stdio (the official
 * TypeScript SDK), so an ops agent can ask "what does order-service talk to?" or "who uses 10.20.1.15?" and get
 * the same answers as the CLI and the HTTP API (src/queries.ts). Read-only: the inventory is opened read-only and
 * every tool says so (`readOnlyHint`); secrets are metadata only.
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { ErrorCode, type JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { Inventory } from './inventory.js';
import { appAnswer, appList, dependencySummary, diffAnswer, unusedAnswer, usesAnswer, type Answer } from './queries.js';
import { filterReport } from './report-filter.js';
import { TOOL_VERSION } from './version.js';

const READ_ONLY = { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: false } as const;

function text(value: unknown) {
  return { content: [{ type: 'text' as const, text: JSON.stringify(value, null, 2) }] };
}

function answered(a: Answer, asked: string) {
  if (!a.report) return { ...text({ error: `nothing in the inventory matches ${asked}`, nearest: a.nearest }), isError: true };
  const secrets = a.report.secrets.map(({ value: _never, ...s }) => s);
  return text({ ...dependencySummary(a.report), secrets, ...(a.distinct ? { distinct: a.distinct } : {}) });
}

/** An MCP server over one inventory (not yet connected to a transport). */
export function inventoryMcpServer(inventory: Inventory): McpServer {
  const server = new McpServer({ name: 'cmdb-scan', version: TOOL_VERSION });
  server.registerTool('list_apps', {
    title: 'List apps',
    description: 'Every application in the inventory, with its repository, Jenkins job and owners.',
    annotations: READ_ONLY,
  }, () => text(appList(inventory)));
  server.registerTool('app_dependencies', {
    title: 'What does this app connect to?',
    description: 'The databases, middleware and APIs an app connects to, grouped by kind, with profiles, hard-coded passwords, evidence (file:line), owners and Jenkins job. Exact app name, else a substring.',
    inputSchema: { name: z.string().min(1).describe('app name, e.g. order-service') },
    annotations: READ_ONLY,
  }, ({ name }) => answered(appAnswer(inventory, name), name));
  server.registerTool('who_uses', {
    title: 'Who uses this resource?',
    description: 'Apps that connect to a resource: a kind (redis), host, host:port, URL or JDBC URL, CIDR (10.20.0.0/16) or wildcard (*.rds.aliyuncs.com).',
    inputSchema: { target: z.string().min(1).describe('what to look for, e.g. 10.20.1.15:3306') },
    annotations: READ_ONLY,
  }, ({ target }) => answered(usesAnswer(inventory, target), target));
  server.registerTool('unused_resources', {
    title: 'Resources nothing references',
    description: 'Resources an earlier scan found that no current scan references, with when and by which app they were last referenced.',
    annotations: READ_ONLY,
  }, () => text(unusedAnswer(inventory, null)));
  server.registerTool('changes_since', {
    title: 'What changed',
    description: 'Apps, connections and secrets added, removed or changed since a scan id, a date (2026-11-28, yesterday) or a duration (30m, 24h, 7d).',
    inputSchema: { since: z.string().min(1).describe('a scan id, a date or a duration such as 24h') },
    annotations: READ_ONLY,
  }, ({ since }) => text(diffAnswer(inventory, since)));
  server.registerTool('secrets', {
    title: 'Hard-coded secrets (metadata)',
    description: 'Hard-coded credentials the scans found: kind, file, line, masked preview, fingerprint, severity. Never a value.',
    inputSchema: { min_severity: z.enum(['low', 'medium', 'high']).optional().describe('only this severity or higher') },
    annotations: READ_ONLY,
  }, ({ min_severity }) => text(filterReport(inventory.report(), min_severity ? { minSeverity: min_severity } : {}).secrets.map(({ value: _never, ...s }) => s)));
  return server;
}

/**
 * The reply to a line the stdio transport could not read, or null for any other error. The SDK's transport reports
 * such a line to `onerror` and drops it, leaving a client that sent it waiting; JSON-RPC 2.0 answers it with a
 * parse error whose id is null (the id could not be read). As the SDK's own HTTP transport does, text that is not
 * JSON and JSON that is not a JSON-RPC message (its schema check throws a ZodError) both get -32700.
 */
function unreadableLineReply(error: Error): JSONRPCMessage | null {
  const what = error instanceof SyntaxError ? 'not JSON' : error.name === 'ZodError' ? 'not a JSON-RPC 2.0 message' : null;
  if (what === null) return null;
  // The SDK's message type has no null id; the specification requires one here.
  return { jsonrpc: '2.0', id: null, error: { code: ErrorCode.ParseError, message: `Parse error: ${what}` } } as unknown as JSONRPCMessage;
}

/** Serves the tools on stdin/stdout until the client goes away. */
export async function runMcpServer(dbFile: string): Promise<void> {
  const inventory = Inventory.openReadOnly(dbFile);
  const server = inventoryMcpServer(inventory);
  const transport = new StdioServerTransport();
  // Set before connect: the protocol layer keeps a transport's own handler and calls it first.
  transport.onerror = (error) => {
    const reply = unreadableLineReply(error);
    if (reply) void transport.send(reply);
  };
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    server.server.onclose = () => resolve();
    process.stdin.on('end', () => resolve());
  });
  inventory.close();
}
