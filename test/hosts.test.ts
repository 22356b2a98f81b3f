import { describe, expect, it } from 'vitest';
import { hostVerdict, isLocalHost, isPlausibleHostText, isReportableHost, namedWithinRepository, resolvesOnlyInRepository } from '../src/hosts.js';

describe('host verdicts', () => {
  it('names what a host value is', () => {
    const cases: Array<[string, boolean, ReturnType<typeof hostVerdict>]> = [
      ['10.20.1.5', false, 'ok'], ['redis-cmdb.prod.internal', false, 'ok'], ['db', false, 'ok'], ['db', true, 'invalid'],
      ['your-db-host', false, 'placeholder'], ['fake:3000', false, 'placeholder'], ['fakeredis', false, 'ok'], ['yourendpoint', false, 'placeholder'], ['you-endpoint', false, 'placeholder'], ['xx.ai', false, 'placeholder'], ['xxx.com', true, 'placeholder'], ['xxl-job-admin', false, 'ok'], ['<redis-host>', false, 'placeholder'], ['[host]', false, 'placeholder'],
      ['0.0.0.0', false, 'wildcard'], ['::', false, 'wildcard'], ['*', false, 'wildcard'],
      ['www.w3.org', false, 'non-resource'], ['api.example.com', false, 'non-resource'],
      ['tab.gettabs(', false, 'invalid'], ['-bad', false, 'invalid'], ['bookmarks', true, 'invalid'], ['localhost', true, 'ok'],
    ];
    for (const [host, strict, verdict] of cases) expect([host, strict, hostVerdict(host, { strict })]).toEqual([host, strict, verdict]);
  });
  it('leaves a name under no public top-level domain to the service map, unless it is an internal or Kubernetes short name', () => {
    const judged = (host: string) => [host, resolvesOnlyInRepository(host)];
    for (const host of ['media.shop.admin', 'cdn.acme.sample']) expect(judged(host)).toEqual([host, true]);
    for (const host of ['files.shop.dev', 'oss-cn-hangzhou.aliyuncs.com', 'redis.cache', 'kafka-0.kafka-headless', 'db.prod.internal',
      'orders.shop.svc', 'postgres.default.svc.cluster.local', 'host.docker.internal', '10.0.0.12', 'redis']) expect(judged(host)).toEqual([host, false]);
  });
  it('tells a name that means one resource everywhere from one that means something only in its repository', () => {
    const withinRepository = ['redis', 'db', 'mysql-master', 'redis.cache', 'kafka-0.kafka-headless', 'mongo-0.db.svc', 'localhost', '127.0.0.1', '::1', 'host.docker.internal', 'gin.vue.admin'];
    const global = ['10.20.1.5', '192.168.3.101', 'fd00::5', 'db.acme.com', 'rm-bp1.mysql.rds.aliyuncs.com', 'redis.prod.internal', 'kafka.corp', 'pay-mysql.db.svc.cluster.local', 'vault.service.consul', 'db.acme.com.'];
    expect(withinRepository.filter((h) => !namedWithinRepository(h, false))).toEqual([]);
    expect(global.filter((h) => namedWithinRepository(h, false))).toEqual([]);
    // No host at all, or a database inside the app, is the app's own.
    expect([namedWithinRepository(null, false), namedWithinRepository('10.20.1.5', true)]).toEqual([true, true]);
  });

  it('reports strictly, reads raw text leniently, and knows this machine', () => {
    expect(isReportableHost('cache')).toBe(false);
    expect(isReportableHost('cache.acme.internal')).toBe(true);
    expect(isPlausibleHostText('db.acme.internal:3306')).toBe(true);
    expect(['none', 'changeme', '8080', 'hostname', 'my_host'].map(isPlausibleHostText)).toEqual([false, false, false, false, false]);
    expect(['127.0.0.1', 'localhost', 'host.docker.internal', '10.0.0.1', null].map(isLocalHost)).toEqual([true, true, true, false, false]);
  });
});
