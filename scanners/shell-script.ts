/**
 * ShellScriptScanner: POSIX and bash scripts (`scripts/reset-db.sh`, a CI `setup.sh`, an entrypoint), parsed with
 * unbash (knip's shell parser: quoting, continuations, `$(…)`, parameter expansions with their defaults, all with
 * offsets). A script says where things are in three ways, each lowered to settings for the one interpreter:
 *   - variables it assigns or exports (`DB_HOST=db`, `export PGPASSWORD=…`), read as an env file is;
 *   - the environment a container is started with (`docker run -e DB_HOST=… -e DB_PASS=…`), one setting group per
 *     command, as a compose service's `environment:` is;
 *   - the options of a product's command-line client (`mysql -h … -P … -u … -p…`, `redis-cli -h … -a …`,
 *     `sqlcmd -S host,port`), as each client's manual documents them in its catalog record; and a request a script
 *     sends (`curl -X POST nacos:8848/nacos/v1/…`, `wget http://127.0.0.1:8888/`), not a download it fetches.
 * `$VAR` in a word is replaced by the script's own literal assignment of VAR; `sh -c '…'` and `$(…)` are scripts
 * too. Connection strings written anywhere in the script are read as the fallback reads them (connection-urls).
 */
import { parse, type Command, type Word, type WordPart, type DoubleQuotedChild, type AssignmentPrefix, type Script } from 'unbash';
import { COMMAND_LINE_CLIENTS, COMMAND_LINE_ENV, EMBEDDED_KINDS, type CommandLineClient, type CommandRole } from '../src/catalog/index.js';
import { isLocalHost } from '../src/hosts.js';
import { profileFromPath, profileFromEnvironment } from '../src/profiles.js';
import type { Finding, Kind } from '../src/result-model.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import type { SecretCandidate } from '../src/secrets/detect.js';
import { interpretSettings } from '../src/settings.js';
import { scopeFromPath } from '../src/paths.js';
import { lineStarts, rowAt } from '../src/text.js';
import { resolveValue } from '../src/values.js';
import { scanConnectionTokens, credentialOptions } from './connection-urls.js';

/** A script text and where it sits in the file: the top level, or the string of an `sh -c` / the inside of a `$(…)`. */
interface ScriptText {
  text: string;
  /** The file's 1-based line the text starts on. */
  firstLine: number;
  starts: number[];
}

interface Located {
  command: Command;
  at: ScriptText;
}

/** A word's value with the script's own variables substituted; null when part of it is computed (`$(…)`, `$((…))`). */
interface WordValue {
  text: string;
  /** A variable of the script supplied part of it: its secret is reported where the variable is assigned. */
  derived: boolean;
  /** The line of the first variable that supplied part of it: where an address it holds is written. */
  origin?: number;
}

/** A variable the script assigns a literal to, and where. */
interface Variable {
  text: string;
  line: number;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);
const DECLARATIONS = new Set(['export', 'readonly', 'declare', 'local', 'typeset']);
const CONTAINER_RUNS = /^(run|create)$/;
const FETCHERS = new Set(['curl', 'wget', 'http', 'https', 'xh']);
/** Options of curl, wget and HTTPie that shape a request: a script that sets them calls an API, not a download. */
const REQUEST_OPTIONS = /^(-X|--request|-d|--data(-[a-z]+)?|--json|-F|--form|-H|--header|-u|--user|-T|--upload-file|--post-data|--post-file|--method|--body-data|--password|-a|--auth)$/;
/** A request header that carries credentials: the caller authenticates to the API it calls. */
const AUTH_HEADER = /^\s*(authorization|proxy-authorization|private-token|x-[\w-]*(api-?key|token|auth)[\w-]*|api-?key)\s*:/i;
/**
 * The token a CI run is given for its own repository (GitHub Actions' `secrets.GITHUB_TOKEN`, `github.token`, GitLab's
 * `CI_JOB_TOKEN`): a request made with it acts on the repository itself (a commit status, a release), the pipeline's
 * own errand on its code host, not a service the application uses.
 */
