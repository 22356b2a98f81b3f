/**
 * ConnectionUrlScanner: the fallback for text files no format scanner reads — shell and
 * batch scripts, Jenkinsfiles and Gradle scripts, Terraform, HOCON `application.conf`,
 * systemd units, and source in languages without a code scanner (Scala, PHP, Ruby). These have no parser worth the name for our purpose, but a connection
 * string is self-describing: `jdbc:…`, `redis://…`, `mongodb+srv://…`, a Go MySQL DSN.
 * Only such tokens are taken (never plain http URLs, which are everywhere in scripts),
 * comment lines are skipped, and confidence is lower than a keyed config value.
 */
import { looksLikeConnectionString, maskConnectionString, parseConnectionString, parseHostPort } from '../src/connection-string.js';
import { profileFromPath } from '../src/profiles.js';
import type { Finding } from '../src/result-model.js';
import { connectionStringFindings, defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import type { SecretCandidate } from '../src/secrets/detect.js';
import { resolveValue } from '../src/values.js';

/** A candidate token: a scheme URL or a Go DSN, up to the first quote, whitespace or closing bracket. */
const TOKEN = /\bjdbc:[a-z0-9]+:[^\s'"`<>]+|\b[a-z][a-z0-9+._-]*:\/\/[^\s'"`<>]+|[^\s'"`=:]*:?[^\s'"`@]*@tcp6?\([^)\s]*\)\/[^\s'"`<>]*/gi;
/** A comment line; `--` only when a space or the line's end follows (`-- note`), as `--from "mysql://…"` continues a command. */
const COMMENT = /^\s*(#|\/\/|--(?=\s|$)|;|rem\s|\*|\/\*)/i;
/** Object-store URIs whose authority is a bucket, and the options that give such a command its endpoint. */
const BUCKET_URI = /^(s3|s3a|s3n|oss|cos|cosn|obs|gs):\/\//i;
const ENDPOINT_OPTION = /(?:^|\s)--(?:endpoint-url|endpoint|host)(?:=|\s+)["']?([^\s"'`;|&]+)/i;

/** Shell and batch scripts, Makefiles and CI scripts: where commands are written with their options. */
const SCRIPT = /\.(sh|bash|zsh|bat|cmd|ps1|mk)$|(^|\/)(Makefile|Jenkinsfile[^/]*)$/i;
/** What every TOKEN contains; a line (or file) without it holds none, and most lines of a script have none. */
const TOKEN_MARK = /:\/\/|jdbc:|@tcp/i;

/**
 * A credential given to a command as a long option (`s3cmd --access_key=… --secret_key=…`, `mysqldump --password=…`,
 * `vault login --token …`): the option names what the value is, as a key does in a config file.
 */
const CREDENTIAL_OPTION = /(?:^|\s)--((?:aws[_-])?(?:secret[_-]?(?:access[_-]?)?key|access[_-]?key(?:[_-]id)?)|password|passwd|api[_-]?key|(?:auth[_-])?token|client[_-]secret)(?:=|\s+)("[^"]*"|'[^']*'|[^\s"'`;|&]+)/gi;

/** Credential options of a script's commands, read as settings so that placeholder and weak-value rules apply. */
export function credentialOptions(file: SourceFile, profile: string | null): SecretCandidate[] {
  if (!file.text.includes('--')) return [];
  const settings: Setting[] = [];
  file.text.split('\n').forEach((line, i) => {
    if (!line.includes('--') || COMMENT.test(line)) return;
    for (const m of line.matchAll(CREDENTIAL_OPTION)) {
      const value = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
      // `--password "$DB_PASS"`, `--token $(cat f)`: a lookup, not a value.
      if (value === '' || value.startsWith('$') || value.startsWith('-')) continue;
      settings.push({ path: [m[1]!.replace(/-/g, '_')], value, line: i + 1 });
    }
  });
  return settings.length === 0 ? [] : interpretSettings(settings, { profile }).secrets;
}

export function scanConnectionUrls(file: SourceFile): ScanOutput {
  const profile = profileFromPath(file.path);
  const tokens = scanConnectionTokens(file, profile);
  return { findings: tokens.findings, secrets: [...(SCRIPT.test(file.path) ? credentialOptions(file, profile) : []), ...tokens.secrets] };
}

/** Connection strings written anywhere in the text, outside comment lines. */
export function scanConnectionTokens(file: SourceFile, profile: string | null): { findings: Finding[]; secrets: SecretCandidate[] } {
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  if (!TOKEN_MARK.test(file.text)) return { findings, secrets };
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
      // A bucket URI (`s3://bucket/key`) names no server: the command's endpoint option on the same line does
      // (`--endpoint-url http://minio:9000`, s3cmd's `--host=store:8333`); without one, nothing to inventory.
      const bucketOnly = BUCKET_URI.test(raw);
      const endpoint = bucketOnly ? ENDPOINT_OPTION.exec(line)?.[1] : undefined;
      if (bucketOnly && endpoint === undefined) continue;
      const at = endpoint === undefined ? parsed : { ...parsed, endpoints: [parseHostPort(endpoint.replace(/^https?:\/\//i, '').replace(/\/.*$/, ''))] };
      const read = connectionStringFindings(raw, { ...at, kind: parsed.kind }, { line: i + 1, profile, valueSource, confidence: 0.6 });
      findings.push(...read.findings);
      secrets.push(...read.secrets);
    }
  });
  return { findings, secrets };
}

export default defineScanner({
  id: 'connection-urls',
  description: 'connection strings in scripts, Jenkinsfiles, Gradle, Terraform, HOCON, other text config, Scala source, and the PHP/Ruby files the code readers leave (templates, vendored code)',
  files: [
    '*.sh', '*.bash', '*.zsh', '*.bat', '*.cmd', '*.ps1', 'Jenkinsfile', 'Jenkinsfile.*', '*.jenkinsfile', '*.groovy',
    '*.gradle', '*.gradle.kts', '*.tf', '*.tfvars', '*.conf', '*.hocon', '*.service', '*.cron', 'crontab',
    '*.cs', '*.scala', '*.php', '*.rb',
  ],
  excludeFiles: ['nginx.conf', '**/nginx/**', 'supervisord.conf', 'logrotate.conf', 'redis.conf', 'mongod.conf'],
  scan: scanConnectionUrls,
});
