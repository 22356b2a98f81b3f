import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ModelClient } from '../models/client.js';
import { EndpointConfig } from '../models/endpoint.js';
import { scanOne, toReport } from '../src/scan.js';
import { renderCsv, renderTable } from '../src/reporters/index.js';
import { Inventory } from '../src/inventory.js';
import { runBatch } from '../src/batch/run.js';
import { createRemote, pushCommit } from './git-remotes.js';
import { findConflicts, mergeConnections } from '../src/llm/merge.js';
import { MemoryModelCache } from '../src/llm/stage.js';
import { Report } from '../src/report-schema.js';
import type { Connection } from '../src/result-model.js';
import { CLI, FIXTURES, ROOT, TEST_FINGERPRINT_KEY, normalize, runAsync } from './helpers.js';
import { startFakeOpenAI, type ChatRequest, type FakeServer, type Script } from '../models/fake-vllm.js';

const FIXTURE = path.join(FIXTURES, 'inhouse-clients');
const LEDGER_PASSWORD = 'Ledger#2024-prod-pw';

let server: FakeServer | undefined;
let tmp: string | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = undefined;
});

/** The snippets of a request: `### <id> <file>:<line>` blocks of the user message. */
function blocks(req: ChatRequest): Array<{ id: string; file: string; text: string }> {
  const user = req.messages.find((m) => m.role === 'user')!.content;
  return [...user.matchAll(/^### (\S+) (\S+):\d+\n([\s\S]*?)(?=\n\n### |(?![\s\S]))/gm)].map((m) => ({ id: m[1]!, file: m[2]!, text: m[3]! }));
}

interface Rule { when: RegExp; answer: Record<string, unknown> }

/** A scripted "model": for every snippet matching a rule, the rule's answer, tagged with the snippet id. */
function reader(rules: Rule[], extra: Partial<ReturnType<Script>> = {}): Script {
  return (req) => ({
    ...extra,
    content: JSON.stringify({
      connections: blocks(req).flatMap((b) => rules.filter((r) => r.when.test(b.text)).map((r) => ({
        snippet: b.id, kind: 'mysql', host: null, port: null, database: null, username: null, url: null, ...r.answer,
      }))),
    }),
  });
}

const LEDGER: Rule = { when: /open_pool\(/, answer: { kind: 'mysql', host: 'ledger-db.fin.acme.internal', port: 3306, database: 'ledger', username: 'svc_billing' } };
const INVENTED: Rule = { when: /open_pool\(/, answer: { kind: 'mysql', host: 'ledger-db-replica.fin.acme.internal', port: 3306 } };
const NAMESRV: Rule = { when: /nameServer/, answer: { kind: 'rocketmq', host: 'mq-ns-01.acme.internal', port: 9876 } };
const REDIS: Rule = { when: /redis\.Redis/, answer: { kind: 'redis', host: '10.40.2.7', port: 6379, database: '3' } };

function endpoint(name: string, baseURL: string, extra: Partial<EndpointConfig> = {}): ModelClient {
  return new ModelClient(EndpointConfig.parse({ name, baseURL, model: name, timeoutMs: 3000, maxConcurrency: 2, ...extra }));
}

async function scanWith(clients: ModelClient[], extra: { all?: boolean; sendSecrets?: boolean; inventory?: Inventory } = {}) {
  return scanOne(FIXTURE, {
    fingerprintKey: TEST_FINGERPRINT_KEY,
    // A fresh cache per scan unless the test is about the inventory's: scripted replies differ between tests.
    models: { clients, all: extra.all === true, sendSecrets: extra.sendSecrets === true, ...(extra.inventory ? {} : { cache: new MemoryModelCache() }) },
    ...(extra.inventory ? { inventory: extra.inventory } : {}),
  });
}

function expectedWithModels(): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURE, 'expected-models.json'), 'utf8'));
}

