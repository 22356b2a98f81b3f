/**
 * Every fixture repository is scanned and compared exactly with its expected.json.
 * To add a case, add a folder with an expected.json. `UPDATE_EXPECTED=1` rewrites the
 * files from the current output — review the diff by hand before committing it.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanOne } from '../src/scan.js';
import { FIXTURES, fixtureRepos, normalize, readExpected, TEST_FINGERPRINT_KEY } from './helpers.js';

describe('fixture repositories', () => {
  const names = fixtureRepos();
  it('has the fixture set the project promises', () => {
    expect(names.length).toBeGreaterThanOrEqual(8);
  });
  for (const name of names) {
    it(`${name} matches expected.json`, async () => {
      // A fixture's own project config applies; none is looked for above it, so the run is the same on any machine.
      const config = path.join(FIXTURES, name, '.cmdb-scan.yml');
      const result = await scanOne(path.join(FIXTURES, name), { fingerprintKey: TEST_FINGERPRINT_KEY, config: existsSync(config) ? config : false });
      const actual = normalize(result);
      if (process.env.UPDATE_EXPECTED) writeFileSync(path.join(FIXTURES, name, 'expected.json'), JSON.stringify(actual, null, 2) + '\n');
      expect(actual).toEqual(readExpected(name));
    });
  }
});
