/**
 * LoggingConfigScanner: logback and log4j2 files. An appender that ships log events over the network names a
 * resource the app writes to: logstash-logback-encoder's TCP/UDP appenders (`<destination>host:port</destination>`,
 * several per element or one element each; older `<remoteHost>` with `<port>`), logback-kafka-appender
 * (`<producerConfig>bootstrap.servers=…</producerConfig>`), and log4j2's `<Kafka>` appender (`<Property
 * name="bootstrap.servers">`). A socket or syslog appender says nothing of what listens, and is left alone. `${NAME}` resolves through the file's own `<property>` values and
 * Spring Boot's `<springProperty … defaultValue=>` (a default written here, so `env-default`). Console and file
 * appenders name nothing.
 */
import { defaultPort } from '../src/catalog/index.js';
import { parseHostList } from '../src/connection-string.js';
import { profileFromPath } from '../src/profiles.js';
import type { Finding, Kind } from '../src/result-model.js';
import { defineScanner, resourceFindings, type ScanOutput, type SourceFile } from '../src/scanner.js';
import { resolveValue } from '../src/values.js';
import type { Element } from '@xmldom/xmldom';
import { onFirstUse } from '../src/on-first-use.js';

const xmldom = onFirstUse<typeof import('@xmldom/xmldom')>('@xmldom/xmldom');

/** Appender classes (logback `class=`, log4j2 element names) and the product their addresses belong to. */
const SHIPPING_APPENDERS: ReadonlyArray<[RegExp, Kind]> = [
  [/^net\.logstash\.logback\.appender\.Logstash(Access)?(Tcp|Udp)SocketAppender$/, 'logstash'],
  [/^com\.github\.danielwegener\.logback\.kafka\.KafkaAppender$/, 'kafka'],
  [/^Kafka$/, 'kafka'],
];

function children(el: Element, name?: string): Element[] {
  const out: Element[] = [];
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (name === undefined || (n as Element).localName === name)) out.push(n as Element);
  }
  return out;
}

function textOf(el: Element): string {
  let text = '';
  for (let n = el.firstChild; n; n = n.nextSibling) if (n.nodeType === 3 || n.nodeType === 4) text += n.nodeValue ?? '';
  return text.trim();
}

function lineOf(el: Element): number {
  return (el as unknown as { lineNumber?: number }).lineNumber ?? 1;
}

/** The file's `<property name value>` and `<springProperty name defaultValue>`, for `${NAME}` in appenders. */
function definitionsOf(doc: Element): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (el: Element) => {
    for (const c of children(el)) {
      const name = c.getAttribute('name');
      if (name && (c.localName === 'property' || c.localName === 'Property') && c.getAttribute('value') !== null) out.set(name, c.getAttribute('value')!);
      // The Spring property `source`, with this default when the environment does not set it.
      else if (name && c.localName === 'springProperty' && c.getAttribute('defaultValue') !== null) {
        out.set(name, `\${${c.getAttribute('source') ?? name}:${c.getAttribute('defaultValue')}}`);
      }
      walk(c);
    }
  };
  walk(doc);
  return out;
}

/** The appender's addresses as written, with the element that holds them. */
function addressesOf(appender: Element, kind: Kind): Array<{ text: string; at: Element }> {
  if (kind === 'kafka') {
    for (const config of [...children(appender, 'producerConfig'), ...children(appender, 'Property')]) {
      const text = textOf(config);
      const m = /^bootstrap\.servers\s*=\s*(.+)$/.exec(text);
      if (m) return [{ text: m[1]!.trim(), at: config }];
      if (config.getAttribute('name') === 'bootstrap.servers') return [{ text, at: config }];
    }
    return [];
  }
  const destinations = children(appender, 'destination').map((d) => ({ text: textOf(d), at: d }));
  if (destinations.length > 0) return destinations;
  const host = appender.getAttribute('host') ?? children(appender, 'remoteHost').map(textOf)[0] ?? children(appender, 'host').map(textOf)[0];
  if (!host) return [];
  const port = appender.getAttribute('port') ?? children(appender, 'port').map(textOf)[0];
  return [{ text: port ? `${host}:${port}` : host, at: appender }];
}

export function scanLoggingConfig(file: SourceFile): ScanOutput {
  const errors: string[] = [];
  const doc = new (xmldom().DOMParser)({ onError: (level, msg) => { if (level !== 'warning') errors.push(msg); } }).parseFromString(file.text, 'text/xml');
  const root = doc.documentElement;
  if (!root) return { findings: [], ...(errors.length > 0 ? { error: { reason: 'parse-error' as const, detail: `invalid XML: ${errors[0]}` } } : {}) };
  const definitions = definitionsOf(root);
  const profile = profileFromPath(file.path);
  const findings: Finding[] = [];
  const appenders: Element[] = [];
  const collect = (el: Element) => {
    for (const c of children(el)) {
      const type = c.localName === 'appender' ? c.getAttribute('class') ?? '' : c.localName ?? '';
      if (SHIPPING_APPENDERS.some(([pattern]) => pattern.test(type))) appenders.push(c);
      else collect(c);
    }
  };
  collect(root);
  for (const appender of appenders) {
    const type = appender.localName === 'appender' ? appender.getAttribute('class') ?? '' : appender.localName ?? '';
    const kind = SHIPPING_APPENDERS.find(([pattern]) => pattern.test(type))![1];
    for (const { text, at } of addressesOf(appender, kind)) {
      const resolved = resolveValue(text, (name) => definitions.get(name));
      const parsed = resolved.text === null ? null : parseHostList(resolved.text, kind);
      const endpoints = parsed?.endpoints.map((e) => ({ host: e.host, port: e.port ?? defaultPort(kind) })) ?? [];
      findings.push(...resourceFindings({
        kind, endpoints, database: null, username: null, passwords: [], url: null, line: lineOf(at), profile,
        valueSource: resolved.source, confidence: endpoints.length > 0 ? 0.8 : 0.5,
      }).findings);
    }
  }
  return { findings, ...(errors.length > 0 ? { error: { reason: 'parse-error' as const, detail: `invalid XML: ${errors[0]}` } } : {}) };
}

export default defineScanner({
  id: 'logging-config',
  description: 'logback/log4j2 appenders that ship logs over the network: Logstash, Kafka, socket/GELF destinations',
  files: ['logback*.xml', 'log4j2*.xml'],
  keywords: /[Ll]ogstash|KafkaAppender|<Kafka\b/,
  scan: scanLoggingConfig,
});