describe('model stage', () => {
  it('adds what only models found, with provenance, and drops an invented host (exact result)', async () => {
    server = await startFakeOpenAI({ llama: reader([LEDGER, INVENTED]), qwen: reader([LEDGER, NAMESRV]) });
    const result = await scanWith([endpoint('llama', server.baseURL), endpoint('qwen', server.baseURL)]);
    if (process.env.UPDATE_EXPECTED) writeFileSync(path.join(FIXTURE, 'expected-models.json'), JSON.stringify(normalize(result), null, 2) + '\n');
    expect(normalize(result)).toEqual(expectedWithModels());
    const byName = new Map(result.models!.map((u) => [u.endpoint, u]));
    expect(byName.get('llama')).toMatchObject({ requests: 1, accepted: 1, rejectedUnverified: 1, errors: 0, cacheHits: 0 });
    expect(byName.get('qwen')).toMatchObject({ requests: 1, accepted: 2, rejectedUnverified: 0, errors: 0 });
    expect(result.connections.some((c) => c.host === 'ledger-db-replica.fin.acme.internal')).toBe(false);
    const report = toReport([result]);
    expect(renderCsv(report).split('\r\n').find((l) => l.includes('ledger-db'))).toMatch(/,model,0\.7,llama qwen$/);
    expect(renderTable(report)).toMatch(/found by[\s\S]*llama\+qwen/);
  });

  it('runs both endpoints at the same time', async () => {
    server = await startFakeOpenAI({ llama: reader([LEDGER], { delayMs: 300 }), qwen: reader([NAMESRV], { delayMs: 300 }) });
    await scanWith([endpoint('llama', server.baseURL), endpoint('qwen', server.baseURL)]);
    expect(server.maxInFlightTotal()).toBe(2);
  });

  it('masks secret values before sending, unless told to send them', async () => {
    server = await startFakeOpenAI({ llama: reader([LEDGER]) });
    await scanWith([endpoint('llama', server.baseURL)], { all: true });
    const sent = JSON.stringify(server.requests);
    expect(sent).toContain('ledger-db.fin.acme.internal');
    expect(sent).not.toContain(LEDGER_PASSWORD);
    server.requests.length = 0;
    await scanWith([endpoint('llama', server.baseURL)], { all: true, sendSecrets: true });
    expect(JSON.stringify(server.requests)).toContain(LEDGER_PASSWORD);
  });

  it('keeps static results and the other model when one endpoint times out, fails or answers garbage', async () => {
    server = await startFakeOpenAI({
      slow: reader([LEDGER], { delayMs: 10_000 }),
      broken: () => ({ status: 500, error: 'CUDA out of memory' }),
      garbage: () => ({ content: '{"connections": [{"snippet": "s0", "kind": "teapot"}]}' }),
      qwen: reader([LEDGER, NAMESRV]),
    });
    const started = Date.now();
    const result = await scanWith([
      endpoint('slow', server.baseURL, { timeoutMs: 200 }), endpoint('broken', server.baseURL), endpoint('garbage', server.baseURL), endpoint('qwen', server.baseURL),
    ]);
    expect(Date.now() - started).toBeLessThan(8000);
    const usage = new Map(result.models!.map((u) => [u.endpoint, u]));
    expect(usage.get('slow')!.errors).toBeGreaterThan(0);
    expect(usage.get('broken')!.errors).toBeGreaterThan(0);
    expect(usage.get('garbage')!.errors).toBeGreaterThan(0);
    expect(usage.get('qwen')).toMatchObject({ errors: 0, accepted: 2 });
    const hosts = result.connections.map((c) => `${c.host} ${c.sources.join('+')}`);
    expect(hosts).toEqual(expect.arrayContaining(['10.40.2.7 static', 'ledger-db.fin.acme.internal qwen', 'mq-ns-01.acme.internal qwen']));
  });

  it('sends copied code once and places the verified answer at every copy', async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-llm-copies-'));
    const pools = readFileSync(path.join(FIXTURE, 'billing/storage/pools.py'), 'utf8');
    for (const app of ['billing-eu', 'billing-us']) {
      mkdirSync(path.join(tmp, app, 'storage'), { recursive: true });
      writeFileSync(path.join(tmp, app, 'pyproject.toml'), `[project]\nname = "${app}"\n`);
      writeFileSync(path.join(tmp, app, 'storage', 'pools.py'), app === 'billing-us' ? `# US copy\n\n${pools}` : pools);
    }
    server = await startFakeOpenAI({ llama: reader([LEDGER]) });
    const result = await scanOne(tmp, { models: { clients: [endpoint('llama', server.baseURL)], cache: new MemoryModelCache() } });
    expect(server.requests).toHaveLength(1);
    expect(blocks(server.requests[0]!)).toHaveLength(1);
    expect(result.connections.map((c) => [c.app, c.file, c.line, c.host, c.sources])).toEqual([
      ['billing-eu', 'billing-eu/storage/pools.py', 8, 'ledger-db.fin.acme.internal', ['llama']],
      ['billing-us', 'billing-us/storage/pools.py', 10, 'ledger-db.fin.acme.internal', ['llama']],
    ]);
    expect(result.models![0]).toMatchObject({ accepted: 1, rejectedUnverified: 0 });
  });

  it('retries a 429 and a 503 with backoff and still gets the answer', async () => {
    server = await startFakeOpenAI({
      llama: (req, n) => (n === 1 ? { status: 429, error: 'Too Many Requests' } : n === 2 ? { status: 503, error: 'busy' } : reader([LEDGER])(req, n)),
    });
    const result = await scanWith([endpoint('llama', server.baseURL)]);
    expect(server.requests.length).toBe(3);
    expect(result.models![0]).toMatchObject({ errors: 0, accepted: 1 });
  });

  it('stops sending when the token budget is spent, without losing static results', async () => {
    server = await startFakeOpenAI({ llama: reader([LEDGER]) });
    const result = await scanWith([endpoint('llama', server.baseURL, { budgetTokens: 50 })]);
    expect(server.requests).toHaveLength(0);
    expect(result.models![0]).toMatchObject({ requests: 0, skippedBudget: 2 });
    expect(result.connections.map((c) => c.sources.join())).toEqual(['static', 'static']);
  });

  it('answers a rescan of unchanged code from the inventory cache, with zero model calls', async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-llm-'));
    const inventory = Inventory.open(path.join(tmp, 'inv.db'));
    try {
      server = await startFakeOpenAI({ llama: reader([LEDGER]), qwen: reader([NAMESRV]) });
      const clients = [endpoint('llama', server.baseURL), endpoint('qwen', server.baseURL)];
      const first = await scanWith(clients, { inventory });
      inventory.saveRepo(first, new Date());
      const calls = server.requests.length;
      expect(calls).toBe(2);
      const second = await scanWith(clients, { inventory });
      expect(server.requests.length).toBe(calls);
      expect(second.connections).toEqual(first.connections);
      expect(second.models!.map((u) => [u.requests, u.cacheHits])).toEqual([[0, 2], [0, 2]]);
      inventory.saveRepo(second, new Date());
      const stored = inventory.report().connections.filter((c) => c.sources.includes('qwen'));
      expect(stored.map((c) => [c.host, c.sources])).toEqual([['mq-ns-01.acme.internal', ['qwen']]]);
      const usage = inventory.store.prepare('SELECT endpoint, requests, cache_hits FROM model_usage ORDER BY id').all();
      expect(usage).toEqual([
        { endpoint: 'llama', requests: 1, cache_hits: 0 }, { endpoint: 'qwen', requests: 1, cache_hits: 0 },
        { endpoint: 'llama', requests: 0, cache_hits: 2 }, { endpoint: 'qwen', requests: 0, cache_hits: 2 },
      ]);
    } finally {
      inventory.close();
    }
  });

  it('adds model names to static connections they agree with (--llm-all)', async () => {
    server = await startFakeOpenAI({ llama: reader([REDIS]), qwen: reader([REDIS]) });
    const result = await scanWith([endpoint('llama', server.baseURL), endpoint('qwen', server.baseURL)], { all: true });
    const redis = result.connections.filter((c) => c.kind === 'redis');
    expect(redis.map((c) => [c.host, c.sources, c.confidence])).toEqual([['10.40.2.7', ['static', 'llama', 'qwen'], 1]]);
  });

  it('settles a disagreement with a merger call whose answer is verified too', async () => {
    const primary: Rule = { when: /open_pool\(/, answer: { kind: 'mysql', host: 'ledger-db.fin.acme.internal', port: 3306, database: 'ledger' } };
    const wrongDb: Rule = { when: /open_pool\(/, answer: { kind: 'mysql', host: 'ledger-db.fin.acme.internal', port: 3306, database: 'svc_billing' } };
    server = await startFakeOpenAI({
      llama: (req, n) => (req.messages[0]!.content.includes('disagree')
        ? { content: JSON.stringify({ connections: [{ snippet: blocks(req)[0]!.id, kind: 'mysql', host: 'ledger-db.fin.acme.internal', port: 3306, database: 'ledger', username: null, url: null }] }) }
        : reader([primary])(req, n)),
      qwen: reader([wrongDb]),
    });
    const result = await scanWith([endpoint('llama', server.baseURL), endpoint('qwen', server.baseURL)]);
    const mysql = result.connections.filter((c) => c.kind === 'mysql');
    expect(mysql.map((c) => [c.database, c.sources])).toEqual([['ledger', ['llama']]]);
    expect(server.requests.filter((r) => r.messages[0]!.content.includes('disagree'))).toHaveLength(1);
  });
});

