/** `cmdb-scan serve`: the inventory as a read-only HTTP API and web view. */
import { Command } from 'commander';
import { storeName } from '../storage/postgres-location.js';
import { collect, dbOption, printLine } from './shared.js';

export default function registerServe(program: Command): void {
  program.command('serve')
    .description('a read-only HTTP API over the inventory: apps, uses, unused, diff, secrets metadata')
    .addOption(dbOption())
    .option('--host <address>', 'address to listen on (default loopback only)', '127.0.0.1')
    .option('--port <port>', 'port (0: any free one)', (v) => Number.parseInt(v, 10), 8080)
    .option('--cmdb <file>', 'the CMDB resource list /unused matches against')
    .option('--allow-host <name>', 'also answer requests addressed to this name (repeatable); loopback names and the --host address always are', collect)
    .option('--token-file <file>', 'require Authorization: Bearer <the token in this file> on every request (else env CMDB_SCAN_SERVE_TOKEN)')
    .action(async (opts: { db: string; host: string; port: number; cmdb?: string; allowHost?: string[]; tokenFile?: string }) => {
      if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error(`--port ${opts.port}: not a port`);
      const { startServer } = await import('../serve.js');
      const { url, close, warning } = await startServer(opts.db, opts);
      if (warning) printLine(warning);
      printLine(`cmdb-scan: serving ${storeName(opts.db)} read-only: the report at ${url.replace(/\/api\/v1$/, '/')} (and /apps/<name>, /uses?target=), the API at ${url} (GET /health, /apps, /apps/:name, /uses?target=, /unused, /diff?since=, /secrets)`);
      await new Promise<void>((resolve) => {
        for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => { close(); resolve(); });
      });
    });
}
