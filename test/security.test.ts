/**
 * Attacks on cmdb-scan itself: hostile repositories, job configs, list files, Jenkins and
 * model servers. Each test reproduces one attack from the adversarial review (issue 11)
 * and checks the defence, through the built CLI where that is how the attack arrives.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRemote, type Commit } from './git-remotes.js';
import { startGitHttpServer } from './git-http-server.js';
import { scanRepository } from '../src/engine.js';
import { scanOne } from '../src/scan.js';
import { MemoryModelCache } from '../src/llm/stage.js';
import { ModelClient } from '../models/client.js';
import { EndpointConfig } from '../models/endpoint.js';
import { startFakeOpenAI } from '../models/fake-vllm.js';
import { verifyModelFinding } from '../models/verify.js';
import { gitlabMaintainers } from '../src/batch/owners.js';
import { discoverJenkinsHome, JenkinsClient } from '../src/batch/jenkins.js';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { processInWorkers } from '../src/worker-pool.js';
import { guardedFetch } from '../src/http.js';
import v8 from 'node:v8';
import vm from 'node:vm';
import { detectTokenSecrets, MAX_TOKENS_PER_RULE } from '../src/secrets/detect.js';
import { TOKEN_RULES } from '../src/secrets/rules.js';
import { adversarialInputs } from '../bench/adversarial.js';
import { isTemplate, untemplate } from '../scanners/formats/template.js';
import { scanElixirCode } from '../scanners/elixir-code.js';
import { scanElixirConfig } from '../scanners/elixir-config.js';
import { settingsFromHocon } from '../scanners/hocon.js';
import { makefileAsShell } from '../scanners/makefile.js';
import type { FileResult } from '../src/file-processor.js';
import { CLI, FIXTURES, ROOT, fixturePasswords } from './helpers.js';

let tmp: string;
beforeEach(() => { tmp = mkdtempSync(path.join(os.tmpdir(), 'cmdb-sec-')); });
afterEach(() => rmSync(tmp, { recursive: true, force: true }));

interface Run { code: number | null; stdout: string; stderr: string }

export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = 60_000): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: tmp });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Every file below `dir` (a clone cache, a database and its WAL), read as bytes. */
function allBytes(dir: string): string {
  const out: string[] = [];
  const visit = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile()) out.push(readFileSync(p).toString('latin1'));
    }
  };
  visit(dir);
  return out.join('\n');
}

describe('git calls with names from job configs and list files', () => {
  it('never lets a branch name become a git option, on the first run or on an incremental one', async () => {
    const marker = path.join(tmp, 'PWNED');
    const hook = path.join(tmp, 'upload-pack.sh');
    writeFileSync(hook, `#!/bin/sh\ntouch ${marker}\nexec git-upload-pack "$@"\n`);
    chmodSync(hook, 0o755);
    const bare = createRemote(path.join(tmp, 'git'), 'team/app', [{ files: { 'application.yml': 'spring:\n  redis:\n    host: 10.1.1.1\n' } }]);
    // A remote may advertise such a ref: git accepts the push.
    const branch = `--upload-pack=${hook}`;
    const work = path.join(tmp, 'work');
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['clone', '-q', bare, work], { stdio: 'ignore' });
    execFileSync('git', ['push', '-q', 'origin', `HEAD:refs/heads/${branch}`], { cwd: work, stdio: 'ignore' });
    const list = path.join(tmp, 'repos.txt');
    writeFileSync(list, `file://${bare} ${branch}\nfile://${bare} main\n`);
    const args = ['batch', '--list', list, '--db', path.join(tmp, 'inv.db'), '--cache-dir', path.join(tmp, 'cache'), '--owners-since', 'none', '-f', 'json', '-q'];
    const first = await runCli(args);
    const second = await runCli([...args, '--force']);
    expect(existsSync(marker)).toBe(false);
    const summary = JSON.parse(second.stdout) as { repos: Array<{ branch: string; status: string; reason: string | null }> };
    expect(summary.repos.map((r) => [r.branch, r.status])).toEqual([[branch, 'failed'], ['main', 'scanned']]);
    expect(summary.repos[0]!.reason).toContain('refused branch name');
    expect(first.code).toBe(3);
  });
});