const WORKFLOW_TOKEN = /\b(secrets[._]GITHUB_TOKEN|github[._]token|GITHUB_TOKEN|CI_JOB_TOKEN)\b/;
/** curl/wget options that take the next word as their value (so that word is not the URL). */
const FETCHER_VALUE_OPTIONS = /^(-[XdHoOuFAebcmwTx]|--(request|data(-[a-z]+)?|json|header|output|user|form|user-agent|referer|cookie|cookie-jar|max-time|connect-timeout|write-out|upload-file|proxy|retry|retry-delay|post-data|post-file|method|body-data|password|output-document|tries|timeout))$/;
/** What is downloaded, not called: archives, installers, keys and checksums, and what a `download` path serves. */
const DOWNLOAD = /\.(tar|gz|tgz|xz|bz2|zip|7z|sh|ps1|deb|rpm|apk|jar|war|exe|msi|pkg|dmg|whl|asc|gpg|sig|key|pub|sha\d*|md5|iso|img|bin)$|\/(downloads?|releases\/latest)\//i;

function isDownload(value: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(value);
  return m !== null && DOWNLOAD.test(m[1]!);
}

function scriptText(text: string, firstLine: number): ScriptText {
  return { text, firstLine, starts: lineStarts(text) };
}

function lineAt(at: ScriptText, pos: number): number {
  return at.firstLine + rowAt(at.starts, Math.max(0, pos));
}

/** A POSIX-family interpreter line: what makes an extensionless `bin/setup` or `script/dev` a shell script. */
const SHELL_SHEBANG = /^#!\s*(\/usr)?\/bin\/(env\s+)?(sh|bash|ash|dash|zsh|ksh)\b/;

export function scanShellScript(file: SourceFile): ScanOutput {
  // `bin/rails`, `bin/rake` are Ruby; `script/server` may be anything: only a shell's interpreter line says shell.
  if (!/\.[^/]+$/.test(file.path.slice(file.path.lastIndexOf('/') + 1)) && !SHELL_SHEBANG.test(file.text)) return { findings: [] };
  return readShellScript(file);
}

