/**
 * `npm run bench [-- --size-mb 200 --dir bench/tree]`: scans a synthetic tree and prints
 * files/s, MB/s and peak RSS, and, when ripgrep is installed, the time `rg -i -c` takes
 * to search the same tree for the same keywords, as a ratio. Figures go to bench/RESULTS.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, linkSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { scanRepository } from '../src/engine.js';
import { DEFAULT_KEYWORDS } from '../src/keywords.js';
import { scanners } from '../scanners/index.js';

const CODE_SCANNERS = new Set(['python-code', 'java-code', 'javascript-code', 'go-code']);
import { generateJavaRepository, generateTree } from './generate.js';
// The model-stage, batch and rule-timing benches are imported where they run, so that the `--floor` child
// process loads no more than a scan does.

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    'size-mb': { type: 'string', default: '200' },
    dir: { type: 'string', default: path.join('bench', 'tree') },
    runs: { type: 'string', default: '3' },
    threads: { type: 'string', default: '1' },
    /** Trees for the model-stage figures (comma-separated); `none` skips them. */
    'llm-dirs': { type: 'string', default: 'fixtures' },
    /** Repositories for the batch figures; 0 skips them. */
    'batch-repos': { type: 'string', default: '200' },
    /** Real repositories for the batch bench instead ("url [branch] [app]" lines); runs only that. */
    'batch-list': { type: 'string' },
    /** Real trees (repository roots, comma-separated) for the CPU comparison with ripgrep (issue 17). */
    real: { type: 'string' },
    /** One generated repository of this many MB of Java that the code scanner parses (issue 17's cost curve). */
    'java-mb': { type: 'string' },
    /** With --real: the roots hard-linked this many times into ONE repository each (e.g. 1,3,6,27), scanned once each. */
    copies: { type: 'string' },
    /** Internal (run by --real in a child process): a scan whose scanners do no rule work: `none`, `parse` or `copy`. */
    floor: { type: 'string' },
    /** Only the pre-commit hook figure (issue 28 §2), on this tree (a repository root or the generated tree). */
    hook: { type: 'string' },
    /** Internal (run by --real in a child process): the stages' times of one-thread scans of the positional roots. */
    stages: { type: 'boolean', default: false },
  },
});
const sizeMb = Number(values['size-mb']);
const dir = path.resolve(values.dir!);
const runs = Math.max(1, Number(values.runs));
const threads = Math.max(1, Number(values.threads));

/** Mirrors a directory tree with hard links (symbolic links and other special files are left out). */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    if (entry.isDirectory()) linkTree(source, path.join(to, entry.name));
    else if (entry.isFile()) linkSync(source, path.join(to, entry.name));
  }
}

/**
 * Builds a generated tree unless `tree` already holds the one `stamp` describes (the stamp file is written last,
 * so an interrupted build is redone). True when it was built now.
 */
function stampedTree(tree: string, stamp: object, build: () => void): boolean {
  const stampFile = path.join(tree, '.bench-tree.json');
  const wanted = JSON.stringify(stamp);
  if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === wanted) return false;
  rmSync(tree, { recursive: true, force: true });
  build();
  writeFileSync(stampFile, wanted);
  return true;
}

/**
 * CPU (user + system, all threads) and peak RSS of one command, from GNU time: the measure issue 17 sets, since
 * a scan's wall time hides what its worker and libuv threads cost.
 */
function cpuOf(command: string, args: string[]): { cpu: number; wall: number; rssMb: number } | null {
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %e %M', command, ...args], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  const m = /(\d+\.\d+) (\d+\.\d+) (\d+\.\d+) (\d+)\s*$/.exec(r.stderr ?? '');
  return m ? { cpu: Number(m[1]) + Number(m[2]), wall: Number(m[3]), rssMb: Number(m[4]) / 1024 } : null;
}

if (values.hook) {
  console.log((await import('./hook.js')).benchStagedHook(path.resolve(values.hook), linkTree).join('\n'));
  process.exit(0);
}

if (values['batch-list']) {
  console.log((await (await import('./batch.js')).benchBatchList(values['batch-list'])).join('\n'));
  process.exit(0);
}

if (values.floor) {
  // The architecture's floor on the given roots: every step of a scan (walk, read, decode, keyword filter, code
  // gates, token search, app markers) but the rules; with `parse`, code files are also parsed and their trees
  // copied, as the code scanners do before reading anything. What remains above it is rule work.
  const { parseSource, parseTree } = await import('../src/code/parsers.js');
  const { languageOf } = await import('../src/llm/snippets.js');
  const idle = scanners.map((sc) => ({
    ...sc,
    scan: (file: { path: string; text: string }) => {
      const language = values.floor !== 'none' && CODE_SCANNERS.has(sc.id) ? languageOf(file.path) : null;
      if (language && values.floor === 'copy') parseSource(language, file.text);
      else if (language) parseTree(language, file.text);
      return { findings: [], secrets: [] };
    },
  }));
  for (const root of positionals) await scanRepository(root, { scanners: idle });
  process.exit(0);
}

