/**
 * PostmanCollectionScanner: Postman collections and environments (`*.postman_collection.json`,
 * `*.postman_environment.json`) committed beside an API. What a collection sends is a test of the app, not a
 * connection of it, so no connection is reported; but the credentials it sends are real more often than not: a
 * request body's fields (`"raw"` JSON: `{"username": "admin", "password": "123456"}`, or form fields), an `auth` block (bearer
 * token, basic password, API key) and collection or environment variables (`{"key": "token", "value": "…"}`).
 * All of it is read as settings, so the same placeholder, weak-value and lookup (`{{token}}`) rules apply.
 */
import { profileFromPath } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import { lineLocator } from '../src/text.js';
import type { Node as JsonNode } from 'jsonc-parser';
import { onFirstUse } from '../src/on-first-use.js';

const jsonc = onFirstUse<typeof import('jsonc-parser')>('jsonc-parser');

/** Scalar fields of a JSON value as settings at one line (a request body is one string on one line of the file). */
function bodySettings(value: unknown, path: string[], line: number, out: Setting[]): void {
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) bodySettings(v, [...path, k], line, out);
  } else if (typeof value === 'string' || typeof value === 'number') {
    out.push({ path, value: String(value), line });
  }
}

/** `[{key, value}]` lists (variables, auth parameters, form fields) as settings, each at its value's line. */
function keyValueSettings(list: JsonNode | undefined, prefix: string[], at: (offset: number) => number, out: Setting[]): void {
  for (const item of list?.type === 'array' ? list.children ?? [] : []) {
    const key = jsonc().findNodeAtLocation(item, ['key']);
    const value = jsonc().findNodeAtLocation(item, ['value']);
    if (key?.type !== 'string' || (value?.type !== 'string' && value?.type !== 'number')) continue;
    out.push({ path: [...prefix, String(key.value)], value: String(value.value), line: at(value.offset) });
  }
}

function walk(node: JsonNode, at: (offset: number) => number, out: Setting[]): void {
  if (node.type === 'object') {
    const raw = jsonc().findNodeAtLocation(node, ['body', 'raw']);
    if (raw?.type === 'string') {
      try {
        bodySettings(JSON.parse(String(raw.value)), ['body'], at(raw.offset), out);
      } catch {
        // a body that is not JSON (form text, GraphQL) holds no named fields
      }
    }
    // Form bodies: `urlencoded` and `formdata` are `[{key, value}]` lists like variables.
    for (const mode of ['urlencoded', 'formdata']) keyValueSettings(jsonc().findNodeAtLocation(node, ['body', mode]), ['body'], at, out);
    const auth = jsonc().findNodeAtLocation(node, ['auth']);
    if (auth?.type === 'object') {
      const type = jsonc().getNodeValue(jsonc().findNodeAtLocation(auth, ['type']) ?? auth);
      if (typeof type === 'string') keyValueSettings(jsonc().findNodeAtLocation(auth, [type]), ['auth', type], at, out);
    }
    for (const list of ['variable', 'values']) keyValueSettings(jsonc().findNodeAtLocation(node, [list]), [list], at, out);
  }
  for (const child of node.children ?? []) if (child.type === 'object' || child.type === 'array' || child.type === 'property') walk(child.type === 'property' ? child.children?.[1] ?? child : child, at, out);
}

export function scanPostmanCollection(file: SourceFile): ScanOutput {
  const tree = jsonc().parseTree(file.text, [], { allowTrailingComma: true });
  if (!tree) return { findings: [], error: { reason: 'parse-error', detail: 'invalid JSON' } };
  const settings: Setting[] = [];
  walk(tree, lineLocator(file.text), settings);
  // Secrets only: the requests are the app's own API under test.
  return { findings: [], secrets: interpretSettings(settings, { profile: profileFromPath(file.path) }).secrets };
}

export default defineScanner({
  id: 'postman-collection',
  description: 'Postman collections and environments: credentials in request bodies, auth blocks and variables',
  files: ['*.postman_collection.json', '*.postman_environment.json', '*.postman_globals.json'],
  alwaysScan: true,
  scan: scanPostmanCollection,
});
