/**
 * DockerComposeScanner: `docker-compose*.yml` / `compose*.yml`. A service whose image is
 * a known product (mysql, redis, kafka…) is a resource the stack runs, reported at its
 * service name, and it joins the repository's service map under that name, `container_name`,
 * `hostname` and network aliases (src/service-map.ts), so that an app naming it anywhere gets
 * its product and port. The other services' `environment` and `command`
 * are read like any settings; `depends_on`/`links` only order start-up.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { defaultPort, kindFromImage, ONLY_PORTS } from '../src/catalog/index.js';
import { profileFromEnvironment, profileFromPath } from '../src/profiles.js';
import type { Finding, Kind } from '../src/result-model.js';
import { commandLineSettings, defineScanner, resourceFindings, type ScanOutput, type ServiceDefinition, type Setting, type SourceFile } from '../src/scanner.js';
import type { SecretCandidate } from '../src/secrets/detect.js';
import { interpretSettings } from '../src/settings.js';
import { resolveValue } from '../src/values.js';
import { getIn, getInMerged, mapPairs, parseYaml, scalarAt, type YamlDocument } from './formats/yaml.js';
import { scanShellScript } from './shell-script.js';

interface ComposeService {
  name: string;
  node: Node;
  /** Where the service is defined: its `image:` line (LABELLING.md's definition site; `ports:` is the alternative), else its key. */
  keyLine: number;
  kind: Kind | null;
  env: Setting[];
}

/** `command: /bin/true`, `true`, `["true"]`, `echo …`: a command that ends as soon as it starts. */
function isNoOpCommand(command: Node | undefined): boolean {
  const words = isScalar(command) ? String(command.value ?? '').trim().split(/\s+/)
    : isSeq(command) ? command.items.map((i) => (isScalar(i) ? String(i.value ?? '') : '')) : [];
  return /^(\/bin\/|\/usr\/bin\/)?(true|echo)$/.test(words[0] ?? '');
}

/**
 * A product's image run as that product's own client against another service (`mysql:8` with `command: bash -c "mysql -h
 * mysql -uroot -p… -e 'CREATE DATABASE grafana'"`, a `postgres` image running `psql -h db`): a one-off job, not a
 * server. Its command is read as a shell script (scanners/shell-script.ts) at the command's lines; null when the command
 * connects nowhere, and the service is the product it runs.
 */
function clientJob(service: Node, y: YamlDocument): ScanOutput | null {
  const command = getInMerged(service, ['command'], y) ?? getInMerged(service, ['entrypoint'], y);
  const text = isScalar(command) ? String(command.value ?? '') : isSeq(command) ? command.items.map((i) => (isScalar(i) ? String(i.value ?? '') : '')).join(' ') : '';
  if (!command || !/\s-h\s*\S|--host[=\s]/.test(text)) return null;
  const read = scanShellScript({ path: 'command.sh', text });
  if (read.findings.length === 0) return null;
  // A block scalar's text starts on the line after its `>-`; a flow scalar on its own line.
  const first = y.line(command) + (isScalar(command) && /^BLOCK/.test(String(command.type)) ? 1 : 0) - 1;
  return {
    findings: read.findings.map((f) => ({ ...f, line: f.line + first })),
    secrets: (read.secrets ?? []).map((c) => ({ ...c, line: c.line + first })),
  };
}

function environmentOf(service: Node, y: YamlDocument): Setting[] {
  const env = getInMerged(service, ['environment'], y);
  const out: Setting[] = [];
  if (isMap(env)) {
    for (const pair of mapPairs(env, y)) {
      const key = pair.key;
      if (!isScalar(key)) continue;
      const value = pair.value;
      out.push({ path: [String(key.value)], value: value && isScalar(value) && value.value != null ? String(value.value) : '', line: y.line(key) });
    }
  } else if (isSeq(env)) {
    for (const item of env.items as Node[]) {
      if (!isScalar(item)) continue;
      const text = String(item.value);
      const eq = text.indexOf('=');
      // `- KEY` without a value passes the variable through from the shell
      out.push({ path: [eq < 0 ? text : text.slice(0, eq)], value: eq < 0 ? `\${${text}}` : text.slice(eq + 1), line: y.line(item) });
    }
  }
  return out;
}

/**
 * Command-line properties in the environment (`PARAMS: --spring.datasource.url=…`, `JAVA_OPTS: -D…`) and in
 * `command:` become settings of their own: they configure the app as much as its environment does.
 */
function withArguments(env: Setting[], service: Node, y: YamlDocument, lines: readonly string[]): Setting[] {
  const out = [...env];
  for (const e of env) out.push(...commandLineSettings(e.value, e.line, lines));
  const command = getInMerged(service, ['command'], y);
  const parts = isSeq(command) ? (command.items as Node[]).filter(isScalar) : isScalar(command) ? [command] : [];
  for (const part of parts) out.push(...commandLineSettings(String(part.value), y.line(part), lines));
  return out;
}

