import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { expect } from 'vitest';
import type { RepoScanResult } from '../src/engine.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(ROOT, 'fixtures');
/** The command as users run it: the bundle the package's bin points at (npm test builds it first). */
export const CLI = path.join(ROOT, 'dist/bin/cli.js');

/** Writes files under a folder, making the folders they are in: a tiny repository written inline by a test. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
}

/** The built CLI run to its end: its exit code and everything it printed. */
export function runCli(args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { ...options, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** git in one test repository, as a fixed author; a failing command fails the test. */
export function gitIn(repoDir: string): (...args: string[]) => string {
  return (...args) => {
    const r = spawnSync('git', ['-C', repoDir, '-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    return r.stdout.trim();
  };
}

/** Fixture repositories: every folder of fixtures/ with an expected.json. */
export function fixtureRepos(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(FIXTURES, d.name, 'expected.json')))
    .map((d) => d.name)
    .sort();
}

/** A fixed fingerprint key, so that expected.json can hold fingerprints. */
export const TEST_FINGERPRINT_KEY = 'cmdb-scan-fixtures';

/** The machine-independent part of a scan result, as stored in expected.json. */
export function normalize(result: RepoScanResult) {
  return {
    apps: result.repo.apps,
    connections: result.connections.map(({ repo: _repo, ...c }) => c),
    secrets: result.secrets.map(({ repo: _repo, ...s }) => s),
    skipped: result.skipped.map(({ repo: _repo, ...s }) => s),
  };
}

export function readExpected(name: string): unknown {
  return JSON.parse(readFileSync(path.join(FIXTURES, name, 'expected.json'), 'utf8'));
}

/** Every password literally written in a fixture file (values of password-like keys, URL userinfo). */
export function fixturePasswords(): string[] {
  return [
    'Prod#Order2024', 'test123', 'Aud1t@pw', 'Aud1t%40pw', 'R3dis-Pr0d', 'Bkp!2024', 'payment123', 's3cr3t', 'Erp@12345',
    'Arch1ve!', 'h1st0ry', 'Jndi#2023', 'N3xus-Dep!oy', 'Local_Dev_Pwd1', 'R3port!Ro', 'L3gacy!', 'Sb#2019', '缓存密码',
  ];
}

let sarifValidator: ValidateFunction | null = null;

/** What the OASIS SARIF 2.1.0 schema (draft-04, vendored in test/sarif with its licence) says is wrong with a log; [] when valid. */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!sarifValidator) {
    const ajv = new AjvDraft04({ allErrors: true, strict: false });
    addFormats(ajv); // uri, uri-reference, date-time: checked, not ignored
    sarifValidator = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'test/sarif/sarif-schema-2.1.0.json'), 'utf8')));
  }
  return sarifValidator(log) ? [] : sarifValidator.errors!.map((e) => `${e.instancePath} ${e.message}`);
}

/**
 * `cmdb-scan serve` on a free port (more arguments and environment as given): its API's base URL, what it wrote to
 * stderr, and a stop that waits for its exit — killing it if SIGTERM has not ended it in 10 s, so a server a test
 * froze does not outlive the test.
 */
export async function startServe(db: string, options: { args?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<{ url: string; stderr: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [CLI, 'serve', '--db', db, '--port', '0', ...options.args ?? []],
    { stdio: ['ignore', 'ignore', 'pipe'], ...(options.env ? { env: options.env } : {}) });
  let err = '';
  child.stderr.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: string) => { err += d; const m = /at (http:\/\/\S+:\d+\/api\/v1)/.exec(err); if (m) resolve(m[1]!); });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return {
    url,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(kill);
    },
  };
}

/** A small service repository under `parent`: one properties file, so each test says exactly what the code references. */
export function serviceRepo(parent: string, name: string, properties: string): string {
  const repo = path.join(parent, name);
  mkdirSync(path.join(repo, 'src/main/resources'), { recursive: true });
  writeFileSync(path.join(repo, 'src/main/resources/application.properties'), `spring.application.name=${name}\n${properties}`);
  return repo;
}

/**
 * A command run to its end without blocking this process, so a fake server in it (Jenkins, a model endpoint) can
 * answer while the command runs: its exit code and everything it printed.
 */
export function runAsync(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, options);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Debian's chromium package, installed once if this machine lacks it and we may (root with apt-get). */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`the HTML report test needs Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const r = spawnSync('apt-get', args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  }
}
