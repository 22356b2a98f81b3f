/** `cmdb-scan mcp`: the inventory as read-only MCP tools on stdio. */
import { Command } from 'commander';
import { dbOption } from './shared.js';

export default function registerMcp(program: Command): void {
  program.command('mcp')
    .description('an MCP server on stdio for ops agents: the same read-only questions as tools')
    .addOption(dbOption())
    .action(async (opts: { db: string }) => {
      const { runMcpServer } = await import('../mcp.js');
      await runMcpServer(opts.db);
    });
}
