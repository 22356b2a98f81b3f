import { describe, expect, it } from 'vitest';
import { callSettings, type CallArgument } from '../src/code/constants.js';

/** A scalar argument as a language would hand it over. */
const scalar = (value: string | null, line: number, extra: Partial<CallArgument> = {}): CallArgument => ({
  settingsAt: (path) => (value === null ? [] : [{ path, value, line }]),
  scalar: () => ({ value, derived: false }),
  line,
  ...extra,
});

describe('client call settings, shared by the code scanners', () => {
  it('puts positional arguments under their roles, keywords under their names, options under the site', () => {
    const site = ['redis', 'Redis@3'];
    const options: CallArgument = { keyed: true, settingsAt: (path) => [{ path: [...path, 'password'], value: 'x', line: 3 }], scalar: () => ({ value: null, derived: false }), line: 3 };
    expect(callSettings(site, ['host', 'port', 'db'], [scalar('10.1.1.1', 3), options, scalar('2', 3), scalar('s3cret', 4, { name: 'password' })])).toEqual([
      { path: [...site, 'host'], value: '10.1.1.1', line: 3 },
      { path: [...site, 'password'], value: 'x', line: 3 },
      { path: [...site, 'db'], value: '2', line: 3 },
      { path: [...site, 'password'], value: 's3cret', line: 4 },
    ]);
  });
  it('takes an unnamed connection string as the url, and lets a language say what else is an endpoint', () => {
    const site = ['connect@1'];
    expect(callSettings(site, [], [scalar('mongodb://10.2.2.2:27017/app', 1), scalar('just-a-name', 1)])).toEqual([
      { path: [...site, 'url'], value: 'mongodb://10.2.2.2:27017/app', line: 1 },
    ]);
    const http = (v: string) => v.startsWith('https://');
    expect(callSettings(site, ['key'], [scalar('https://api.acme.internal/v1', 2)], { urlFirst: http })).toEqual([
      { path: [...site, 'url'], value: 'https://api.acme.internal/v1', line: 2 },
    ]);
  });
});