/** The container port the service listens on: the image's default if published, else the first one. */
export function containerPort(service: Node, kind: Kind): number | null {
  const ports = getIn(service, ['ports']);
  const found: number[] = [];
  if (isSeq(ports)) {
    for (const p of ports.items as Node[]) {
      if (isScalar(p)) {
        const target = String(p.value).split('/')[0]!.split(':').pop()!;
        if (/^\d+$/.test(target)) found.push(Number(target));
      } else if (isMap(p)) {
        const target = scalarAt(p, ['target']);
        if (target && /^\d+$/.test(target)) found.push(Number(target));
      }
    }
  }
  const def = defaultPort(kind);
  if (def !== null && (found.length === 0 || found.includes(def))) return def;
  // A product served only on known ports publishes others for its UI (a mail catcher's web page on 8025): those are
  // not where the app connects, and which one it does is not written.
  const served = ONLY_PORTS[kind];
  if (served) return found.find((p) => served.has(p)) ?? null;
  return found[0] ?? def;
}

function envValue(env: readonly Setting[], pattern: RegExp): Setting | undefined {
  return env.find((s) => pattern.test(s.path[0]!));
}

/** The names a service answers to on the stack's networks: its key, `container_name`, `hostname`, network `aliases`. */
function namesOf(s: ComposeService, y: YamlDocument): string[] {
  const names = [s.name];
  for (const field of ['container_name', 'hostname']) {
    const v = getInMerged(s.node, [field], y);
    if (isScalar(v) && v.value != null) names.push(String(v.value));
  }
  const networks = getInMerged(s.node, ['networks'], y);
  if (isMap(networks)) {
    for (const pair of mapPairs(networks, y)) {
      const aliases = pair.value ? getInMerged(pair.value, ['aliases'], y) : undefined;
      if (isSeq(aliases)) for (const a of aliases.items) if (isScalar(a) && a.value != null) names.push(String(a.value));
    }
  }
  return [...new Set(names.filter((n) => /^[a-z0-9][a-z0-9_.-]*$/i.test(n)))];
}

/** A container of a product's image the stack runs (a compose or CI service), as it is written. */
export interface ProductService {
  kind: Kind;
  host: string;
  port: number | null;
  /** The container's environment: the server's own database, user and passwords (`POSTGRES_PASSWORD`). */
  env: readonly Setting[];
  line: number;
  profile: string | null;
  definitions?: ReadonlyMap<string, string>;
}

/** The resource a product's container is, with the database, user and passwords its environment sets up. */
export function productServiceFindings(s: ProductService): { findings: Finding[]; secrets: SecretCandidate[] } {
  const db = envValue(s.env, /(_DB|_DATABASE|_DBNAME|_DB_NAME|_VHOST|DEFAULT_VHOST)$/i);
  const user = envValue(s.env, /(_USER|_USERNAME|_DEFAULT_USER)$/i);
  // The server's own passwords (MYSQL_ROOT_PASSWORD=…) are credentials of this resource.
  // So is the password its command sets (Redis's `--requirepass`, read as `redis.requirepass`), and an object store's
  // secret key (MinIO's legacy `MINIO_SECRET_KEY`, RustFS's `RUSTFS_SECRET_KEY`).
  const passwordEnv = s.env.filter((e) => /(PASSWORD|_PASS|_PWD|_SECRET_KEY)$/i.test(e.path[0]!) || /^(requirepass|masterauth)$/.test(e.path[e.path.length - 1]!));
  return resourceFindings({
    kind: s.kind, endpoints: [{ host: s.host, port: s.port }],
    database: db ? resolveValue(db.value).text : null, username: user ? resolveValue(user.value).text : null,
    passwords: passwordEnv.map((e) => ({ value: e.value, line: e.line })), url: null, line: s.line, profile: s.profile,
    valueSource: 'literal', confidence: 0.9, ...(s.definitions ? { definitions: s.definitions } : {}),
  });
}

