/**
 * ConnectionUrlScanner: the fallback for text files no format scanner reads — shell and
 * batch scripts, Jenkinsfiles and Gradle scripts, Terraform, HOCON `application.conf`,
 * systemd units. These have no parser worth the name for our purpose, but a connection
 * string is self-describing: `jdbc:…`, `redis://…`, `mongodb+srv://…`, a Go MySQL DSN.
 * Only such tokens are taken (never plain http URLs, which are everywhere in scripts),
 * comment lines are skipped, and confidence is lower than a keyed config value.
 */
import { looksLikeConnectionString, maskConnectionString, parseConnectionString } from '../src/connection-string.js';
import type { Finding } from '../src/result-model.js';
import { profileFromPath } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type SourceFile } from '../src/scanner.js';
import { resolveValue } from '../src/values.js';
import { resourceName } from '../src/result-model.js';
import { isPlaceholderSecret, type SecretCandidate } from '../src/secrets/detect.js';

/** A candidate token: a scheme URL or a Go DSN, up to the first quote, whitespace or closing bracket. */
const TOKEN = /\bjdbc:[a-z0-9]+:[^\s'"`<>]+|\b[a-z][a-z0-9+._-]*:\/\/[^\s'"`<>]+|[^\s'"`=:]*:?[^\s'"`@]*@tcp6?\([^)\s]*\)\/[^\s'"`<>]*/gi;
const COMMENT = /^\s*(#|\/\/|--|;|rem\s|\*|\/\*)/i;

export function scanConnectionUrls(file: SourceFile): ScanOutput {
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  const profile = profileFromPath(file.path);
  file.text.split('\n').forEach((line, i) => {
    if (COMMENT.test(line)) return;
    for (const m of line.matchAll(TOKEN)) {
      const raw = m[0].replace(/[),;\]}]+$/, '');
      if (!looksLikeConnectionString(raw)) continue;
      const resolved = resolveValue(raw);
      const parsed = resolved.text ? parseConnectionString(resolved.text) : null;
      if (!parsed?.kind || parsed.kind === 'http') continue;
      const masked = resolveValue(maskConnectionString(raw));
      for (const e of parsed.endpoints.length > 0 ? parsed.endpoints : [{ host: null, port: null }]) {
        findings.push({
          kind: parsed.kind, host: e.host, port: e.port, database: parsed.database, username: parsed.username,
          hasPassword: parsed.password !== null,
          passwordHardcoded: parsed.password !== null && resolveValue(parsed.password).source !== 'placeholder',
          url: maskConnectionString(raw), line: i + 1, profile, valueSource: masked.source, confidence: 0.6,
        });
      }
      const pw = parsed.password !== null ? resolveValue(parsed.password) : null;
      if (pw && pw.source !== 'placeholder' && pw.text && !isPlaceholderSecret(pw.text)) {
        secrets.push({ line: i + 1, kind: 'password', value: pw.text, resource: resourceName(findings[findings.length - 1]!) });
      }
    }
  });
  return { findings, secrets };
}

export default defineScanner({
  id: 'connection-urls',
  description: 'connection strings in scripts, Jenkinsfiles, Gradle, Terraform, HOCON and other text config',
  files: [
    '*.sh', '*.bash', '*.zsh', '*.bat', '*.cmd', '*.ps1', 'Jenkinsfile', 'Jenkinsfile.*', '*.jenkinsfile', '*.groovy',
    '*.gradle', '*.gradle.kts', '*.tf', '*.tfvars', '*.conf', '*.hocon', '*.service', '*.cron', 'crontab', 'Makefile', '*.mk',
  ],
  excludeFiles: ['nginx.conf', '**/nginx/**', 'supervisord.conf', 'logrotate.conf', 'redis.conf', 'mongod.conf'],
  scan: scanConnectionUrls,
});
