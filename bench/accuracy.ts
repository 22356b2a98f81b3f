/**
 * `npm run accuracy -- --corpus DIR [--truth bench/corpus] [--json] [--only owner+name]`: scans each
 * labelled repository (checked out at its pinned commit under DIR/<owner>+<name>) with the static
 * scanner and scores it against its truth file, as ../shared/LABELLING.md defines: a reported
 * connection matches a labelled one on file, line (±1 or one of `alt_lines`), kind and host; a secret
 * on file and line (±1). Optional entries are neither required nor counted against; `stretch` entries
 * are scored apart; a trap is hit when something unmatched is reported on its line.
 *
 * Getting the trees (needs network): for each truth file,
 *   git clone https://github.com/<owner>/<name> DIR/<owner>+<name> && git -C DIR/<owner>+<name> checkout <commit>
 * `--print-clone` prints those commands for the trees that are missing.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { scanRepository } from '../src/engine.js';
import { HTTP_BASED_KINDS } from '../src/catalog/index.js';
import type { Connection, Kind, Secret } from '../src/result-model.js';

interface TruthConnection {
  kind: string;
  host: string | null;
  port?: number | null;
  file: string;
  line: number;
  alt_lines?: number[];
  difficulty?: 'stretch';
  valueSource?: 'literal' | 'env-default' | 'placeholder';
  note?: string;
}
interface TruthSecret { file: string; line: number; kind: string; optional?: boolean; alt_lines?: number[]; note?: string }
interface Trap { file: string; line: number; why: string; secretOnly?: boolean }
interface Truth {
  repo: string;
  commit: string;
  connections: TruthConnection[];
  optional?: TruthConnection[];
  secrets: TruthSecret[];
  traps?: Trap[];
}

/** Source code, where a connection is built by a call; everything else is configuration. */
const CODE = /\.(py|java|go|[cm]?[jt]sx?|kt|kts|scala|groovy|cs|php|rb|rs|swift|c|cc|cpp|h|hpp)$/i;
const classOf = (file: string): 'code' | 'config' => (CODE.test(file) ? 'code' : 'config');

const near = (line: number, want: number, alt: number[] = []) => Math.abs(line - want) <= 1 || alt.includes(line);
const sameHost = (a: string | null, b: string | null) => (a ?? '').toLowerCase() === (b ?? '').toLowerCase();

/** The kinds ../shared/LABELLING.md lets a labeller write; anything else a labeller calls `other`. */
const LABELLED_KINDS = new Set([
  'mysql', 'mariadb', 'postgresql', 'oracle', 'sqlserver', 'sqlite', 'h2', 'redis', 'memcached', 'mongodb', 'elasticsearch',
  'kafka', 'rocketmq', 'rabbitmq', 'mqtt', 'nacos', 'zookeeper', 'consul', 'apollo', 'eureka', 'clickhouse', 'doris', 'hbase',
  'influxdb', 'neo4j', 'cassandra', 'minio', 's3', 'oss', 'cos', 'obs', 'sls', 'azkaban', 'xxl-job', 'http', 'smtp', 'ldap', 'ftp', 'other',
]);

/**
 * A reported kind the labelling list has no name for (`logstash`, `activemq`) is the labeller's `other`; one whose
 * product is reached over HTTP (`gitlab`, `keycloak`: the catalog's `http` records) may be the labeller's `http` too.
 */
const sameKind = (reported: string, labelled: string) => reported === labelled
  || (!LABELLED_KINDS.has(reported) && (labelled === 'other' || (labelled === 'http' && HTTP_BASED_KINDS.has(reported as Kind))));

function matchConnection(c: Connection, t: TruthConnection): boolean {
  return c.file === t.file && near(c.line, t.line, t.alt_lines) && sameKind(c.kind, t.kind) && sameHost(c.host, t.host);
}

/**
 * A labelled placeholder (`host: null`, valueSource `placeholder`: "${OTEL_HOST} with no default") says the host is
 * not written at that site, not that there is none: a row that resolved it from the same repository (compose's
 * `.env`, a ConfigMap) is that connection with more to say. A written host is never traded for another.
 */
const hostOpen = (t: TruthConnection) => (t.host === null || t.host === undefined) && t.valueSource === 'placeholder';
const matchesEntry = (c: Connection, t: TruthConnection) => matchConnection(c, hostOpen(t) ? { ...t, host: c.host } : t);

interface Tally { tp: number; fp: number; fn: number }
const tally = (): Tally => ({ tp: 0, fp: 0, fn: 0 });
const precision = (t: Tally) => (t.tp + t.fp === 0 ? 1 : t.tp / (t.tp + t.fp));
const recall = (t: Tally) => (t.tp + t.fn === 0 ? 1 : t.tp / (t.tp + t.fn));
const add = (a: Tally, b: Tally) => { a.tp += b.tp; a.fp += b.fp; a.fn += b.fn; };