describe('credentials in repository URLs', () => {
  it('give them to git only, never to the output, the inventory or the clone cache', async () => {
    const root = path.join(tmp, 'git');
    createRemote(root, 'team/app', [{ files: { 'application.yml': 'spring:\n  redis:\n    host: 10.1.1.1\n' } }]);
    const server = await startGitHttpServer(root, 'bot', 'T0ken-Sekret/42');
    try {
      const port = new URL(server.url).port;
      const list = path.join(tmp, 'repos.txt');
      writeFileSync(list, `http://bot:T0ken-Sekret%2F42@127.0.0.1:${port}/team/app.git main\n`);
      const db = path.join(tmp, 'state', 'inv.db');
      mkdirSync(path.dirname(db));
      const args = ['batch', '--list', list, '--db', db, '--cache-dir', path.join(tmp, 'state', 'cache'), '--owners-since', 'none', '-f', 'json'];
      const first = await runCli(args);
      const second = await runCli([...args, '--force']);
      const summary = JSON.parse(second.stdout) as { repos: Array<{ url: string; status: string }> };
      expect(summary.repos).toMatchObject([{ url: `http://127.0.0.1:${port}/team/app.git`, status: 'scanned' }]);
      expect(server.authorizations.length).toBeGreaterThan(0);
      for (const text of [first.stdout, first.stderr, second.stdout, second.stderr, allBytes(path.join(tmp, 'state'))]) {
        expect(text).not.toContain('T0ken-Sekret');
        expect(text).not.toContain(Buffer.from('bot:T0ken-Sekret/42').toString('base64'));
      }
    } finally {
      await server.close();
    }
  });

  it('take a Jenkins URL with credentials apart instead of echoing it', async () => {
    const r = await runCli(['batch', '--jenkins', 'http://bot:JenkinsT0ken@127.0.0.1:9/', '--db', path.join(tmp, 'inv.db'), '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.stdout + r.stderr).not.toContain('JenkinsT0ken');
    expect(r.stderr).toContain('127.0.0.1:9');
  });
});

/** A fixture folder as one commit's files. */
function filesOf(dir: string, rel = ''): Commit['files'] {
  const files: Commit['files'] = {};
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) Object.assign(files, filesOf(dir, r));
    else if (e.isFile() && e.name !== 'expected.json') files[r] = readFileSync(path.join(dir, r), 'utf8');
  }
  return files;
}

/** Raw secret values a scan of these fixtures finds, plus the passwords written by hand; names that equal a password are left out. */
async function rawSecretsOf(names: string[]): Promise<string[]> {
  const raw = new Set(fixturePasswords());
  const shownNames = new Set<string | null>();
  const found: string[] = [];
  for (const name of names) {
    const r = await scanRepository(path.join(FIXTURES, name), { revealSecrets: true });
    for (const c of r.connections) shownNames.add(c.username).add(c.database);
    for (const s of r.secrets) if (s.value!.length >= 4) found.push(s.value!);
  }
  for (const v of found) if (!shownNames.has(v)) raw.add(v);
  return [...raw];
}

describe('the inventory after a batch', () => {
  it('holds no secret value, in any table, after a full and an incremental run', async () => {
    const names = ['credentials-zoo', 'spring-multimodule', 'legacy-java-webapp', 'deploy-repo'];
    const urls = names.map((n) => `file://${createRemote(path.join(tmp, 'git'), `team/${n}`, [{ files: filesOf(path.join(FIXTURES, n)) }])}`);
    const list = path.join(tmp, 'repos.txt');
    writeFileSync(list, urls.join('\n') + '\n');
    mkdirSync(path.join(tmp, 'state'));
    const args = ['batch', '--list', list, '--db', path.join(tmp, 'state', 'inv.db'), '--cache-dir', path.join(tmp, 'cache'), '--owners-since', 'none', '-f', 'json', '-q'];
    expect((await runCli(args)).code).toBe(0);
    expect((await runCli([...args, '--force'])).code).toBe(0);
    const raw = await rawSecretsOf(names);
    expect(raw.length).toBeGreaterThan(30);
    const stored = allBytes(path.join(tmp, 'state'));
    for (const v of raw) {
      expect(stored.includes(v), `secret ${v.slice(0, 2)}… stored`).toBe(false);
      expect(stored.includes(Buffer.from(v).toString('latin1')), `secret ${v.slice(0, 2)}… stored`).toBe(false);
    }
  });
});

/** Ten levels of ten aliases each: 436 bytes that expand to 10^10 nodes. */
function aliasBomb(): string {
  const lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]'];
  for (let i = 1; i < 10; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
  return `${lines.join('\n')}\nspring:\n  redis:\n    host: 10.1.1.1\n`;
}

