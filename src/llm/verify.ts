/**
 * A model finding is kept only if every value it claims occurs verbatim in the snippet
 * it came from: models do invent hosts, and an invented host in a CMDB is worse than a
 * missing one. Hosts compare case-insensitively (DNS does); everything else exactly.
 */
import { escapeRegExp } from '../text.js';
import type { ModelFinding } from './schema.js';

export type Verdict = { ok: true } | { ok: false; field: string; value: string };

export function verifyModelFinding(f: ModelFinding, snippet: string): Verdict {
  const checks: Array<[string, string | null, 'host' | 'port' | 'exact']> = [
    ['host', f.host, 'host'], ['port', f.port === null ? null : String(f.port), 'port'],
    ['database', f.database, 'exact'], ['username', f.username, 'exact'], ['url', f.url, 'exact'],
  ];
  for (const [field, value, mode] of checks) {
    if (value === null || value === '') continue;
    const found = mode === 'host'
      ? snippet.toLowerCase().includes(value.toLowerCase())
      : mode === 'port'
        ? new RegExp(`(^|\\D)${escapeRegExp(value)}(\\D|$)`).test(snippet)
        : snippet.includes(value);
    if (!found) return { ok: false, field, value };
  }
  return { ok: true };
}
