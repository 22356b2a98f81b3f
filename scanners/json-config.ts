/**
 * JsonConfigScanner: .NET `appsettings*.json` (`ConnectionStrings`), Node `config/*.json`
 * (node-config, Sequelize `config.json`), TypeORM `ormconfig.json` and similar. Parsed
 * with jsonc-parser, which reports offsets and accepts the comments and trailing commas
 * that appsettings files often have.
 */
import { profileFromPath, splitByEnvironment } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type SourceFile, type Setting } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import { lineLocator } from '../src/text.js';
import { vercelRewrites } from './formats/object.js';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import { onFirstUse } from '../src/on-first-use.js';

const jsonc = onFirstUse<typeof import('jsonc-parser')>('jsonc-parser');

function flattenJson(node: JsonNode, path: string[], at: (offset: number) => number, out: Setting[]): void {
  if (node.type === 'object') {
    for (const prop of node.children ?? []) {
      const [key, value] = prop.children ?? [];
      if (!key || !value) continue;
      // .NET binds `Section:Key` and `Section__Key` as nesting too
      flattenJson(value, [...path, ...String(key.value).split(/:|__/)], at, out);
    }
  } else if (node.type === 'array') {
    const items = node.children ?? [];
    const pairs = nameValuePairs(items);
    if (pairs) {
      for (const { name, value, valueFrom } of pairs) {
        // `valueFrom` (an ECS secret's ARN, a Kubernetes secretKeyRef) is filled in by the platform: present, but not here.
        if (value) flattenJson(value, [...path, name], at, out);
        else if (valueFrom) out.push({ path: [...path, name], value: `\${${name}}`, line: at(valueFrom.offset) });
      }
    } else if (items.every((i) => i.type !== 'object' && i.type !== 'array')) {
      if (items.length > 0) out.push({ path, value: items.map((i) => String(i.value ?? '')).join(','), line: at(items[0]!.offset) });
    } else {
      items.forEach((item, i) => flattenJson(item, [...path, String(i)], at, out));
    }
  } else {
    out.push({ path, value: node.value === null ? '' : String(node.value), line: at(node.offset) });
  }
}

/** A property's value node in a JSON object, by key. */
function propertyOf(node: JsonNode, key: string): JsonNode | undefined {
  return node.children?.find((p) => p.children?.[0]?.value === key)?.children?.[1];
}

/**
 * A list of `{ "name": …, "value": … }` objects is a map written as a list: an ECS task definition's container
 * `environment` and `secrets` (`valueFrom`), a Kubernetes manifest's `env` in JSON. Read as `NAME = value`, the way
 * the YAML readers read a pod's `env`, so that `INFLUXDB_URL` names its product.
 */
function nameValuePairs(items: JsonNode[]): Array<{ name: string; value?: JsonNode; valueFrom?: JsonNode }> | null {
  if (items.length === 0) return null;
  const pairs: Array<{ name: string; value?: JsonNode; valueFrom?: JsonNode }> = [];
  for (const item of items) {
    if (item.type !== 'object' || item.children?.length !== 2) return null;
    const name = propertyOf(item, 'name');
    const value = propertyOf(item, 'value');
    const valueFrom = propertyOf(item, 'valueFrom');
    if (name?.type !== 'string' || (!value && !valueFrom)) return null;
    pairs.push({ name: String(name.value), ...(value ? { value } : {}), ...(valueFrom ? { valueFrom } : {}) });
  }
  return pairs;
}

/**
 * .NET's `Properties/launchSettings.json`: each profile's `environmentVariables` are the environment `dotnet run` and
 * Visual Studio start the app with in development (connection strings, service URLs), read as `NAME = value`. The
 * profile's `applicationUrl` and `launchUrl` are where the app itself listens and the page a browser opens: not read.
 */
