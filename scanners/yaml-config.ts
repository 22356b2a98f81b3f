/**
 * YamlConfigScanner: every other YAML file. Kubernetes manifests are read by kind —
 * workload container `env`, ConfigMap `data` (including embedded application.yml /
 * .properties files), Secret `data` (base64, decoded) and `stringData`; a workload whose
 * image is a known product is itself a resource, and joins the service map. Everything else (Helm `values*.yaml`,
 * Rails `database.yml`, app config) is read as settings, split by top-level environment
 * keys (`production:`) into profiles; an Ansible playbook's plays by their `vars:`; Envoy's bootstrap by its clusters.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { defaultPort, kindFromImage, kindOfActiveStorageService } from '../src/catalog/index.js';
import { profileFromPath, profileFromEnvironment, splitByEnvironment } from '../src/profiles.js';
import { defineScanner, resourceFindings, type ScanOutput, type ServiceDefinition, type SourceFile, type Setting } from '../src/scanner.js';
import { interpretSettings, type Interpretation } from '../src/settings.js';
import type { Finding } from '../src/result-model.js';
import type { SecretCandidate } from '../src/secrets/detect.js';
import { scanCompose } from './docker-compose.js';
import { scanPropertiesText } from './java-properties.js';
import { isNginxText, scanNginxText } from './nginx.js';
import { flattenYaml, getIn, parseYaml, scalarAt, type YamlDocument } from './formats/yaml.js';
import { scanSpringYamlText } from './spring-yaml.js';

const WORKLOAD_PODSPEC: Record<string, Array<string | number>> = {
  Deployment: ['spec', 'template', 'spec'], StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'], ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'], CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
  Pod: ['spec'], DeploymentConfig: ['spec', 'template', 'spec'],
};

function containerEnv(container: Node, y: YamlDocument): Setting[] {
  const env = getIn(container, ['env']);
  const out: Setting[] = [];
  if (!isSeq(env)) return out;
  for (const item of env.items as Node[]) {
    const name = scalarAt(item, ['name']);
    if (!name) continue;
    const valueNode = getIn(item, ['value']) as Node | undefined;
    const value = scalarAt(item, ['value']);
    // valueFrom (secretKeyRef, configMapKeyRef) is set by the cluster: present, but not in this file.
    out.push({ path: [name], value: value ?? (getIn(item, ['valueFrom']) ? `\${${name}}` : ''), line: y.line(valueNode ?? (item as Node)) });
  }
  return out;
}

/** The names a workload's pods are reached by: its own name and the `app` labels its Service selects on. */
function workloadNames(root: Node, podSpecPath: ReadonlyArray<string | number>): string[] {
  const template = podSpecPath.slice(0, -1);
  const names = [scalarAt(root, ['metadata', 'name']), scalarAt(root, [...template, 'metadata', 'labels', 'app']),
    scalarAt(root, [...template, 'metadata', 'labels', 'app.kubernetes.io/name'])];
  return [...new Set(names.filter((n): n is string => n !== null && /^[a-z0-9][a-z0-9.-]*$/i.test(n)))];
}

function workloadFindings(root: Node, kind: string, y: YamlDocument, profile: string | null, services: ServiceDefinition[]): Interpretation {
  const name = scalarAt(root, ['metadata', 'name']) ?? undefined;
  const podSpec = getIn(root, WORKLOAD_PODSPEC[kind]!);
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  for (const list of ['initContainers', 'containers']) {
    const containers = getIn(podSpec, [list]);
    if (!isSeq(containers)) continue;
    for (const c of containers.items as Node[]) {
      const image = scalarAt(c, ['image']);
      const imageKind = image ? kindFromImage(image) : null;
      if (imageKind && name) {
        // A workload of a product's image is a resource the cluster runs, and joins the service map (src/service-map.ts).
        const portNode = getIn(c, ['ports', 0, 'containerPort']);
        const port = isScalar(portNode) ? Number(portNode.value) : defaultPort(imageKind);
        services.push({ names: workloadNames(root, WORKLOAD_PODSPEC[kind]!), kind: imageKind, port });
        // The server's own passwords (`POSTGRES_PASSWORD`) are credentials of this resource, as in a compose file.
        const env = containerEnv(c, y);
        secrets.push(...resourceFindings({
          kind: imageKind, endpoints: [], database: null, username: null, url: null, line: y.line(getIn(c, ['image']) as Node), profile,
          passwords: env.filter((e) => /(PASSWORD|_PASS|_PWD)$/i.test(e.path[0]!)).map((e) => ({ value: e.value, line: e.line })),
          valueSource: 'literal', confidence: 0.8,
        }).secrets);
        findings.push({
          kind: imageKind, host: name.toLowerCase(), port, database: null, username: null, hasPassword: false,
          passwordHardcoded: false, url: null, line: y.line(getIn(c, ['image']) as Node), profile, valueSource: 'literal', confidence: 0.8,
        });
        continue;
      }
      const env = containerEnv(c, y);
      const interpreted = interpretSettings(env, { profile: profileFromEnvironment(env) ?? profile, ...(name ? { appHint: name } : {}) });
      findings.push(...interpreted.findings);
      secrets.push(...interpreted.secrets);
    }
  }
  return { findings, secrets };
}

