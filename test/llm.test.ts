import { afterEach, describe, expect, it } from 'vitest';
import { checkEndpointAllowed, EndpointConfig, isPrivateAddress } from '../models/endpoint.js';
import { emptyUsage, loadPrompt, ModelClient, packSnippets, type Snippet } from '../models/client.js';
import { verifyModelFinding } from '../models/verify.js';
import { startFakeOpenAI, VLLM_CONTEXT_ERROR, type FakeServer } from '../models/fake-vllm.js';

let server: FakeServer | undefined;
afterEach(async () => { await server?.close(); server = undefined; });

const snippets: Snippet[] = [
  { id: 's1', file: 'app/cache.py', line: 10, text: 'def make():\n    return CacheClient(endpoint="10.9.0.5", port=6380)' },
  { id: 's2', file: 'app/db.py', line: 3, text: 'conn = helpers.open_db("orders-db.internal", 3306, "orders")' },
];

function reply(connections: unknown[]): string {
  return JSON.stringify({ connections });
}

function client(name: string, baseURL: string, extra: Partial<EndpointConfig> = {}) {
  return new ModelClient(EndpointConfig.parse({ name, baseURL, model: name, timeoutMs: 2000, maxConcurrency: 2, ...extra }));
}

describe('model endpoints', () => {
  it('allows loopback and private endpoints only, unless told otherwise', async () => {
    expect(isPrivateAddress('10.1.2.3')).toBe(true);
    expect(isPrivateAddress('172.20.0.1')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(await checkEndpointAllowed('http://127.0.0.1:8000/v1', false)).toEqual({ ok: true, pinned: { address: '127.0.0.1', family: 4 } });
    expect(await checkEndpointAllowed('http://192.168.1.20:8000/v1', false)).toEqual({ ok: true, pinned: { address: '192.168.1.20', family: 4 } });
    expect((await checkEndpointAllowed('http://8.8.8.8/v1', false)).ok).toBe(false);
    expect(await checkEndpointAllowed('http://8.8.8.8/v1', true)).toEqual({ ok: true, pinned: { address: '8.8.8.8', family: 4 } });
  });

  it('checks health with GET /v1/models and the configured model', async () => {
    server = await startFakeOpenAI({ llama: () => ({ content: reply([]) }) });
    expect(await client('llama', server.baseURL).health()).toEqual({ ok: true });
    const wrong = new ModelClient(EndpointConfig.parse({ name: 'qwen', baseURL: server.baseURL, model: 'qwen' }));
    expect(await wrong.health()).toMatchObject({ ok: false });
  });

  it('asks for JSON with the findings schema and validates the reply', async () => {
    server = await startFakeOpenAI({
      llama: () => ({ content: reply([{ snippet: 's1', kind: 'redis', host: '10.9.0.5', port: 6380, database: null, username: null, url: null }]) }),
    });
    const usage = emptyUsage();
    const found = await client('llama', server.baseURL).extract(snippets, usage);
    expect(found).toEqual(new Map([['s1', [{ snippet: 's1', kind: 'redis', host: '10.9.0.5', port: 6380, database: null, username: null, url: null }]], ['s2', []]]));
    expect(server.requests[0]!.response_format?.type).toBe('json_schema');
    expect(JSON.stringify(server.requests[0]!.response_format?.json_schema?.schema)).toContain('"redis"');
    expect(usage.requests).toBe(1);
    expect(usage.promptTokens).toBeGreaterThan(0);
  });

  it('retries malformed JSON once, then records an error instead of failing the scan', async () => {
    server = await startFakeOpenAI({
      once: (_r, n) => ({ content: n === 1 ? '{"connections": [' : reply([]) }),
      never: () => ({ content: 'Sure! Here are the connections: redis at 10.9.0.5' }),
    });
    const onceUsage = emptyUsage();
    expect(await client('once', server.baseURL).extract(snippets, onceUsage)).toEqual(new Map([['s1', []], ['s2', []]]));
    expect(onceUsage).toMatchObject({ requests: 2, errors: [] });
    const neverUsage = emptyUsage();
    expect((await client('never', server.baseURL).extract(snippets, neverUsage)).size).toBe(0);
    expect(neverUsage.requests).toBe(2);
    expect(neverUsage.errors[0]).toContain('not JSON');
  });

  it('splits a batch the server says exceeds its context, with vLLM\'s wording', async () => {
    server = await startFakeOpenAI({
      small: (req) => (req.messages[1]!.content.includes('### s1') && req.messages[1]!.content.includes('### s2')
        ? { status: 400, error: VLLM_CONTEXT_ERROR }
        : { content: reply([]) }),
    });
    const usage = emptyUsage();
    expect((await client('small', server.baseURL).extract(snippets, usage)).size).toBe(2);
    expect(usage.errors).toEqual([]);
    expect(usage.requests).toBe(3);
  });

  it('does not stall on a reply that never comes', async () => {
    server = await startFakeOpenAI({ slow: () => ({ delayMs: 5000, content: reply([]) }) });
    const c = new ModelClient(EndpointConfig.parse({ name: 'slow', baseURL: server.baseURL, model: 'slow', timeoutMs: 200 }));
    const started = Date.now();
    const usage = emptyUsage();
    expect((await c.extract(snippets, usage)).size).toBe(0);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(usage.errors[0]).toMatch(/timed out|timeout/i);
  });

  it('gives an endpoint up after three failed requests in a row instead of waiting out every batch', async () => {
    server = await startFakeOpenAI({ down: () => ({ status: 500, error: 'Internal Server Error' }) });
    const many: Snippet[] = Array.from({ length: 12 }, (_, i) => ({ id: `m${i}`, file: `f${i}.py`, line: 1, text: `HOST_${i} = "db-${i}.acme.internal"\n${'x = 1\n'.repeat(150)}` }));
    const usage = emptyUsage();
    const c = new ModelClient(EndpointConfig.parse({ name: 'down', baseURL: server.baseURL, model: 'down', maxModelLen: 1024, maxConcurrency: 1, timeoutMs: 2000 }));
    expect((await c.extract(many, usage)).size).toBe(0);
    // Three failures, plus at most one request per concurrency slot already started when the third failed.
    expect(usage.requests).toBeGreaterThanOrEqual(3);
    expect(usage.requests).toBeLessThanOrEqual(4);
    expect(server.requests.length).toBe(usage.requests * 3); // each tried three times by the client (429/5xx retries)
    expect(usage.errors.length).toBeGreaterThan(3);
    expect(usage.errors.at(-1)).toContain('given up after 3 failed requests in a row');
  });

  it('keeps two endpoints in flight at the same time', async () => {
    server = await startFakeOpenAI({ llama: () => ({ delayMs: 300, content: reply([]) }), qwen: () => ({ delayMs: 300, content: reply([]) }) });
    const one = [{ ...snippets[0]! }];
    await Promise.all([client('llama', server.baseURL).extract(one), client('qwen', server.baseURL).extract(one)]);
    expect(server.maxInFlightTotal()).toBe(2);
  });
});

describe('packing and verification', () => {
  it('packs snippets into requests that fit and splits one that is too big, never cutting it', () => {
    const prompt = loadPrompt();
    const big: Snippet = { id: 'b', file: 'big.py', line: 1, text: Array.from({ length: 400 }, (_, i) => `line_${i} = ${i}`).join('\n') };
    const batches = packSnippets([big, ...snippets], prompt, 2048);
    const pieces = batches.flat().filter((s) => s.id.startsWith('b.'));
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.map((p) => p.text).join('\n')).toBe(big.text);
    expect(pieces[1]!.line).toBe(1 + pieces[0]!.text.split('\n').length);
  });

  it('keeps a finding only when every value is in the snippet', () => {
    const text = snippets[1]!.text;
    const base = { snippet: 's2', kind: 'mysql' as const, host: 'orders-db.internal', port: 3306, database: 'orders', username: null, url: null };
    expect(verifyModelFinding(base, text)).toEqual({ ok: true });
    expect(verifyModelFinding({ ...base, host: 'orders-db.prod.internal' }, text)).toEqual({ ok: false, field: 'host', value: 'orders-db.prod.internal' });
    expect(verifyModelFinding({ ...base, port: 330 }, text)).toEqual({ ok: false, field: 'port', value: '330' });
    expect(verifyModelFinding({ ...base, username: 'root' }, text)).toEqual({ ok: false, field: 'username', value: 'root' });
  });
});