export interface RepoScore {
  repo: string;
  connections: Tally;
  byClass: Record<'config' | 'code', Tally>;
  byKind: Record<string, Tally>;
  stretch: Tally;
  secrets: Tally;
  trapHits: Array<{ file: string; line: number; why: string; reported: string }>;
  missed: string[];
  falsePositives: string[];
  missedSecrets: string[];
  falseSecrets: string[];
}

/** Scores one scan against one truth file. */
export function score(truth: Truth, connections: Connection[], secrets: Secret[]): RepoScore {
  const s: RepoScore = {
    repo: truth.repo, connections: tally(), byClass: { config: tally(), code: tally() }, byKind: {}, stretch: tally(), secrets: tally(),
    trapHits: [], missed: [], falsePositives: [], missedSecrets: [], falseSecrets: [],
  };
  const kindTally = (k: string) => (s.byKind[k] ??= tally());
  // Truth is one entry per definition site; the report has a row per app using it (a compose anchor merged
  // into three services is three rows on one line). Rows are scored once per site.
  const sites = new Map<string, Connection>();
  for (const c of connections) sites.set([c.file, c.line, c.kind, c.host, c.port].join('\u0000'), sites.get([c.file, c.line, c.kind, c.host, c.port].join('\u0000')) ?? c);
  const unmatched = new Set(sites.values());
  for (const t of truth.connections) {
    // Of the rows that may be this entry, the closest: its own line and port before a neighbour's, so that a map of
    // endpoints on consecutive lines pairs row by row instead of shifting one line down.
    const distance = (c: Connection) => Math.abs(c.line - t.line) + (c.port === (t.port ?? c.port) ? 0 : 2) + (sameHost(c.host, t.host) ? 0 : 1);
    const hit = [...unmatched].filter((c) => matchesEntry(c, t)).sort((a, b) => distance(a) - distance(b))[0];
    const bucket = t.difficulty === 'stretch' ? s.stretch : s.connections;
    if (hit) {
      unmatched.delete(hit);
      bucket.tp++;
      if (t.difficulty !== 'stretch') { s.byClass[classOf(t.file)].tp++; kindTally(t.kind).tp++; }
    } else {
      bucket.fn++;
      if (t.difficulty !== 'stretch') { s.byClass[classOf(t.file)].fn++; kindTally(t.kind).fn++; }
      s.missed.push(`${t.file}:${t.line} ${t.kind} ${t.host ?? '?'}${t.port ? `:${t.port}` : ''}`);
    }
  }
  // An optional entry says a row there may be reported or not; one without a host (`"host": null`, "the redis service
  // definition") leaves the host open, so any row of its kind at its line is that entry.
  for (const o of truth.optional ?? []) for (const c of [...unmatched]) if (matchConnection(c, o.host === null || o.host === undefined ? { ...o, host: c.host } : o)) unmatched.delete(c);
  for (const c of unmatched) {
    s.connections.fp++;
    s.byClass[classOf(c.file)].fp++;
    kindTally(c.kind).fp++;
    s.falsePositives.push(`${c.file}:${c.line} ${c.kind} ${c.host ?? '?'}${c.port ? `:${c.port}` : ''}`);
  }
  const unmatchedSecrets = new Set(secrets);
  // Core entries pair first: an optional entry a line away must not take the row that is a core entry's.
  for (const t of [...truth.secrets.filter((x) => !x.optional), ...truth.secrets.filter((x) => x.optional)]) {
    const hit = [...unmatchedSecrets].filter((x) => x.file === t.file && near(x.line, t.line, t.alt_lines))
      .sort((a, b) => Math.abs(a.line - t.line) - Math.abs(b.line - t.line))[0];
    if (hit) {
      unmatchedSecrets.delete(hit);
      // An optional entry reported costs nothing and earns nothing, as for connections.
      if (!t.optional) s.secrets.tp++;
    } else if (!t.optional) {
      s.secrets.fn++;
      s.missedSecrets.push(`${t.file}:${t.line} ${t.kind}`);
    }
  }
  for (const x of unmatchedSecrets) {
    s.secrets.fp++;
    s.falseSecrets.push(`${x.file}:${x.line} ${x.kind} ${x.masked}`);
  }
  for (const trap of truth.traps ?? []) {
    const onLine = (file: string, line: number) => file === trap.file && line === trap.line;
    const c = trap.secretOnly ? undefined : [...unmatched].find((x) => onLine(x.file, x.line));
    const x = [...unmatchedSecrets].find((y) => onLine(y.file, y.line));
    if (c || x) s.trapHits.push({ file: trap.file, line: trap.line, why: trap.why, reported: c ? `${c.kind} ${c.host}` : `secret ${x!.kind}` });
  }
  return s;
}

