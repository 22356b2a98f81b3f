/**
 * `cmdb-scan diff` as text: what changed between two instants, per repository and app — apps that appeared or
 * went, connections added, removed or changed (profiles, scopes, user, hard-coded password), secrets new or
 * gone. JSON is the same `InventoryDiff` object, for a CMDB's import job.
 */
import type { InventoryDiff, NetChange } from '../changes.js';
import { printable } from '../text.js';

const SIGN = { added: '+', removed: '-', changed: '~' } as const;

function connectionLine(c: NetChange): string {
  const d = c.detail;
  const profiles = (d['profiles'] as string[]).length ? ` [${(d['profiles'] as string[]).join(', ')}]` : '';
  let text = `${SIGN[c.change]} ${String(d['resource'])}${profiles}`;
  if (c.change === 'changed' && c.before) {
    const what: string[] = [];
    for (const k of ['profiles', 'scopes', 'users', 'passwordHardcoded']) {
      if (JSON.stringify(c.before[k]) !== JSON.stringify(d[k])) what.push(`${k} ${JSON.stringify(c.before[k])} → ${JSON.stringify(d[k])}`);
    }
    text += `: ${what.join('; ')}`;
  }
  return text;
}

export function renderDiffJson(diff: InventoryDiff): string {
  return JSON.stringify(diff, null, 2) + '\n';
}

export function renderDiffTable(diff: InventoryDiff): string {
  const out = [`changes after ${diff.since} up to ${diff.until}: ${diff.apps.length} app(s), ${diff.connections.length} connection(s), ${diff.secrets.length} secret(s)`];
  const groups = new Map<string, string[]>();
  const add = (c: NetChange, line: string) => {
    const k = `${c.repo}\u0000${c.app}`;
    groups.set(k, [...(groups.get(k) ?? []), line]);
  };
  for (const a of diff.apps) add(a, `${SIGN[a.change]} app ${a.change === 'added' ? 'appeared' : 'gone'} (root ${String(a.detail['root'])})`);
  for (const c of diff.connections) add(c, connectionLine(c));
  for (const s of diff.secrets) add(s, `${SIGN[s.change]} secret ${String(s.detail['kind'])} ${String(s.detail['masked'])} at ${String(s.detail['file'])}:${String(s.detail['line'])} (${String(s.detail['severity'])}, ${String(s.detail['fingerprint']).slice(0, 12)})`);
  for (const [k, lines] of [...groups].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [repo, app] = k.split('\u0000');
    out.push('', printable(`${app}  (${repo})`), ...lines.map((l) => `  ${printable(l)}`));
  }
  return out.join('\n') + '\n';
}