describe('model stage in a batch', () => {
  it('sends nothing again for unchanged snippets when a repository changes elsewhere', async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-llm-batch-'));
    const files = Object.fromEntries(['pyproject.toml', 'billing/storage/pools.py', 'billing/cache.py', 'src/main/kotlin/com/acme/billing/Events.kt', 'src/main/resources/application.yml']
      .map((f) => [f, readFileSync(path.join(FIXTURE, f), 'utf8')]));
    const remote = createRemote(tmp, 'remotes/billing', [{ files: { ...files, 'README.md': '# billing\n' } }]);
    server = await startFakeOpenAI({ llama: reader([LEDGER]), qwen: reader([LEDGER, NAMESRV]) });
    const inventory = Inventory.open(path.join(tmp, 'inv.db'));
    try {
      const discovery = { targets: [{ job: 'billing', url: `file://${remote}`, branch: 'main', app: null, credentialsId: null, scriptPath: null }], problems: [] };
      const opts = { inventory, cacheDir: path.join(tmp, 'cache'), ownersSince: null, models: { clients: [endpoint('llama', server.baseURL), endpoint('qwen', server.baseURL)] } };
      await runBatch(discovery, opts);
      expect(server.requests).toHaveLength(2);
      pushCommit(remote, { files: { 'README.md': '# billing\n\nInvoices and ledger.\n' } });
      const second = await runBatch(discovery, opts);
      expect(second.repos[0]).toMatchObject({ status: 'scanned', filesRead: 3 }); // README and the two files with snippets
      expect(server.requests).toHaveLength(2);
      const found = inventory.report().connections.filter((c) => c.scanner === 'model').map((c) => [c.host, c.sources]);
      expect(found).toEqual([['ledger-db.fin.acme.internal', ['llama', 'qwen']], ['mq-ns-01.acme.internal', ['qwen']]]);
    } finally {
      inventory.close();
    }
  });
});

