/**
 * SpringYamlScanner: `application*.yml|yaml` and `bootstrap*.yml|yaml`. Each YAML
 * document is its own profile (`spring.profiles` or `spring.config.activate.on-profile`,
 * else the file name's `application-<profile>`); dotted keys and nested keys mean the same.
 */
import { profileFromPath, springNamePriority } from '../src/paths.js';
import { resolveValue } from '../src/values.js';
import { defineScanner, type ScanOutput, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import type { SecretCandidate } from '../src/secrets/detect.js';
import type { Finding } from '../src/model.js';
import { flattenYaml, parseYaml } from './formats/yaml.js';

export function scanSpringYamlText(text: string, path: string, lineOffset = 0, definitions?: ReadonlyMap<string, string>): ScanOutput {
  const parsed = parseYaml(text, lineOffset);
  const fileProfile = profileFromPath(path);
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  let appName: string | undefined;
  const defined: Record<string, string> = {};
  for (const y of parsed.documents) {
    const settings = flattenYaml(y.doc.contents, y, [], { splitDottedKeys: true });
    const value = (key: string) => settings.find((s) => s.path.join('.') === key)?.value.trim();
    const declared = value('spring.config.activate.on-profile') ?? value('spring.profiles');
    const profile = declared ? declared.split(/[,|&!() ]+/).filter(Boolean)[0] ?? fileProfile : fileProfile;
    appName ??= value('spring.application.name') || undefined;
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
  if (parsed.errors.length > 0) out.error = { reason: 'parse-error', detail: `invalid YAML: ${parsed.errors[0]}` };
  return out;
}

export default defineScanner({
  id: 'spring-yaml',
  description: 'Spring Boot application*.yml / bootstrap*.yml, multi-document with profiles',
  files: ['application*.yml', 'application*.yaml', 'bootstrap*.yml', 'bootstrap*.yaml'],
  scan: (file: SourceFile) => scanSpringYamlText(file.text, file.path, 0, file.definitions),
});
