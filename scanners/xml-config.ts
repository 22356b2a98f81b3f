/**
 * XmlConfigScanner: Spring bean definitions (`<bean><property name="url" value="…"/>`),
 * MyBatis `<dataSource>`, Hibernate `hibernate.cfg.xml`, Tomcat `context.xml`
 * `<Resource>`, .NET `app.config`/`web.config` (`connectionStrings`, `appSettings`),
 * Maven `settings.xml` (servers joined to mirrors/repositories by id), and JDBC URLs in
 * `pom.xml` plugin configuration (Flyway, Liquibase). Parsed with @xmldom/xmldom, which
 * reports element lines; namespace and schema attributes are never values.
 */
import { parseConnectionString } from '../src/connection-string.js';
import { isTestPath } from '../src/paths.js';
import { profileFromPath } from '../src/profiles.js';
import type { Finding } from '../src/result-model.js';
import { defineScanner, resourceFindings, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import type { SecretCandidate } from '../src/secrets/detect.js';
import { interpretSettings } from '../src/settings.js';
import { escapeRegExp } from '../src/text.js';
import type { Element } from '@xmldom/xmldom';
import { onFirstUse } from '../src/on-first-use.js';

const xmldom = onFirstUse<typeof import('@xmldom/xmldom')>('@xmldom/xmldom');

/** Elements that carry one setting as name/key + value attributes (or text). */
const NAMED_VALUE_ELEMENTS = new Set(['property', 'constructor-arg', 'entry', 'add', 'param', 'parameter', 'setting', 'init-param', 'context-param', 'env-entry', 'constant', 'prop']);

/**
 * Root elements of XML configuration vocabularies: Spring `beans`, .NET/log4j2/Hibernate `configuration`, Maven
 * `project`/`settings`, Tomcat `Context`/`Server`, `web-app`, JPA `persistence`, PHPUnit, MyBatis, JBoss
 * `datasources`, Java XML properties, MSBuild `Project`, c3p0, Hazelcast, Ehcache, MyBatis Generator's `generatorConfiguration`
 * (its `<jdbcConnection connectionURL=… userId=… password=…>`, kept under a test folder when code is generated from there).
 */
const CONFIG_ROOTS = new Set([
  'beans', 'configuration', 'project', 'settings', 'context', 'server', 'web-app', 'persistence', 'hibernate-configuration',
  'phpunit', 'sqlmapconfig', 'datasources', 'connectionstrings', 'appsettings', 'properties', 'c3p0-config', 'hazelcast',
  'ehcache', 'config', 'runsettings', 'camelcontext', 'routes', 'mule', 'generatorconfiguration',
]);

function elementChildren(el: Element): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) out.push(n as Element);
  return out;
}

function ownText(el: Element): string {
  let text = '';
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 3 || n.nodeType === 4) text += n.nodeValue ?? '';
  return text.trim();
}

function childElement(el: Element, name: string): Element | undefined {
  return elementChildren(el).find((e) => e.localName === name);
}

function childText(el: Element, name: string): string | null {
  const c = childElement(el, name);
  return c ? ownText(c) : null;
}

function isNamespaceAttr(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:') || name === 'schemaLocation';
}

function lineOf(el: Element): number {
  return (el as unknown as { lineNumber?: number }).lineNumber ?? 1;
}

/**
 * Flattens an element into settings. An element's path segment is its tag, plus `#id`
 * (bean id, Resource name) when it has one, or `[n]` when it repeats among anonymous
 * siblings (`<server>…</server><server>…</server>`), so each becomes its own group.
 */
/**
 * The line an attribute is written on: a start tag often spans lines (`<Resource name=…` then `url=…`
 * three lines down), and a reader goes to the value. xmldom gives only the element's line, so the
 * start tag's lines are searched for `name=`.
 */
function attributeLine(el: Element, name: string, lines: readonly string[]): number {
  const first = lineOf(el);
  const pattern = new RegExp(`(^|\\s)${escapeRegExp(name)}\\s*=`);
  for (let i = first - 1; i < lines.length && i < first + 50; i++) {
    const text = i === first - 1 ? lines[i]!.slice(lines[i]!.indexOf('<')) : lines[i]!;
    if (pattern.test(text)) return i + 1;
    if (text.includes('>')) break;
  }
  return first;
}

