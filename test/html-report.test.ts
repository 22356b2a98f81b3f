/**
 * The HTML report in a real browser (Debian's Chromium, driven by playwright-core): it loads from a file with no
 * network, draws every app and resource, and the search box and filters change the graph and the tables together.
 * A name from a repository stays text. `UPDATE_SCREENSHOT=1` also writes the README's screenshot
 * (docs/html-report.png). Chromium is installed here when missing and the suite runs as root (a fresh CI machine).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanRepository } from '../src/engine.js';
import { toReport } from '../src/index.js';
import { renderHtml } from '../src/reporters/index.js';
import { ciGraph } from '../src/reporters/relations.js';
import { FIXTURES, ROOT, TEST_FINGERPRINT_KEY } from './helpers.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** Debian's chromium package, installed once if this machine lacks it and we may (root with apt-get). */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
    throw new Error(`the HTML report test needs Chromium at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', 'chromium']]) {
    const r = spawnSync('apt-get', args, { encoding: 'utf8', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 600_000 });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  }
}

let dir: string;
let browser: Browser;
let page: Page;
const errors: string[] = [];
let expected: { apps: number; resources: number; shippedApps: string[] };
let hostile: ReturnType<typeof toReport>;

beforeAll(async () => {
  ensureChromium();
  dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-html-'));
  const results = [
    await scanRepository(path.join(FIXTURES, 'spring-multimodule'), { fingerprintKey: TEST_FINGERPRINT_KEY }),
    await scanRepository(path.join(FIXTURES, 'deploy-repo'), { fingerprintKey: TEST_FINGERPRINT_KEY }),
  ];
  const report = toReport(results);
  hostile = structuredClone(toReport(results));
  // A hostile app name: it must show as text, never run.
  hostile.repos[1]!.apps.push({ name: '<img src=x onerror="window.__pwned=1">', root: 'evil' });
  const g = ciGraph(report, { allScopes: true });
  const graphedResources = new Set(report.connections.filter((c) => c.host !== null && !c.local).map((c) => `${c.kind}://${c.host}`));
  expected = { apps: report.repos.reduce((n, r) => n + r.apps.length, 0), resources: g.resources.length, shippedApps: [] };
  expect(graphedResources.size).toBeGreaterThan(0);
  const file = path.join(dir, 'report.html');
  writeFileSync(file, renderHtml(report));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  // Self-contained: any request off the file is a failure.
  await page.route(/^(?!file:)/, (route) => { errors.push(`network request: ${route.request().url()}`); return route.abort(); });
  await page.goto(`file://${file}`);
  await page.waitForFunction(() => (window as unknown as { cmdbReport?: unknown }).cmdbReport !== undefined, undefined, { timeout: 20_000 });
}, 900_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

type Probe = { cmdbReport: { cy: { nodes(sel?: string): { length: number; filter(f: (n: { hasClass(c: string): boolean }) => boolean): { length: number } } } } };
const visible = (selector: string) => page.evaluate((sel) => (window as unknown as Probe).cmdbReport.cy.nodes(sel).filter((n) => !n.hasClass('hidden')).length, selector);
const rows = (table: string) => page.locator(`#${table} tbody tr`).count();

describe('the HTML report in Chromium', () => {
  it('draws every app and resource, offline, with no script errors, and keeps names as text', async () => {
    expect(await page.evaluate(() => (window as unknown as Probe).cmdbReport.cy.nodes('[type = "app"]').length)).toBe(expected.apps);
    expect(await page.evaluate(() => (window as unknown as Probe).cmdbReport.cy.nodes('[type = "resource"]').length)).toBe(expected.resources);
    expect(await page.locator('#app-list button').count()).toBe(expected.apps);
    expect(errors).toEqual([]);

    const evil = path.join(dir, 'hostile.html');
    writeFileSync(evil, renderHtml(hostile));
    const other = await browser.newPage();
    await other.goto(`file://${evil}`);
    await other.waitForFunction(() => (window as unknown as { cmdbReport?: unknown }).cmdbReport !== undefined);
    expect(await other.locator('#app-list button', { hasText: '<img src=x onerror="window.__pwned=1">' }).count()).toBe(1);
    expect(await other.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    await other.close();
  });

  it('filters the graph and the tables together: kind, scope, search, severity; an app gets its own panel', async () => {
    const redisBefore = await visible('[kind = "redis"]');
    const rowsBefore = await rows('connections');
    expect(redisBefore).toBeGreaterThan(0);
    await page.locator('input[data-kind="redis"]').uncheck();
    expect(await visible('[kind = "redis"]')).toBe(0);
    expect(await rows('connections')).toBeLessThan(rowsBefore);
    expect(await page.locator('#connections tbody tr', { hasText: 'redis://' }).count()).toBe(0);
    await page.locator('input[data-kind="redis"]').check();
    expect(await rows('connections')).toBe(rowsBefore);

    // Tests are hidden by default and shown when their scope is ticked.
    await page.locator('input[data-scope="test"]').check();
    expect(await rows('connections')).toBeGreaterThanOrEqual(rowsBefore);
    await page.locator('input[data-scope="test"]').uncheck();

    await page.locator('#search').fill('mall-user');
    const userRows = await page.locator('#connections tbody tr td:first-child').allTextContents();
    expect(userRows.length).toBeGreaterThan(0);
    expect(new Set(userRows)).toEqual(new Set(['mall-user']));
    expect(await visible('[type = "app"]')).toBe(1);
    await page.locator('#search').fill('');

    await page.locator('#severity').selectOption('high');
    const severities = await page.locator('#secrets tbody tr td:first-child').allTextContents();
    expect(severities.every((s) => s === 'high')).toBe(true);
    await page.locator('#severity').selectOption('');
    const all = await page.locator('#secrets tbody tr td:first-child').allTextContents();
    const rank = { high: 0, medium: 1, low: 2 } as Record<string, number>;
    expect(all.map((s) => rank[s])).toEqual([...all.map((s) => rank[s]!)].sort((a, b) => a - b));

    await page.locator('#app-list button', { hasText: 'mall-order' }).click();
    await expect.poll(() => page.locator('#app-panel h3').textContent()).toBe('mall-order');
    expect(await page.locator('#app-panel h4').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^mysql \(\d+\)$/), expect.stringMatching(/^redis \(\d+\)$/)]));
    expect(errors).toEqual([]);
    const shot = path.join(dir, 'report.png');
    await page.screenshot({ path: shot });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    if (process.env['UPDATE_SCREENSHOT']) await page.screenshot({ path: path.join(ROOT, 'docs/html-report.png') });
  });
});
