import { describe, expect, it } from 'vitest';
import { isLocalHost } from '../src/hosts.js';
import { resolveValue } from '../src/values.js';
import { createKeywordFilter, resolveKeywords, DEFAULT_KEYWORDS } from '../src/keywords.js';
import { profileFromPath } from '../src/profiles.js';
import { scopeFromPath } from '../src/paths.js';

describe('resolveValue', () => {
  it('uses Spring and shell defaults and calls them env-default', () => {
    expect(resolveValue('${DB_HOST:10.0.0.1}')).toEqual({ text: '10.0.0.1', source: 'env-default' });
    expect(resolveValue('${DB_HOST:-db.internal}:${DB_PORT:-3306}')).toEqual({ text: 'db.internal:3306', source: 'env-default' });
    expect(resolveValue('${NACOS:nacos1:8848,nacos2:8848}')).toEqual({ text: 'nacos1:8848,nacos2:8848', source: 'env-default' });
    expect(resolveValue('${A:${B:inner}}')).toEqual({ text: 'inner', source: 'env-default' });
  });
  it('leaves lookups without a default unresolved', () => {
    expect(resolveValue('${DB_URL}')).toEqual({ text: null, source: 'placeholder' });
    expect(resolveValue('$(REDIS_HOST)')).toEqual({ text: null, source: 'placeholder' });
    expect(resolveValue('{{ .Values.db.host }}')).toEqual({ text: null, source: 'placeholder' });
    expect(resolveValue('jdbc:mysql://${DB_HOST}:3306/app')).toEqual({ text: 'jdbc:mysql://${DB_HOST}:3306/app', source: 'placeholder' });
  });
  it('takes no message or alternate value for a default, and reads the Collector\'s ${env:VAR} as a lookup', () => {
    for (const raw of ['${DB_HOST?must be set}', '${DB_HOST:?DB_HOST is required}', '${DB_HOST:+db.internal}', '${DB_HOST+x}', '${env:OTEL_COLLECTOR_HOST}']) {
      expect(resolveValue(raw), raw).toEqual({ text: null, source: 'placeholder' });
    }
    expect(resolveValue('http://${env:COLLECTOR_HOST}:${env:COLLECTOR_PORT}/v1')).toEqual({ text: 'http://${COLLECTOR_HOST}:${COLLECTOR_PORT}/v1', source: 'placeholder' });
    expect(resolveValue('${env:COLLECTOR_HOST:-otel.internal}')).toEqual({ text: 'otel.internal', source: 'env-default' });
    // A Spring key named env keeps its default.
    expect(resolveValue('${env:local}')).toEqual({ text: 'local', source: 'env-default' });
    expect(resolveValue('${CACHE_URL:-}')).toEqual({ text: '', source: 'env-default' });
  });
  it('resolves references through definitions, keeping how the definition was written', () => {
    const defs = new Map([['db.host', '10.1.1.1'], ['db.port', '${PORT:3307}'], ['loop', '${loop}']]);
    const lookup = (k: string) => defs.get(k);
    expect(resolveValue('jdbc:mysql://${db.host}/x', lookup)).toEqual({ text: 'jdbc:mysql://10.1.1.1/x', source: 'literal' });
    expect(resolveValue('${db.host}:${db.port}', lookup)).toEqual({ text: '10.1.1.1:3307', source: 'env-default' });
    expect(resolveValue('${loop}', lookup).source).toBe('placeholder');
  });
  it('treats literals as literals', () => {
    expect(resolveValue(' redis.internal ')).toEqual({ text: 'redis.internal', source: 'literal' });
  });
  it('knows loopback hosts', () => {
    expect(['localhost', '127.0.0.1', '127.1.2.3', '::1'].every(isLocalHost)).toBe(true);
    expect(isLocalHost('10.0.0.1')).toBe(false);
  });
});

describe('keywords', () => {
  it('edits or replaces the default list', () => {
    expect(resolveKeywords('+tidb,-oss')).toContain('tidb');
    expect(resolveKeywords('+tidb,-oss')).not.toContain('oss');
    expect(resolveKeywords('tidb,polardb')).toEqual(['tidb', 'polardb']);
    expect(resolveKeywords(undefined)).toEqual([...DEFAULT_KEYWORDS]);
  });
  it('matches short keywords only as whole tokens', () => {
    const f = createKeywordFilter(['oss', 's3']);
    expect(f.test('aliyun.oss.endpoint=x')).toBe(true);
    expect(f.test('AWS_S3_BUCKET=x')).toBe(true);
    expect(f.test('class Loss extends Base')).toBe(false);
    expect(f.test('uses3d')).toBe(false);
  });
});

describe('paths', () => {
  it('decides scope from the path', () => {
    expect(scopeFromPath('src/main/resources/application.yml')).toBe('main');
    expect(scopeFromPath('src/test/resources/application.yml')).toBe('test');
    expect(scopeFromPath('docs/setup/application.yml')).toBe('docs');
    expect(scopeFromPath('.env.example')).toBe('example');
    // A package named for a domain (Spring Initializr's com.example.demo) is the app's own code; an examples module is not.
    expect(scopeFromPath('src/main/java/com/example/demo/OrderClient.java')).toBe('main');
    expect(scopeFromPath('src/test/java/com/example/demo/OrderClientTest.java')).toBe('test');
    expect(scopeFromPath('examples/billing/src/main/java/org/acme/billing/App.java')).toBe('example');
    expect(scopeFromPath('examples/k8s/deployment.yaml', 'deploy')).toBe('example');
    expect(scopeFromPath('deploy/values.yaml')).toBe('deploy');
    expect(scopeFromPath('docker-compose.yml')).toBe('deploy');
    // A test is a test wherever its package is; `wiki` is documentation only as a checked-out GitHub wiki at the root.
    expect(scopeFromPath('docs/tests/test_build.py')).toBe('test');
    expect(scopeFromPath('kitsune/wiki/tests/test_views.py')).toBe('test');
    expect(scopeFromPath('kitsune/wiki/views.py')).toBe('main');
    expect(scopeFromPath('wiki/Setup.yml')).toBe('docs');
    expect(scopeFromPath('playwright_tests/messages/homepage.py')).toBe('test');
    expect(scopeFromPath('integration-tests/docker-compose.yml')).toBe('test');
    expect(scopeFromPath('contest/app.py')).toBe('main');
    expect(scopeFromPath('.github/workflows/scripts/smoke-tests.js')).toBe('test');
    expect(scopeFromPath('src/main/resources/application-test.properties')).toBe('main');
    // xUnit's and NUnit's convention names a C# test class for what it tests, in a project folder of any name.
    expect(scopeFromPath('unit/DownstreamUrlCreator/DownstreamUrlCreatorMiddlewareTests.cs')).toBe('test');
    expect(scopeFromPath('src/Gateway/Middleware/DownstreamUrlCreatorMiddleware.cs')).toBe('main');
  });
  it('reads the profile from the file name and environment folders', () => {
    expect(profileFromPath('src/main/resources/application-prod.yml')).toBe('prod');
    expect(profileFromPath('bootstrap-dev.properties')).toBe('dev');
    expect(profileFromPath('.env.staging')).toBe('staging');
    expect(profileFromPath('.env.example')).toBeNull();
    expect(profileFromPath('appsettings.Production.json')).toBe('production');
    expect(profileFromPath('charts/app/values-uat.yaml')).toBe('uat');
    expect(profileFromPath('config/production.json')).toBe('production');
    expect(profileFromPath('k8s/overlays/prod/secret.yaml')).toBe('prod');
    expect(profileFromPath('src/main/resources/application.yml')).toBeNull();
  });
});
