import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import AjvDraft04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { RepoScanResult } from '../src/engine.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const FIXTURES = path.join(ROOT, 'fixtures');

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

/** `cmdb-scan serve` on a free port: its API's base URL, what it wrote to stderr, and a stop that waits for its exit. */
export async function startServe(db: string): Promise<{ url: string; stderr: () => string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/src/cli.js'), 'serve', '--db', db, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr.on('data', (d: string) => { err += d; const m = /at (http:\/\/127\.0\.0\.1:\d+\/api\/v1)/.exec(err); if (m) resolve(m[1]!); });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)));
  });
  return {
    url,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
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