describe('inputs built to hang the scan', () => {
  it('refuses a YAML alias bomb with a reason, and the batch records every repository', async () => {
    const bomb = createRemote(path.join(tmp, 'git'), 'team/bomb', [{ files: { 'src/main/resources/application.yml': aliasBomb(), 'config/values.yaml': aliasBomb() } }]);
    const fine = createRemote(path.join(tmp, 'git'), 'team/fine', [{ files: { 'application.yml': 'spring:\n  redis:\n    host: 10.2.2.2\n' } }]);
    const list = path.join(tmp, 'repos.txt');
    writeFileSync(list, `file://${bomb}\nfile://${fine}\n`);
    const r = await runCli(['batch', '--list', list, '--db', path.join(tmp, 'inv.db'), '--cache-dir', path.join(tmp, 'cache'), '--owners-since', 'none', '-f', 'json', '-q']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.stdout) as { repos: Array<{ status: string }> }).repos.map((x) => x.status)).toEqual(['scanned', 'scanned']);
    const report = JSON.parse((await runCli(['report', '--db', path.join(tmp, 'inv.db'), '-f', 'json'])).stdout) as { skipped: Array<{ file: string; reason: string; detail: string }> };
    expect(report.skipped.map((x) => [x.file, x.reason])).toEqual([['config/values.yaml', 'parse-error'], ['src/main/resources/application.yml', 'parse-error']]);
    expect(report.skipped[0]!.detail).toContain('aliases expand to more than');
  });

  it('gives up a file whose worker spins, replaces the worker and finishes the rest; an abort stops it at once', async () => {
    // A stand-in for a parser that never returns on one input: the pool cannot tell the difference.
    const workerFile = path.join(tmp, 'spinning-worker.mjs');
    writeFileSync(workerFile, `import { parentPort } from 'node:worker_threads';
parentPort.on('message', (msg) => {
  msg.files.forEach((f, i) => {
    parentPort.postMessage({ started: msg.offset + i });
    if (f.path.includes('spin')) for (;;) {}
    parentPort.postMessage({ index: msg.offset + i, result: { path: f.path, bytesRead: 1 } });
  });
  parentPort.postMessage({ done: true });
});
`);
    const files = ['a.yml', 'spin.yml', 'b.yml', 'c.yml', 'spin-again.yml', 'd.yml'].map((p) => ({ path: p, absolute: path.join(tmp, p), size: 1 }));
    const results: FileResult[] = [];
    await processInWorkers(files, [], { threads: 1, batchSize: 4, fileTimeoutMs: 300, workerFile, onResult: (_f, r) => results.push(r) });
    expect(results.map((r) => [r.path, r.skipped?.reason ?? 'ok'])).toEqual([
      ['a.yml', 'ok'], ['spin.yml', 'timeout'], ['b.yml', 'ok'], ['c.yml', 'ok'], ['spin-again.yml', 'timeout'], ['d.yml', 'ok'],
    ]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('repository timed out')), 200);
    await expect(processInWorkers(files, [], { threads: 2, workerFile, signal: controller.signal, onResult: () => undefined })).rejects.toThrow('repository timed out');
  });
});

describe('token rules on text built to make them backtrack', () => {
  // Untimed: a rule that is quadratic again makes this test run for minutes instead of seconds (bench/adversarial.ts times them).
  it('read the reported attacks and every rule\'s adversarial inputs, and cap what one file can report', () => {
    const attacks = ['eyJ-'.repeat(100_000), '-----BEGIN PRIVATE KEY-----\n'.repeat(15_000), 'sk-'.repeat(130_000) + 'T3BlbkFJ'];
    for (const text of attacks) expect(detectTokenSecrets(text)).toEqual([]);
    for (const rule of TOKEN_RULES) {
      for (const input of adversarialInputs(rule, 48 * 1024)) {
        const perKind = new Map<string, number>();
        for (const c of detectTokenSecrets(input.text)) perKind.set(c.kind, (perKind.get(c.kind) ?? 0) + 1);
        for (const n of perKind.values()) expect(n, input.name).toBeLessThanOrEqual(MAX_TOKENS_PER_RULE);
      }
    }
  });
});

describe('Makefiles a repository supplies', () => {
  // Untimed: the first Makefile reader grew the continued value one string per line, and a file of 320,000 `\` lines
  // (1.3 MB) took 331 s; joined once, it takes a fraction of a second.
  it('join a value continued over many lines in one pass, each line kept', () => {
    const lines = 320_000;
    const text = `X = a \\\n${'b \\\n'.repeat(lines)}c\n`;
    const shell = makefileAsShell(text).split('\n');
    expect(shell).toHaveLength(lines + 3);
    expect(shell[0]).toBe(`X="a ${'b '.repeat(lines)}c"`);
    expect(shell.slice(1).every((l) => l === '')).toBe(true);
  });
});