if (values['java-mb']) {
  // Time and peak RSS of one repository of generated Java, every file parsed, in a fresh process (GNU time).
  const javaMb = Number(values['java-mb']);
  const javaDir = path.resolve(`${dir}-java-${javaMb}`);
  stampedTree(javaDir, { javaMb, seed: 42, generator: 1 }, () => {
    const g = generateJavaRepository(javaDir, javaMb * 1024 * 1024);
    console.log(`generated ${g.files} Java files, ${(g.bytes / 1048576).toFixed(1)} MB`);
  });
  const run = cpuOf(process.execPath, [path.resolve('dist/bin/cli.js'), 'scan', javaDir, '--no-db', '-q', '-f', 'json']);
  console.log(run ? `generated Java (${javaMb} MB, one repository): ${run.cpu.toFixed(2)} s CPU, ${run.wall.toFixed(2)} s wall, peak RSS ${run.rssMb.toFixed(0)} MB` : 'needs GNU time (/usr/bin/time)');
  process.exit(0);
}

if (values.real && values.copies) {
  // The cost curve of one repository: the real roots linked (not copied: no extra disk) N times under one root.
  const roots = values.real.split(',').map((r) => path.resolve(r));
  const cli = path.resolve('dist/bin/cli.js');
  for (const n of values.copies.split(',').map(Number)) {
    const tree = path.resolve(`${dir}-curve`, `x${n}`);
    stampedTree(tree, { roots, n }, () => {
      for (let copy = 0; copy < n; copy++) for (const root of roots) linkTree(root, path.join(tree, `c${copy}`, path.basename(root)));
    });
    const bytes = spawnSync('du', ['-sb', tree], { encoding: 'utf8' }).stdout.split('\t')[0];
    const run = cpuOf(process.execPath, [cli, 'scan', tree, '--no-db', '-q', '-f', 'json']);
    console.log(run ? `${n} cop${n === 1 ? 'y' : 'ies'} in one repository (${(Number(bytes) / 2 ** 30).toFixed(2)} GiB): ${run.cpu.toFixed(1)} s CPU, ${run.wall.toFixed(1)} s wall, peak RSS ${run.rssMb.toFixed(0)} MB` : 'needs GNU time (/usr/bin/time)');
  }
  process.exit(0);
}

if (values.stages) {
  // Internal (run by --real in a child process): the stages' wall time of a one-thread scan of each root, as JSON.
  const total = { walk: 0, files: 0, assemble: 0 };
  for (const root of positionals) {
    const t = (await scanRepository(root, { threads: 1 })).timings!;
    total.walk += t.walk;
    total.files += t.files;
    total.assemble += t.assemble;
  }
  console.log(JSON.stringify(total));
  process.exit(0);
}

