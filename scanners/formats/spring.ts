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

/**
 * Spring Boot's config data imports (`spring.config.import`, Boot 2.4+): a comma-separated list of locations, each
 * maybe `optional:`, named by a resolver prefix. A config server's (`configserver:<url>`) and Consul's
 * (`consul:<host:port>`) are addresses the app fetches its config from; they are lowered to the keys that name
 * them without an import (`spring.cloud.config.uri`, `spring.cloud.consul.host`), on the same line, so the
 * interpreter reads them as it reads those. File and classpath locations are not connections.
 */
const IMPORT_RESOLVERS: Record<string, string[]> = {
  configserver: ['spring', 'cloud', 'config', 'uri'],
  consul: ['spring', 'cloud', 'consul', 'host'],
};

function importedLocations(settings: readonly Setting[]): Setting[] {
  const out: Setting[] = [];
  for (const s of settings) {
    if (s.path.join('.') !== 'spring.config.import' && !/^spring\.config\.import\[\d+\]$/.test(s.path.join('.'))) continue;
    // Split on commas outside `${…}`: a placeholder's default may itself hold a URL.
    for (const location of s.value.split(/,(?![^{]*\})/)) {
      const m = /^\s*(?:optional:)?([a-z][a-z-]*):(.+)$/.exec(location);
      const key = m ? IMPORT_RESOLVERS[m[1]!] : undefined;
      if (key && m![2]!.trim() !== '') out.push({ path: key, value: m![2]!.trim(), line: s.line });
    }
  }
  return out;
}

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
    const interpreted = interpretSettings([...settings, ...importedLocations(settings)], { profile, definitions });
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