/** What a text known to be shell says (a script, or a Makefile lowered to one). */
export function readShellScript(file: SourceFile): ScanOutput {
  const top = scriptText(file.text, 1);
  const commands: Located[] = [];
  collectCommands(parse(file.text), top, commands);
  commands.sort((a, b) => lineAt(a.at, a.command.pos) - lineAt(b.at, b.command.pos));

  const vars = new Map<string, Variable>();
  // A test, a health check or a smoke test calls the system it checks, not a resource of it (LABELLING's settled call).
  const checksItself = scopeFromPath(file.path, 'deploy') === 'test' || /(^|[-_/])(health|healthcheck|smoke|wait|e2e|test)[-_.]?/i.test(file.path.replace(/^.*\//, ''));
  const variables: Setting[] = [];
  const groups: Setting[][] = [];
  const clientLines = new Set<number>();
  for (const { command, at } of commands) {
    const env = declaredAssignments(command, at, vars);
    const words = commandWords(command);
    const client = clientInvocation(words);
    const clientSettings: Setting[] = [];
    for (const a of env) {
      const known = COMMAND_LINE_ENV.get(a.name);
      // `PGPASSWORD=… psql`: the variable is read by the client it prefixes; exported, by every client after it.
      if (known) (client ? clientSettings : variables).push({ ...a.setting, path: [known.kind, settingKey(known.role)] });
      else variables.push(a.setting);
    }
    if (client) {
      const options = clientOptions(client.kind, client.client, words.slice(client.index + 1), at, vars);
      clientSettings.push(...(client.inContainer ? credentialsOnly(options) : options));
      if (clientSettings.length > 0) {
        groups.push(clientSettings);
        clientLines.add(lineAt(at, command.pos));
      }
    } else if (containerRun(words)) {
      groups.push(containerEnvironment(words, at, vars));
    } else {
      const request = checksItself ? null : fetcherRequest(words, at, vars);
      if (request) groups.push([request]);
    }
  }

  const profile = profileFromPath(file.path) ?? profileFromEnvironment(variables);
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  // Commands first: a variable a client uses is reported once, as the client's product (`mysql -h "$DB_HOST"`), not
  // again as the generic database its name suggests.
  const addressed = new Set<string>();
  for (const group of [...groups, variables.filter((v) => !isDownload(v.value))]) {
    if (group.length === 0) continue;
    const out = interpretSettings(group, { profile });
    for (const f of out.findings) {
      // A script's `$HOST` is its caller's to give: an address the script does not write is not one it knows.
      if (f.host === null && !EMBEDDED_KINDS.has(f.kind)) continue;
      // A health check's own loopback URL (`CHECK_URL="http://127.0.0.1:$port/metrics"`) is the service it checks.
      if (checksItself && f.kind === 'http' && isLocalHost(f.host)) continue;
      const at = `${f.line}|${f.host ?? ''}|${f.port ?? ''}`;
      if (addressed.has(at)) continue;
      addressed.add(at);
      findings.push(f);
    }
    secrets.push(...(out.secrets ?? []));
  }
  // Connection strings anywhere in the script, and credential options of commands no client record reads (`s3cmd
  // --secret_key=…`, `vault login --token …`), as the fallback reads them; what the settings above read is not read twice.
  const tokens = scanConnectionTokens(file, profile);
  const read = new Set(findings.map((f) => `${f.line}|${f.kind}|${f.host ?? ''}`));
  for (const f of tokens.findings) if (!read.has(`${f.line}|${f.kind}|${f.host ?? ''}`)) findings.push(f);
  const secretAt = new Set(secrets.map((s) => `${s.line}|${s.value}`));
  const options = credentialOptions(file, profile).filter((s) => !clientLines.has(s.line));
  for (const s of [...(tokens.secrets ?? []), ...options]) {
    if (!secretAt.has(`${s.line}|${s.value}`)) secrets.push(s), secretAt.add(`${s.line}|${s.value}`);
  }
  return { findings, secrets };
}

/** Every simple command, those inside `$(…)` and `sh -c '…'` included, with the text its offsets refer to. */
function collectCommands(node: unknown, at: ScriptText, out: Located[], depth = 0): void {
  if (depth > 200 || node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const item of node) collectCommands(item, at, out, depth + 1);
    return;
  }
  const n = node as { type?: string };
  if (n.type === 'Command') {
    const command = node as Command;
    out.push({ command, at });
    for (const word of [...command.prefix.map((p) => p.value), command.name, ...command.suffix]) {
      if (word) collectExpansions(word, at, out, depth);
    }
    const words = commandWords(command);
    const c = words.findIndex((w, i) => w.value === '-c' && i > 0 && SHELLS.has(basename(words[i - 1]!.value)));
    const inner = c === -1 ? undefined : words[c + 1];
    if (inner !== undefined && inner.value.length > 0) collectCommands(parse(inner.value), scriptText(inner.value, lineAt(at, inner.pos)), out, depth + 1);
  }
  for (const value of Object.values(node)) if (value !== null && typeof value === 'object') collectCommands(value, at, out, depth + 1);
}

/** The commands of `$(…)` in a word: unbash parses them, with offsets from the start of the substitution. */
function collectExpansions(word: Word, at: ScriptText, out: Located[], depth: number): void {
  const visit = (parts: ReadonlyArray<WordPart | DoubleQuotedChild> | undefined): void => {
    for (const part of parts ?? []) {
      if (part.type === 'DoubleQuoted' || part.type === 'LocaleString') visit(part.parts);
      else if (part.type === 'CommandExpansion' && part.script) {
        const inner = part.text.replace(/^\$\(|^`|\)$|`$/g, '');
        collectCommands((part.script as Script).commands, scriptText(inner, lineAt(at, word.pos)), out, depth + 1);
      }
    }
  };
  visit(word.parts);
}

function commandWords(command: Command): Word[] {
  return command.name ? [command.name, ...command.suffix] : [...command.suffix];
}

function basename(program: string): string {
  return program.replace(/^.*[\\/]/, '').replace(/\.(sh|exe)$/, '');
}

/** A word with the script's variables put in; `${VAR:-default}` and unknown `$VAR` stay lookups for the resolver. */
function wordValue(word: Word, vars: ReadonlyMap<string, Variable>): WordValue | null {
  let derived = false;
  let origin: number | undefined;
  const render = (parts: ReadonlyArray<WordPart | DoubleQuotedChild>): string | null => {
    let text = '';
    for (const part of parts) {
      switch (part.type) {
        case 'Literal':
        case 'SingleQuoted':
        case 'AnsiCQuoted':
          text += part.value;
          break;
        case 'DoubleQuoted':
        case 'LocaleString': {
          const inner = render(part.parts);
          if (inner === null) return null;
          text += inner;
          break;
        }
        case 'SimpleExpansion':
        case 'ParameterExpansion': {
          const name = part.type === 'SimpleExpansion' ? part.text.slice(1) : part.parameter;
          const own = vars.get(name);
          if (own !== undefined) {
            derived = true;
            // A port or a number says nothing of where the address is written (`http://localhost:${PORT}`).
            if (!/^\d*$/.test(own.text)) origin ??= own.line;
            text += own.text;
          } else {
            text += part.type === 'SimpleExpansion' ? `\${${name}}` : part.text;
          }
          break;
        }
        case 'CommandExpansion':
        case 'ArithmeticExpansion':
        case 'ProcessSubstitution':
          return null;
        default:
          text += part.text;
      }
    }
    return text;
  };
  const text = render(word.parts ?? [{ type: 'Literal', value: word.value, text: word.text }]);
  return text === null ? null : { text, derived, ...(origin === undefined ? {} : { origin }) };
}

interface Assignment {
  name: string;
  setting: Setting;
}

/**
 * `NAME=value` before a command or alone, and `export NAME=value` (or `readonly`, `declare`, `local`): settings of
 * the script, and, when the value is literal, a variable later words may use.
 */
function declaredAssignments(command: Command, at: ScriptText, vars: Map<string, Variable>): Assignment[] {
  const out: Assignment[] = [];
  const add = (name: string, value: WordValue | null, pos: number): void => {
    if (value === null || value.text === '') return;
    const line = lineAt(at, pos);
    if (!vars.has(name) && !value.text.includes('${')) vars.set(name, { text: value.text, line });
    // `latest_url="${base_url}${key}"`: the address is written where base_url is.
    out.push({ name, setting: { path: [name], value: value.text, line: value.origin ?? line, ...(value.derived ? { derived: true } : {}) } });
  };
  for (const p of command.prefix as AssignmentPrefix[]) {
    if (p.name && p.value && !p.array && !p.append) add(p.name, wordValue(p.value, vars), p.pos);
  }
  if (command.name && DECLARATIONS.has(command.name.value)) {
    for (const word of command.suffix) {
      const value = wordValue(word, vars);
      const eq = value?.text.indexOf('=') ?? -1;
      if (value === null || eq <= 0 || !NAME.test(value.text.slice(0, eq))) continue;
      add(value.text.slice(0, eq), { text: value.text.slice(eq + 1), derived: value.derived }, word.pos);
    }
  }
  return out;
}

/** The word that names a product's client, run directly or through a wrapper (`sudo`, `docker exec db`, `exec`). */
function clientInvocation(words: Word[]): { index: number; kind: Kind; client: CommandLineClient; inContainer: boolean } | null {
  for (let i = 0; i < words.length; i++) {
    const known = COMMAND_LINE_CLIENTS.get(basename(words[i]!.value));
    if (!known) continue;
    // `docker exec db psql …`, `kubectl exec … -- redis-cli …`: the client runs beside its server, inside the container;
    // `docker compose run --rm postgres psql …` starts one more container of the product's service for it.
    const before = words.slice(0, i).map((w) => w.value);
    const inContainer = before.includes('exec') || (before.includes('run') && before.some((w) => /^(docker|docker-compose|podman|compose)$/.test(basename(w))));
    return { index: i, ...known, inContainer };
  }
  return null;
}

function settingKey(role: CommandRole): string {
  return role === 'servers' ? 'bootstrap-servers' : role;
}

/** A client's options as settings under its product's word (`mysql.host`, `mysql.password`). */
function clientOptions(kind: Kind, client: CommandLineClient, args: Word[], at: ScriptText, vars: ReadonlyMap<string, Variable>): Setting[] {
  const settings: Setting[] = [];
  const put = (role: CommandRole, value: WordValue | null, word: Word): void => {
    // A URL given to an option is a connection string, read where it is written (scanConnectionTokens).
    if (value === null || value.text === '' || value.text.includes('://')) return;
    // An address from a variable of the script is written where the variable is assigned.
    const line = value.origin ?? lineAt(at, word.pos);
    const derived = value.derived ? { derived: true } : {};
    if (role === 'server') {
      // sqlcmd: `[tcp:]host[\instance][,port]`.
      const m = /^(?:tcp:)?([^\\,\s]+)(?:\\[^,\s]*)?(?:,(\d+))?$/i.exec(value.text);
      if (!m) return;
      settings.push({ path: [kind, 'host'], value: m[1]!, line, ...derived });
      if (m[2]) settings.push({ path: [kind, 'port'], value: m[2], line, ...derived });
    } else if (role === 'login') {
      // sqlplus: `user/password@//host:port/service`, `user/password@host/service`; `@alias` names a tnsnames entry.
      const m = /^([^/@\s]+)(?:\/([^@\s]*))?@(?:\/\/)?([\w.-]+)(?::(\d+))?(?:\/([\w.$-]+))?$/.exec(value.text);
      if (!m) return;
      settings.push({ path: [kind, 'username'], value: m[1]!, line, ...derived });
      if (m[2]) settings.push({ path: [kind, 'password'], value: m[2], line, ...derived });
      settings.push({ path: [kind, 'host'], value: m[3]!, line, ...derived });
      if (m[4]) settings.push({ path: [kind, 'port'], value: m[4], line, ...derived });
      if (m[5]) settings.push({ path: [kind, 'database'], value: m[5], line, ...derived });
    } else {
      settings.push({ path: [kind, settingKey(role)], value: value.text, line, ...derived });
    }
  };
  let operandSeen = false;
  for (let i = 0; i < args.length; i++) {
    const word = args[i]!;
    const text = word.value;
    if (/^[|;&]/.test(text)) break;
    if (text.startsWith('--')) {
      const eq = text.indexOf('=');
      const name = eq === -1 ? text : text.slice(0, eq);
      const role = client.options[name];
      if (!role) continue;
      const value = eq === -1 ? null : wordValue(word, vars);
      if (eq !== -1) put(role, value && dropPrefix(value, value.text.indexOf('=') + 1), word);
      else if (!client.attachedOnly?.includes(name) && args[i + 1]) put(role, wordValue(args[++i]!, vars), args[i]!);
    } else if (/^-[A-Za-z]/.test(text)) {
      const name = text.slice(0, 2);
      const role = client.options[name];
      if (!role) {
        // An option of its own with its value as the next word (`-e "SELECT 1"`) must not be taken for the operand.
        if (text.length === 2) operandSeen = true;
        continue;
      }
      const value = text.length > 2 ? wordValue(word, vars) : null;
      if (text.length > 2) put(role, value && dropPrefix(value, 2), word);
      else if (!client.attachedOnly?.includes(name) && args[i + 1]) put(role, wordValue(args[++i]!, vars), args[i]!);
    } else if (client.operand === 'login') {
      // sqlplus' connect identifier is the word shaped as one, wherever its flags put it (`sqlplus -s user/pw@db`).
      const value = wordValue(word, vars);
      if (!settings.some((x) => x.path[1] === 'host') && value && /^[^/@\s]+\/?[^@\s]*@/.test(value.text)) put('login', value, word);
    } else if (!operandSeen && client.operand) {
      operandSeen = true;
      const value = wordValue(word, vars);
      if (value && /^[\w.$-]+$/.test(value.text)) put(client.operand, value, word);
    }
  }
  // A client given no address talks to this machine's socket or its default, and one given `$HOST` from its caller
  // says nothing the caller's config does not: nothing to inventory but its credentials.
  const addressed = settings.some((s) => (s.path[1] === 'host' || s.path[1] === 'bootstrap-servers') && isWritten(s.value));
  return addressed ? settings : credentialsOnly(settings);
}

function credentialsOnly(settings: Setting[]): Setting[] {
  return settings.filter((s) => s.path[1] === 'password');
}

/** A value written in the script, or defaulted there (`${DB_HOST:-db}`), not one only its caller knows. */
function isWritten(value: string): boolean {
  const resolved = resolveValue(value).text;
  return resolved !== null && !resolved.includes('${');
}

function dropPrefix(value: WordValue, n: number): WordValue {
  return { ...value, text: value.text.slice(n) };
}

/** `docker run …` / `docker create …` / `podman run …` (also `docker container run`). */
function containerRun(words: Word[]): boolean {
  const program = words[0] ? basename(words[0].value) : '';
  if (program !== 'docker' && program !== 'podman' && program !== 'nerdctl') return false;
  const verb = words[1]?.value === 'container' ? words[2]?.value : words[1]?.value;
  return verb !== undefined && CONTAINER_RUNS.test(verb);
}

/** The `-e NAME=value` / `--env NAME=value` of one container: one group, as a compose service's environment. */
function containerEnvironment(words: Word[], at: ScriptText, vars: ReadonlyMap<string, Variable>): Setting[] {
  const settings: Setting[] = [];
  for (let i = 1; i < words.length; i++) {
    const text = words[i]!.value;
    let word: Word | undefined;
    let value: WordValue | null = null;
    if (text === '-e' || text === '--env') {
      word = words[++i];
      value = word ? wordValue(word, vars) : null;
    } else if (text.startsWith('--env=') || (text.startsWith('-e') && text.length > 2 && !text.startsWith('--'))) {
      word = words[i];
      value = wordValue(word!, vars);
      if (value) value = dropPrefix(value, text.startsWith('--env=') ? 6 : 2);
    }
    if (!word || !value) continue;
    const eq = value.text.indexOf('=');
    if (eq <= 0 || !NAME.test(value.text.slice(0, eq)) || eq === value.text.length - 1) continue;
    settings.push({ path: [value.text.slice(0, eq)], value: value.text.slice(eq + 1), line: value.origin ?? lineAt(at, word.pos), ...(value.derived ? { derived: true } : {}) });
  }
  return settings;
}

/**
 * The URL a curl, wget or HTTPie command sends a request to, when the command shapes one (a method, a body, a header,
 * credentials) and the address is of this machine or the stack's network (loopback, an IP, a service name): a
 * script configuring its stack (`curl -X POST nacos:8848/nacos/v1/cs/configs`). A request to a public host counts
 * when it carries credentials (`-H "Authorization: Bearer $TOKEN"`, an API-key header, `-u`, `--oauth2-bearer`):
 * the script is a client of that API (a deploy hook, a chat webhook, a DNS update). A plain fetch is a download or
 * a probe.
 */
function fetcherRequest(words: Word[], at: ScriptText, vars: ReadonlyMap<string, Variable>): Setting | null {
  const start = words.findIndex((w) => FETCHERS.has(basename(w.value)));
  if (start === -1) return null;
  let shaped = basename(words[start]!.value) !== 'curl' && basename(words[start]!.value) !== 'wget';
  let authenticated = false;
  let url: (WordValue & { word: Word }) | null = null;
  for (let i = start + 1; i < words.length; i++) {
    const text = words[i]!.value;
    if (text.startsWith('-')) {
      const name = text.includes('=') ? text.slice(0, text.indexOf('=')) : text;
      if (REQUEST_OPTIONS.test(name)) shaped = true;
      const argument = text.includes('=') && name.startsWith('--') ? text.slice(name.length + 1) : words[i + 1]?.value ?? '';
      if (/^(-u|--user|--oauth2-bearer|--password|--http-password)$/.test(name)
        || (/^(-H|--header)$/.test(name) && AUTH_HEADER.test(argument) && !WORKFLOW_TOKEN.test(argument))) authenticated = true;
      if (FETCHER_VALUE_OPTIONS.test(text)) i++;
      continue;
    }
    // HTTPie's `Authorization:"Bearer $T"` / `X-Api-Key:$K` request items.
    if (AUTH_HEADER.test(text) && !WORKFLOW_TOKEN.test(text)) authenticated = true;
    if (url) continue;
    const value = wordValue(words[i]!, vars);
    if (value && /^(https?:\/\/)?[\w.-]+(:\d+)?(\/\S*)?$/i.test(value.text) && (/:\/\//.test(value.text) || /^[\w.-]+:\d+(\/|$)/.test(value.text))) {
      url = { ...value, word: words[i]! };
    }
  }
  if (!url || !shaped) return null;
  const withScheme = /:\/\//.test(url.text) ? url.text : `http://${url.text}`;
  const m = /^https?:\/\/([^/:?#]+)/i.exec(withScheme);
  if (!m || isDownload(withScheme)) return null;
  const host = m[1]!.toLowerCase();
  const onNetwork = isLocalHost(host) || /^[\d.]+$/.test(host) || !host.includes('.') || /\.(internal|local|svc|cluster\.local|consul|lan|corp)$/.test(host);
  // The address must be written; a lookup in the path (`/zones/$ZONE_ID/settings`) names a resource of that API.
  const address = withScheme.replace(/^([a-z]+:\/\/[^/]*\/[^$]*)\$.*$/i, '$1');
  if ((!onNetwork && !authenticated) || !isWritten(address)) return null;
  return { path: ['request', 'url'], value: address, line: url.origin ?? lineAt(at, url.word.pos), ...(url.derived ? { derived: true } : {}) };
}

export default defineScanner({
  id: 'shell-script',
  description: 'shell scripts: variables, container environments, database and broker clients, requests sent with curl/wget',
  // Extensionless scripts where projects keep them (`script/diaspora-dev`, `bin/setup`), when their first line names a shell.
  files: ['*.sh', '*.bash', '*.zsh', '*.ksh', '**/{bin,script,scripts}/!(*.*)'],
  scope: 'deploy',
  scan: scanShellScript,
});
