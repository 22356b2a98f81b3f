/**
 * The table as people see it (issue 27 §3): under a real pseudo-terminal (util-linux `script`) at 80 and 120
 * columns, and piped. Rows sit under their app's heading, no line is wider than the terminal when the columns can be
 * made to fit, and no value is broken across lines; piped, the same rows come as tab-separated lines.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderBatchSummary } from '../src/batch/progress.js';
import { CLI, FIXTURES, ROOT, runCli } from './helpers.js';

const REPO = path.join(FIXTURES, 'spring-multimodule');

/** What the command prints on a terminal of `columns` columns, without colour escapes, lines as shown. */
function onTerminal(columns: number, args: string[]): string[] {
  const command = `stty cols ${columns} rows 200; exec ${[process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')}`;
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(r.status, r.stderr).toBe(0);
  // eslint-disable-next-line no-control-regex
  return r.stdout.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r/g, '').split('\n').filter((l) => l !== '');
}

const report = JSON.parse(runCli(['scan', REPO, '--no-db', '-q', '-f', 'json']).stdout) as {
  connections: Array<{ app: string; host: string | null; port: number | null; scope: string; kind: string }>;
};
const shipped = report.connections.filter((c) => c.scope === 'main' || c.scope === 'deploy');
const endpoints = [...new Set(shipped.map((c) => `${c.host ?? '?'}${c.port !== null ? `:${c.port}` : ''}`))];

describe('the table on a terminal', () => {
  for (const columns of [80, 120]) {
    it(`fits ${columns} columns, says each app once as a heading, and breaks no value`, () => {
      const lines = onTerminal(columns, ['scan', REPO, '--no-db', '-q']);
      expect(lines.filter((l) => [...l].length > columns)).toEqual([]);
      // Each endpoint whole on one line: an IP is never split into `10.20.` and `1.15:3306`.
      for (const e of endpoints) expect(lines.some((l) => l.includes(e)), e).toBe(true);
      for (const kind of new Set(shipped.map((c) => c.kind))) expect(lines.some((l) => new RegExp(`│ ${kind} +│`).test(l)), kind).toBe(true);
      // One heading per app, not the app on every row.
      for (const app of new Set(shipped.map((c) => c.app))) expect(lines.filter((l) => new RegExp(`^│ ${app} +│$`).test(l)), app).toHaveLength(1);
      expect(lines.length).toBeLessThan(shipped.length + 30);
    });
  }

  it('shows every column with --wide, whatever the width, and the chosen ones with --columns', () => {
    const wide = onTerminal(80, ['scan', REPO, '--no-db', '-q', '--wide']);
    expect(wide.find((l) => l.includes('endpoint'))).toMatch(/│ kind +│ endpoint +│ database +│ user +│ password +│ source +│ scope +│ profiles +│ where +│ scanner +│/);
    const chosen = onTerminal(80, ['scan', REPO, '--no-db', '-q', '--columns', 'app,kind,endpoint', '--no-headers']);
    expect(chosen.some((l) => l.includes('endpoint'))).toBe(false);
    expect(chosen.filter((l) => /^│ mall-order +│ mysql +│ 10\.20\.1\.15:3306 +│$/.test(l))).toHaveLength(1);
  });
});

describe('the table piped', () => {
  it('keeps its rows as tab-separated lines, with a header unless --no-headers; -f json is JSON', () => {
    const piped = runCli(['scan', REPO, '--no-db', '-q']);
    expect(piped.code).toBe(0);
    const lines = piped.stdout.split('\n');
    expect(lines[0]).toBe(['REPO', 'APP', 'KIND', 'ENDPOINT', 'DATABASE', 'USER', 'PASSWORD', 'SOURCE', 'SCOPE', 'PROFILES', 'WHERE'].join('\t'));
    const rows = lines.slice(1, lines.indexOf(''));
    expect(rows.every((r) => r.split('\t').length === 11)).toBe(true);
    expect(new Set(rows.map((r) => r.split('\t')[3]!.replace(/ \(local\)$/, '')))).toEqual(new Set(endpoints));
    const bare = runCli(['scan', REPO, '--no-db', '-q', '--no-headers', '--columns', 'app,endpoint']).stdout.split('\n');
    expect(bare[0]!.split('\t')).toHaveLength(2);
    expect(bare).toContain('mall-order\t10.20.1.15:3306');
    expect(runCli(['scan', REPO, '--no-db', '-q', '--columns', 'app,hostname']).stderr).toContain('--columns: hostname: one or more of');
    expect(() => JSON.parse(runCli(['scan', REPO, '--no-db', '-q', '-f', 'json']).stdout)).not.toThrow();
  });
});

describe('the batch summary', () => {
  it('fits 120 columns with a long failure reason, wrapping only between words', () => {
    const reason = 'git clone failed: fatal: unable to access https://git.acme.internal/shop/very-long-repository-name-for-orders.git/: Could not resolve host git.acme.internal';
    const text = renderBatchSummary({
      repos: [
        { status: 'failed', jobs: ['shop/orders-service-build', 'shop/orders-service-deploy'], url: 'https://git.acme.internal/shop/very-long-repository-name-for-orders.git', branch: 'release/2026.12', commit: null, connections: 0, filesRead: 0, filesReused: 0, seconds: 12.3, reason },
        { status: 'scanned', jobs: ['shop/cart'], url: 'https://git.acme.internal/shop/cart.git', branch: 'main', commit: '0123456789abcdef0123', connections: 42, filesRead: 120, filesReused: 3, seconds: 4.5, reason: null },
      ],
      discoveryProblems: [],
    } as unknown as Parameters<typeof renderBatchSummary>[0], 120);
    const lines = text.split('\n');
    expect(lines.filter((l) => [...l].length > 120)).toEqual([]);
    expect(lines.some((l) => l.includes('https://git.acme.internal/shop/very-long-repository-name-for-orders.git'))).toBe(true);
  });
});
