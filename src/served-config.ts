/**
 * Config a repository serves to other apps. A Spring Cloud Config Server on its native backend reads the folders
 * its `spring.cloud.config.server.native.search-locations` name (`classpath:/shared`, `file:./config`), and each file
 * there configures the app its name says, as the server resolves `{application}-{profile}.yml`: `shared/
 * account-service.yml` is account-service's, `account-service-prod.yml` its prod profile, `application.yml` every
 * client's. Read alone, those files were the config server's own connections.
 */
import path from 'node:path';
import { profileFromPath } from './profiles.js';
import type { ScanOutput } from './scanner.js';
import { resolveValue } from './values.js';

/** Who a served file configures and who serves it. */
export interface ServedFile {
  /** The apps the file configures: the one its name says, or every client for `application.*`. */
  apps: string[];
  /** The config server's app. */
  server: string;
}

/** Spring's relaxed binding: `search-locations`, `searchLocations`, `search_locations`. */
const SEARCH_LOCATIONS = /^spring\.cloud\.config\.server\.native\.search[-_]?locations$/i;
const CONFIG_FILE = /^([^/]+)\.(ya?ml|properties)$/i;

/**
 * A search location as folders of the repository (relative to the server app's root, and for `file:` also to the
 * repository's, either may be the working directory); none for one outside the repository.
 */
function folderOf(location: string, serverRoot: string): string[] {
  const m = /^(classpath\*?|file):(.*)$/.exec(location.trim());
  if (!m) return [];
  const raw = m[2]!.trim();
  // An absolute file location is somewhere on the server's machine; a lookup is decided where it runs.
  if ((m[1] === 'file' && raw.startsWith('/')) || raw.includes('{')) return [];
  const rel = raw.replace(/^\.?\/+/, '').replace(/\/+$/, '');
  // The resources root or the app's root holds the server's own config, not what it serves.
  if (rel === '' || rel === '.' || rel.split('/').includes('..')) return [];
  const join = (...parts: string[]) => path.posix.join(...parts.filter((p) => p !== '.'));
  return m[1]!.startsWith('classpath') ? [join(serverRoot, 'src/main/resources', rel)] : [...new Set([join(serverRoot, rel), rel])];
}

/** The app a served file's name says (`account-service-prod.yml` → account-service), or null for no config file. */
function appNamed(file: string): string | null {
  const m = CONFIG_FILE.exec(path.posix.basename(file));
  if (!m) return null;
  const profile = profileFromPath(file);
  const stem = m[1]!;
  const lower = stem.toLowerCase();
  const base = profile && (lower.endsWith(`-${profile}`) || lower.endsWith(`_${profile}`)) ? stem.slice(0, stem.length - profile.length - 1) : stem;
  return base === 'bootstrap' || base === '' ? null : base;
}

/**
 * The files of a repository that a config server in it serves, each with the apps it configures. `rootOf` is the
 * app locator's: the config server is the app whose file names the search locations.
 */
export function servedConfigFiles(outputs: ReadonlyArray<{ file: string; output: ScanOutput }>, files: Iterable<string>, rootOf: (file: string) => string, nameOf: (file: string) => string): Map<string, ServedFile> {
  const folders = new Map<string, string>(); // folder → server app
  for (const { file, output } of outputs) {
    for (const [key, value] of Object.entries(output.definitions ?? {})) {
      if (!SEARCH_LOCATIONS.test(key) || resolveValue(value).source !== 'literal') continue;
      for (const location of value.split(',')) for (const folder of folderOf(location, rootOf(file))) folders.set(folder, nameOf(file));
    }
  }
  const served = new Map<string, ServedFile>();
  if (folders.size === 0) return served;
  const byFolder = new Map<string, Array<{ file: string; app: string }>>();
  for (const file of files) {
    const folder = path.posix.dirname(file);
    const app = folders.has(folder) ? appNamed(file) : null;
    if (app) byFolder.set(folder, [...byFolder.get(folder) ?? [], { file, app }]);
  }
  for (const [folder, entries] of byFolder) {
    const server = folders.get(folder)!;
    const clients = [...new Set(entries.map((e) => e.app).filter((a) => a !== 'application'))].sort();
    for (const { file, app } of entries) {
      const apps = app === 'application' ? clients : [app];
      if (apps.length > 0) served.set(file, { apps, server });
    }
  }
  return served;
}
