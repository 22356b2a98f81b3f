/**
 * A throwaway PostgreSQL server for tests and the bench: a new cluster in a temporary directory, on a free loopback port, with
 * trust authentication, stopped and deleted afterwards. Uses Debian's server binaries (`.ci/run` installs the
 * `postgresql` package when they are missing). PostgreSQL refuses to run as root: as root, the cluster belongs
 * to the `postgres` system user and is started through `runuser`.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PostgresStore } from '../src/storage/postgres.js';

export interface PostgresServer {
  /** `postgres://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** Runs SQL as the superuser (roles, schemas, grants). */
  admin(sql: string): void;
  /** A new empty schema, and the URL whose connections use it: one inventory per test on one server. */
  newSchema(): string;
  /** Stops the server at once (its sessions are cut, as in a crash or failover) and starts it again on the same port. */
  restart(): void;
  stop(): void;
}

/** The newest installed server's bin directory, or null when no server is installed. */
export function postgresBinDir(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0]!, 'bin') : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL server installed (apt-get install postgresql)');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (command: string, args: string[]) => {
    if (asRoot) execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { stdio: 'pipe' });
    else execFileSync(command, args, { stdio: 'pipe' });
  };
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  run(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
  // Unix sockets in the cluster's own directory: /var/run/postgresql may not exist or be writable.
  run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const admin = (sql: string) => {
    const store = PostgresStore.connect(url, { readOnly: false });
    try {
      store.exec(sql);
    } finally {
      store.close();
    }
  };
  let schemas = 0;
  return {
    url,
    admin,
    newSchema: () => {
      const schema = `inventory_${++schemas}`;
      admin(`CREATE SCHEMA ${schema}`);
      return `${url}?options=-csearch_path%3D${schema}`;
    },
    // With the log file again: otherwise the new server inherits this call's pipes and the call never returns.
    restart: () => run(path.join(bin, 'pg_ctl'), ['-D', data, '-l', path.join(dir, 'server.log'), '-m', 'immediate', '-w', 'restart']),
    stop: () => {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
