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
