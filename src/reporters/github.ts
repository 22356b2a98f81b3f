/**
 * GitHub Actions workflow commands (`-f github`): one annotation per secret, shown on the pull request's diff
 * and in the run summary without uploading anything. `error` for high severity, `warning` for medium, `notice`
 * for low. Paths are repository-relative, as the runner resolves them against the workspace: scan `.` (the
 * checkout) for them to land on the right file. Masked previews and fingerprints only, never a value.
 */
import type { Report, Secret } from '../result-model.js';

const COMMAND: Record<Secret['severity'], 'error' | 'warning' | 'notice'> = { high: 'error', medium: 'warning', low: 'notice' };

/** Workflow-command escaping: `%`, CR and LF in the message; also `:` and `,` in a property value. */
function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function renderGithubAnnotations(report: Report): string {
  const lines = report.secrets.map((s) => {
    const props = `file=${escapeProperty(s.file)},line=${s.line},title=${escapeProperty(`cmdb-scan: hard-coded ${s.kind}`)}`;
    const text = `${s.masked || 'short value'} (fingerprint ${s.fingerprint}, ${s.severity}, app ${s.app})${s.resource ? ` for ${s.resource}` : ''}${s.commit ? `, added in commit ${s.commit.slice(0, 12)}` : ''}`;
    return `::${COMMAND[s.severity]} ${props}::${escapeData(text)}`;
  });
  const counts = (['high', 'medium', 'low'] as const).map((sev) => `${report.secrets.filter((s) => s.severity === sev).length} ${sev}`).join(', ');
  lines.push(`cmdb-scan: ${report.secrets.length} secret(s) (${counts}), ${report.connections.length} connection(s) in ${report.repos.length} repositor${report.repos.length === 1 ? 'y' : 'ies'}`);
  return lines.join('\n') + '\n';
}
