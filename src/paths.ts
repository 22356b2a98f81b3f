/**
 * What a file's path says about its scope: main code, tests, examples, docs or deployment.
 * The profile a path names is in ./profiles.ts.
 */
import type { Scope } from './result-model.js';

const DOC_DIRS = new Set(['docs', 'doc', 'documentation']);
const EXAMPLE_DIRS = new Set(['example', 'examples', 'sample', 'samples', 'demo', 'demos', 'quickstart']);
const TEST_DIRS = new Set(['test', 'tests', '__tests__', 'spec', 'specs', 'testing', 'e2e', 'it', 'testdata', 'fixtures', 'mocks', '__mocks__', 'test-resources']);
/**
 * A folder named for a kind of test (`integration-tests`, `playwright_tests`, `e2e-tests`, `tests_api`, `unittests`),
 * or a .NET test project (`Ordering.UnitTests`, `Catalog.FunctionalTests`).
 */
const COMPOUND_TEST_DIR = /^[a-z0-9]+[-_](tests?|e2e)$|^(tests?|e2e)[-_][a-z0-9]+$|^(unit|integration|functional|acceptance|system|regression|smoke|api)tests?$|^[a-z0-9.]+\.(unit|integration|functional|acceptance)?tests?$/;
const DEPLOY_DIRS = new Set(['deploy', 'deployment', 'deployments', 'k8s', 'kubernetes', 'helm', 'charts', 'manifests', 'ansible', 'terraform', 'kustomize', 'overlays', 'docker', 'ops', 'devops']);

/**
 * The folders a path is filed in, without a JVM source tree's package directories: under `src/main/java/` the
 * directories are a package name (`com/example/demo` is Spring Initializr's default for an app's own code), not an
 * examples folder.
 */
function folders(dirs: string[]): string[] {
  const root = dirs.findIndex((d, i) => i >= 2 && dirs[i - 2] === 'src' && /^(java|kotlin|scala|groovy)$/.test(d));
  return root < 0 ? dirs : dirs.slice(0, root + 1);
}

export function scopeFromPath(path: string, scannerScope?: Scope): Scope {
  const segments = path.toLowerCase().split('/');
  const name = segments[segments.length - 1]!;
  const dirs = segments.slice(0, -1);
  // A GitHub wiki is checked out as `wiki/` at the root; deeper, `wiki` is as often an app's own package (a Django
  // `kitsune/wiki/` app with its views and tests).
  const docs = dirs.some((d) => DOC_DIRS.has(d)) || dirs[0] === 'wiki';
  if (/\.(md|markdown|rst|adoc|txt)$/.test(name)) return 'docs';
  const example = folders(dirs).some((d) => EXAMPLE_DIRS.has(d)) || /[._-](example|sample|template|dist|tmpl|tpl)([._-]|$)/.test(name);
  const test = isTestPath(path);
  if (docs && !test) return 'docs';
  if (example) return 'example';
  if (test) return 'test';
  if (scannerScope === 'deploy' || dirs.some((d) => DEPLOY_DIRS.has(d)) || /^(dockerfile|jenkinsfile|docker-compose|compose)/.test(name) || /\.tf$/.test(name)) return 'deploy';
  return 'main';
}

/**
 * A file in a test folder, or named for a test or a suite (`smoke-tests.js`, `api_e2e.py`, `FooTest.java`, xUnit's
 * `FooTests.cs`, the `tests.py` module Django's `startapp` writes into every app, a Rust crate's `tests.rs`).
 */
export function isTestPath(path: string): boolean {
  const segments = path.toLowerCase().split('/');
  const name = segments[segments.length - 1]!;
  const stem = name.replace(/\.[^.]+$/, '');
  // `application-test.yml` is a profile, not a test.
  return segments.slice(0, -1).some((d) => TEST_DIRS.has(d) || COMPOUND_TEST_DIR.test(d)) || /^[a-z0-9]+[-_](tests|e2e)$/.test(stem)
    || /(^test_|_test\.|\.test\.|\.spec\.|tests?\.(java|kt|cs)$|^tests?\.(py|rs)$)/.test(name);
}

/**
 * A script that fills a database with rows (Prisma's `prisma/seed.ts`, Rails' `db/seeds.rb`, Laravel's
 * `database/seeders/`, EF Core's `CatalogContextSeed.cs`, a Cypress `seed-data.js`): its URLs are data, not endpoints.
 */
export function isSeedScript(path: string): boolean {
  const segments = path.toLowerCase().split('/');
  const stem = segments[segments.length - 1]!.replace(/\.[^.]+$/, '');
  return segments.slice(0, -1).some((d) => /^seed(s|ers?|ing)?$/.test(d)) || /(^|[-_.])seeds?([-_.]|$)|seed(er|ers|ing|data)?$/.test(stem);
}

