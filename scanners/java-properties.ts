/**
 * JavaPropertiesScanner: Spring Boot `application*.properties` / `bootstrap*.properties`
 * and the legacy `jdbc.properties`, `redis.properties`, `config.properties` files that
 * Spring XML and plain Java apps load. Parsed with dot-properties (escapes, line
 * continuations, `!`/`#` comments), Spring's `#---` document separators honoured so a
 * `spring.config.activate.on-profile` applies to its own document only.
 */
import { parseLines } from 'dot-properties';
import { profileFromPath, springNamePriority } from '../src/paths.js';
import { resolveValue } from '../src/values.js';
import { defineScanner, type ScanOutput, type SourceFile } from '../src/scanner.js';
import { interpretSettings, type Setting } from '../src/settings.js';
import type { SecretCandidate } from '../src/secrets/detect.js';
import { lineLocator } from '../src/text.js';
import type { Finding } from '../src/model.js';

const PROFILE_KEYS = ['spring.config.activate.on-profile', 'spring.profiles'];

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
  const fileProfile = profileFromPath(path);
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  let appName: string | undefined;
  const defined: Record<string, string> = {};
  // Spring Boot 2.4+ splits a properties file into documents at `#---` / `!---` lines.
  const lines = text.split('\n');
  let start = 0;
  const documents: Array<{ text: string; offset: number }> = [];
  lines.forEach((line, i) => {
    if (/^[#!]---\s*$/.test(line)) {
      documents.push({ text: lines.slice(start, i).join('\n'), offset: start });
      start = i + 1;
    }
  });
  documents.push({ text: lines.slice(start).join('\n'), offset: start });
  for (const doc of documents) {
    const settings = settingsFromProperties(doc.text, doc.offset + lineOffset);
    const declared = settings.find((s) => PROFILE_KEYS.includes(s.path.join('.')))?.value.trim();
    const profile = declared ? declared.split(',')[0]!.trim() : fileProfile;
    appName ??= settings.find((s) => s.path.join('.') === 'spring.application.name')?.value.trim() || undefined;
    const interpreted = interpretSettings(settings, { profile, definitions });
    findings.push(...interpreted.findings);
    secrets.push(...interpreted.secrets);
    if (profile === null) for (const s of settings) defined[s.path.join('.')] = s.value;
  }
  const out: ScanOutput = { findings, secrets, definitions: defined };
  if (appName && resolveValue(appName).source === 'literal') {
    out.appName = appName;
    out.appNamePriority = springNamePriority(path);
  }
  return out;
}

export default defineScanner({
  id: 'java-properties',
  description: 'Spring Boot application/bootstrap .properties and other Java .properties config files',
  files: ['*.properties'],
  // Resource bundles hold UI text, never connections.
  excludeFiles: ['messages*.properties', 'i18n/**', '**/i18n/**', 'ValidationMessages*.properties', 'gradle-wrapper.properties', 'maven-wrapper.properties', 'log4j*.properties', 'logback*.properties'],
  scan: (file: SourceFile) => scanPropertiesText(file.text, file.path, 0, file.definitions),
});
