/**
 * CiConfigScanner: the services a CI job starts beside its tests and the environment that points the tests at
 * them — GitHub Actions workflows (`jobs.<id>.services.<name>` with `image`, `ports`, `env`; workflow, job,
 * container and step `env`), Woodpecker and Drone pipelines (`steps`/`services` with `image` and `environment`),
 * `.gitlab-ci.yml` (`services:` as image strings or `{name, alias, variables}`, at the
 * top, under `default:` or in a job; `variables:`) and `.travis.yml` (`services: [mysql, redis]`, `addons:
 * postgresql`, `env:` as `KEY=value` words). A service of a product's image is a resource the repository runs, as
 * a compose service is: reported at its name (or alias) with the product's port, and it joins the service map
 * under that name. The environment is read as settings, so `DATABASE_URL: postgres://…@localhost/test` and
 * `POSTGRES_PASSWORD: postgres` are what they are anywhere. Everything here is scope deploy. A GitHub Actions step's
 * `run:` script (and a composite action's, `.github/actions/<name>/action.yml`) is read as a shell script at its
 * lines (scanners/shell-script.ts); actions' `with:` inputs are not read (a reusable workflow's are: they are its
 * environment); `${{ secrets.X }}` and `$VAR` are lookups, not values.
 */
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { defaultPort, kindFromImage } from '../src/catalog/index.js';
import { profileFromPath } from '../src/profiles.js';
import type { Finding, Kind } from '../src/result-model.js';
import { defineScanner, type ScanOutput, type ServiceDefinition, type Setting, type SourceFile } from '../src/scanner.js';
import type { SecretCandidate } from '../src/secrets/detect.js';
import { interpretSettings } from '../src/settings.js';
import { containerPort, productServiceFindings } from './docker-compose.js';
import { scanShellScript } from './shell-script.js';
import { getInMerged, mapPairs, parseYaml, type YamlDocument } from './formats/yaml.js';

/** A CI service as written: the image that names its product, the names jobs reach it by, its own environment. */
interface CiService {
  image: string;
  names: string[];
  /** The node that may hold `ports:` (a GitHub Actions service). */
  node?: Node;
  env: Setting[];
  line: number;
}

/**
 * `${{ secrets.DB_URL }}`, `${{ vars.X }}`, `${{ env.X }}`, `${{ matrix.db }}`: GitHub's expressions are lookups,
 * written here as `${NAME}` so the shared placeholder rules (src/values.ts) treat them as such.
 */
function githubLookups(value: string): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_, expr: string) => `\${${/([A-Za-z_][\w-]*)\s*$/.exec(expr)?.[1] ?? 'expression'}}`);
}

function scalarText(node: Node | null | undefined): string | null {
  return isScalar(node) && node.value !== null && node.value !== undefined ? String(node.value) : null;
}

/**
 * An environment block as settings: a map (`KEY: value`; GitLab's `KEY: {value, description}`), or a list of
 * `KEY=value` words (Travis `env:`, `env: {global: […]}`); a Travis `secure:` entry is an encrypted value, not one.
 */
function envSettings(node: Node | null | undefined, y: YamlDocument): Setting[] {
  const out: Setting[] = [];
  if (isMap(node)) {
    for (const pair of mapPairs(node, y)) {
      const key = scalarText(pair.key);
      // Travis `- secure: "…"` is a value encrypted for CI, readable by no one else.
      if (key === null || key === 'secure') continue;
      if (isMap(pair.value)) {
        const value = getInMerged(pair.value, ['value'], y);
        const text = scalarText(value);
        if (text !== null) out.push({ path: [key], value: githubLookups(text), line: y.line(value) });
        // Travis `env: {global: […], jobs: […]}`
        else if (/^(global|jobs|matrix)$/.test(key)) out.push(...envSettings(pair.value, y));
        continue;
      }
      if (isSeq(pair.value) && /^(global|jobs|matrix)$/.test(key)) {
        out.push(...envSettings(pair.value, y));
        continue;
      }
      const text = pair.value === null ? '' : scalarText(pair.value);
      if (text !== null) out.push({ path: [key], value: githubLookups(text), line: y.line(pair.value ?? pair.key) });
    }
  } else if (isSeq(node)) {
    for (const item of node.items as Node[]) {
      if (isScalar(item)) out.push(...wordSettings(String(item.value), y.line(item)));
      else if (isMap(item) || isSeq(item)) out.push(...envSettings(item, y));
    }
  } else if (isScalar(node)) {
    out.push(...wordSettings(String(node.value ?? ''), y.line(node)));
  }
  return out;
}

