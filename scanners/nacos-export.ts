/**
 * NacosExportScanner: Nacos config-centre contents committed as SQL, the `config_info` inserts a
 * project ships to seed its Nacos database (`INSERT INTO config_info (…, data_id, …, content, …) VALUES
 * (…, 'order-service-dev.yml', …, 'spring:\n  redis:\n    host: …', …)`). Each content is the YAML or
 * properties an app loads at start-up: it is read as that format (by its data id's extension, else the
 * `type` column), and every finding is placed on the SQL line its content line sits on.
 */
import { defineScanner, type ScanOutput, type SourceFile } from '../src/scanner.js';
import { profileFromPath } from '../src/profiles.js';
import { lineLocator } from '../src/text.js';
import { scanPropertiesText } from './java-properties.js';
import { scanSpringYamlText } from './spring-yaml.js';

/** The head of an insert into config_info, with its column list. */
const INSERT = /insert\s+into\s+[`"[]?(?:\w+[`"\]]?\.[`"[]?)?config_info[`"\]]?\s*\(([^)]*)\)\s*values\s*/gi;

/** One SQL value of a VALUES tuple: its text (strings unescaped) and, per text line, the source offset it starts at. */
interface SqlValue {
  text: string;
  lineStarts: number[];
}

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
        const start = i;
        while (i < sql.length && sql[i] !== ',' && sql[i] !== ')') i++;
        tuple.push({ text: sql.slice(start, i).trim(), lineStarts: [start] });
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
  for (const m of file.text.matchAll(INSERT)) {
    const columns = m[1]!.split(',').map((c) => c.trim().replace(/[`"[\]]/g, '').toLowerCase());
    const dataIdAt = columns.indexOf('data_id');
    const contentAt = columns.indexOf('content');
    const typeAt = columns.indexOf('type');
    if (dataIdAt < 0 || contentAt < 0) continue;
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
  return out;
}

export default defineScanner({
  id: 'nacos-export',
  description: 'Nacos config exports committed as SQL (config_info inserts): each content read as the YAML or properties it is',
  files: ['*.sql'],
  keywords: /config_info/i,
  scan: scanNacosExport,
});
