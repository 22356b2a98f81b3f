/**
 * SqlSeedScanner: data a project ships in SQL to seed its databases.
 * - Nacos config-centre contents, the `config_info` inserts (`INSERT INTO config_info (…, data_id, …, content, …)
 *   VALUES (…, 'order-service-dev.yml', …, 'spring:\n  redis:\n    host: …', …)`): each content is the YAML or
 *   properties an app loads at start-up, read as that format (by its data id's extension, else the `type`
 *   column), every finding placed on the SQL line its content line sits on.
 * - Any other insert: its columns that name a credential or a connection (`access_token`, `password`, `url`,
 *   `host`) become settings `table.column` on the line of the value, so a seeded executor token or a
 *   datasource row is read like a config key (not in a test's data). Password hashes are not credentials.
 * - Accounts the script creates: MySQL/Oracle `CREATE USER … IDENTIFIED BY 'pw'`, `ALTER USER`, `GRANT … IDENTIFIED BY`,
 *   and PostgreSQL `CREATE ROLE|USER … [WITH] [ENCRYPTED] PASSWORD 'pw'`: the password is written here.
 */
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { credentialKind, isPlaceholderSecret, type SecretCandidate } from '../src/secrets/detect.js';
import { interpretSettings, mayDescribeConnection } from '../src/settings.js';
import { isTestPath } from '../src/paths.js';
import { profileFromPath } from '../src/profiles.js';
import { lineLocator } from '../src/text.js';
import { scanPropertiesText } from './java-properties.js';
import { scanSpringYamlText } from './spring-yaml.js';