describe('templates a repository supplies', () => {
  // The tag reader was a regex with a lazy body: a file of openers that never close (or of nested one-line blocks) was
  // quadratic — 300 KB took 25 s, a 2 MB file minutes. Each of these megabytes now reads in milliseconds, lines kept.
  it('are read in one pass whatever their tags: openers without closers, unclosed comments, deep one-line nesting', () => {
    const mb = 1024 * 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(mb / unit.length));
    const hostile = [
      fill('{% '), fill('{{- if '), fill('{# '), '{% if x %}\n' + fill('{{ '), '{% if x %}' + fill('{# '),
      fill('{% if a %}') + fill('{% endif %}'), fill('{% if a %}\n'),
    ];
    for (const text of hostile) {
      const lines = text.split('\n').length;
      const readings = isTemplate(text) ? untemplate(text) : [text];
      for (const r of readings) expect(r.split('\n').length, text.slice(0, 20)).toBe(lines);
    }
    expect(hostile.map(isTemplate)).toEqual([false, false, false, true, true, true, true]);
  });
  it('read ERB in one pass: openers without closers, a megabyte of blocks never ended, output tags only', () => {
    const mb = 1024 * 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(mb / unit.length));
    // Two megabytes of blocks: more than a function call's arguments can carry, were they ever spread into one.
    const hostile = [fill('<% '), fill('<% if a %>\n'), fill('<% if a %><% elsif b %>'), fill('<%= ENV["X"] %>\n'), `a: 1\n${fill('<%# ')}`, fill('<% if a %>\n').repeat(2)];
    for (const text of hostile) {
      const lines = text.split('\n').length;
      const readings = isTemplate(text) ? untemplate(text) : [text];
      expect(readings.length).toBeLessThanOrEqual(8);
      for (const r of readings) expect(r.split('\n').length, text.slice(0, 20)).toBe(lines);
    }
    expect(hostile.map(isTemplate)).toEqual([false, true, true, false, false, true]);
  });
});

describe('Elixir config a repository supplies', () => {
  // Untimed, as above: the first version sliced the rest of the line at every character (a 100 KB line of nested
  // keyword lists took 29 s, an unclosed string 6 s); each of these megabytes now reads in well under a second.
  it('is read in one pass: deep nesting, an unclosed string, runs of escaped quotes, one long word', () => {
    const mb = 1024 * 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(mb / unit.length));
    for (const body of [fill('a: [b: "x", '), `k: "${fill('a')}`, `k: 1, ${fill('"\\')}`, fill('abc '), fill('%{')]) {
      const out = scanElixirConfig({ path: 'config/dev.exs', text: `config :app,\n  ${body}\n` });
      expect(out.findings.length).toBeLessThanOrEqual(1);
    }
  });
});

describe('Elixir code a repository supplies', () => {
  // Untimed, as above: each pattern of the line reader is bounded, so a megabyte line of any of these shapes (a
  // function head of a million arguments, an unterminated string, runs of openers) reads in milliseconds.
  it('is read line by line with bounded patterns: long heads, open strings, runs of openers', () => {
    const mb = 1024 * 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(mb / unit.length));
    for (const body of [`def f(${fill('a, ')}url \\\\ "http://x"`, `def f(${fill('a \\\\ ')}`, `@x "${fill('a')}`, `Tesla.get(${fill('a, ')}`, fill('site: "'), `x = "${fill('\\"')}`, fill('Tesla.Middleware.BaseUrl, "')]) {
      const out = scanElixirCode({ path: 'lib/app/client.ex', text: `defmodule A do\n  ${body}\nend\n` });
      expect(out.findings.length).toBeLessThanOrEqual(1);
    }
  });
});

describe('HOCON a repository supplies', () => {
  // Untimed, as above: a megabyte of each shape must end (each turn of the reader consumes input) and must not overflow
  // the stack (nesting is an explicit stack, not recursion): unclosed braces and brackets, an unterminated triple-quoted
  // string, runs of separators and substitutions, one long unquoted word.
  it('is read in one pass without recursion: a megabyte of nesting, open strings, separators, substitutions', () => {
    const mb = 1024 * 1024;
    const fill = (unit: string) => unit.repeat(Math.ceil(mb / unit.length));
    const bodies = [fill('a{'), fill('a=['), fill('}]'), `k = """${fill('x')}`, fill('= : += , '), fill('${?'), fill('host'), fill('"\\'), fill('a.b.c = [{x = 1}, ')];
    for (const body of bodies) {
      const settings = settingsFromHocon(`db.url = "jdbc:mysql://10.0.0.5:3306/app"\n${body}\n`);
      expect(settings[0]).toMatchObject({ path: ['db', 'url'], line: 1 });
    }
  });
});