/** `parsed`: the file's documents when a caller has parsed them already (yaml-config, deciding that it is a Compose file). */
export function scanCompose(file: SourceFile, parsed = parseYaml(file.text)): ScanOutput {
  const lines = file.text.split('\n');
  const profile = profileFromPath(file.path);
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  const serviceDefinitions: ServiceDefinition[] = [];
  for (const y of parsed.documents) {
    const root = y.doc.contents;
    const servicesNode = getIn(root, ['services']) ?? root;
    if (!isMap(servicesNode)) continue;
    const services: ComposeService[] = [];
    for (const pair of servicesNode.items) {
      const key = pair.key as Node;
      const node = pair.value as Node;
      if (!isScalar(key) || !isMap(node)) continue;
      const imageNode = getInMerged(node, ['image'], y);
      const image = isScalar(imageNode) && imageNode.value != null ? String(imageNode.value) : null;
      // A service built from this repository is one of its apps, whatever its image is called (`xxl-job-admin`), unless
      // it is named for a product, one word, and its image names the same one: the project's own build of it
      // (`postgres:` built as `<project>_production_postgres`, a Dockerfile `FROM postgres` with backup scripts added).
      const built = getInMerged(node, ['build'], y) !== undefined;
      const product = image ? kindFromImage(image) : null;
      // One word (`postgres`), or a project's name and then the product (`jeecg-boot-mysql`, `mall-redis`), never a
      // product's own app (`xxl-job-admin` is xxl-job's, built here as the app it is).
      const serviceName = String(key.value);
      const lastWordKind = kindFromImage(serviceName.split(/[-_]/).pop()!);
      const named = /^[a-z0-9]+$/i.test(serviceName) ? kindFromImage(serviceName) : lastWordKind === kindFromImage(serviceName) ? lastWordKind : null;
      // Built, or extending another file's service (`postgres: extends: { file: docker-compose.yml, service: postgres }`),
      // with no image named here: the service's one-word name is all this file says of it.
      const extended = getInMerged(node, ['extends'], y) !== undefined;
      let kind = !built && (image !== null || !extended) ? product : named !== null && (product === named || image === null) ? named : null;
      const env = withArguments(environmentOf(node, y), node, y, lines);
      // A service built here, or extending another with no image of its own, whose environment points it at a database
      // (`test_mysql:` with `DATABASE_HOST: mysql`, `squidex_mysql:` extending the app's base service with a connection
      // string to `db_mysql`) is the app, run against that product, not the product's own build.
      if ((built || extended) && kind !== null && kind === named && image === null && interpretSettings(env, { profile }).findings.length > 0) kind = null;
      // A data-volume container (`mysqldata:` with `command: /bin/true`) exits at once: it holds files, it serves nothing.
      if (kind !== null && isNoOpCommand(getInMerged(node, ['command'], y))) continue;
      const job = kind !== null ? clientJob(node, y) : null;
      if (job) {
        findings.push(...job.findings);
        secrets.push(...(job.secrets ?? []));
        kind = null;
      }
      services.push({ name: String(key.value), node, keyLine: imageNode ? y.line(imageNode) : y.line(key), kind, env });
    }
    for (const s of services) {
      if (s.kind) {
        serviceDefinitions.push({ names: namesOf(s, y), kind: s.kind, port: containerPort(s.node, s.kind) });
        const read = productServiceFindings({
          kind: s.kind, host: s.name.toLowerCase(), port: containerPort(s.node, s.kind), env: s.env, line: s.keyLine, profile,
          ...(file.definitions ? { definitions: file.definitions } : {}),
        });
        findings.push(...read.findings);
        secrets.push(...read.secrets);
        continue;
      }
      // Any service is a host on the stack's network (`http://checkout:5050`): it joins the map without a product.
      const ownNames = namesOf(s, y);
      serviceDefinitions.push({ names: ownNames, kind: null, port: null });
      // A service built here is the app of this directory; an image-only service names an app of a deploy repo.
      const appHint = getIn(s.node, ['build']) === undefined ? s.name : undefined;
      const serviceProfile = profileFromEnvironment(s.env) ?? profile;
      // `${VAR}` in compose is interpolated from the shell and the .env beside it.
      const interpreted = interpretSettings(s.env, { profile: serviceProfile, definitions: file.definitions, ...(appHint ? { appHint } : {}) });
      // `REMARK_URL=http://remark42-adminedit:8082` in the environment of the service `remark42-adminedit`: the address
      // the service is reached at (its links, its OAuth callbacks), named by the service itself, not one it calls.
      const own = new Set(ownNames.map((n) => n.toLowerCase()));
      const fromEnv = interpreted.findings.filter((f) => f.host === null || !own.has(f.host.toLowerCase()));
      findings.push(...fromEnv);
      secrets.push(...interpreted.secrets);
      // `depends_on:` and `links:` say which services start together, not what the app connects to: the
      // connection is where the app's configuration names the host (its environment above, or its own config files).
    }
  }
  const out: ScanOutput = { findings, secrets, ...(serviceDefinitions.length > 0 ? { services: serviceDefinitions } : {}) };
  if (parsed.errors.length > 0) out.error = { reason: 'parse-error', detail: `invalid YAML: ${parsed.errors[0]}` };
  return out;
}

export default defineScanner({
  id: 'docker-compose',
  description: 'docker-compose services: resource images, environment and command (incl. --spring.* arguments)',
  // `docker compose -f` takes any name: a variant kept as `docker-compose.postgres` (no extension) is one too.
  files: ['docker-compose*.yml', 'docker-compose*.yaml', 'compose.yml', 'compose.yaml', 'compose.*.yml', 'compose.*.yaml', 'docker-compose.+([a-zA-Z0-9_-])'],
  excludeFiles: ['docker-compose.@(md|txt|rst|sh|ps1|bat|json|env|bak|orig|lock)'],
  alwaysScan: true,
  scope: 'deploy',
  scan: (file: SourceFile) => scanCompose(file),
});