/** The head of an insert with its column list: table name and columns. */
const INSERT = /insert\s+into\s+[`"[]?(?:\w+[`"\]]?\.[`"[]?)?(\w+)[`"\]]?\s*(?:\(([^)]*)\)\s*)?values\s*/gi;

/**
 * Nacos's `config_info` columns in the order its schema (`nacos-mysql.sql`) creates them: a dump written without a column
 * list (`INSERT INTO config_info VALUES (8, 'gateway.yaml', 'DEFAULT_GROUP', '<content>', …)`, mysqldump's default)
 * holds its values in this order.
 */
const NACOS_CONFIG_INFO_COLUMNS = ['id', 'data_id', 'group_id', 'content', 'md5', 'gmt_create', 'gmt_modified', 'src_user', 'src_ip', 'app_name', 'tenant_id', 'c_desc', 'c_use', 'effect', 'type', 'c_schema'];

/** Columns a credential may be stored in; hashed passwords (bcrypt, argon2, `{bcrypt}…`) are not credentials. */
const SECRET_COLUMN = /password|passwd|pwd|secret|token|api_?key|access_?key|private_?key/i;
const PASSWORD_HASH = /^(\{[a-z0-9]+\})?\$(2[abxy]?|argon2(id|i|d)?|pbkdf2[\w-]*|scrypt|5|6)\$/i;

/** One SQL value of a VALUES tuple: its text (strings unescaped) and, per text line, the source offset it starts at. */
interface SqlValue {
  text: string;
  lineStarts: number[];
  /** Written bare, not as a string: a number, NULL, a call, or a variable or bind parameter (`@Password`, `:pw`, `?`, `$1`). */
  bare?: true;
}

/** A bare value that names a variable or parameter a statement is run with: T-SQL `@Password`, `:password`, `?`, `$1`. */
const PARAMETER = /^(@@?\w+|:\w+|\?|\$\d+)$/;

/**
 * Reads the tuples after VALUES from `at` to the statement's end: MySQL strings (backslash escapes
 * and doubled quotes) and bare words. Returns the tuples and where reading stopped.
 */
function readTuples(sql: string, at: number): SqlValue[][] {
  const tuples: SqlValue[][] = [];
  let i = at;
  while (i < sql.length) {
    while (i < sql.length && /[\s,]/.test(sql[i]!)) i++;
    if (sql[i] !== '(') break;
    i++;
    const tuple: SqlValue[] = [];
    for (;;) {
      while (i < sql.length && /\s/.test(sql[i]!)) i++;
      if (i >= sql.length) return tuples;
      if (sql[i] === "'") {
        let text = '';
        const lineStarts = [i + 1];
        i++;
        for (; i < sql.length; i++) {
          const c = sql[i]!;
          if (c === '\\' && i + 1 < sql.length) {
            const e = sql[++i]!;
            const ch = e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e === '0' ? '' : e;
            text += ch;
            if (ch === '\n') lineStarts.push(i + 1);
          } else if (c === "'") {
            if (sql[i + 1] === "'") { text += "'"; i++; } else { i++; break; }
          } else {
            text += c;
            if (c === '\n') lineStarts.push(i + 1);
          }
        }
        tuple.push({ text, lineStarts });
      } else {
        // A bare value: a number, NULL, or a call such as now() or UUID(), whose own parentheses it keeps.
        const start = i;
        let depth = 0;
        while (i < sql.length && (depth > 0 || (sql[i] !== ',' && sql[i] !== ')'))) {
          if (sql[i] === '(') depth++;
          else if (sql[i] === ')') depth--;
          i++;
        }
        tuple.push({ text: sql.slice(start, i).trim(), lineStarts: [start], bare: true });
      }
      while (i < sql.length && /\s/.test(sql[i]!)) i++;
      if (sql[i] === ',') { i++; continue; }
      if (sql[i] === ')') { i++; break; }
      return tuples;
    }
    tuples.push(tuple);
  }
  return tuples;
}

/**
 * The app a data id belongs to: Nacos names an app's config `<spring.application.name>-<profile>.<ext>`;
 * `application-<profile>.yml` is shared by every app and names none.
 */
function appOfDataId(dataId: string, profile: string | null): string | null {
  let name = dataId.replace(/\.(ya?ml|properties|json|txt)$/i, '');
  if (profile) name = name.replace(new RegExp(`[-_.]${profile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`), '');
  return name === '' || /^(application|bootstrap)$/i.test(name) ? null : name;
}

export function scanNacosExport(file: SourceFile): ScanOutput {
  const out: Required<Pick<ScanOutput, 'findings' | 'secrets'>> = { findings: [], secrets: [] };
  const lineOf = lineLocator(file.text);
  const rows: Setting[] = [];
  for (const m of file.text.matchAll(INSERT)) {
    const table = m[1]!;
    // Without a column list, only a table whose columns a product documents can be read.
    if (m[2] === undefined && table.toLowerCase() !== 'config_info') continue;
    const columns = m[2] === undefined ? NACOS_CONFIG_INFO_COLUMNS : m[2].split(',').map((c) => c.trim().replace(/[`"[\]]/g, '').toLowerCase());
    const dataIdAt = columns.indexOf('data_id');
    const contentAt = columns.indexOf('content');
    const typeAt = columns.indexOf('type');
    if (table.toLowerCase() !== 'config_info' || dataIdAt < 0 || contentAt < 0) {
      rows.push(...rowSettings(table, columns, readTuples(file.text, m.index! + m[0].length), lineOf));
      continue;
    }
    for (const tuple of readTuples(file.text, m.index! + m[0].length)) {
      const dataId = tuple[dataIdAt]?.text ?? '';
      const content = tuple[contentAt];
      if (!content) continue;
      const format = /\.ya?ml$/i.test(dataId) ? 'yaml' : /\.properties$/i.test(dataId) ? 'properties' : (tuple[typeAt]?.text ?? '').toLowerCase();
      // The data id names the file the app would have had (`pig-codegen-dev.yml`): its profile comes from there.
      const asPath = `${file.path}/${dataId.replace(/[/\\]/g, '_')}`;
      const read = format === 'yaml' || format === 'yml' ? scanSpringYamlText(content.text, asPath)
        : format === 'properties' ? scanPropertiesText(content.text, asPath)
        : null;
      if (!read) continue;
      const sqlLine = (contentLine: number) => lineOf(content.lineStarts[contentLine - 1] ?? content.lineStarts[0]!);
      const app = appOfDataId(dataId, profileFromPath(asPath));
      const hint = app === null ? {} : { appHint: app };
      for (const f of read.findings) out.findings.push({ ...f, line: sqlLine(f.line), ...hint });
      for (const s of read.secrets ?? []) out.secrets.push({ ...s, line: sqlLine(s.line), ...hint });
    }
  }
  // Rows a test loads (`testdata/`, `src/test/resources/`) are data for the code under test (a recorded request's
  // `request_url` and `csrf_token`, a datasource row a test edits), not the app's connections or credentials.
  if (rows.length > 0 && !isTestPath(file.path)) {
    const read = interpretSettings(rows, { profile: null });
    out.findings.push(...read.findings);
    out.secrets.push(...read.secrets);
  }
  out.secrets.push(...accountPasswords(file.text, lineOf));
  return out;
}