if (values.real) {
  // Issue 28's figures side by side on real repositories, in one run: the whole static scan as users run it (the
  // default threads) and on one thread, ripgrep over the same roots, the machine's own ceiling for two busy threads,
  // a model of more cores from the stages' times, and the pre-commit hook.
  const roots = values.real.split(',').map((r) => path.resolve(r));
  const cli = path.resolve('dist/bin/cli.js');
  const middle = (xs: Array<ReturnType<typeof cpuOf>>, by: 'cpu' | 'wall') => {
    const all = xs.filter((x): x is NonNullable<typeof x> => x !== null).sort((a, b) => a[by] - b[by]);
    return all[Math.floor(all.length / 2)] ?? null;
  };
  const median = (f: () => ReturnType<typeof cpuOf>) => middle(Array.from({ length: runs }, f), 'cpu');
  const scanArgs = [cli, 'scan', ...roots, '--no-db', '-q', '-f', 'json'];
  const { defaultThreads } = await import('../src/worker-pool.js');
  const threadsDefault = defaultThreads();
  // Alternated, so that a slow spell of a shared machine falls on both.
  const ones: Array<ReturnType<typeof cpuOf>> = [];
  const defaults: Array<ReturnType<typeof cpuOf>> = [];
  for (let i = 0; i < runs; i++) {
    ones.push(cpuOf(process.execPath, [...scanArgs, '--threads', '1']));
    defaults.push(cpuOf(process.execPath, scanArgs));
  }
  const one = middle(ones, 'wall');
  const oneCpu = middle(ones, 'cpu');
  const byDefault = middle(defaults, 'wall');
  // Two one-thread scans at once: what this machine gives two busy threads of this work, whatever the code does.
  const pairStart = performance.now();
  await Promise.all([0, 1].map(() => new Promise((resolve) => spawn(process.execPath, [...scanArgs, '--threads', '1'], { stdio: 'ignore' }).on('exit', resolve))));
  const pairWall = (performance.now() - pairStart) / 1000;
  const stages = JSON.parse(spawnSync(process.execPath, [process.argv[1]!, '--stages', ...roots], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).stdout) as { walk: number; files: number; assemble: number };
  const floor = median(() => cpuOf(process.execPath, [process.argv[1]!, '--floor', 'none', ...roots]));
  const floorParse = median(() => cpuOf(process.execPath, [process.argv[1]!, '--floor', 'parse', ...roots]));
  const floorCopy = median(() => cpuOf(process.execPath, [process.argv[1]!, '--floor', 'copy', ...roots]));
  const hasRipgrep = spawnSync('rg', ['--version']).status === 0;
  const rgRun = hasRipgrep ? median(() => cpuOf('rg', ['-i', '-c', '-F', '--hidden', '--no-messages', ...DEFAULT_KEYWORDS.flatMap((k) => ['-e', k]), ...roots])) : null;
  if (!one || !oneCpu || !byDefault || !rgRun) {
    console.log('real trees: needs GNU time (/usr/bin/time) and ripgrep');
  } else {
    const listed = roots.map((r) => ({ r, n: spawnSync('rg', ['--files', '--hidden', r], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).stdout.split('\n').filter(Boolean).length }));
    const files = listed.reduce((sum, l) => sum + l.n, 0);
    const serial = (stages.walk + stages.assemble) / (stages.walk + stages.files + stages.assemble);
    const amdahl = (n: number) => 1 / (serial + (1 - serial) / n);
    const largest = [...listed].sort((a, b) => b.n - a.n)[0]!.r;
    console.log([
      `real trees (${roots.length} roots, ${files} files ripgrep lists), median of ${runs} (${os.availableParallelism()} cores):`,
      `  cmdb-scan scan --threads 1: ${oneCpu.cpu.toFixed(2)} s CPU, ${one.wall.toFixed(2)} s wall, peak RSS ${one.rssMb.toFixed(0)} MB`,
      `  cmdb-scan scan (default, ${threadsDefault} threads): ${byDefault.cpu.toFixed(2)} s CPU, ${byDefault.wall.toFixed(2)} s wall, peak RSS ${byDefault.rssMb.toFixed(0)} MB`,
      `  wall default / --threads 1: ${(byDefault.wall / one.wall).toFixed(2)} (target ≤ 0.62), parallel efficiency ${(one.wall / byDefault.wall / threadsDefault).toFixed(2)} (target ≥ 0.8)`,
      `  two --threads 1 scans at once: ${pairWall.toFixed(2)} s wall for both, ${(pairWall / 2 / one.wall).toFixed(2)} of one scan's wall each (this machine's ceiling for two busy threads)`,
      `  stages of a one-thread scan: walk ${(stages.walk / 1000).toFixed(2)} s, files ${(stages.files / 1000).toFixed(2)} s, the rest ${(stages.assemble / 1000).toFixed(2)} s; serial ${(serial * 100).toFixed(0)} %`,
      `  Amdahl from those stages (no contention): ${[2, 8, 16, 64].map((n) => `${n} cores ${amdahl(n).toFixed(1)}×`).join(', ')}`,
      `  ripgrep (${DEFAULT_KEYWORDS.length} keywords): ${rgRun.cpu.toFixed(2)} s CPU, ${rgRun.wall.toFixed(2)} s wall`,
      `  CPU ratio cmdb-scan --threads 1 / ripgrep: ${(oneCpu.cpu / rgRun.cpu).toFixed(1)}× (target ≤ 20×)`,
      ...(floor && floorParse && floorCopy ? [
        `  floor, every step but the rules: ${floor.cpu.toFixed(2)} s CPU (${(floor.cpu / rgRun.cpu).toFixed(1)}× ripgrep)`,
        `  floor with the code files the gates admit parsed by tree-sitter: ${floorParse.cpu.toFixed(2)} s CPU (${(floorParse.cpu / rgRun.cpu).toFixed(1)}× ripgrep)`,
        `  floor with those trees also copied for the rules: ${floorCopy.cpu.toFixed(2)} s CPU (${(floorCopy.cpu / rgRun.cpu).toFixed(1)}× ripgrep)`,
      ] : []),
      ...(await import('./hook.js')).benchStagedHook(largest, linkTree).map((l) => `  ${l}`),
    ].join('\n'));
  }
  process.exit(0);
}

