/**
 * JavaPropertiesScanner: Spring Boot `application*.properties` / `bootstrap*.properties`
 * and the legacy `jdbc.properties`, `redis.properties`, `config.properties` files that
 * Spring XML and plain Java apps load. Parsed with dot-properties (escapes, line
 * continuations, `!`/`#` comments), Spring's `#---` document separators honoured so a
 * `spring.config.activate.on-profile` applies to its own document only.
 */
import { parseLines } from 'dot-properties';
import { defineScanner, type ScanOutput, type SourceFile, type Setting } from '../src/scanner.js';
import { scanSpringDocuments } from './formats/spring.js';
import { lineLocator } from '../src/text.js';

/** Parses one properties text into settings whose path is the dotted key. `lineOffset` places embedded text (a ConfigMap key) in its file. */
export function settingsFromProperties(text: string, lineOffset = 0): Setting[] {
  const at = lineLocator(text);
  const settings: Setting[] = [];
  for (const node of parseLines(text, true)) {
    if (node.type !== 'PAIR') continue;
    const pair = node as unknown as { key: string; value: string; range: [number, number, number, number] };
    settings.push({ path: pair.key.split('.'), value: pair.value, line: at(pair.range[0]) + lineOffset });
  }
  return settings;
}

export function scanPropertiesText(text: string, path: string, lineOffset = 0, definitions?: ReadonlyMap<string, string>): ScanOutput {
  // Spring Boot 2.4+ splits a properties file into documents at `#---` / `!---` lines.
  const lines = text.split('\n');
  const documents: Setting[][] = [];
  let start = 0;
  lines.forEach((line, i) => {
    if (/^[#!]---\s*$/.test(line)) {
      documents.push(settingsFromProperties(lines.slice(start, i).join('\n'), start + lineOffset));
      start = i + 1;
    }
  });
  documents.push(settingsFromProperties(lines.slice(start).join('\n'), start + lineOffset));
  return scanSpringDocuments(documents, path, definitions);
}

export default defineScanner({
  id: 'java-properties',
  description: 'Spring Boot application/bootstrap .properties and other Java .properties config files',
  files: ['*.properties'],
  // Resource bundles hold UI text, never connections.
  excludeFiles: ['messages*.properties', 'i18n/**', '**/i18n/**', 'ValidationMessages*.properties', 'gradle-wrapper.properties', 'maven-wrapper.properties', 'log4j*.properties', 'logback*.properties'],
  scan: (file: SourceFile) => scanPropertiesText(file.text, file.path, 0, file.definitions),
});