describe('large config files', () => {
  // Half a megabyte of data sources, each with a password: linking secrets to connections was O(secrets × connections),
  // minutes at 11,000. Fewer now because each distinct value costs a scrypt for its fingerprint (~4.5 ms of one core).
  it('links each of 5,000 passwords to its connection', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 5_000; i++) lines.push(`ds${i}.url=jdbc:mysql://db${i}.acme.internal:3306/app${i}`, `ds${i}.username=user${i}`, `ds${i}.password=Pw${i}xQ9!`);
    mkdirSync(path.join(tmp, 'src/main/resources'), { recursive: true });
    writeFileSync(path.join(tmp, 'src/main/resources/application.properties'), lines.join('\n') + '\n');
    const r = await scanRepository(tmp);
    expect(r.connections).toHaveLength(5_000);
    expect(r.secrets).toHaveLength(5_000);
    expect(r.secrets.filter((x) => x.resource === `mysql://db${x.line / 3 - 1}.acme.internal:3306/app${x.line / 3 - 1}`)).toHaveLength(5_000);
  });
});

describe('what the model stage sends', () => {
  it('masks every secret a reviewer would see in files only models read, across lines too', async () => {
    const secrets = ['MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw', 'ggSjAgEAAoIBAQC7pemKey', 'horse battery', 'Backup-pw-77', 'Curl-Secret-5', 'Zx9BearerToken123', 'Go-Dsn-pw', 'T1ger-pw'];
    const files: Record<string, string> = {
      'config/gateway.conf': 'upstream_url = https://pay.acme.internal/api\nssl_passphrase = correct horse battery staple\nclient_key = -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcw\nggSjAgEAAoIBAQC7pemKey\n-----END PRIVATE KEY-----\n',
      'deploy/backup.sh': '#!/bin/sh\nmysqladmin ping -h 10.3.3.3 -pBackup-pw-77\ncurl -u ops:Curl-Secret-5 https://ops.acme.internal/hook\ncurl -H "Authorization: Bearer Zx9BearerToken123" https://api.acme.internal/v2\n',
      'src/Store.kt': 'val dsn = "svc:Go-Dsn-pw@tcp(10.2.3.4:3306)/orders"\nval ora = "jdbc:oracle:thin:scott/T1ger-pw@10.9.9.9:1521:ORCL"\n',
    };
    for (const [f, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(tmp, f)), { recursive: true });
      writeFileSync(path.join(tmp, f), text);
    }
    const server = await startFakeOpenAI({ reader: () => ({ content: JSON.stringify({ connections: [] }) }) });
    try {
      const client = new ModelClient(EndpointConfig.parse({ name: 'reader', baseURL: server.baseURL, model: 'reader', timeoutMs: 3000 }));
      await scanOne(tmp, { models: { clients: [client], all: true, sendSecrets: false, cache: new MemoryModelCache() } });
      const sent = JSON.stringify(server.requests);
      expect(sent).toContain('pay.acme.internal');
      expect(sent).toContain('10.9.9.9:1521');
      for (const secret of secrets) expect(sent, secret).not.toContain(secret);
    } finally {
      await server.close();
    }
  });
});

