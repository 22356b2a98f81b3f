/**
 * BicepScanner: Azure Bicep templates (`*.bicep`), the infrastructure files .NET shops deploy Container Apps, App
 * Services and databases with. Read line by line into settings — Bicep's grammar is small and each of these is one
 * line:
 *   param sqlAdministratorLoginPassword string = 'Pass@word'   → setting sqlAdministratorLoginPassword (a secret)
 *   var redisHost = 'cache.internal'                            → setting redisHost
 *   { name: 'IdentityUrl'                                       → an app's environment variable, as Kubernetes'
 *     value: 'https://identity-api.${domain}' }                   `env:` is read: setting IdentityUrl
 *   output ordersDb string = 'Server=tcp:${sqlServer},1433;…'   → setting ordersDb
 * `${name}` interpolation takes a parameter's or variable's value; any other expression stays an unresolved lookup, so
 * an address built from a deployment's outputs has no host rather than an invented one.
 */
import { profileFromPath } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretWithDefinitions } from '../src/settings.js';

/** One single-quoted Bicep string on a line, with `\'` escapes. */
const STRING = String.raw`'((?:[^'\\]|\\.)*)'`;
const DECLARATION = new RegExp(String.raw`^\s*(param|var|output)\s+([A-Za-z_]\w*)(?:\s+[A-Za-z]\w*)?\s*=\s*${STRING}\s*$`);
const NAME = new RegExp(String.raw`^\s*name:\s*${STRING}\s*$`);
const VALUE = new RegExp(String.raw`^\s*value:\s*${STRING}\s*$`);

function unescape(text: string): string {
  return text.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c);
}

export function scanBicep(file: SourceFile): ScanOutput {
  const lines = file.text.split('\n');
  // `${name}` stays a lookup the interpreter resolves from the declarations (so a password is reported where it is
  // declared, not again where it is used); any other expression (`${uniqueString(seed)}`,
  // `${environment().suffixes.sqlServerHostname}`) is a value only the deployment knows.
  const interpolate = (text: string) => text.replace(/\$\{([^{}]*)\}/g, (_m, expr: string) => `\${${expr.trim().replace(/[^\w.-]/g, '_')}}`);
  const declarations = new Map<string, Setting>();
  const settings: Setting[] = [];
  let pendingName: { name: string; line: number } | null = null;
  lines.forEach((text, i) => {
    const declared = DECLARATION.exec(text);
    if (declared) {
      const [, what, name, raw] = declared as unknown as [string, string, string, string];
      // An output URL says where what the template deployed answers (`output uri string = 'https://${app.properties
      // .defaultHostName}'`): the deployment's own address, not one an app is configured to call.
      if (what === 'output' && /^https?:\/\//i.test(raw)) return;
      const setting: Setting = { path: [name], value: interpolate(unescape(raw)), line: i + 1 };
      if (what !== 'output') declarations.set(name, setting);
      settings.push(setting);
      return;
    }
    const named = NAME.exec(text);
    if (named) {
      pendingName = { name: unescape(named[1]!), line: i + 1 };
      return;
    }
    const valued = VALUE.exec(text);
    // `value:` within a few lines of its `name:`, in the same `{ … }`.
    if (valued && pendingName !== null && i + 1 - pendingName.line <= 3) {
      settings.push({ path: [pendingName.name], value: interpolate(unescape(valued[1]!)), line: i + 1 });
      pendingName = null;
    }
  });
  // A parameter or variable the template uses elsewhere (`${redisHost}:6380`, `administratorLoginPassword: sqlAdminPassword`)
  // is a definition: its connection is reported where it is used, its secret where it is declared.
  const used = new Set<string>();
  for (const text of lines) {
    for (const m of text.matchAll(/\$\{\s*([A-Za-z_]\w*)\s*\}/g)) used.add(m[1]!);
    const property = /^\s*[A-Za-z_]\w*:\s*([A-Za-z_]\w*)\s*$/.exec(text);
    if (property) used.add(property[1]!);
  }
  for (const [name, setting] of declarations) if (used.has(name)) setting.definition = true;
  const definitions = new Map([...declarations].map(([name, s]) => [name, s.value]));
  return interpretWithDefinitions(settings, { profile: profileFromPath(file.path), definitions }).interpretation;
}

export default defineScanner({
  id: 'bicep',
  description: 'Azure Bicep templates: parameter and variable defaults, outputs, container environment name/value pairs',
  files: ['*.bicep'],
  scope: 'deploy',
  scan: scanBicep,
});
