/**
 * Scanner cases as data, in the manner of secretlint's snapshot folders, with names that say
 * which way they run: fixtures/scanners/<scanner>/finds.<case>/ must produce exactly the
 * connections and secrets in its expected.json; ignores.<case>/ folders hold look-alikes that
 * must produce neither. Adding a case is adding a folder (UPDATE_EXPECTED=1 writes
 * expected.json for finds cases; review it before committing).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanRepository } from '../src/engine.js';
import { FIXTURES, TEST_FINGERPRINT_KEY } from './helpers.js';

const ROOT = path.join(FIXTURES, 'scanners');

describe('scanner cases', () => {
  for (const scanner of readdirSync(ROOT).sort()) {
    for (const name of readdirSync(path.join(ROOT, scanner)).sort()) {
      const dir = path.join(ROOT, scanner, name);
      it(`${scanner} ${name}`, async () => {
        const result = await scanRepository(dir, { fingerprintKey: TEST_FINGERPRINT_KEY });
        const connections = result.connections.map(({ repo: _r, ...c }) => c);
        const secrets = result.secrets.map(({ repo: _r, ...s }) => s);
        if (name.startsWith('ignores.')) {
          expect({ connections, secrets }).toEqual({ connections: [], secrets: [] });
          return;
        }
        expect(name.startsWith('finds.'), 'a case folder is named finds.<case> or ignores.<case>').toBe(true);
        const file = path.join(dir, 'expected.json');
        if (process.env.UPDATE_EXPECTED) writeFileSync(file, JSON.stringify({ connections, secrets }, null, 2) + '\n');
        expect(connections.length + secrets.length).toBeGreaterThan(0);
        expect(connections.length === 0 || connections.some((c) => c.scanner === scanner)).toBe(true);
        expect({ connections, secrets }).toEqual(JSON.parse(readFileSync(file, 'utf8')));
      });
    }
  }
});
