/**
 * The batch benchmark, part of `npm run bench` (`--batch-repos N`, 0 to skip): N generated
 * service repositories as local bare remotes, scanned by runBatch from a list at
 * concurrency 1, 2 and 4 (fresh inventory and clone cache each time: clone cost included),
 * then rescanned unchanged, then rescanned after a commit to one file in every tenth
 * repository; and as 1, 2 and 4 `batch --shard i/n` processes writing one inventory, a SQLite file and (when a
 * PostgreSQL server is installed) a PostgreSQL database started for the bench. Prints repos per minute, the rescans'
 * cost as a share of the full scan, and what the inventory holds per repository.
 *
 * `--batch-list FILE` instead: real repositories from a list ("url [branch] [app]" lines, e.g. file:// URLs of local
 * mirrors), one process at concurrency 2 into each store: seconds per repository and inventory size per repository,
 * the figures the README's model for 20,000 repositories starts from.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runBatch } from '../src/batch/run.js';
import type { Discovery } from '../src/batch/jenkins.js';
import { Inventory } from '../src/inventory.js';
import { generateTree } from './generate.js';
import { postgresBinDir, startPostgres, type PostgresServer } from './postgres-server.js';

const GIT_ENV = { ...process.env, GIT_AUTHOR_NAME: 'Bench', GIT_AUTHOR_EMAIL: 'bench@acme.example', GIT_COMMITTER_NAME: 'Bench', GIT_COMMITTER_EMAIL: 'bench@acme.example' };

function git(args: string[], cwd: string): void {
  execFileSync('git', args, { cwd, env: GIT_ENV, stdio: 'ignore' });
}

/** N bare repositories of about `kb` KB each under `root/remotes`, generated once and kept (stamped). */
function createRemotes(root: string, n: number, kb: number): { remotes: string[]; bytes: number; files: number } {
  const stamp = path.join(root, '.bench-remotes.json');
  const wanted = JSON.stringify({ n, kb, generator: 1 });
  const remotes = Array.from({ length: n }, (_, i) => path.join(root, 'remotes', `svc-${String(i).padStart(3, '0')}.git`));
  const sizes = path.join(root, '.bench-sizes.json');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === wanted) return { remotes, ...(JSON.parse(readFileSync(sizes, 'utf8')) as { bytes: number; files: number }) };
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  let bytes = 0;
  let files = 0;
  remotes.forEach((bare, i) => {
    const work = path.join(root, 'work', `svc-${i}`);
    const g = generateTree(work, kb * 1024, 1000 + i);
    bytes += g.bytes;
    files += g.files;
    git(['init', '-q', '-b', 'main'], work);
    git(['add', '-A'], work);
    git(['commit', '-q', '-m', 'initial'], work);
    execFileSync('git', ['clone', '-q', '--bare', work, bare], { stdio: 'ignore' });
  });
  writeFileSync(sizes, JSON.stringify({ bytes, files }));
  writeFileSync(stamp, wanted);
  return { remotes, bytes, files };
}

/** A commit changing one file, pushed from the kept work tree. */
function touchOneFile(root: string, i: number, bare: string): void {
  const work = path.join(root, 'work', `svc-${i}`);
  const file = execFileSync('git', ['ls-files', '*application.yml'], { cwd: work, encoding: 'utf8' }).split('\n')[0]!;
  writeFileSync(path.join(work, file), readFileSync(path.join(work, file), 'utf8') + `# touched ${Date.now()}\n`);
  git(['commit', '-q', '-am', 'touch'], work);
  execFileSync('git', ['push', '-q', bare, 'HEAD:main'], { cwd: work, stdio: 'ignore' });
}

interface BenchStore {
  name: 'SQLite' | 'PostgreSQL';
  /** A new empty inventory: a file in the work directory, or a schema of the bench's server. */
  newInventory(label: string): string;
}

function storesFor(server: PostgresServer | null, work: string): BenchStore[] {
  return [
    { name: 'SQLite', newInventory: (label) => path.join(work, `${label}.db`) },
    ...(server ? [{ name: 'PostgreSQL' as const, newInventory: () => server.newSchema() }] : []),
  ];
}

