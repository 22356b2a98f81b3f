/**
 * What Spring Boot makes of a config file's documents, whatever their syntax: each
 * document's profile (`spring.config.activate.on-profile`, `spring.profiles`, else the
 * file name's), the application name, and the keys a profile-less document defines for
 * `${key}` references elsewhere in the app.
 */
import { profileFromPath, springNamePriority } from '../../src/profiles.js';
import type { ScanOutput, Setting } from '../../src/scanner.js';
import type { SecretCandidate } from '../../src/secrets/detect.js';
import { interpretSettings } from '../../src/settings.js';
import type { Finding } from '../../src/result-model.js';
import { resolveValue } from '../../src/values.js';

export function scanSpringDocuments(documents: Setting[][], path: string, definitions?: ReadonlyMap<string, string>): ScanOutput {
  const fileProfile = profileFromPath(path);
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  const defined: Record<string, string> = {};
  let appName: string | undefined;
  for (const settings of documents) {
    const value = (key: string) => settings.find((s) => s.path.join('.') === key)?.value.trim();
    const declared = value('spring.config.activate.on-profile') ?? value('spring.profiles');
    // `on-profile: prod & !cloud` activates for prod: the first name is the profile this document configures.
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
  return out;
}
