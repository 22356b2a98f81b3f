/**
 * The accuracy harness's scoring, on a hand-made truth: what counts as a match (file, line ±1 or an
 * alternative line, kind, host), what optional entries and traps do, and how secrets are matched.
 */
import { describe, expect, it } from 'vitest';
import { score } from '../bench/accuracy.js';
import type { Connection, Secret } from '../src/result-model.js';

const conn = (file: string, line: number, kind: Connection['kind'], host: string | null): Connection => ({
  repo: 'r', app: 'a', file, line, kind, host, port: null, database: null, username: null, hasPassword: false, passwordHardcoded: false,
  url: null, profile: null, valueSource: 'literal', confidence: 0.9, scope: 'main', scanner: 'x', local: false, sources: ['static'],
});
const secret = (file: string, line: number): Secret => ({ repo: 'r', app: 'a', file, line, kind: 'password', fingerprint: 'f', masked: '****', scope: 'main', severity: 'high', resource: null });

describe('accuracy scoring', () => {
  it('matches on file, near line, kind and host; optional entries and traps count as LABELLING.md says', () => {
    const truth = {
      repo: 'o/r', commit: 'c',
      connections: [
        { kind: 'mysql', host: '10.0.0.1', file: 'app.yml', line: 10 },
        { kind: 'redis', host: 'Cache.internal', file: 'app.yml', line: 20, alt_lines: [25] },
        { kind: 'kafka', host: 'k1', file: 'Main.java', line: 5 },
      ],
      optional: [{ kind: 'mysql', host: 'db', file: 'compose.yml', line: 3 }],
      secrets: [{ file: 'app.yml', line: 12, kind: 'password' }, { file: 'seed.sql', line: 1, kind: 'password', optional: true }],
      traps: [{ file: 'app.yml', line: 40, why: 'doc link' }, { file: 'app.yml', line: 50, why: 'placeholder', secretOnly: true }],
    };
    const s = score(truth, [
      conn('app.yml', 11, 'mysql', '10.0.0.1'), conn('app.yml', 25, 'redis', 'cache.internal'), conn('compose.yml', 3, 'mysql', 'db'),
      conn('app.yml', 40, 'http', 'docs.vendor.com'), conn('app.yml', 50, 'http', 'x.internal'), conn('Main.java', 5, 'redis', 'k1'),
    ], [secret('app.yml', 13), secret('app.yml', 50)]);
    expect(s.connections).toEqual({ tp: 2, fp: 3, fn: 1 });
    expect(s.byClass.code).toEqual({ tp: 0, fp: 1, fn: 1 });
    expect(s.secrets).toEqual({ tp: 1, fp: 1, fn: 0 });
    // The optional secret reported: neither a hit nor a false alarm.
    expect(score(truth, [], [secret('app.yml', 13), secret('seed.sql', 1)]).secrets).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(s.trapHits.map((t) => [t.line, t.reported])).toEqual([[40, 'http docs.vendor.com'], [50, 'secret password']]);
  });

  it('pairs each entry with its closest row, and core secrets before optional ones', () => {
    const onPort = (line: number, port: number): Connection => ({ ...conn('appsettings.json', line, 'http', 'localhost'), port });
    const truth = {
      repo: 'o/r', commit: 'c',
      connections: [
        { kind: 'http', host: 'localhost', port: 61840, file: 'appsettings.json', line: 10 },
        { kind: 'http', host: 'localhost', port: 62911, file: 'appsettings.json', line: 11 },
        { kind: 'http', host: 'localhost', port: 33656, file: 'appsettings.json', line: 12 },
      ],
      secrets: [{ file: '.env', line: 61, kind: 'access-key', optional: true }, { file: '.env', line: 62, kind: 'access-key' }],
    };
    // Rows on lines 9–12: the first entry takes line 10's row, not line 9's, so no row shifts into a neighbour's place.
    const s = score(truth, [onPort(9, 4000), onPort(10, 61840), onPort(11, 62911), onPort(12, 33656)], [secret('.env', 62)]);
    expect(s.connections).toEqual({ tp: 3, fp: 1, fn: 0 });
    expect(s.falsePositives).toEqual(['appsettings.json:9 http localhost:4000']);
    expect(s.secrets).toEqual({ tp: 1, fp: 0, fn: 0 });
  });

  it('takes an optional entry without a host for any row of its kind at its line', () => {
    const truth = {
      repo: 'o/r', commit: 'c', connections: [], secrets: [],
      optional: [{ kind: 'redis', host: null, file: 'compose.yml', line: 7, note: 'redis service definition' }],
    };
    const s = score(truth, [conn('compose.yml', 7, 'redis', 'redis'), conn('compose.yml', 7, 'mysql', 'redis'), conn('compose.yml', 12, 'redis', 'cache')], []);
    expect(s.connections).toEqual({ tp: 0, fp: 2, fn: 0 });
  });

  it('takes a resolved host for a labelled placeholder, but never trades one written host for another', () => {
    const truth = {
      repo: 'o/r', commit: 'c', secrets: [],
      connections: [
        { kind: 'http', host: null, valueSource: 'placeholder' as const, file: 'compose.yaml', line: 55 },
        { kind: 'redis', host: null, file: 'compose.yaml', line: 70 },
        { kind: 'kafka', host: 'kafka', file: 'compose.yaml', line: 90 },
      ],
    };
    // compose.yaml:55 `${OTEL_HOST}` resolved from .env; line 70 has no placeholder note, so its host stays null.
    const s = score(truth, [conn('compose.yaml', 55, 'http', 'otel-collector'), conn('compose.yaml', 70, 'redis', 'cache'), conn('compose.yaml', 90, 'kafka', 'broker')], []);
    expect(s.connections).toEqual({ tp: 1, fp: 2, fn: 2 });
  });

  it('takes a kind the labelling list has no name for as the labeller\'s other', () => {
    const truth = {
      repo: 'o/r', commit: 'c', secrets: [],
      connections: [{ kind: 'other', host: 'elk', file: 'logback.xml', line: 4 }, { kind: 'other', host: 'mq', file: 'app.yml', line: 2 }],
    };
    const s = score(truth, [conn('logback.xml', 4, 'logstash', 'elk'), conn('app.yml', 2, 'kafka', 'mq')], []);
    expect(s.connections).toEqual({ tp: 1, fp: 1, fn: 1 });
  });

  it('scores one definition site once, however many apps the report lists it for', () => {
    const truth = { repo: 'o/r', commit: 'c', connections: [{ kind: 'redis', host: 'redis', file: 'compose.yaml', line: 15 }], secrets: [], traps: [] };
    const perApp = (app: string) => ({ ...conn('compose.yaml', 15, 'redis', 'redis'), app });
    const s = score(truth, [perApp('server'), perApp('worker'), perApp('scheduler'), conn('compose.yaml', 16, 'postgresql', 'postgres')], []);
    expect(s.connections).toEqual({ tp: 1, fp: 1, fn: 0 });
  });
});