/** `A=1 B="two words"`: a Travis env entry, shell words of `KEY=value`. */
function wordSettings(text: string, line: number): Setting[] {
  const out: Setting[] = [];
  for (const m of text.matchAll(/(?:^|\s)([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S*)/g)) {
    out.push({ path: [m[1]!], value: m[2]!.replace(/^(["'])(.*)\1$/, '$2'), line });
  }
  return out;
}

/** A step's `run:` script and the file line its first line is on. */
interface StepScript {
  text: string;
  line: number;
}

/**
 * A step's `run:` as written: a literal block (`run: |`) starts on the line after its key, a one-line script on the
 * key's own; a folded block (`>`) joins its lines, so no line of it can be told, and it is left. Actions expressions
 * (`${{ secrets.TOKEN }}`) are filled in before the shell runs: here they become the shell lookups they stand for.
 */
function stepScript(node: Node | null | undefined, y: YamlDocument): StepScript | null {
  if (!isScalar(node) || typeof node.value !== 'string' || node.type === 'BLOCK_FOLDED') return null;
  const text = node.value.replace(/\$\{\{\s*([^{}]*?)\s*\}\}/g, (_m, expr: string) => `\${${expr.replace(/[^\w]/g, '_')}}`);
  return { text, line: y.line(node) + (node.type === 'BLOCK_LITERAL' ? 1 : 0) };
}

/**
 * GitHub Actions: `jobs.<id>.services.<name>`, every `env:` a job's steps run with, and its steps' `run:` scripts
 * (a composite action's `runs.steps` too).
 */
function githubWorkflow(root: Node, y: YamlDocument, services: CiService[], env: Setting[], scripts: StepScript[]): void {
  env.push(...envSettings(getInMerged(root, ['env'], y), y));
  const readSteps = (steps: Node | null | undefined) => {
    if (!isSeq(steps)) return;
    for (const step of steps.items as Node[]) {
      env.push(...envSettings(getInMerged(step, ['env'], y), y));
      const script = stepScript(getInMerged(step, ['run'], y), y);
      if (script) scripts.push(script);
    }
  };
  readSteps(getInMerged(root, ['runs', 'steps'], y));
  const jobs = getInMerged(root, ['jobs'], y);
  if (!isMap(jobs)) return;
  for (const { value: job } of mapPairs(jobs, y)) {
    if (!isMap(job)) continue;
    env.push(...envSettings(getInMerged(job, ['env'], y), y));
    env.push(...envSettings(getInMerged(job, ['container', 'env'], y), y));
    // A job that calls a reusable workflow (`uses: ./.github/workflows/deploy.yml`) passes its `with:` inputs to it,
    // as the environment the called workflow's steps run with (`react_app_api_url: https://api.acme.io`).
    if (scalarText(getInMerged(job, ['uses'], y))) env.push(...envSettings(getInMerged(job, ['with'], y), y));
    readSteps(getInMerged(job, ['steps'], y));
    const declared = getInMerged(job, ['services'], y);
    if (!isMap(declared)) continue;
    for (const { key, value: service } of mapPairs(declared, y)) {
      const name = scalarText(key);
      const imageNode = getInMerged(service, ['image'], y);
      const image = scalarText(imageNode);
      if (name === null || image === null || !isMap(service)) continue;
      services.push({ image, names: [name], node: service, env: envSettings(getInMerged(service, ['env'], y), y), line: y.line(imageNode) });
    }
  }
}

/** Top-level keys of `.gitlab-ci.yml` that are not jobs. */
const GITLAB_GLOBAL = new Set(['stages', 'variables', 'image', 'services', 'include', 'workflow', 'before_script', 'after_script', 'cache', 'types', 'spec']);

/** The host names GitLab gives a service without an alias: its image path without the tag, `/` as `__` and as `-`. */
function gitlabDefaultNames(image: string): string[] {
  const path = image.split('@')[0]!.replace(/:[^/:]*$/, '');
  return [...new Set([path.replace(/\//g, '-'), path.replace(/\//g, '__')])];
}

function gitlabServices(node: Node | null | undefined, y: YamlDocument, jobEnv: Setting[], services: CiService[]): void {
  if (!isSeq(node)) return;
  for (const item of node.items as Node[]) {
    const imageNode = isMap(item) ? getInMerged(item, ['name'], y) : item;
    const image = scalarText(imageNode);
    if (image === null) continue;
    const alias = isMap(item) ? scalarText(getInMerged(item, ['alias'], y)) : null;
    // `alias: db,postgres` (GitLab 14.6+) gives several names.
    const aliases = alias ? alias.split(/[\s,]+/).filter(Boolean) : [];
    const own = isMap(item) ? envSettings(getInMerged(item, ['variables'], y), y) : [];
    // A job's variables are passed to every service it starts; those named for this one's image
    // (`POSTGRES_PASSWORD` for postgres, `ELASTIC_PASSWORD` for elasticsearch) set it up.
    const product = image.split('@')[0]!.split('/').pop()!.split(':')[0]!.toLowerCase();
    const forThis = jobEnv.filter((e) => product.startsWith(e.path[0]!.split('_')[0]!.toLowerCase()));
    services.push({ image, names: aliases.length > 0 ? aliases : gitlabDefaultNames(image), env: [...own, ...forThis], line: y.line(imageNode) });
  }
}

/** `.gitlab-ci.yml`: global and `default:` services and variables, then each job's. */
function gitlabCi(root: Node, y: YamlDocument, services: CiService[], env: Setting[]): void {
  if (!isMap(root)) return;
  const globalEnv = envSettings(getInMerged(root, ['variables'], y), y);
  env.push(...globalEnv);
  gitlabServices(getInMerged(root, ['services'], y), y, globalEnv, services);
  for (const { key, value: job } of mapPairs(root, y)) {
    const name = scalarText(key);
    if (name === null || GITLAB_GLOBAL.has(name) || !isMap(job)) continue;
    const jobEnv = envSettings(getInMerged(job, ['variables'], y), y);
    env.push(...jobEnv);
    gitlabServices(getInMerged(job, ['services'], y), y, [...jobEnv, ...globalEnv], services);
  }
}

/** Travis service names that are not their product's image name. */
const TRAVIS_SERVICES: Record<string, string> = { 'redis-server': 'redis', postgresql: 'postgres' };

/** `.travis.yml`: `services:` and database `addons:` at the top and in `jobs.include` / `matrix.include` entries; `env:`. */
function travisCi(root: Node, y: YamlDocument, services: CiService[], env: Setting[]): void {
  const scopes: Node[] = [root];
  for (const list of [['jobs', 'include'], ['matrix', 'include']]) {
    const include = getInMerged(root, list, y);
    if (isSeq(include)) scopes.push(...(include.items as Node[]).filter((i) => isMap(i)));
  }
  for (const scope of scopes) {
    env.push(...envSettings(getInMerged(scope, ['env'], y), y));
    const declared = getInMerged(scope, ['services'], y);
    const names = isSeq(declared) ? (declared.items as Node[]) : isScalar(declared) ? [declared] : [];
    for (const n of names) {
      const name = scalarText(n);
      if (name !== null) services.push({ image: TRAVIS_SERVICES[name] ?? name, names: [name], env: [], line: y.line(n) });
    }
    const addons = getInMerged(scope, ['addons'], y);
    if (isMap(addons)) {
      for (const { key } of mapPairs(addons, y)) {
        const name = scalarText(key);
        if (name !== null && /^(postgresql|mariadb)$/.test(name)) services.push({ image: TRAVIS_SERVICES[name] ?? name, names: [name], env: [], line: y.line(key) });
      }
    }
  }
}

/**
 * Woodpecker's and Drone's container pipelines (`.woodpecker.yml`, `.woodpecker/*.yml`, `.drone.yml`): `steps` (and
 * Woodpecker's older `pipeline`) and `services`, as a map of named entries or a list of entries with a `name:`, each
 * running an `image` with an `environment`. A service of a product's image is one the pipeline starts; a step's
 * environment is read under the step's name, so each step's settings stay its own.
 */
function containerPipeline(root: Node, y: YamlDocument, services: CiService[], env: Setting[]): void {
  for (const section of ['steps', 'pipeline', 'services']) {
    const node = getInMerged(root, [section], y);
    const entries = isMap(node) ? mapPairs(node, y).map(({ key, value }) => ({ name: scalarText(key), value }))
      : isSeq(node) ? (node.items as Node[]).map((item) => ({ name: scalarText(getInMerged(item, ['name'], y)), value: item as Node | null })) : [];
    for (const { name, value } of entries) {
      if (!isMap(value) || name === null) continue;
      const own = envSettings(getInMerged(value, ['environment'], y), y);
      if (section !== 'services') {
        env.push(...own.map((setting) => ({ ...setting, path: [name, ...setting.path] })));
        continue;
      }
      const imageNode = getInMerged(value, ['image'], y);
      const image = scalarText(imageNode);
      if (image !== null) services.push({ image, names: [name], env: own, line: y.line(imageNode) });
    }
  }
}

/** File names of the container-pipeline CIs read by `containerPipeline`. */
const CONTAINER_PIPELINE = /(^|\/)(\.woodpecker\.ya?ml|\.woodpecker\/[^/]+\.ya?ml|\.drone\.ya?ml)$/;

export function scanCiConfig(file: SourceFile): ScanOutput {
  const parsed = parseYaml(file.text);
  const profile = profileFromPath(file.path);
  const name = file.path.slice(file.path.lastIndexOf('/') + 1);
  const read = name === '.travis.yml' ? travisCi : name === '.gitlab-ci.yml' ? gitlabCi : CONTAINER_PIPELINE.test(file.path) ? containerPipeline : githubWorkflow;
  const findings: Finding[] = [];
  const secrets: SecretCandidate[] = [];
  const definitions: ServiceDefinition[] = [];
  for (const y of parsed.documents) {
    const root = y.doc.contents;
    if (!isMap(root)) continue;
    const services: CiService[] = [];
    const env: Setting[] = [];
    const scripts: StepScript[] = [];
    read(root, y, services, env, scripts);
    // A step's script is a shell script at its lines: the clients it runs, the containers it starts, the APIs it calls.
    // Read alone and moved to the step's lines (not padded with the lines above: a file of many one-line steps would
    // cost the square of its length).
    for (const script of scripts) {
      const read = scanShellScript({ path: file.path, text: script.text });
      const shift = script.line - 1;
      findings.push(...read.findings.map((f) => ({ ...f, line: f.line + shift })));
      secrets.push(...(read.secrets ?? []).map((x) => ({ ...x, line: x.line + shift })));
    }
    for (const s of services) {
      const kind: Kind | null = kindFromImage(s.image);
      // A service of an image no product names (a wrapper such as `pgautoupgrade`) is still configured by its
      // environment: its `POSTGRES_PASSWORD` is a credential the pipeline runs with.
      if (kind === null) {
        env.push(...s.env);
        continue;
      }
      const port = s.node ? containerPort(s.node, kind) : defaultPort(kind);
      const names = [...new Set(s.names.map((n) => n.toLowerCase()).filter((n) => /^[a-z0-9][a-z0-9_.-]*$/.test(n)))];
      if (names.length === 0) continue;
      definitions.push({ names, kind, port });
      const resource = productServiceFindings({ kind, host: names[0]!, port, env: s.env, line: s.line, profile, ...(file.definitions ? { definitions: file.definitions } : {}) });
      findings.push(...resource.findings);
      secrets.push(...resource.secrets);
    }
    const interpreted = interpretSettings(env, { profile, definitions: file.definitions });
    findings.push(...interpreted.findings);
    secrets.push(...interpreted.secrets);
  }
  const out: ScanOutput = { findings, secrets, ...(definitions.length > 0 ? { services: definitions } : {}) };
  if (parsed.errors.length > 0) out.error = { reason: 'parse-error', detail: `invalid YAML: ${parsed.errors[0]}` };
  return out;
}

export default defineScanner({
  id: 'ci-config',
  description: 'CI service containers and job environment: GitHub Actions workflows, .gitlab-ci.yml, .travis.yml, Woodpecker and Drone pipelines',
  // Workflows kept in folders under `.github/workflows/` (GitHub runs only the top level, but a repository that files
  // its deploy workflows there still declares with them what its jobs call).
  files: [
    '.github/workflows/**/*.yml', '.github/workflows/**/*.yaml', '**/.github/workflows/**/*.yml', '**/.github/workflows/**/*.yaml', '.gitlab-ci.yml', '.travis.yml',
    '.woodpecker.yml', '.woodpecker.yaml', '.woodpecker/*.yml', '.woodpecker/*.yaml', '.drone.yml', '.drone.yaml',
    '.github/actions/**/action.yml', '.github/actions/**/action.yaml',
  ],
  // A service is named by its image alone (`services: [mysql]`), which no keyword need mention.
  alwaysScan: true,
  scope: 'deploy',
  scan: scanCiConfig,
});
