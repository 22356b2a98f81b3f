/**
 * Scanner cases as data, in the manner of secretlint's snapshot folders:
 * fixtures/scanners/<scanner>/ok.<case>/ must produce exactly the connections in its
 * expected.json; ng.<case>/ folders hold look-alikes that must produce none. Adding a
 * case is adding a folder (UPDATE_EXPECTED=1 writes expected.json for ok cases; review it).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanRepository } from '../src/engine.js';
import { FIXTURES } from './helpers.js';

const ROOT = path.join(FIXTURES, 'scanners');

describe('scanner cases', () => {
  for (const scanner of readdirSync(ROOT).sort()) {
    for (const name of readdirSync(path.join(ROOT, scanner)).sort()) {
      const dir = path.join(ROOT, scanner, name);
      it(`${scanner} ${name}`, async () => {
        const result = await scanRepository(dir);
        const connections = result.connections.map(({ repo: _r, ...c }) => c);
        if (name.startsWith('ng.')) {
          expect(connections).toEqual([]);
          return;
        }
        const file = path.join(dir, 'expected.json');
        if (process.env.UPDATE_EXPECTED) writeFileSync(file, JSON.stringify(connections, null, 2) + '\n');
        expect(connections.length).toBeGreaterThan(0);
        expect(connections.some((c) => c.scanner === scanner)).toBe(true);
        expect(connections).toEqual(JSON.parse(readFileSync(file, 'utf8')));
      });
    }
  }
});