const LOCALE_DIRS = new Set(['locale', 'locales', 'i18n', 'l10n', 'lang', 'langs', 'language', 'languages', 'translations']);
/**
 * A file named by a language and region, script or area tag as BCP 47 writes them (`de-DE.ini`, `zh_CN.json`,
 * `zh-Hans.json`, `es-419.yml`, Joomla's `en-GB.com_users.ini`, Leantime's `de-DE-inf.ini`). The region is upper case:
 * a lower-case pair (`db-dev.yml`) is no tag.
 */
const LOCALE_TAG_NAME = /^[a-z]{2,3}[-_](?:[A-Z]{2}|[A-Z][a-z]{3}|\d{3})(?:[-_.]|$)/;

/**
 * A translation file (`locales/zh-CN.js`, `i18n/en.json`, `lang/de.yml`, `app/Language/cs-CZ.ini`, one named by its
 * locale anywhere, or one module of them all, `i18n.js`, `translations.ts`): its `password: 'Password'` / `'密码'`
 * are labels a user interface shows, not credentials. Token formats are still looked for there.
 */
export function isLocaleFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const segments = path.toLowerCase().split('/');
  const stem = segments[segments.length - 1]!.replace(/\.[^.]+$/, '');
  return segments.slice(0, -1).some((d) => LOCALE_DIRS.has(d)) || LOCALE_DIRS.has(stem) || RESOURCE_BUNDLE.test(segments[segments.length - 1]!)
    || LOCALE_TAG_NAME.test(name);
}

/**
 * A Java resource bundle of messages, as Spring's `MessageSource` and `ResourceBundle` name them: `messages.properties`,
 * `messages_en.properties`, `ValidationMessages_zh_CN.properties`, `message_en.properties`.
 */
const RESOURCE_BUNDLE = /^\w*messages?(_[a-z]{2,3}(_[a-z]{2,4})?)?\.properties$/;

/**
 * Folders of data a test loads (Rails, Django and Cypress fixtures, recorded HTTP cassettes, Jest's `__mocks__`
 * modules a test swaps in for real ones, Mock Service Worker's `src/mocks/` handlers and a front end's
 * `mocks-server/`): rows, payloads and the routes a fake server answers, not configuration.
 */
const FIXTURE_DIRS = new Set(['fixtures', '__fixtures__', '__mocks__', 'mocks', 'mock-server', 'mocks-server', 'mock_server', 'cassettes', 'vcr_cassettes']);

/**
 * A file of test data: what it holds is fed to the code under test (LABELLING's settled call), so no format scanner
 * reads it for connections or key-named secrets; the token search still runs, since a live key is leaked wherever it
 * is committed.
 */
export function isTestFixture(path: string): boolean {
  return path.toLowerCase().split('/').slice(0, -1).some((d) => FIXTURE_DIRS.has(d));
}

/** Folders a project keeps other projects' code in (`lib/simplepie/`, Kanboard's `libs/picodb/`, `third_party/x/`). */
const VENDOR_PARENTS = new Set(['lib', 'libs', 'third_party', 'thirdparty', 'third-party', '3rdparty', 'external', 'externals', 'extern', 'deps']);
/** A licence file by the names projects give it (`LICENSE`, `LICENSE.txt`, `LICENCE.md`, `COPYING`). */
const LICENCE_FILE = /^(licen[cs]e|copying)([.-][a-z0-9.-]{0,20})?$/i;

/**
 * The folders that are a copy of another project: below a folder for other projects' code, a folder with a licence
 * file of its own (or REUSE's `LICENSES/` folder). A project's own code does not carry a licence per folder; a library
 * copied in whole (FreshRSS's `lib/simplepie/simplepie/`, Kanboard's `libs/swiftmailer/`) does, and its tests and
 * defaults are that library's, not the app's connections. Outermost folders only, sorted.
 */
export function vendoredCopies(paths: readonly string[]): string[] {
  const copies = new Set<string>();
  for (const p of paths) {
    const segments = p.split('/');
    const name = segments[segments.length - 1]!;
    const inReuseFolder = segments.length >= 3 && segments[segments.length - 2] === 'LICENSES';
    if (!LICENCE_FILE.test(name) && !inReuseFolder) continue;
    const dir = segments.slice(0, inReuseFolder ? -2 : -1);
    if (dir.slice(0, -1).some((d) => VENDOR_PARENTS.has(d.toLowerCase()))) copies.add(dir.join('/'));
  }
  // A copy inside another (`lib/a/` holding `lib/a/vendor/b/`) is part of it: looked up by its ancestors, so a tree of
  // many licence files costs its depth per folder, not the number of folders.
  const nested = (dir: string): boolean => {
    for (let slash = dir.indexOf('/'); slash > 0; slash = dir.indexOf('/', slash + 1)) if (copies.has(dir.slice(0, slash))) return true;
    return false;
  };
  return [...copies].filter((dir) => !nested(dir)).sort();
}
