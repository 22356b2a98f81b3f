/**
 * The HTML report in a real browser (Debian's Chromium, driven by playwright-core): it loads from a file with no
 * network, draws every app and resource, and the search box and filters change the graph and the tables together.
 * A name from a repository stays text. `UPDATE_SCREENSHOT=1` also writes the README's screenshot
 * (docs/html-report.png). Chromium is installed here when missing and the suite runs as root (a fresh CI machine).
 */
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scanRepository } from '../src/engine.js';
import { toReport } from '../src/index.js';
import { Inventory } from '../src/inventory.js';
import { renderHtml } from '../src/reporters/index.js';
import { ciGraph } from '../src/reporters/relations.js';
import { CHROMIUM, ensureChromium, FIXTURES, ROOT, startServe, TEST_FINGERPRINT_KEY } from './helpers.js';

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

/**
 * Seven repositories, 63 apps (issue 27 §4, §5): each repository has its own `server`, `config` and `worker`, a
 * Compose-style `redis` only it names, and shares a MySQL and a Kafka with the others. Written as real trees and
 * scanned, then drawn from a file and served by `cmdb-scan serve`.
 */
function sevenRepositories(parent: string): string[] {
  const teams = ['orders', 'billing', 'search', 'catalog', 'payments', 'identity', 'logistics'];
  return teams.map((team, t) => {
    const repo = path.join(parent, `${team}-platform`);
    for (const [i, app] of ['server', 'config', 'worker', `${team}-api`, `${team}-jobs`, `${team}-admin`, `${team}-gateway`, `${team}-events`, `${team}-reports`].entries()) {
      const root = path.join(repo, app);
      mkdirSync(path.join(root, 'src/main/resources'), { recursive: true });
      writeFileSync(path.join(root, 'pom.xml'), `<project><modelVersion>4.0.0</modelVersion><groupId>com.acme.${team}</groupId><artifactId>${app}</artifactId><version>1.0</version></project>\n`);
      writeFileSync(path.join(root, 'src/main/resources/application.properties'), [
        `spring.application.name=${app}`,
        `spring.datasource.url=jdbc:mysql://10.20.1.15:3306/${team}`,
        'spring.redis.host=redis', 'spring.redis.port=6379',
        i % 3 === 0 ? 'spring.kafka.bootstrap-servers=kafka-1.acme.internal:9092' : `spring.elasticsearch.uris=http://es-${t}.acme.internal:9200`,
        '',
      ].join('\n'));
    }
    return repo;
  });
}

