/**
 * What a file's path says about it: its scope (main code, tests, examples, docs,
 * deployment) and the profile/environment it configures.
 */
import type { Scope } from './model.js';
import { ENVIRONMENT_NAMES } from './settings.js';

const DOC_DIRS = new Set(['docs', 'doc', 'documentation', 'wiki']);
const EXAMPLE_DIRS = new Set(['example', 'examples', 'sample', 'samples', 'demo', 'demos', 'quickstart']);
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'testing', 'e2e', 'it', 'testdata', 'fixtures', 'mocks', '__mocks__', 'test-resources']);
const DEPLOY_DIRS = new Set(['deploy', 'deployment', 'deployments', 'k8s', 'kubernetes', 'helm', 'charts', 'manifests', 'ansible', 'terraform', 'kustomize', 'overlays', 'docker', 'ops', 'devops']);

export function scopeFromPath(path: string, scannerScope?: Scope): Scope {
  const segments = path.toLowerCase().split('/');
  const name = segments[segments.length - 1]!;
  const dirs = segments.slice(0, -1);
  if (dirs.some((d) => DOC_DIRS.has(d)) || /\.(md|markdown|rst|adoc|txt)$/.test(name)) return 'docs';
  if (dirs.some((d) => EXAMPLE_DIRS.has(d)) || /[._-](example|sample|template|dist|tmpl|tpl)(\.|$)/.test(name)) return 'example';
  if (dirs.some((d) => TEST_DIRS.has(d)) || /(^test_|_test\.|\.test\.|\.spec\.|tests?\.(java|kt)$)/.test(name)) return 'test';
  if (scannerScope === 'deploy' || dirs.some((d) => DEPLOY_DIRS.has(d)) || /^(dockerfile|jenkinsfile|docker-compose|compose)/.test(name) || /\.tf$/.test(name)) return 'deploy';
  return 'main';
}

/** `application-prod.yml`, `.env.staging`, `appsettings.Production.json`, `values-uat.yaml`, `config/production.json`, `overlays/prod/…`. */
export function profileFromPath(path: string): string | null {
  const segments = path.split('/');
  const name = segments[segments.length - 1]!;
  const spring = /^(?:application|bootstrap)[-_]([A-Za-z0-9]+)\.(?:ya?ml|properties)$/.exec(name);
  if (spring) return spring[1]!.toLowerCase();
  const dotenv = /^\.env\.([A-Za-z0-9_-]+)$/.exec(name);
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