describe('snippets', async () => {
  const { snippetRanges } = await import('../src/llm/snippets.js');
  it('takes the enclosing function for code, not a fixed window', () => {
    const py = ['import os', '', 'def helper():', '    return 1', '', 'def connect():', '    host = load("cache")', '    return CacheClient(host, 6380)', '', 'X = 1'].join('\n');
    expect(snippetRanges('app/cache.py', py, [8])).toEqual([{ startLine: 6, endLine: 8 }]);
    const java = ['class A {', '  int x;', '  Conn open() {', '    String h = cfg.get("db");', '    return Db.open(h, 5432);', '  }', '}'].join('\n');
    expect(snippetRanges('A.java', java, [5])).toEqual([{ startLine: 3, endLine: 6 }]);
  });
  it('takes the top-level block for YAML and the paragraph for properties, merging overlaps', () => {
    const yaml = ['server:', '  port: 8080', 'cache:', '  nodes: a:1', '  auth: x', 'log:', '  level: info'].join('\n');
    expect(snippetRanges('config.yml', yaml, [4, 5])).toEqual([{ startLine: 3, endLine: 5 }]);
    const props = ['a=1', '', 'db.url=x', 'db.user=y', '', 'z=2'].join('\n');
    expect(snippetRanges('app.properties', props, [4])).toEqual([{ startLine: 3, endLine: 4 }]);
  });
});