/** ConfigMap/Secret data: plain keys are settings; keys that are whole config files are scanned as those files. */
function dataFindings(root: Node, y: YamlDocument, profile: string | null, base64: boolean): Interpretation {
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  const settings: Setting[] = [];
  for (const field of base64 ? ['data', 'stringData'] : ['data']) {
    const data = getIn(root, [field]);
    if (!isMap(data)) continue;
    const decode = base64 && field === 'data';
    for (const pair of data.items) {
      const key = pair.key as Node;
      const valueNode = pair.value as Node;
      if (!isScalar(key) || !isScalar(valueNode)) continue;
      const keyText = String(key.value);
      let value = valueNode.value == null ? '' : String(valueNode.value);
      // `{{ .Values.db.password | b64enc }}` (a lookup once the template is read): the chart fills this in when it is
      // rendered; decoding the template text as base64 would report bytes no one wrote.
      if (decode && /\{\{|\$\{/.test(value)) continue;
      if (decode) value = Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8');
      // A block scalar's text starts on the line after its key.
      const offset = y.line(valueNode) - (valueNode.type === 'BLOCK_LITERAL' || valueNode.type === 'BLOCK_FOLDED' ? 0 : 1);
      const line = decode ? y.line(valueNode) : offset;
      if (/[.-]ya?ml$/i.test(keyText) && !decode && value.includes('static_resources:')) {
        // An Envoy bootstrap mounted from the ConfigMap (`envoy.yaml: |`): its clusters' endpoints, as a file's are.
        for (const doc of parseYaml(value, offset).documents) {
          const embeddedRoot = doc.doc.contents;
          if (isMap(embeddedRoot)) findings.push(...interpretSettings(envoyUpstreams(embeddedRoot, doc), { profile }).findings);
        }
      } else if (/[.-]ya?ml$/i.test(keyText)) {
        const embedded = scanSpringYamlText(value, keyText, decode ? 0 : offset);
        findings.push(...embedded.findings.map((f) => (decode ? { ...f, line } : f)));
        secrets.push(...(embedded.secrets ?? []).map((c) => (decode ? { ...c, line } : c)));
      } else if (/\.properties$/i.test(keyText)) {
        const embedded = scanPropertiesText(value, keyText, decode ? 0 : offset);
        findings.push(...embedded.findings.map((f) => (decode ? { ...f, line } : f)));
        secrets.push(...(embedded.secrets ?? []).map((c) => (decode ? { ...c, line } : c)));
      } else if (/\.conf(\.template)?$/i.test(keyText) && isNginxText(value)) {
        // An nginx config mounted from the ConfigMap (`default.conf: |`).
        const embedded = scanNginxText(value, keyText, decode ? 0 : offset);
        findings.push(...embedded.findings.map((f) => (decode ? { ...f, line } : f)));
      } else {
        settings.push({ path: [keyText], value, line: y.line(key) });
      }
    }
  }
  const interpreted = interpretSettings(settings, { profile });
  findings.push(...interpreted.findings);
  secrets.push(...interpreted.secrets);
  return { findings: findings.map((f) => ({ ...f, profile: f.profile ?? profile })), secrets };
}

/** Kustomize `configMapGenerator`/`secretGenerator` `literals: [KEY=VALUE]` are environment settings. */
function kustomizeLiterals(root: Node, y: YamlDocument): Setting[] | null {
  const out: Setting[] = [];
  let found = false;
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    const generators = getIn(root, [field]);
    if (!isSeq(generators)) continue;
    found = true;
    for (const g of generators.items as Node[]) {
      const literals = getIn(g, ['literals']);
      if (!isSeq(literals)) continue;
      for (const item of literals.items as Node[]) {
        if (!isScalar(item)) continue;
        const text = String(item.value);
        const eq = text.indexOf('=');
        if (eq > 0) out.push({ path: [text.slice(0, eq)], value: text.slice(eq + 1), line: y.line(item) });
      }
    }
  }
  return found ? out : null;
}

/**
 * A cassette of recorded HTTP exchanges (VCR.py `interactions:`, Ruby VCR `http_interactions:`, each with its
 * `request:`) is what a test replays instead of the network: test data, not a service the app is configured to call.
 * Tokens in a recorded response are still found (the token search reads every file).
 */
function isRecordedHttp(root: Node): boolean {
  const exchanges = getIn(root, ['interactions']) ?? getIn(root, ['http_interactions']);
  return isSeq(exchanges) && exchanges.items.length > 0 && (exchanges.items as Node[]).every((i) => isMap(getIn(i, ['request'])));
}

/**
 * Dapr (dapr.io/v1alpha1): a `Component` says what it is in `spec.type` (`state.redis`, `pubsub.rabbitmq`,
 * `bindings.smtp`) and how to reach it in `spec.metadata`, a list of `{name, value}` pairs (`redisHost: redis:6379`,
 * `host: amqp://rabbitmq:5672`) — read as settings under the type, whose product word names the kind; a `secretKeyRef`
 * has no value here. A `Configuration` is read as plain settings (`spec.tracing.zipkin.endpointAddress`).
 */
function daprFindings(root: Node, kind: string, y: YamlDocument, profile: string | null): Interpretation {
  if (kind === 'Configuration') return interpretSettings(flattenYaml(getIn(root, ['spec']) as Node, y, ['spec']), { profile });
  if (kind !== 'Component') return { findings: [], secrets: [] };
  const type = scalarAt(root, ['spec', 'type']);
  const metadata = getIn(root, ['spec', 'metadata']);
  if (!type || !isSeq(metadata)) return { findings: [], secrets: [] };
  const settings: Setting[] = [];
  for (const item of metadata.items as Node[]) {
    const name = scalarAt(item, ['name']);
    const valueNode = getIn(item, ['value']);
    if (!name || !isScalar(valueNode) || valueNode.value == null) continue;
    settings.push({ path: [...type.split('.'), name], value: String(valueNode.value), line: y.line(valueNode) });
  }
  return interpretSettings(settings, { profile });
}

/**
 * A Compose file is known by its shape as well as its name: `services:` whose entries each run an `image:` or a
 * `build:` (a Swarm `docker-stack.yml`, per-scenario `deploy/mysql-nacos.yml` files an e2e suite starts with
 * `docker compose -f`). Kubernetes and Dapr documents have `apiVersion`/`kind` and never this shape.
 */
function isComposeShaped(root: Node): boolean {
  const services = getIn(root, ['services']);
  if (!isMap(services) || services.items.length === 0 || getIn(root, ['apiVersion']) !== undefined) return false;
  // A service may take its image from an `x-` block (`<<: *defaults`) or another file (`extends:`).
  const runs = (service: Node, keys: string[]) => keys.some((k) => getIn(service, [k]) !== undefined);
  return services.items.every((pair) => isMap(pair.value) && runs(pair.value as Node, ['image', 'build', '<<', 'extends']))
    && services.items.some((pair) => runs(pair.value as Node, ['image', 'build']));
}

/**
 * A config file kept as a block of text under a key (Helm values' `config: |` holding the app's application.yml,
 * a chart's `application.properties: |`): read as that file, at its own lines. At least two `key: value` or
 * `key=value` lines, or it is prose.
 */
function embeddedConfig(setting: Setting, path: string): ScanOutput | null {
  if (!setting.value.includes('\n')) return null;
  const lines = setting.value.split('\n').filter((l) => l.trim() !== '' && !/^\s*#/.test(l));
  const name = `${path}#${setting.path.join('.')}`;
  if (lines.length >= 2 && /^[\w.-]+:(\s|$)/.test(lines[0]!) && lines.filter((l) => /^\s*[\w.-]+:(\s|$)/.test(l)).length >= 2) {
    return scanSpringYamlText(setting.value, name, setting.line);
  }
  if (lines.length >= 2 && lines.filter((l) => /^[\w.-]+\s*=/.test(l)).length >= 2) return scanPropertiesText(setting.value, name, setting.line);
  return null;
}

/**
 * Envoy's bootstrap config: each cluster under `static_resources.clusters` is an upstream the proxy sends to, its
 * endpoints' `socket_address` (`load_assignment.endpoints[].lb_endpoints[].endpoint.address`, or the older
 * `hosts[]`) an address and a port, at the address's line; a `${HOST}` an envsubst template fills in is an upstream
 * whose host is not written here. Listeners are the proxy's own addresses.
 */
function envoyUpstreams(root: Node, y: YamlDocument): Setting[] {
  const out: Setting[] = [];
  const clusters = getIn(root, ['static_resources', 'clusters']);
  if (!isSeq(clusters)) return out;
  (clusters.items as Node[]).forEach((cluster, c) => {
    const addresses: Node[] = [];
    const endpoints = getIn(cluster, ['load_assignment', 'endpoints']);
    for (const group of isSeq(endpoints) ? endpoints.items as Node[] : []) {
      const lb = getIn(group, ['lb_endpoints']);
      for (const e of isSeq(lb) ? lb.items as Node[] : []) addresses.push(getIn(e, ['endpoint', 'address', 'socket_address']) as Node);
    }
    const hosts = getIn(cluster, ['hosts']);
    for (const h of isSeq(hosts) ? hosts.items as Node[] : []) addresses.push(getIn(h, ['socket_address']) as Node);
    addresses.forEach((socket, n) => {
      const address = scalarAt(socket, ['address']);
      if (!address) return;
      const port = scalarAt(socket, ['port_value']);
      out.push({ path: ['envoy', 'upstream', `cluster${c}_${n}`, 'url'], value: `http://${address}${port ? `:${port}` : ''}`, line: y.line(getIn(socket, ['address']) as Node) });
    });
  });
  return out;
}

/**
 * An Ansible playbook is a list of plays; a play's `vars:` are the settings its tasks run with
 * (`ansible_ssh_password`, `mysql_root_password`, a `db_host`), read as any other settings. Tasks are commands.
 */
function playbookVars(root: Node): Node[] {
  if (!isSeq(root)) return [];
  return (root.items as Node[]).filter((play) => isMap(play) && (getIn(play, ['hosts']) !== undefined || getIn(play, ['tasks']) !== undefined))
    .map((play) => getIn(play, ['vars']) as Node | undefined).filter((vars): vars is Node => isMap(vars));
}

/**
 * Rails Active Storage's services (`config/storage.yml`: `amazon: { service: S3, … }`, `microsoft: { service:
 * AzureStorage, … }`): each names the object store the app keeps its files in, its account and container read from
 * the environment or the credentials file. One with no address the settings gave is reported at its `service:` line.
 */
function activeStorageServices(settings: Setting[], found: Finding[], profile: string | null): Finding[] {
  const out: Finding[] = [];
  for (const s of settings) {
    const kind = s.path.length === 2 && s.path[1] === 'service' ? kindOfActiveStorageService(s.value.trim()) : null;
    if (kind === null) continue;
    const lines = settings.filter((o) => o.path[0] === s.path[0]).map((o) => o.line);
    if (found.some((f) => f.kind === kind && lines.includes(f.line))) continue;
    out.push(...resourceFindings({
      kind, endpoints: [], database: null, username: null, passwords: [], url: null, line: s.line, profile,
      valueSource: 'placeholder', confidence: 0.7,
    }).findings);
  }
  return out;
}

export function scanYamlConfig(file: SourceFile): ScanOutput {
  const isTemplate = file.text.includes('{{');
  const parsed = parseYaml(file.text);
  const first = parsed.documents[0]?.doc.contents;
  if (parsed.documents.length === 1 && first && isMap(first) && isComposeShaped(first)) return { ...scanCompose(file, parsed), scope: 'deploy' };
  if (parsed.errors.length > 0 && isTemplate && parsed.documents.length === 0) {
    return { findings: [], error: { reason: 'template', detail: 'Go/Jinja template, not YAML until rendered' } };
  }
  const profile = profileFromPath(file.path);
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  const add = (i: Interpretation) => {
    findings.push(...i.findings);
    secrets.push(...i.secrets);
  };
  let isDeployment = false; // Kubernetes manifests, a proxy's config: the file's scope is deploy
  const services: ServiceDefinition[] = [];
  for (const y of parsed.documents) {
    const root = y.doc.contents;
    if (isSeq(root)) {
      for (const vars of playbookVars(root)) add(interpretSettings(flattenYaml(vars, y), { profile, definitions: file.definitions }));
      continue;
    }
    if (!isMap(root)) continue;
    // An OpenAPI/Swagger document describes the API this app serves, not what it connects to.
    if (scalarAt(root, ['openapi']) !== null || scalarAt(root, ['swagger']) !== null) continue;
    if (isRecordedHttp(root)) continue;
    const generated = kustomizeLiterals(root, y);
    if (generated) {
      isDeployment = true;
      add(interpretSettings(generated, { profile: profileFromEnvironment(generated) ?? profile }));
      continue;
    }
    if (isMap(getIn(root, ['static_resources']))) {
      isDeployment = true; // a proxy's config is deployment, as a manifest is
      add(interpretSettings(envoyUpstreams(root, y), { profile, definitions: file.definitions }));
      continue;
    }
    const apiVersion = scalarAt(root, ['apiVersion']);
    const kind = scalarAt(root, ['kind']);
    if (apiVersion && kind && /^dapr\.io\//.test(apiVersion)) {
      add(daprFindings(root, kind, y, profile));
      continue;
    }
    if (apiVersion && kind) {
      isDeployment = true;
      if (kind in WORKLOAD_PODSPEC) add(workloadFindings(root, kind, y, profile, services));
      else if (kind === 'ConfigMap') add(dataFindings(root, y, profile, false));
      else if (kind === 'Secret') add(dataFindings(root, y, profile, true));
      continue;
    }
    const plain: Setting[] = [];
    for (const setting of flattenYaml(root, y)) {
      const embedded = embeddedConfig(setting, file.path);
      if (embedded) add({ findings: embedded.findings, secrets: embedded.secrets ?? [] });
      else plain.push(setting);
    }
    const before = findings.length;
    for (const part of splitByEnvironment(plain)) {
      // `${VAR}` in an app's own YAML (a collector or proxy config the compose file mounts) reads the app's definitions.
      add(interpretSettings(part.settings, { profile: part.profile ?? profile, definitions: file.definitions }));
    }
    if (/(^|\/)storage\.ya?ml$/.test(file.path)) findings.push(...activeStorageServices(plain, findings.slice(before), profile));
  }
  const out: ScanOutput = { findings, secrets, ...(services.length > 0 ? { services } : {}) };
  const helmValues = /(^|\/)values[^/]*\.ya?ml$/i.test(file.path);
  if (isDeployment || helmValues) out.scope = 'deploy';
  if (parsed.errors.length > 0) {
    out.error = isTemplate
      ? { reason: 'template', detail: `template not parsed as YAML: ${parsed.errors[0]}` }
      : { reason: 'parse-error', detail: `invalid YAML: ${parsed.errors[0]}` };
  }
  return out;
}

export default defineScanner({
  id: 'yaml-config',
  description: 'Kubernetes manifests (env, ConfigMap, Secret), Helm values and other YAML config',
  files: ['*.yml', '*.yaml'],
  excludeFiles: [
    '.github/**', '.gitlab-ci.yml', '.travis.yml', '.circleci/**', 'mkdocs.yml', '.pre-commit-config.yaml',
    'pnpm-lock.yaml', '*openapi*.y*ml', '*swagger*.y*ml', 'Chart.yaml', '.golangci.y*ml', 'codecov.y*ml',
    'dependabot.y*ml', '.readthedocs.y*ml', 'environment.y*ml', '**/locales/**', '**/i18n/**', 'pubspec.yaml',
    // Static-site generators' configs (Hugo, Jekyll; MkDocs above): the docs site's own address, not the app's.
    'hugo.y*ml', '_config.y*ml', '**/config/_default/**',
  ],
  scan: scanYamlConfig,
});
