/**
 * Profiles and environment names, in one place: the profile a file's path names
 * (`application-prod.yml`, `.env.staging`, `overlays/prod/…`), a document organised by
 * environment (`production:` in database.yml), and the variable that activates one
 * (`SPRING_PROFILES_ACTIVE=prod`).
 */
import type { Setting } from './scanner.js';
import { resolveValue } from './values.js';

/** Environment names that, used as a top-level key or section, mean a profile. */
export const ENVIRONMENT_NAMES = new Set([
  'default', 'development', 'dev', 'production', 'prod', 'staging', 'stage', 'test', 'testing', 'uat',
  'sit', 'qa', 'local', 'pre', 'preprod', 'fat', 'release', 'online',
]);

/** Splits settings whose first segment names an environment (`production:` in database.yml, `[production]` in dynaconf). */
export function splitByEnvironment(settings: Setting[]): Array<{ profile: string | null; settings: Setting[] }> {
  const topLevel = new Set(settings.map((s) => s.path[0]?.toLowerCase() ?? ''));
  const envKeys = [...topLevel].filter((k) => ENVIRONMENT_NAMES.has(k));
  // Only when the file is organised by environment, not when one key happens to be called `test`.
  if (envKeys.length < 2 && !(envKeys.length === 1 && topLevel.size === 1)) return [{ profile: null, settings }];
  const parts = new Map<string | null, Setting[]>();
  for (const s of settings) {
    const first = s.path[0]?.toLowerCase() ?? '';
    const profile = ENVIRONMENT_NAMES.has(first) ? first : null;
    const path = profile ? s.path.slice(1) : s.path;
    const list = parts.get(profile) ?? [];
    list.push({ ...s, path });
    parts.set(profile, list);
  }
  return [...parts].map(([profile, list]) => ({ profile: profile === 'default' ? null : profile, settings: list }));
}

/** Variables that name the active environment of a process, framework by framework. */
const PROFILE_VARIABLES = ['SPRING_PROFILES_ACTIVE', 'ASPNETCORE_ENVIRONMENT', 'DOTNET_ENVIRONMENT', 'NODE_ENV', 'RAILS_ENV', 'APP_ENV', 'FLASK_ENV', 'ENV_FOR_DYNACONF', 'GO_ENV'];

/** The profile an environment block activates (`SPRING_PROFILES_ACTIVE=prod`), if it sets one literally. */
export function profileFromEnvironment(env: Setting[]): string | null {
  for (const name of PROFILE_VARIABLES) {
    const s = env.find((e) => e.path.length === 1 && e.path[0]!.toUpperCase() === name);
    const r = s ? resolveValue(s.value) : null;
    if (r?.text && r.source !== 'placeholder') return r.text.split(',')[0]!.trim().toLowerCase();
  }
  return null;
}

/** `application-prod.yml`, `.env.staging`, `appsettings.Production.json`, `values-uat.yaml`, `config/production.json`, `overlays/prod/…`. */
export function profileFromPath(path: string): string | null {
  const segments = path.split('/');
  const name = segments[segments.length - 1]!;
  const spring = /^(?:application|bootstrap)[-_]([A-Za-z0-9]+)\.(?:ya?ml|properties)$/.exec(name);
  if (spring) return spring[1]!.toLowerCase();
  const dotenv = /^\.env[.\-_]([A-Za-z0-9_-]+)$/.exec(name);
  if (dotenv && !/^(example|sample|template|dist|defaults?)$/i.test(dotenv[1]!)) return dotenv[1]!.toLowerCase();
  const lower = name.toLowerCase();
  const stem = lower.replace(/\.[a-z0-9]+$/, '');
  const suffix = /[-_.]([a-z0-9]+)$/.exec(stem)?.[1];
  if (suffix && ENVIRONMENT_NAMES.has(suffix) && suffix !== 'default') return suffix;
  if (ENVIRONMENT_NAMES.has(stem) && stem !== 'default' && segments.length > 1) return stem;
  for (let i = segments.length - 2; i >= 0; i--) {
    const dir = segments[i]!.toLowerCase();
    const parent = segments[i - 1]?.toLowerCase();
    if (ENVIRONMENT_NAMES.has(dir) && parent && /^(overlays|env|envs|environments|profiles)$/.test(parent)) return dir;
  }
  return null;
}

/** Spring reads bootstrap before application, and base files before profile-specific ones. */
export function springNamePriority(path: string): number {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (/^bootstrap\.(ya?ml|properties)$/.test(name)) return 0;
  if (/^application\.(ya?ml|properties)$/.test(name)) return 1;
  return 2;
}