/**
 * Repositories stored, the inventory's size on disk (the file, or the tables with indexes and TOAST of its schema),
 * and the rows of the given tables.
 */
function inventorySize(db: string, tables: readonly string[] = []): { repos: number; bytes: number; rows: Record<string, number> } {
  const inventory = Inventory.openReadOnly(db);
  try {
    const repos = inventory.repoPaths().length;
    const rows = Object.fromEntries(tables.map((t) => [t, (inventory.store.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n]));
    if (inventory.store.dialect === 'sqlite') return { repos, bytes: statSync(db).size, rows };
    const row = inventory.store.prepare(`SELECT sum(pg_total_relation_size(format('%I.%I', table_schema, table_name)::regclass)) AS bytes
      FROM information_schema.tables WHERE table_schema = current_schema()`).get() as { bytes: number };
    return { repos, bytes: row.bytes, rows };
  } finally {
    inventory.close();
  }
}

function runCli(args: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.resolve('dist/bin/cli.js'), ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

/** Real repositories from a list, one process at concurrency 2, into each store (see the header). */
export async function benchBatchList(list: string): Promise<string[]> {
  const out: string[] = [];
  const work = mkdtempSync(path.join(os.tmpdir(), 'cmdb-bench-list-'));
  const server = postgresBinDir() ? await startPostgres() : null;
  try {
    for (const store of storesFor(server, work)) {
      const db = store.newInventory('list');
      const s = performance.now();
      const cache = path.join(work, `cache-${store.name}`);
      const { code, stdout } = await runCli(['batch', '--list', path.resolve(list), '--db', db, '--cache-dir', cache, '--concurrency', '2', '--owners-since', 'none', '-q', '-f', 'json']);
      const seconds = (performance.now() - s) / 1000;
      const cacheBytes = Number(execFileSync('du', ['-sb', cache], { encoding: 'utf8' }).split('\t')[0]);
      const repos = (JSON.parse(stdout) as { repos: Array<{ status: string; seconds: number; filesRead: number; connections: number }> }).repos;
      // Per repository: over the repositories scanned (a failed clone writes nothing but its reason).
      const scanned = repos.filter((r) => r.status === 'scanned');
      const times = scanned.map((r) => r.seconds).sort((a, b) => a - b);
      const { bytes, rows } = inventorySize(db, ['file_results', 'occurrences', 'secrets', 'changes']);
      out.push(`batch --list ${list} into ${store.name} (exit ${code}): ${repos.length} repositories (${scanned.length} scanned) in ${seconds.toFixed(1)} s at concurrency 2; `
        + `per repository (clone + scan + write): median ${times[Math.floor(times.length / 2)]!.toFixed(1)} s, slowest ${times[times.length - 1]!.toFixed(1)} s, sum ${times.reduce((a, b) => a + b, 0).toFixed(1)} s; `
        + `${repos.reduce((k, r) => k + r.filesRead, 0)} files read; inventory ${(bytes / 1048576).toFixed(1)} MB = ${(bytes / scanned.length / 1024).toFixed(0)} KB per repository `
        + `(rows per repository: ${Object.entries(rows).map(([k, v]) => `${k} ${(v / scanned.length).toFixed(0)}`).join(', ')}); `
        + `clone cache ${(cacheBytes / 1048576).toFixed(0)} MB = ${(cacheBytes / scanned.length / 1048576).toFixed(1)} MB per repository`);
    }
    if (!server) out.push('PostgreSQL not installed: SQLite only (apt-get install postgresql)');
  } finally {
    server?.stop();
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}

export async function benchBatch(n: number, root = path.join('bench', 'batch')): Promise<string[]> {
  const out: string[] = [];
  const t0 = performance.now();
  const { remotes, bytes, files } = createRemotes(path.resolve(root), n, 600);
  out.push(`batch: ${n} generated repositories as local bare remotes (${files} files, ${(bytes / 1048576).toFixed(0)} MB in all), ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  const discovery: Discovery = { targets: remotes.map((r, i) => ({ job: `svc-${i}`, url: `file://${r}`, branch: 'main', app: null, credentialsId: null, scriptPath: null })), problems: [] };
  const work = mkdtempSync(path.join(os.tmpdir(), 'cmdb-bench-batch-'));
  try {
    let full4 = 0;
    for (const concurrency of [1, 2, 4]) {
      const inventory = Inventory.open(path.join(work, `c${concurrency}.db`));
      const s = performance.now();
      const summary = await runBatch(discovery, { inventory, cacheDir: path.join(work, `cache-c${concurrency}`), concurrency, ownersSince: null });
      const seconds = (performance.now() - s) / 1000;
      inventory.close();
      const failed = summary.repos.filter((r) => r.status !== 'scanned').length;
      out.push(`  full scan, concurrency ${concurrency}: ${seconds.toFixed(1)} s = ${(n / seconds * 60).toFixed(0)} repos/min${failed ? ` (${failed} not scanned!)` : ''}`);
      if (concurrency === 4) full4 = seconds;
    }
    // Worker processes: `batch --shard i/n` run n times at once, each at concurrency 1, all writing one inventory.
    const list = path.join(work, 'repos.txt');
    writeFileSync(list, remotes.map((r, i) => `file://${r} main svc-${i}`).join('\n') + '\n');
    const server = postgresBinDir() ? await startPostgres() : null;
    try {
      for (const store of storesFor(server, work)) {
        for (const processes of [1, 2, 4]) {
          const db = store.newInventory(`p${processes}`);
          const s = performance.now();
          const codes = await Promise.all(Array.from({ length: processes }, (_, i) => runCli(['batch', '--list', list, '--db', db, '--cache-dir', path.join(work, `cache-${store.name}-p${processes}-${i}`),
            '--concurrency', '1', '--owners-since', 'none', '-q', '-f', 'json', '--shard', `${i}/${processes}`]).then((r) => r.code)));
          const seconds = (performance.now() - s) / 1000;
          const { repos: stored, bytes } = inventorySize(db);
          out.push(`  full scan, ${processes} worker process${processes > 1 ? 'es' : ''} (--shard i/${processes}, one ${store.name} inventory): ${seconds.toFixed(1)} s = ${(n / seconds * 60).toFixed(0)} repos/min, `
            + `inventory ${(bytes / 1048576).toFixed(1)} MB = ${(bytes / Math.max(stored, 1) / 1024).toFixed(0)} KB per repository${stored !== n || codes.some((c) => c !== 0) ? ` (${stored} of ${n} stored, exit codes ${codes.join(',')}!)` : ''}`);
        }
      }
    } finally {
      server?.stop();
    }
    if (!server) out.push('  PostgreSQL not installed: worker processes on SQLite only (apt-get install postgresql)');
    const inventory = Inventory.open(path.join(work, 'c4.db'));
    try {
      const opts = { inventory, cacheDir: path.join(work, 'cache-c4'), concurrency: 4, ownersSince: null };
      let s = performance.now();
      const unchanged = await runBatch(discovery, opts);
      const unchangedSeconds = (performance.now() - s) / 1000;
      out.push(`  unchanged rescan, concurrency 4: ${unchangedSeconds.toFixed(2)} s = ${(unchangedSeconds / full4 * 100).toFixed(1)} % of the full scan (${unchanged.repos.filter((r) => r.status === 'unchanged').length} unchanged)`);
      const touched = remotes.filter((_, i) => i % 10 === 0);
      remotes.forEach((r, i) => { if (i % 10 === 0) touchOneFile(path.resolve(root), i, r); });
      s = performance.now();
      const changed = await runBatch(discovery, opts);
      const changedSeconds = (performance.now() - s) / 1000;
      const read = changed.repos.reduce((k, r) => k + r.filesRead, 0);
      const reused = changed.repos.reduce((k, r) => k + r.filesReused, 0);
      out.push(`  rescan after one changed file in ${touched.length} repositories: ${changedSeconds.toFixed(2)} s = ${(changedSeconds / full4 * 100).toFixed(1)} % of the full scan; ${read} files read, ${reused} reused`);
    } finally {
      inventory.close();
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