describe('merge', () => {
  const base: Connection = {
    repo: '/r', app: 'a', file: 'f.py', line: 3, scope: 'main', scanner: 'model', kind: 'mysql', host: 'db1', port: 3306, database: 'x',
    username: null, hasPassword: false, passwordHardcoded: false, url: null, profile: null, valueSource: 'literal', confidence: 0.5, local: false, sources: ['llama'],
  };
  it('is a deterministic union whatever order the models answered in', () => {
    const a = { connection: base, snippetKey: 'f.py:1' };
    const b = { connection: { ...base, sources: ['qwen'] }, snippetKey: 'f.py:1' };
    const one = mergeConnections([], [a, b], ['llama', 'qwen']);
    expect(mergeConnections([], [b, a], ['llama', 'qwen'])).toEqual(one);
    expect(one.map((c) => [c.sources, c.confidence])).toEqual([[['llama', 'qwen'], 0.7]]);
  });
  it('sees a conflict only where different models disagree at one place', () => {
    const a = { connection: base, snippetKey: 'f.py:1' };
    const b = { connection: { ...base, host: 'db2', sources: ['qwen'] }, snippetKey: 'f.py:1' };
    const sameModel = { connection: { ...base, host: 'db3' }, snippetKey: 'f.py:1' };
    expect(findConflicts([], [a, b])).toHaveLength(1);
    expect(findConflicts([], [a, sameModel])).toHaveLength(0);
    expect(findConflicts([], [a, { ...b, snippetKey: 'g.py:1' }])).toHaveLength(0);
  });
});