/**
 * `IDENTIFIED [WITH plugin] BY 'pw'` (MySQL, MariaDB, Oracle; quoted or, in Oracle, a bare word) and
 * PostgreSQL's `CREATE|ALTER ROLE|USER name … PASSWORD 'pw'`. `IDENTIFIED BY PASSWORD '*…'`, `IDENTIFIED WITH … AS '…'`
 * and `ENCRYPTED PASSWORD 'md5…'`/`'SCRAM-SHA-256$…'` hold hashes and do not match or are dropped.
 */
const IDENTIFIED_BY = /\bidentified\s+(?:with\s+['"`]?\w+['"`]?\s+)?by\s+(?!password\b)(?:'((?:[^'\\\n]|\\.|'')*)'|"([^"\n]*)"|([A-Za-z][\w#$]*))/gi;
const PG_PASSWORD = /\b(?:create|alter)\s+(?:user|role)\s+("[^"\n]+"|[\w.]+)[^;'\n]{0,200}?\bpassword\s+'((?:[^'\n]|'')*)'/gi;
const ACCOUNT_NAME = /\b(?:user|to)\s+(['"`]?)([\w.-]+)\1?(?:@\S+)?[^;]*$/i;
const HASHED = /^(md5[a-f0-9]{32}|SCRAM-SHA-256\$.*|\*[A-F0-9]{40})$/i;

function accountPasswords(text: string, lineOf: (offset: number) => number): SecretCandidate[] {
  if (!/identified|password/i.test(text)) return [];
  const out: SecretCandidate[] = [];
  const add = (value: string, offset: number, user: string | null) => {
    const lineStart = text.lastIndexOf('\n', offset) + 1;
    // A commented-out statement (`-- CREATE USER …`) shows how, it does not create.
    if (/^\s*(--|#|\/\*|\*)/.test(text.slice(lineStart, offset))) return;
    if (HASHED.test(value) || isPlaceholderSecret(value) || /^[:&]/.test(value)) return;
    out.push({ line: lineOf(offset), kind: credentialKind('password', value, [user]), value, resource: null });
  };
  for (const m of text.matchAll(IDENTIFIED_BY)) {
    const statementStart = Math.max(text.lastIndexOf(';', m.index), 0);
    const user = ACCOUNT_NAME.exec(text.slice(statementStart, m.index))?.[2]?.replace(/@.*$/, '') ?? null;
    const raw = m[1] !== undefined ? m[1].replace(/''/g, "'").replace(/\\(.)/g, '$1') : m[2] ?? m[3]!;
    add(raw, m.index + m[0].length - (m[1] ?? m[2] ?? m[3]!).length - (m[3] === undefined ? 1 : 0), user);
  }
  for (const m of text.matchAll(PG_PASSWORD)) {
    add(m[2]!.replace(/''/g, "'"), m.index + m[0].length - m[2]!.length - 1, m[1]!.replace(/"/g, ''));
  }
  return out;
}

/** One setting `table.column` per value of a credential or connection column; each row is its own group. */
function rowSettings(table: string, columns: string[], tuples: SqlValue[][], lineOf: (offset: number) => number): Setting[] {
  const wanted = columns.map((c) => SECRET_COLUMN.test(c) || mayDescribeConnection(c, ''));
  if (!wanted.some(Boolean)) return [];
  const out: Setting[] = [];
  tuples.forEach((tuple, row) => {
    columns.forEach((column, i) => {
      const value = tuple[i];
      if (!wanted[i] || !value || /^null$/i.test(value.text) || PASSWORD_HASH.test(value.text)) return;
      // A stored procedure's `VALUES (@Name, @Password)`: the caller's value, not one written here.
      if (value.bare && PARAMETER.test(value.text)) return;
      // A password column holding 32/40/64 hex digits holds a digest (MD5, SHA-1, SHA-256), not the password.
      if (/pass|pwd/i.test(column) && /^([a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{64})$/i.test(value.text)) return;
      out.push({ path: [`${table}#${row + 1}`, column], value: value.text, line: lineOf(value.lineStarts[0]!) });
    });
  });
  return out;
}

export default defineScanner({
  id: 'sql-seed',
  description: 'SQL seed data: Nacos config exports (config_info) read as the YAML/properties they hold, credential and connection columns of other inserts, passwords of the accounts a script creates',
  files: ['*.sql'],
  keywords: /insert\s+into|identified\s|\spassword\s+'/i,
  scan: scanNacosExport,
});