describe('seven repositories in Chromium: the file and the served page', () => {
  let many: string;
  let repos: string[];
  beforeAll(() => {
    many = mkdtempSync(path.join(os.tmpdir(), 'cmdb-html7-'));
    repos = sevenRepositories(many);
  });
  afterAll(() => rmSync(many, { recursive: true, force: true }));

  type Graph = { cmdbReport: { cy: {
    nodes(sel?: string): { length: number; map<T>(f: (n: { id(): string; hasClass(c: string): boolean; parent(): { length: number; id(): string } }) => T): T[] };
    getElementById(id: string): { renderedBoundingBox(): { x1: number; y1: number; x2: number; y2: number } };
    zoom(): number; width(): number; height(): number;
  } } };

  it('groups apps by repository, draws shared and repository-local resources apart, and a search brings the app into view at a legible size', async () => {
    const results = [];
    for (const repo of repos) results.push(await scanRepository(repo, { fingerprintKey: TEST_FINGERPRINT_KEY }));
    const report = toReport(results);
    expect(report.repos.reduce((n, r) => n + r.apps.length, 0)).toBe(63);
    const file = path.join(many, 'seven.html');
    writeFileSync(file, renderHtml(report));
    const seven = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const failures: string[] = [];
    seven.on('pageerror', (e) => failures.push(e.message));
    await seven.goto(`file://${file}`);
    await seven.waitForFunction(() => (window as unknown as { cmdbReport?: unknown }).cmdbReport !== undefined, undefined, { timeout: 20_000 });
    // A question about the page's graph, asked in the page: the function's source runs there with the graph as its argument.
    const graph = <T>(f: (g: Graph['cmdbReport']['cy']) => T) => seven.evaluate(`(${String(f)})(window.cmdbReport.cy)`) as Promise<T>;

    expect(await graph((cy) => cy.nodes('[type = "repo"]').length)).toBe(7);
    expect(await graph((cy) => cy.nodes('[type = "app"]').length)).toBe(63);
    // Each repository's `redis` sits inside it; the MySQL every repository uses is one node, drawn as shared.
    const redis = await graph((cy) => cy.nodes('[kind = "redis"]').map((n) => n.parent().length ? n.parent().id() : ''));
    expect(redis.sort()).toEqual(repos.map((r) => `repo:${r}`).sort());
    expect(await graph((cy) => cy.nodes('[kind = "mysql"]').map((n) => [n.id(), n.hasClass('shared'), n.parent().length]))).toEqual([['mysql://10.20.1.15:3306/billing', false, 0],
      ['mysql://10.20.1.15:3306/catalog', false, 0], ['mysql://10.20.1.15:3306/identity', false, 0], ['mysql://10.20.1.15:3306/logistics', false, 0],
      ['mysql://10.20.1.15:3306/orders', false, 0], ['mysql://10.20.1.15:3306/payments', false, 0], ['mysql://10.20.1.15:3306/search', false, 0]]);
    expect(await graph((cy) => cy.nodes('[kind = "kafka"]').map((n) => n.hasClass('shared')))).toEqual([true]);
    // The list: seven groups, each with its own `server`.
    expect(await seven.locator('#app-list .repo-group').count()).toBe(7);
    expect(await seven.locator('#app-list .repo-group[data-repo$="billing-platform"] button').allTextContents()).toEqual(
      ['billing-admin', 'billing-api', 'billing-events', 'billing-gateway', 'billing-jobs', 'billing-reports', 'config', 'server', 'worker']);

    expect(failures).toEqual([]);
    if (process.env['UPDATE_SCREENSHOT']) await seven.screenshot({ path: path.join(ROOT, 'docs/html-report-seven-repositories.png') });

    // Zoomed out on 63 apps, a label would be a few pixels: labels wait for the zoom (Cytoscape's min-zoomed-font-size).
    await seven.locator('#search').fill('payments-gateway');
    expect(await seven.locator('#app-list button').allTextContents()).toEqual(['payments-gateway']);
    const appId = await seven.evaluate(() => {
      const w = window as unknown as { cmdbReport: { cy: { nodes(s: string): { filter(f: (n: { hasClass(c: string): boolean }) => boolean): Array<{ id(): string }> } } } };
      return w.cmdbReport.cy.nodes('[type = "app"]').filter((n) => !n.hasClass('hidden'))[0]!.id();
    });
    const shown = await seven.evaluate((id) => {
      const cy = (window as unknown as Graph).cmdbReport.cy;
      return { box: cy.getElementById(id).renderedBoundingBox(), zoom: cy.zoom(), width: cy.width(), height: cy.height() };
    }, appId);
    expect(appId).toMatch(/payments-platform#payments-gateway$/);
    // In the viewport, and drawn at least at its 10 px label size (zoom ≥ 1).
    expect(shown.box.x1).toBeGreaterThanOrEqual(0);
    expect(shown.box.y1).toBeGreaterThanOrEqual(0);
    expect(shown.box.x2).toBeLessThanOrEqual(shown.width);
    expect(shown.box.y2).toBeLessThanOrEqual(shown.height);
    expect(shown.zoom).toBeGreaterThanOrEqual(1);
    // Its three resources: the shared MySQL and Kafka, and its repository's own redis.
    expect(await seven.locator('#status').textContent()).toMatch(/^1 apps, 3 resources, 3 app × resource pairs/);
    expect(failures).toEqual([]);
    if (process.env['UPDATE_SCREENSHOT']) await seven.screenshot({ path: path.join(ROOT, 'docs/html-report-search.png') });
    await seven.close();
  });

  it('serve shows the same report at / from the live inventory; an app and a resource link to their own pages', async () => {
    const db = path.join(many, 'seven.db');
    const inventory = Inventory.open(db);
    for (const repo of repos) inventory.saveRepo(await scanRepository(repo, { fingerprintKey: inventory.fingerprintKey() }), new Date());
    inventory.close();
    const serve = await startServe(db);
    const site = serve.url.replace(/\/api\/v1$/, '');
    const served = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const failures: string[] = [];
    served.on('pageerror', (e) => failures.push(e.message));
    try {
      await served.goto(`${site}/`);
      await served.waitForFunction(() => (window as unknown as { cmdbReport?: unknown }).cmdbReport !== undefined, undefined, { timeout: 20_000 });
      expect(await served.locator('#app-list button').count()).toBe(63);
      expect(await served.locator('#app-list .repo-group').count()).toBe(7);
      if (process.env['UPDATE_SCREENSHOT']) await served.screenshot({ path: path.join(ROOT, 'docs/serve-seven-repositories.png') });
      await served.locator('#app-list .repo-group[data-repo$="orders-platform"] button', { hasText: 'server' }).click();
      await expect.poll(() => served.locator('#app-panel h3 a.permalink').getAttribute('href')).toBe('/apps/server');
      // A resource in the panel opens who else uses it: the shared MySQL, as a page of its own.
      await served.locator('#app-panel li a', { hasText: 'mysql://10.20.1.15:3306/orders' }).click();
      await served.waitForURL(/\/uses\?target=/);
      await served.waitForFunction(() => (window as unknown as { cmdbReport?: unknown }).cmdbReport !== undefined, undefined, { timeout: 20_000 });
      expect(await served.locator('header h1').textContent()).toContain('mysql://10.20.1.15:3306/orders');
      expect(await served.locator('#app-list button').allTextContents()).toEqual(['config', 'orders-admin', 'orders-api', 'orders-events', 'orders-gateway', 'orders-jobs', 'orders-reports', 'server', 'worker']);
      expect(failures).toEqual([]);
    } finally {
      await served.close();
      await serve.stop();
    }
  });
});
