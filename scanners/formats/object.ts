/** Plain parsed objects (INI, TOML, JSON without positions) → settings, with lines found by key. */
import type { Setting } from '../../src/scanner.js';

export function flattenObject(value: unknown, path: string[], lineOf: (path: string[]) => number, out: Setting[] = []): Setting[] {
  if (value === null || value === undefined) {
    out.push({ path, value: '', line: lineOf(path) });
  } else if (Array.isArray(value)) {
    if (value.every((v) => typeof v !== 'object' || v === null)) out.push({ path, value: value.join(','), line: lineOf(path) });
    else value.forEach((v, i) => flattenObject(v, [...path, String(i)], lineOf, out));
  } else if (value instanceof Date) {
    out.push({ path, value: value.toISOString(), line: lineOf(path) });
  } else if (typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flattenObject(v, [...path, k], lineOf, out);
  } else {
    out.push({ path, value: String(value), line: lineOf(path) });
  }
  return out;
}

/**
 * A Vercel project's configuration (`vercel.json`, `vercel.toml`: the same properties in either format) read for its
 * `rewrites[].destination`, the servers the host proxies paths to (an external one is a gateway route); its
 * `redirects` send the browser instead, and its other properties configure the build.
 */
export function vercelRewrites(settings: readonly Setting[]): Setting[] {
  return settings.filter((s) => s.path[0] === 'rewrites' && s.path[s.path.length - 1] === 'destination')
    .map((s) => ({ ...s, path: [...s.path.slice(0, -1), 'url'] }));
}