describe('model stage from the CLI', () => {
  /** Asynchronous, so the fake server in this process can answer while the CLI runs. */
  function run(args: string[], script = CLI): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return runAsync(process.execPath, [script, ...args]);
  }

  it('fails fast with --llm required when an endpoint is down, and names it', async () => {
    server = await startFakeOpenAI({ qwen: reader([NAMESRV]) });
    const down = 'name=llama,url=http://127.0.0.1:9/v1,model=llama,timeout=500';
    const r = await run(['scan', FIXTURE, '--no-db', '-f', 'json', '--llm', 'required', '--llm-endpoint', down, '--llm-endpoint', `name=qwen,url=${server.baseURL},model=qwen`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--llm required: llama: /);
    expect(r.stdout).toBe('');
    expect(server.requests).toHaveLength(0);
  });

  it('uses the endpoints that are up in auto mode, refuses a public one, and reports usage', async () => {
    server = await startFakeOpenAI({ qwen: reader([NAMESRV]) });
    tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-llm-'));
    const config = path.join(tmp, 'models.json');
    writeFileSync(config, JSON.stringify({ endpoints: [
      { name: 'qwen', baseURL: server.baseURL, model: 'qwen', maxModelLen: 4096 },
      { name: 'llama', baseURL: 'http://127.0.0.1:9/v1', model: 'llama', timeoutMs: 500 },
      { name: 'cloud', baseURL: 'http://8.8.8.8/v1', model: 'gpt' },
    ] }));
    const r = await run(['scan', FIXTURE, '--db', path.join(tmp, 'inv.db'), '-f', 'json', '--llm-config', config]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/model endpoint llama: .*continuing without it/);
    expect(r.stderr).toMatch(/model endpoint cloud: .*--allow-remote-llm/);
    expect(r.stderr).toMatch(/model qwen \(qwen\): 1 request\(s\), \d+ prompt \+ \d+ completion tokens, 0 cache hit\(s\), .* 1 accepted, 0 rejected/);
    const report = Report.parse(JSON.parse(r.stdout));
    expect(report.connections.filter((c) => c.sources.includes('qwen')).map((c) => c.host)).toEqual(['mq-ns-01.acme.internal']);
    expect(report.models?.map((u) => u.endpoint)).toEqual(['qwen']);
    const again = await run(['report', '--db', path.join(tmp, 'inv.db'), '-f', 'json']);
    expect(Report.parse(JSON.parse(again.stdout)).connections.find((c) => c.kind === 'rocketmq')?.sources).toEqual(['qwen']);
  });

  it('is static only when no endpoint is configured, and with --llm off', async () => {
    server = await startFakeOpenAI({ qwen: reader([NAMESRV]) });
    const r = await run(['scan', FIXTURE, '--no-db', '-f', 'json', '--llm', 'off', '--llm-endpoint', `name=qwen,url=${server.baseURL},model=qwen`]);
    expect(r.code).toBe(0);
    expect(server.requests).toHaveLength(0);
    expect(Report.parse(JSON.parse(r.stdout)).models).toBeUndefined();
  });

  it('llm:smoke passes against a model that reads correctly and fails one that invents a host', async () => {
    server = await startFakeOpenAI({ good: reader([LEDGER, NAMESRV]), bad: reader([INVENTED]) });
    const smoke = path.join(ROOT, 'dist/models/smoke.js');
    const good = await run(['--endpoint', server.baseURL, '--model', 'good'], smoke);
    expect(good.stdout).toContain('s0: mysql ledger-db.fin.acme.internal:3306/ledger verified');
    expect(good.code).toBe(0);
    const bad = await run(['--endpoint', server.baseURL, '--model', 'bad'], smoke);
    expect(bad.stdout).toContain('REJECTED (host "ledger-db-replica.fin.acme.internal" not in the snippet)');
    expect(bad.code).toBe(1);
  });
});