function launchProfiles(tree: JsonNode, at: (offset: number) => number): ScanOutput {
  const profiles = tree.type === 'object' ? propertyOf(tree, 'profiles') : undefined;
  const findings: ScanOutput['findings'] = [];
  const secrets: NonNullable<ScanOutput['secrets']> = [];
  for (const profile of profiles?.children ?? []) {
    const environment = profile.children?.[1] ? propertyOf(profile.children[1], 'environmentVariables') : undefined;
    if (environment?.type !== 'object') continue;
    const settings: Setting[] = [];
    flattenJson(environment, [], at, settings);
    const read = interpretSettings(settings, { profile: 'dev' });
    findings.push(...read.findings);
    secrets.push(...(read.secrets ?? []));
  }
  return { findings, secrets };
}

export function scanJsonConfig(file: SourceFile): ScanOutput {
  const errors: ParseError[] = [];
  const tree = jsonc().parseTree(file.text, errors, { allowTrailingComma: true, disallowComments: false });
  if (!tree || errors.length > 0) {
    const e = errors[0];
    const detail = e ? `invalid JSON at line ${lineLocator(file.text)(e.offset)}: ${jsonc().printParseErrorCode(e.error)}` : 'invalid JSON';
    if (!tree) return { findings: [], error: { reason: 'parse-error', detail } };
  }
  // An OpenAPI/Swagger document describes the API this app serves, not what it connects to.
  if (tree!.type === 'object' && (tree!.children ?? []).some((p) => ['openapi', 'swagger'].includes(String(p.children?.[0]?.value)))) return { findings: [] };
  if (/(^|\/)launchSettings\.json$/.test(file.path)) return launchProfiles(tree!, lineLocator(file.text));
  const flat: Setting[] = [];
  flattenJson(tree!, [], lineLocator(file.text), flat);
  const settings = /(^|\/)vercel\.json$/.test(file.path) ? vercelRewrites(flat) : flat;
  const fileProfile = profileFromPath(file.path);
  const parts = splitByEnvironment(settings).map((p) => interpretSettings(p.settings, { profile: p.profile ?? fileProfile }));
  const out: ScanOutput = { findings: parts.flatMap((p) => p.findings), secrets: parts.flatMap((p) => p.secrets) };
  if (errors.length > 0) out.error = { reason: 'parse-error', detail: `invalid JSON at line ${lineLocator(file.text)(errors[0]!.offset)}: ${jsonc().printParseErrorCode(errors[0]!.error)}` };
  return out;
}

export default defineScanner({
  id: 'json-config',
  description: '.NET appsettings*.json, Node config/*.json, ormconfig.json and other JSON config',
  files: [
    // .NET finds its settings file whatever its case on Windows, so `appSettings.json` is one too.
    '[aA]pp[sS]ettings*.json', 'config/**/*.json', 'conf/**/*.json', 'configs/**/*.json', 'settings*.json',
    'ormconfig.json', 'database.json', 'db.json', 'datasource*.json', 'connections.json', 'secrets.json',
    'config.json', 'local.settings.json', 'env.json', '.env.json',
    // .NET API gateways' route files (YARP `Clusters.*.Destinations.*.Address`, Ocelot `DownstreamHostAndPorts`).
    'yarp*.json', 'ocelot*.json',
    // A secret store kept as a file (Dapr's local file store, `app-secrets.json`): the credentials it serves.
    '*-secrets.json', '*_secrets.json', '*.secrets.json',
    // AWS ECS task definitions (`aws ecs register-task-definition --cli-input-json`, CodeDeploy's `taskdef.json`):
    // each container's `environment`.
    '*task-definition*.json', '*task_definition*.json', 'taskdef*.json',
    // Vercel's project config: its rewrites proxy paths to other servers.
    'vercel.json',
    // .NET's development launch profiles: the environment each starts the app with.
    'launchSettings.json',
  ],
  excludeFiles: ['package.json', 'package-lock.json', 'tsconfig*.json', 'jsconfig.json', '**/.vscode/**', 'composer.json', '*.schema.json', '**/locales/**', '**/i18n/**', 'hugo.json'],
  scan: scanJsonConfig,
});
