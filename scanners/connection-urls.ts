/**
 * ConnectionUrlScanner: the fallback for text files no format scanner reads — shell and
 * batch scripts, Jenkinsfiles and Gradle scripts, Terraform, HOCON `application.conf`,
 * systemd units, and source in languages without a code scanner (Scala, PHP, Ruby). These have no parser worth the name for our purpose, but a connection
 * string is self-describing: `jdbc:…`, `redis://…`, `mongodb+srv://…`, a Go MySQL DSN.
 * Only such tokens are taken (never plain http URLs, which are everywhere in scripts),
 * comment lines are skipped, and confidence is lower than a keyed config value.
 */
import { looksLikeConnectionString, maskConnectionString, parseConnectionString } from '../src/connection-string.js';
import { profileFromPath } from '../src/profiles.js';
import type { Finding } from '../src/result-model.js';
import { connectionStringFindings, defineScanner, type ScanOutput, type SourceFile } from '../src/scanner.js';
import type { SecretCandidate } from '../src/secrets/detect.js';
import { resolveValue } from '../src/values.js';

/** A candidate token: a scheme URL or a Go DSN, up to the first quote, whitespace or closing bracket. */
const TOKEN = /\bjdbc:[a-z0-9]+:[^\s'"`<>]+|\b[a-z][a-z0-9+._-]*:\/\/[^\s'"`<>]+|[^\s'"`=:]*:?[^\s'"`@]*@tcp6?\([^)\s]*\)\/[^\s'"`<>]*/gi;
const COMMENT = /^\s*(#|\/\/|--|;|rem\s|\*|\/\*)/i;
/** What every TOKEN contains; a line (or file) without it holds none, and most lines of a script have none. */
const TOKEN_MARK = /:\/\/|jdbc:|@tcp/i;

export function scanConnectionUrls(file: SourceFile): ScanOutput {
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  if (!TOKEN_MARK.test(file.text)) return { findings, secrets };
  const profile = profileFromPath(file.path);
  file.text.split('\n').forEach((line, i) => {
    if (!TOKEN_MARK.test(line) || COMMENT.test(line)) return;
    for (const m of line.matchAll(TOKEN)) {
      const raw = m[0].replace(/[),;\]}]+$/, '');
      // An interpolated string (C# `$"amqp://{config["Bus"]}"`, Kotlin/PHP `{…}`) has no literal address.
      if (/(^|[^$])\{/.test(raw)) continue;
      if (!looksLikeConnectionString(raw)) continue;
      const resolved = resolveValue(raw);
      const parsed = resolved.text ? parseConnectionString(resolved.text) : null;
      if (!parsed?.kind || parsed.kind === 'http') continue;
      const valueSource = resolveValue(maskConnectionString(raw)).source;
      const read = connectionStringFindings(raw, { ...parsed, kind: parsed.kind }, { line: i + 1, profile, valueSource, confidence: 0.6 });
      findings.push(...read.findings);
      secrets.push(...read.secrets);
    }
  });
  return { findings, secrets };
}

export default defineScanner({
  id: 'connection-urls',
  description: 'connection strings in scripts, Jenkinsfiles, Gradle, Terraform, HOCON, other text config, and Scala/PHP/Ruby source',
  files: [
    '*.sh', '*.bash', '*.zsh', '*.bat', '*.cmd', '*.ps1', 'Jenkinsfile', 'Jenkinsfile.*', '*.jenkinsfile', '*.groovy',
    '*.gradle', '*.gradle.kts', '*.tf', '*.tfvars', '*.conf', '*.hocon', '*.service', '*.cron', 'crontab', 'Makefile', '*.mk',
    '*.cs', '*.scala', '*.php', '*.rb',
  ],
  excludeFiles: ['nginx.conf', '**/nginx/**', 'supervisord.conf', 'logrotate.conf', 'redis.conf', 'mongod.conf'],
  scan: scanConnectionUrls,
});
