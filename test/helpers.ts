import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