function flattenXml(el: Element, path: string[], out: Setting[], lines: readonly string[], index?: number): void {
  const tag = el.localName ?? el.tagName;
  const nameAttr = el.getAttribute('name') ?? el.getAttribute('key');
  if (NAMED_VALUE_ELEMENTS.has(tag) && nameAttr && (el.hasAttribute('value') || elementChildren(el).length === 0) && !el.hasAttribute('connectionString')) {
    out.push({ path: [...path, ...nameAttr.split('.')], value: el.getAttribute('value') ?? ownText(el), line: lineOf(el) });
    return;
  }
  const id = el.getAttribute('id') ?? nameAttr;
  const segment = id ? `${tag}#${id}` : index !== undefined ? `${tag}[${index}]` : tag;
  const here = [...path, segment];
  for (let i = 0; i < el.attributes.length; i++) {
    const attr = el.attributes[i]!;
    if (isNamespaceAttr(attr.name) || attr.name === 'id' || attr.name === 'name' || attr.name === 'key') continue;
    out.push({ path: [...here, attr.localName ?? attr.name], value: attr.value, line: attributeLine(el, attr.name, lines) });
  }
  const children = elementChildren(el);
  const counts = new Map<string, number>();
  for (const c of children) counts.set(c.localName ?? c.tagName, (counts.get(c.localName ?? c.tagName) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const c of children) {
    const ctag = c.localName ?? c.tagName;
    if (elementChildren(c).length === 0 && c.attributes.length === 0) {
      out.push({ path: [...here, ctag], value: ownText(c), line: lineOf(c) });
      continue;
    }
    const n = seen.get(ctag) ?? 0;
    seen.set(ctag, n + 1);
    flattenXml(c, here, out, lines, counts.get(ctag)! > 1 ? n : undefined);
  }
}

/** Maven settings.xml: a `<server>` holds the credentials of the mirror/repository with the same id. */
function mavenSettings(root: Element, profile: string | null): ScanOutput {
  const servers = new Map<string, Element>();
  for (const s of Array.from(root.getElementsByTagName('server'))) {
    const id = childText(s, 'id');
    if (id) servers.set(id, s);
  }
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  for (const tag of ['mirror', 'repository', 'pluginRepository']) {
    for (const el of Array.from(root.getElementsByTagName(tag))) {
      const url = childText(el, 'url');
      const id = childText(el, 'id');
      if (!url) continue;
      const parsed = parseConnectionString(url, 'maven-repository');
      const endpoint = parsed?.endpoints[0];
      if (!parsed || !endpoint?.host) continue;
      const server = id ? servers.get(id) : undefined;
      const password = server ? childText(server, 'password') : null;
      const read = resourceFindings({
        kind: 'maven-repository', endpoints: [endpoint], database: null, username: server ? childText(server, 'username') : null,
        passwords: password && server ? [{ value: password, line: lineOf(childElement(server, 'password') ?? server) }] : [],
        url, line: lineOf(el), profile, valueSource: 'literal', confidence: 0.9,
      });
      findings.push(...read.findings);
      secrets.push(...read.secrets);
    }
  }
  return { findings, secrets };
}

export function scanXmlConfig(file: SourceFile): ScanOutput {
  let firstError: string | null = null;
  const parser = new (xmldom().DOMParser)({
    onError: (level, message) => {
      if (level !== 'warning') firstError ??= message.split('\n')[0]!;
      if (level === 'fatalError') throw new Error(message);
    },
  });
  let root: Element | null = null;
  try {
    root = parser.parseFromString(file.text, 'text/xml').documentElement as Element | null;
  } catch (e) {
    firstError ??= (e as Error).message;
  }
  if (!root || firstError) {
    return { findings: [], error: { reason: 'parse-error', detail: `invalid XML: ${firstError ?? 'no root element'}` } };
  }
  // In a test folder, an XML document of any other vocabulary is data a test feeds the code under test (a scanner's
  // report, a recorded response): its URLs are records, not endpoints (LABELLING's settled call on test payloads).
  if (isTestPath(file.path) && !CONFIG_ROOTS.has((root.localName ?? '').toLowerCase())) return { findings: [] };
  const profile = profileFromPath(file.path);
  const name = file.path.split('/').pop()!;
  if (root.localName === 'settings' && /settings.*\.xml$/i.test(name)) return mavenSettings(root, profile);
  const settings: Setting[] = [];
  flattenXml(root, [], settings, file.text.split('\n'));
  // A pom's URLs are project metadata (scm, site, licenses); only JDBC/driver URLs in plugin config are connections.
  const read = interpretSettings(settings, { profile, httpEndpoints: name !== 'pom.xml', definitions: file.definitions });
  const properties = name === 'pom.xml' && root.localName === 'project' ? pomProperties(root) : {};
  return Object.keys(properties).length > 0 ? { ...read, definitions: properties } : read;
}

/**
 * The properties Maven resource filtering writes into `@name@` tokens: the pom's own `<properties>`, then those of
 * the profile active by default (or, when none says so, the first), keyed `@name` so that they answer only `@…@`
 * tokens, never Spring's `${…}`. Modules below inherit them (src/engine.ts).
 */
function pomProperties(project: Element): Record<string, string> {
  const out: Record<string, string> = {};
  const take = (props: Element | undefined) => {
    for (const p of props ? elementChildren(props) : []) {
      const text = ownText(p).trim();
      if (text !== '' && !(`@${p.localName}` in out)) out[`@${p.localName}`] = text;
    }
  };
  const profiles = elementChildren(childElement(project, 'profiles') ?? project).filter((e) => e.localName === 'profile');
  const active = profiles.find((p) => childText(childElement(p, 'activation') ?? p, 'activeByDefault') === 'true') ?? profiles[0];
  take(childElement(project, 'properties'));
  if (active) take(childElement(active, 'properties'));
  return out;
}

export default defineScanner({
  id: 'xml-config',
  description: 'Spring/MyBatis/Hibernate XML, Tomcat context.xml, .NET *.config, Maven settings.xml and pom.xml',
  files: ['*.xml', '*.config'],
  excludeFiles: [
    '**/.idea/**', '*.iml', 'AndroidManifest.xml', 'log4j*.xml', 'logback*.xml', 'checkstyle*.xml', 'pmd*.xml',
    'findbugs*.xml', 'spotbugs*.xml', '**/res/layout/**', '**/res/values/**', '*.xsd', 'packages.config', 'nuget.config', 'NuGet.Config',
  ],
  scan: scanXmlConfig,
});