describe('snippet candidates', async () => {
  const { isHintLine, maskSecrets, modelCandidates } = await import('../src/llm/candidates.js');
  it('counts only lines that write an address a model could report verbatim', () => {
    expect(isHintLine('    return open_pool("ledger-db.fin.acme.internal", 3306)', true)).toBe(true);
    expect(isHintLine('BROKERS = "kafka-1:9092,kafka-2:9092"', true)).toBe(true);
    expect(isHintLine('  url: http://10.20.0.4:8848/nacos')).toBe(true);
    expect(isHintLine('  addr: orders-db.prod.acme.cn')).toBe(true);
    // prose, documentation and examples
    expect(isHintLine('    see http://www.iana.org/assignments/character-sets for names', true)).toBe(false);
    expect(isHintLine("    url = 'https://www.rfc-editor.org/rfc/rfc%d.txt' % rfc", true)).toBe(false);
    expect(isHintLine("    addr = ip_network('192.0.2.0/28')", true)).toBe(false);
    expect(isHintLine('import redis', true)).toBe(false);
    expect(isHintLine('    driver = "com.mysql.cj.jdbc.Driver"', true)).toBe(false);
    expect(isHintLine('# host = db.acme.internal')).toBe(false);
    expect(isHintLine('    server.listen("0.0.0.0:8080")', true)).toBe(false); // the app's own listener
  });
  it('masks known secret values, secret-named assignments and URL passwords before a snippet leaves', () => {
    const text = 'DB = "mysql://app:Pr0d-Pass@10.1.2.3/orders"\nclient(password="hunter22", token=os.getenv("T"))\nx = "S3cretValue99"';
    const masked = maskSecrets(text, [{ line: 3, kind: 'generic-secret', value: 'S3cretValue99', resource: null }]);
    expect(masked).toBe('DB = "mysql://app:****@10.1.2.3/orders"\nclient(password="****", token=os.getenv("T"))\nx = "****"');
  });
  it('masks by span: key bodies across lines, passphrases with spaces, DSNs, shell flags and headers, keeping every line', () => {
    const text = [
      'key: |', '  -----BEGIN RSA PRIVATE KEY-----', '  MIIEowIBAAKCAQEAx1', '  Zm9vYmFyYmF6cXV4', '  -----END RSA PRIVATE KEY-----',
      'passphrase: correct horse battery staple',
      'dsn := "svc:Go-Dsn-pw@tcp(10.2.3.4:3306)/orders"',
      'url=jdbc:oracle:thin:scott/T1ger-pw@10.9.9.9:1521:ORCL',
      'curl -u admin:Curl-pw-1 https://api.acme.internal/v1',
      'mysql -uroot -pRoot-Sql-pw9 -h 10.1.1.1',
      'mysqladmin ping --password Flag-pw-22',
      'Authorization: Bearer abcDEF123456789xyz',
    ].join('\n');
    const masked = maskSecrets(text, []);
    expect(masked.split('\n')).toHaveLength(12);
    for (const secret of ['MIIEowIBAAKCAQEAx1', 'Zm9vYmFyYmF6cXV4', 'horse', 'staple', 'Go-Dsn-pw', 'T1ger-pw', 'Curl-pw-1', 'Root-Sql-pw9', 'Flag-pw-22', 'abcDEF123456789xyz']) {
      expect(masked).not.toContain(secret);
    }
    for (const kept of ['10.2.3.4:3306', '10.9.9.9:1521', 'api.acme.internal', '-----BEGIN RSA PRIVATE KEY-----', 'svc:****@tcp(']) expect(masked).toContain(kept);
  });
  it('leaves out hints the rules explained, unless asked for all', () => {
    const text = 'CACHE = redis.Redis(host="10.40.2.7")\n\n\n\n\n\n\n\nLEDGER = open_pool("ledger-db.acme.internal")';
    const f = { kind: 'redis' as const, host: '10.40.2.7', port: null, database: null, username: null, hasPassword: false, passwordHardcoded: false, url: null, line: 1, profile: null, valueSource: 'literal' as const, confidence: 0.8 };
    expect(modelCandidates('a.py', text, [f], []).map((c) => c.startLine)).toEqual([9]);
    expect(modelCandidates('a.py', text, [f], [], { all: true }).map((c) => c.startLine)).toEqual([1, 9]);
  });
});