const pct = (x: number) => x.toFixed(2);
const line = (name: string, t: Tally) => `${name}: precision ${pct(precision(t))} recall ${pct(recall(t))} (tp ${t.tp}, fp ${t.fp}, fn ${t.fn})`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' }, truth: { type: 'string', default: path.join('bench', 'corpus') },
      json: { type: 'boolean', default: false }, only: { type: 'string' }, 'print-clone': { type: 'boolean', default: false },
    },
  });
  const truths = readdirSync(values.truth!).filter((f) => f.endsWith('.json')).sort()
    .filter((f) => !values.only || f === `${values.only}.json`)
    .map((f) => ({ id: f.replace(/\.json$/, ''), truth: JSON.parse(readFileSync(path.join(values.truth!, f), 'utf8')) as Truth }));
  const corpus = values.corpus ? path.resolve(values.corpus) : null;
  if (values['print-clone'] || !corpus) {
    for (const { id, truth } of truths) {
      const dir = path.join(corpus ?? 'corpus', id);
      if (!existsSync(dir)) console.log(`git clone https://github.com/${truth.repo} ${dir} && git -C ${dir} checkout ${truth.commit}`);
    }
    if (!corpus) console.error('accuracy: --corpus DIR is needed (the checked-out trees); the commands above fetch them');
    process.exitCode = corpus ? 0 : 2;
    return;
  }
  const scores: RepoScore[] = [];
  for (const { id, truth } of truths) {
    const dir = path.join(corpus, id);
    if (!existsSync(dir)) {
      console.error(`accuracy: ${dir} is missing (git clone https://github.com/${truth.repo} ${dir} && git -C ${dir} checkout ${truth.commit})`);
      process.exitCode = 2;
      continue;
    }
    // A labelled tree is the repository's tracked files at a commit. A clone says which are tracked, and the walker
    // reads those even where a .gitignore lists them (`*.cfg` ignored, `app.example.cfg` committed); a tree exported
    // without .git holds only tracked files, so none of its .gitignore lines apply.
    const result = await scanRepository(dir, { repoName: id, ...(existsSync(path.join(dir, '.git')) ? {} : { noIgnore: true }) });
    if (result.repo.commit && result.repo.commit !== truth.commit) console.error(`accuracy: ${id} is at ${result.repo.commit.slice(0, 12)}, labelled at ${truth.commit.slice(0, 12)}`);
    scores.push(score(truth, result.connections, result.secrets));
  }
  const all = { connections: tally(), config: tally(), code: tally(), stretch: tally(), secrets: tally(), byKind: {} as Record<string, Tally>, trapHits: 0 };
  for (const s of scores) {
    add(all.connections, s.connections); add(all.config, s.byClass.config); add(all.code, s.byClass.code);
    add(all.stretch, s.stretch); add(all.secrets, s.secrets); all.trapHits += s.trapHits.length;
    for (const [k, t] of Object.entries(s.byKind)) add((all.byKind[k] ??= tally()), t);
  }
  if (values.json) {
    console.log(JSON.stringify({ overall: all, repos: scores }, null, 2));
    return;
  }
  for (const s of scores) {
    console.log(`\n## ${s.repo}`);
    console.log(`  ${line('connections', s.connections)}`);
    console.log(`    ${line('config', s.byClass.config)}\n    ${line('code', s.byClass.code)}`);
    if (s.stretch.tp + s.stretch.fn > 0) console.log(`    ${line('stretch', s.stretch)}`);
    console.log(`  ${line('secrets', s.secrets)}`);
    console.log(`  traps hit: ${s.trapHits.length}`);
    for (const m of s.missed) console.log(`    missed      ${m}`);
    for (const f of s.falsePositives) console.log(`    wrong       ${f}`);
    for (const m of s.missedSecrets) console.log(`    missed secret ${m}`);
    for (const f of s.falseSecrets) console.log(`    wrong secret  ${f}`);
    for (const t of s.trapHits) console.log(`    trap        ${t.file}:${t.line} (${t.why}) reported ${t.reported}`);
  }
  console.log(`\n## overall (${scores.length} repositories)`);
  console.log(`  ${line('connections', all.connections)}\n    ${line('config', all.config)}\n    ${line('code', all.code)}`);
  if (all.stretch.tp + all.stretch.fn > 0) console.log(`    ${line('stretch', all.stretch)}`);
  console.log(`  ${line('secrets', all.secrets)}\n  traps hit: ${all.trapHits}`);
  for (const [k, t] of Object.entries(all.byKind).sort()) console.log(`    ${line(k, t)}`);
}

await main();