const generated = stampedTree(dir, { sizeMb, seed: 42, generator: 2 }, () => {
  const t0 = performance.now();
  const g = generateTree(dir, sizeMb * 1024 * 1024);
  console.log(`generated ${g.files} files, ${(g.bytes / 1048576).toFixed(1)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
});
if (generated) {
  // Measure in a fresh process, so that the generator's memory does not count as the scanner's peak RSS.
  const child = spawnSync(process.execPath, process.argv.slice(1), { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

let peakRss = 0;
const sampler = setInterval(() => { peakRss = Math.max(peakRss, process.memoryUsage().rss); }, 20);

let best = Infinity;
let last: Awaited<ReturnType<typeof scanRepository>> | undefined;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  last = await scanRepository(dir, { threads });
  best = Math.min(best, (performance.now() - t0) / 1000);
}
clearInterval(sampler);
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
const mb = last!.stats.bytesSeen / 1048576;
const lines = [
  `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
  `tree: ${last!.stats.filesSeen} files, ${mb.toFixed(1)} MB (${(last!.stats.bytesRead / 1048576).toFixed(1)} MB read), ${last!.stats.filesScanned} parsed, ${last!.connections.length} connections`,
  `cmdb-scan (${threads} thread${threads > 1 ? 's' : ''}): best of ${runs}: ${best.toFixed(2)} s, ${(last!.stats.filesSeen / best).toFixed(0)} files/s, ${(mb / best).toFixed(1)} MB/s, peak RSS ${(peakRss / 1048576).toFixed(0)} MB`,
];

// The AST stage on its own: the same tree without the code scanners, and the difference per MB they parsed.
const configOnly = scanners.filter((sc) => !CODE_SCANNERS.has(sc.id));
let configBest = Infinity;
let configResult: Awaited<ReturnType<typeof scanRepository>> | undefined;
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  configResult = await scanRepository(dir, { scanners: configOnly });
  configBest = Math.min(configBest, (performance.now() - t0) / 1000);
}
const codeMb = (last!.stats.bytesScanned - configResult!.stats.bytesScanned) / 1048576;
lines.push(`without code scanners: ${configBest.toFixed(2)} s; code parsed by tree-sitter scanners: ${codeMb.toFixed(1)} MB in ${(best - configBest).toFixed(2)} s more = ${((best - configBest) / Math.max(codeMb, 0.001)).toFixed(3)} s per MB of code (${(codeMb / Math.max(best - configBest, 0.001)).toFixed(1)} MB/s)`);

const rg = spawnSync('rg', ['--version'], { encoding: 'utf8' });
if (rg.status === 0) {
  const args = ['-i', '-c', '-F', '--hidden', '--no-messages', ...DEFAULT_KEYWORDS.flatMap((k) => ['-e', k]), dir];
  let rgBest = Infinity;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    spawnSync('rg', args, { stdio: 'ignore' });
    rgBest = Math.min(rgBest, (performance.now() - t0) / 1000);
  }
  lines.push(`ripgrep ${rg.stdout.split('\n')[0]!.split(' ')[1]}: rg -i -c -F --hidden -e <${DEFAULT_KEYWORDS.length} keywords>: best of ${runs}: ${rgBest.toFixed(2)} s, ${(mb / rgBest).toFixed(1)} MB/s`);
  lines.push(`throughput ratio cmdb-scan / ripgrep: ${(rgBest / best).toFixed(2)}×`);
} else {
  lines.push('ripgrep not installed: no comparison (apt-get install ripgrep)');
}
console.log(lines.join('\n'));

if (values['llm-dirs'] !== 'none') {
  for (const d of [...values['llm-dirs']!.split(',').filter(Boolean).map((x) => path.resolve(x)), dir]) {
    console.log((await (await import('./llm.js')).benchModelStage(d)).join('\n'));
  }
}

if (Number(values['batch-repos']) > 0) console.log((await (await import('./batch.js')).benchBatch(Number(values['batch-repos']))).join('\n'));

// What a pre-commit hook costs on this tree (issue 28 §2).
console.log((await import('./hook.js')).benchStagedHook(dir, linkTree).join('\n'));

// Token rules on text built to make them backtrack: every rule must stay linear (issue 11).
const ruleTimes = (await import('./adversarial.js')).timeRules(2 * 1024 * 1024);
const slowest = [...ruleTimes].sort((a, b) => b.worstMsPerMb - a.worstMsPerMb);
console.log(`token rules on 2 MB adversarial inputs (${ruleTimes.length} rules): slowest ${slowest.slice(0, 3).map((r) => `${r.rule} ${r.worstMsPerMb.toFixed(0)} ms/MB (${r.worstInput})`).join(', ')}`);
