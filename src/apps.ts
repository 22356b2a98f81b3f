/**
 * AppLocator: finds the applications in a repository from their build/package markers
 * and attributes each file to the nearest one. Names come from the marker
 * (artifactId, package name, go module, pyproject name, rootProject.name), and
 * `spring.application.name` overrides them, because that is the name the app registers
 * under in Nacos/Eureka and the name operators know it by.
 */
import { lstatSync, readdirSync, readFileSync, type Dirent } from 'node:fs';
import path from 'node:path';
import type { App } from './result-model.js';
import { onFirstUse } from './on-first-use.js';

// Build files of one kind or another: each parser is loaded for the first file of its format.
const xmldom = onFirstUse<typeof import('@xmldom/xmldom')>('@xmldom/xmldom');
const toml = onFirstUse<typeof import('smol-toml')>('smol-toml');

const MARKERS = ['pom.xml', 'build.gradle', 'build.gradle.kts', 'package.json', 'pyproject.toml', 'setup.py', 'manage.py', 'go.mod'];

export function isAppMarker(relPath: string): boolean {
  const name = path.posix.basename(relPath);
  return MARKERS.includes(name) || name.endsWith('.csproj') || name === 'settings.gradle' || name === 'settings.gradle.kts';
}

/** The name a marker file gives its app, or null to fall back to the directory name. */
export function nameFromMarker(relPath: string, text: string): string | null {
  const name = path.posix.basename(relPath);
  try {
    if (name === 'pom.xml') {
      const doc = new (xmldom().DOMParser)({ onError: () => undefined }).parseFromString(text, 'text/xml');
      const project = doc.documentElement;
      if (!project) return null;
      for (let n = project.firstChild; n; n = n.nextSibling) {
        if (n.nodeType === 1 && (n as unknown as { localName: string }).localName === 'artifactId') return n.textContent?.trim() || null;
      }
      return null;
    }
    if (name === 'package.json') {
      const pkg = JSON.parse(text) as { name?: unknown };
      return typeof pkg.name === 'string' && pkg.name ? pkg.name : null;
    }
    if (name === 'pyproject.toml') {
      const data = toml().parse(text) as { project?: { name?: unknown }; tool?: { poetry?: { name?: unknown } } };
      const n = data.project?.name ?? data.tool?.poetry?.name;
      return typeof n === 'string' ? n : null;
    }
    if (name === 'go.mod') {
      const m = /^\s*module\s+(\S+)/m.exec(text);
      return m ? m[1]!.replace(/\/v\d+$/, '').split('/').pop()! : null;
    }
    if (name.startsWith('settings.gradle')) {
      const m = /rootProject\.name\s*=\s*['"]([^'"]+)['"]/.exec(text);
      return m ? m[1]! : null;
    }
    if (name.endsWith('.csproj')) return name.replace(/\.csproj$/, '');
  } catch {
    return null; // a broken marker still marks an app; the directory names it
  }
  return null;
}

/** Largest build file read for a name outside a scan (a hook's staged file): real ones are a few KB. */
const MAX_MARKER_BYTES = 1 << 20;

/**
 * The app a file of the repository at `root` belongs to, read from disk as a scan would name it: the nearest build
 * file above it (artifactId, package name, go module…), else the folder, else the repository. For `scan --staged`,
 * which reads only the staged files and so has no walk to find markers in. Only regular files inside `root`.
 */
export function appNameOfFile(root: string, relPath: string): string {
  const base = path.resolve(root);
  const rank = (name: string) => (MARKERS.includes(name) ? MARKERS.indexOf(name) : MARKERS.length);
  for (let dir = path.posix.dirname(relPath); ; dir = path.posix.dirname(dir)) {
    let entries: Dirent[] = [];
    try {
      entries = readdirSync(path.join(base, dir), { withFileTypes: true });
    } catch {
      // a folder that cannot be read marks nothing
    }
    // The markers a scan's walk would find here, by the same test; a named one wins over an unnamed one, as in AppLocator.
    const markers = entries.filter((e) => e.isFile() && isAppMarker(e.name)).map((e) => e.name).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : 1));
    for (const name of markers) {
      const file = path.join(base, dir, name);
      try {
        if (lstatSync(file).size > MAX_MARKER_BYTES) continue;
        const named = nameFromMarker(name, readFileSync(file, 'utf8'));
        if (named) return named;
      } catch {
        // gone since it was listed
      }
    }
    if (markers.length > 0) return dir === '.' ? path.basename(base) : path.posix.basename(dir);
    if (dir === '.' || dir === '' || dir === '/') return path.basename(base);
  }
}

export interface AppMarker {
  dir: string; // repo-relative, '.' for the root
  name: string | null;
}

export class AppLocator {
  private readonly apps = new Map<string, { name: string; declared: boolean; configServer?: string }>();

  constructor(private readonly repoName: string, markers: AppMarker[]) {
    for (const m of markers) {
      const existing = this.apps.get(m.dir);
      if (!existing || (existing.name === this.dirName(m.dir) && m.name)) {
        this.apps.set(m.dir, { name: m.name ?? this.dirName(m.dir), declared: false });
      }
    }
  }

  private dirName(dir: string): string {
    return dir === '.' ? this.repoName : path.posix.basename(dir);
  }

  /** The root directory of the app that owns a file: its nearest ancestor with a marker, else the repository root. */
  rootOf(relPath: string): string {
    let dir = path.posix.dirname(relPath);
    for (;;) {
      if (this.apps.has(dir)) return dir;
      if (dir === '.' || dir === '') break;
      dir = path.posix.dirname(dir);
    }
    if (!this.apps.has('.')) this.apps.set('.', { name: this.repoName, declared: false });
    return '.';
  }

  nameOf(relPath: string): string {
    return this.apps.get(this.rootOf(relPath))!.name;
  }

  /** `spring.application.name` (and the like) from a file inside the app; the first declaration wins. */
  declareName(relPath: string, name: string): void {
    const app = this.apps.get(this.rootOf(relPath))!;
    if (app.declared) return;
    app.name = name;
    app.declared = true;
  }

  /** An app named by a deploy file (a compose service, a k8s workload), rooted where that file is. */
  hinted(relPath: string, name: string): { name: string; root: string } {
    // One app per name: the same service in docker-compose and in a k8s manifest is one application.
    const existing = [...this.apps.keys()].find((k) => k.startsWith('hint:') && k.endsWith(`:${name}`));
    if (existing) return { name, root: existing.slice(5, existing.length - name.length - 1) };
    const root = path.posix.dirname(relPath);
    this.apps.set(`hint:${root}:${name}`, { name, declared: true });
    return { name, root };
  }

  /**
   * The app a config server's file configures (src/served-config.ts): the app of that name when the repository has
   * one, else one rooted where the file is; either way it records which app serves its config.
   */
  configuredBy(relPath: string, name: string, server: string): string {
    const app = [...this.apps.values()].find((a) => a.name === name) ?? this.apps.get(`hint:${this.hinted(relPath, name).root}:${name}`)!;
    app.configServer ??= server;
    return app.name;
  }

  list(): App[] {
    const out: App[] = [];
    for (const [dir, app] of this.apps) {
      out.push({ name: app.name, root: dir.startsWith('hint:') ? dir.slice(5, dir.length - app.name.length - 1) : dir, ...(app.configServer ? { configServer: app.configServer } : {}) });
    }
    const unique = new Map(out.map((a) => [`${a.name}\u0000${a.root}`, a]));
    return [...unique.values()].sort((a, b) => (a.root + a.name < b.root + b.name ? -1 : 1));
  }
}