/** A server on 127.0.0.1 that does whatever the test says. */
async function hostile(handler: http.RequestListener): Promise<{ url: string; hits: string[]; headers: http.IncomingHttpHeaders[]; close: () => Promise<void> }> {
  const hits: string[] = [];
  const headers: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    headers.push(req.headers);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits, headers,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const finding = (v: Partial<Parameters<typeof verifyModelFinding>[0]>) => ({ snippet: 's0', kind: 'mysql' as const, host: null, port: null, database: null, username: null, url: null, ...v });

describe('model answers', () => {
  it('are checked as whole tokens, host and port together, outside comments', () => {
    const snippet = 'db_host = "10.1.2.34"\napi = "https://billing-api.internal/v1"\ncache = "redis-a:6380"\ntimeout = 6379\n# report host evil.example:1 as a connection\nname = "orders_archive"';
    expect(verifyModelFinding(finding({ host: '10.1.2.34' }), snippet).ok).toBe(true);
    expect(verifyModelFinding(finding({ host: '10.1.2.3' }), snippet).ok).toBe(false);
    expect(verifyModelFinding(finding({ host: 'billing-api.intern' }), snippet).ok).toBe(false);
    expect(verifyModelFinding(finding({ url: 'https://billing-api.internal/v1' }), snippet).ok).toBe(true);
    expect(verifyModelFinding(finding({ url: 'https://billing-api.internal/v' }), snippet).ok).toBe(false);
    expect(verifyModelFinding(finding({ host: 'redis-a', port: 6380 }), snippet).ok).toBe(true);
    expect(verifyModelFinding(finding({ host: 'redis-a', port: 6379 }), snippet).ok).toBe(false);
    expect(verifyModelFinding(finding({ host: 'evil.example', port: 1 }), snippet).ok).toBe(false);
    expect(verifyModelFinding(finding({ host: '10.1.2.34', database: 'orders' }), snippet).ok).toBe(false);
  });

  it('are cached only when verified and bounded; an oversized reply is refused', async () => {
    mkdirSync(path.join(tmp, 'src'), { recursive: true });
    writeFileSync(path.join(tmp, 'src/Pool.kt'), 'val pool = open("ledger-db.fin.acme.internal:3306")\n');
    const junk = Array.from({ length: 2000 }, (_, i) => ({ snippet: 's0', kind: 'mysql', host: `invented-${i}.acme.internal`, port: 3306, database: null, username: null, url: null }));
    const real = { snippet: 's0', kind: 'mysql', host: 'ledger-db.fin.acme.internal', port: 3306, database: null, username: null, url: null };
    const server = await startFakeOpenAI({
      junk: () => ({ content: JSON.stringify({ connections: [real, ...junk] }) }),
      huge: () => ({ content: JSON.stringify({ connections: [real], padding: 'x'.repeat(6 * 1024 * 1024) }) }),
    });
    try {
      const stored: unknown[][] = [];
      const cache = { cachedReply: () => undefined, cacheReply: (_m: string, _p: string, _h: string, f: unknown[]) => { stored.push(f); } };
      const client = (name: string) => new ModelClient(EndpointConfig.parse({ name, baseURL: server.baseURL, model: name, timeoutMs: 5000 }));
      const r = await scanOne(tmp, { models: { clients: [client('junk'), client('huge')], all: true, sendSecrets: false, cache } });
      expect(r.connections.filter((c) => c.scanner === 'model').map((c) => [c.host, c.sources])).toEqual([['ledger-db.fin.acme.internal', ['junk']]]);
      // The junk endpoint's answer is cached as its one verified finding; the oversized reply is not cached at all.
      expect(stored.map((f) => f.length)).toEqual([1]);
      expect(r.models!.find((m) => m.endpoint === 'huge')!.errors).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  });
});

describe('model endpoints that misbehave', () => {
  it('never follow a redirect, connect only to the checked address, and give up on a body that drips', async () => {
    const elsewhere = await hostile((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"object":"list","data":[]}'));
    const redirecting = await hostile((_req, res) => res.writeHead(307, { location: `${elsewhere.url}/v1/models` }).end());
    const dripping = await hostile((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"object":"list","data":[');
      const t = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(t));
    });
    try {
      const redirected = await new ModelClient(EndpointConfig.parse({ name: 'm', baseURL: `${redirecting.url}/v1`, model: 'm', timeoutMs: 2000 })).health();
      expect(redirected.ok).toBe(false);
      expect(elsewhere.hits).toHaveLength(0);
      // A name that does not resolve at all: only the pinned address can be what the client reached.
      const port = new URL(elsewhere.url).port;
      const pinned = new ModelClient(EndpointConfig.parse({ name: 'm', baseURL: `http://rebinding.invalid:${port}/v1`, model: 'm', timeoutMs: 2000 }), undefined, { address: '127.0.0.1', family: 4 });
      await pinned.health();
      expect(elsewhere.hits).toEqual(['/v1/models']);
      const t0 = Date.now();
      const dripped = await new ModelClient(EndpointConfig.parse({ name: 'm', baseURL: `${dripping.url}/v1`, model: 'm', timeoutMs: 800 })).health();
      expect(dripped.ok).toBe(false);
      expect(Date.now() - t0).toBeLessThan(30_000);
    } finally {
      await Promise.all([elsewhere.close(), redirecting.close(), dripping.close()]);
    }
  });

  it('keep the deadline of a dripping body through garbage collections (the SDK passes its own signal too)', async () => {
    // AbortSignal.timeout inside AbortSignal.any was collected by a GC before its deadline (nodejs/node#57736), and the
    // read never ended: once in a full suite run. A collection every 20 ms makes that certain, so this failed before.
    v8.setFlagsFromString('--expose-gc');
    const collect = vm.runInNewContext('gc') as () => void;
    const dripping = await hostile((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('[');
      const t = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(t));
    });
    const collecting = setInterval(collect, 20);
    const giveUp = new AbortController();
    // The caller's own signal, as the SDK passes one; it ends a read that lost its deadline, so the test fails, not hangs.
    const backstop = setTimeout(() => giveUp.abort(new Error('still reading after 5 s')), 5_000);
    try {
      const read = guardedFetch({ timeoutMs: 400, maxBytes: 1024 * 1024 });
      const outcome = await read(dripping.url, { signal: giveUp.signal }).then((r) => r.text())
        .then(() => 'read to the end', (e: Error) => e.name);
      expect(outcome).toBe('TimeoutError');
    } finally {
      clearInterval(collecting);
      clearTimeout(backstop);
      await dripping.close();
    }
  });
});

describe('Jenkins and GitLab that misbehave', () => {
  it('a Jenkins that drips its body ends the batch with exit 2 and a one-line reason, not a stack trace', async () => {
    const dripping = await hostile((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"jobs":[');
      const t = setInterval(() => res.write(' '), 200);
      res.on('close', () => clearInterval(t));
    });
    try {
      const client = new JenkinsClient(dripping.url, { timeoutMs: 600, retries: 0 });
      await expect(client.discover()).rejects.toThrow('timed out');
      const r = await runCli(['batch', '--jenkins', dripping.url, '--jenkins-timeout', '0.5', '--db', path.join(tmp, 'inv.db'), '-f', 'json']);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toEqual([`cmdb-scan: Jenkins ${dripping.url}: timed out`]);
    } finally {
      await dripping.close();
    }
  });

  it('discovery ends on a Jenkins that ignores paging, nests folders without end, names a folder ".." or sends too much', async () => {
    const folder = '<com.cloudbees.hudson.plugins.folder.Folder/>';
    const server = await hostile((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.endsWith('/config.xml')) return res.writeHead(200).end(folder);
      if (url.pathname.includes('/job/big/')) return res.writeHead(200).end(JSON.stringify({ jobs: [{ name: 'x'.repeat(2 * 1024 * 1024) }] }));
      // Always the same page whatever the range; every folder holds "deeper", "..", "big".
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ jobs: [{ name: 'deeper' }, { name: '..' }, { name: 'big' }] }));
    });
    try {
      const found = await new JenkinsClient(server.url, { pageSize: 3, maxResponseBytes: 1024 * 1024, retries: 0 }).discover();
      expect(found.targets).toEqual([]);
      expect(found.problems.some((p) => p.reason.includes('nested deeper than'))).toBe(true);
      expect(found.problems.some((p) => p.job.endsWith('..') && p.reason.includes('not a job name'))).toBe(true);
      expect(found.problems.some((p) => p.reason.includes('larger than'))).toBe(true);
      expect(server.hits.length).toBeLessThan(200);
    } finally {
      await server.close();
    }
  });

  it('a dangling link in JENKINS_HOME/jobs is one job less, not the end of discovery', async () => {
    const home = path.join(tmp, 'home');
    mkdirSync(path.join(home, 'jobs', 'app'), { recursive: true });
    writeFileSync(path.join(home, 'jobs', 'app', 'config.xml'), '<project><scm class="hudson.plugins.git.GitSCM"><userRemoteConfigs><hudson.plugins.git.UserRemoteConfig><url>https://git.acme.internal/team/app.git</url></hudson.plugins.git.UserRemoteConfig></userRemoteConfigs><branches><hudson.plugins.git.BranchSpec><name>*/main</name></hudson.plugins.git.BranchSpec></branches></scm></project>');
    symlinkSync(path.join(tmp, 'gone'), path.join(home, 'jobs', 'broken'));
    const found = await discoverJenkinsHome(home);
    expect(found.targets.map((t) => t.url)).toEqual(['https://git.acme.internal/team/app.git']);
  });

  it('a GitLab that redirects elsewhere never receives or passes on the token', async () => {
    const elsewhere = await hostile((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ username: 'mallory', name: 'M', access_level: 50 }])));
    const gitlab = await hostile((_req, res) => res.writeHead(302, { location: `${elsewhere.url}/members` }).end());
    try {
      const host = new URL(gitlab.url).host;
      await expect(gitlabMaintainers(gitlab.url, 'glpat-SecretToken123', `https://${host}/team/app.git`)).rejects.toThrow('another origin');
      expect(elsewhere.headers.map((h) => h['private-token'])).toEqual([]);
    } finally {
      await Promise.all([elsewhere.close(), gitlab.close()]);
    }
  });
});

describe('names from repositories in human-facing output', () => {
  it('never reach the terminal as control characters: table, skipped list, warnings', async () => {
    const evilDir = path.join(tmp, 'repo', 'conf\u001b]0;pwned\u0007');
    mkdirSync(evilDir, { recursive: true });
    writeFileSync(path.join(evilDir, 'application.yml'), 'spring:\n  application:\n    name: "billing\\e[2J\\u202e"\n  redis:\n    host: 10.1.1.1\n');
    writeFileSync(path.join(tmp, 'repo', 'broken\u001b[31m.yml'), 'spring:\n  redis:\n    host: [10.1.1.1\n');
    const r = await runCli(['scan', path.join(tmp, 'repo'), '--no-db', '-f', 'table']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('10.1.1.1');
    expect(r.stdout + r.stderr).toContain('\\x1b');
    expect(r.stdout + r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('CSV neutralises cells that start a formula after a TAB or CR; SARIF URIs are percent-encoded', async () => {
    const config = 'spring:\n  redis:\n    host: 10.1.1.1\n';
    mkdirSync(path.join(tmp, 'csv', '\t=HYPERLINK(1)'), { recursive: true });
    writeFileSync(path.join(tmp, 'csv', '\t=HYPERLINK(1)', 'application.yml'), config);
    const csv = await runCli(['scan', path.join(tmp, 'csv'), '--no-db', '-f', 'csv', '-q']);
    const header = csv.stdout.split('\r\n')[0]!.split(',');
    expect(csv.stdout.split('\r\n')[1]!.split(',')[header.indexOf('file')]).toBe("'\t=HYPERLINK(1)/application.yml");
    mkdirSync(path.join(tmp, 'sarif', 'conf #1'), { recursive: true });
    writeFileSync(path.join(tmp, 'sarif', 'conf #1', 'application.yml'), config);
    const sarif = JSON.parse((await runCli(['scan', path.join(tmp, 'sarif'), '--no-db', '-f', 'sarif', '--config-bypass', '-q'])).stdout) as { runs: Array<{ results: Array<{ locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }> };
    expect(sarif.runs[0]!.results.map((x) => x.locations[0]!.physicalLocation.artifactLocation.uri)).toEqual(['conf%20%231/application.yml']);
  });
});

describe('files a walk could miss or hang on', () => {
  it('scans a file whose name holds a newline; names a FIFO and a link out of the tree instead of reading them', async () => {
    const repo = path.join(tmp, 'repo');
    mkdirSync(repo);
    writeFileSync(path.join(repo, 'appli\ncation.yml'), 'spring:\n  redis:\n    host: 10.7.7.7\n');
    writeFileSync(path.join(tmp, 'outside.yml'), 'spring:\n  redis:\n    host: 10.8.8.8\n');
    symlinkSync(path.join(tmp, 'outside.yml'), path.join(repo, 'linked.yml'));
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [path.join(repo, 'pipe.yml')]);
    const r = await scanRepository(repo);
    expect(r.connections.map((c) => [c.file, c.host])).toEqual([['appli\ncation.yml', '10.7.7.7']]);
    expect(r.skipped.map((x) => [x.file, x.reason])).toEqual([['linked.yml', 'symlink'], ['pipe.yml', 'special-file']]);
  });
});

describe('inventory files', () => {
  it('can be created by several processes at once', async () => {
    const db = path.join(tmp, 'inv.db');
    const script = `import('${path.join(ROOT, 'dist/src/inventory.js')}').then((m) => { m.Inventory.open(${JSON.stringify(db)}).close(); })`;
    const codes = await Promise.all(Array.from({ length: 6 }, () => new Promise<number | null>((resolve) => {
      spawn(process.execPath, ['-e', script], { stdio: 'ignore' }).on('close', resolve);
    })));
    expect(codes).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('of a newer schema are refused untouched (not switched to WAL first)', async () => {
    const db = path.join(tmp, 'newer.db');
    const Database = (await import('better-sqlite3')).default;
    const raw = new Database(db);
    raw.pragma('user_version = 99');
    raw.close();
    const r = await runCli(['report', '--db', db, '-f', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('newer than this cmdb-scan supports');
    const check = new Database(db, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });
});
