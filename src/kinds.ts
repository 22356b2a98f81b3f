/**
 * Knowledge about each kind of resource, as data: default ports, URL schemes, the words
 * that name it in configuration keys, driver classes and container images.
 * Scanners and the connection-string parser consult these tables; none of them
 * hard-codes a kind of its own.
 */
import type { Kind } from './model.js';

export const DEFAULT_PORTS: Partial<Record<Kind, number>> = {
  mysql: 3306, mariadb: 3306, postgresql: 5432, oracle: 1521, sqlserver: 1433, db2: 50000,
  dm: 5236, kingbase: 54321, oceanbase: 2881, clickhouse: 8123, doris: 9030, starrocks: 9030,
  hive: 10000, redis: 6379, memcached: 11211, mongodb: 27017, elasticsearch: 9200,
  cassandra: 9042, hbase: 2181, influxdb: 8086, neo4j: 7687, kafka: 9092, rocketmq: 9876,
  rabbitmq: 5672, activemq: 61616, mqtt: 1883, pulsar: 6650, nats: 4222, nacos: 8848,
  zookeeper: 2181, consul: 8500, etcd: 2379, apollo: 8080, eureka: 8761, minio: 9000,
  'xxl-job': 8080, ldap: 389, smtp: 25, ftp: 21,
};

/** URL scheme (lower case, before `://`) → kind. `tcp`/`ssl` are ambiguous and need a hint. */
export const SCHEME_KINDS: Record<string, Kind> = {
  mysql: 'mysql', mariadb: 'mariadb', postgres: 'postgresql', postgresql: 'postgresql',
  pgsql: 'postgresql', oracle: 'oracle', mssql: 'sqlserver', sqlserver: 'sqlserver',
  clickhouse: 'clickhouse', ch: 'clickhouse', redis: 'redis', rediss: 'redis',
  'redis-sentinel': 'redis', 'redis+sentinel': 'redis', sentinel: 'redis',
  memcached: 'memcached', mongodb: 'mongodb', 'mongodb+srv': 'mongodb',
  elasticsearch: 'elasticsearch', es: 'elasticsearch', cassandra: 'cassandra',
  influxdb: 'influxdb', neo4j: 'neo4j', 'neo4j+s': 'neo4j', 'neo4j+ssc': 'neo4j', bolt: 'neo4j',
  'bolt+s': 'neo4j', kafka: 'kafka', amqp: 'rabbitmq', amqps: 'rabbitmq', mqtt: 'mqtt',
  mqtts: 'mqtt', pulsar: 'pulsar', 'pulsar+ssl': 'pulsar', nats: 'nats', nacos: 'nacos',
  zookeeper: 'zookeeper', zk: 'zookeeper', consul: 'consul', etcd: 'etcd', s3: 's3', oss: 'oss',
  ldap: 'ldap', ldaps: 'ldap', smtp: 'smtp', smtps: 'smtp', ftp: 'ftp', sftp: 'ftp',
  http: 'http', https: 'http', hive2: 'hive', dm: 'dm', kingbase8: 'kingbase', kingbase: 'kingbase',
  db2: 'db2', oceanbase: 'oceanbase', phoenix: 'hbase',
};

/**
 * Words in configuration keys that name a kind. Matched against whole tokens of a key
 * (so `es` does not fire inside `resources`), longest words also as substrings of a
 * segment (`mysqlDataSource`, `redisTemplate`).
 */
export const KEY_WORD_KINDS: Array<[word: string, kind: Kind, substring: boolean]> = [
  ['mysql', 'mysql', true], ['mariadb', 'mariadb', true], ['postgresql', 'postgresql', true],
  ['postgres', 'postgresql', true], ['pgsql', 'postgresql', true], ['pg', 'postgresql', false],
  ['oracle', 'oracle', true], ['sqlserver', 'sqlserver', true], ['mssql', 'sqlserver', true],
  ['clickhouse', 'clickhouse', true], ['doris', 'doris', true], ['starrocks', 'starrocks', true],
  ['hive', 'hive', false], ['redis', 'redis', true], ['jedis', 'redis', true], ['lettuce', 'redis', true], ['redisson', 'redis', true], ['memcached', 'memcached', true],
  ['memcache', 'memcached', true], ['mongodb', 'mongodb', true], ['mongo', 'mongodb', true], ['mongoose', 'mongodb', true],
  ['elasticsearch', 'elasticsearch', true], ['elastic', 'elasticsearch', false], ['es', 'elasticsearch', false],
  ['cassandra', 'cassandra', true], ['hbase', 'hbase', true], ['influxdb', 'influxdb', true],
  ['influx', 'influxdb', true], ['neo4j', 'neo4j', true], ['kafka', 'kafka', true], ['sarama', 'kafka', true],
  ['rocketmq', 'rocketmq', true], ['rocket', 'rocketmq', false], ['rabbitmq', 'rabbitmq', true],
  ['rabbit', 'rabbitmq', true], ['amqp', 'rabbitmq', true], ['activemq', 'activemq', true],
  ['mqtt', 'mqtt', true], ['emqx', 'mqtt', true], ['emq', 'mqtt', false], ['pulsar', 'pulsar', true],
  ['nats', 'nats', false], ['nacos', 'nacos', true], ['zookeeper', 'zookeeper', true],
  ['zk', 'zookeeper', false], ['consul', 'consul', true], ['etcd', 'etcd', true],
  ['apollo', 'apollo', true], ['eureka', 'eureka', true], ['minio', 'minio', true],
  ['s3', 's3', false], ['oss', 'oss', false], ['cos', 'cos', false], ['obs', 'obs', false],
  ['xxl', 'xxl-job', false], ['azkaban', 'azkaban', true], ['sls', 'sls', false],
  ['ldap', 'ldap', true], ['smtp', 'smtp', false], ['mail', 'smtp', false], ['email', 'smtp', false], ['ftp', 'ftp', false],
  ['sftp', 'ftp', false], ['gitlab', 'gitlab', true], ['jenkins', 'jenkins', true],
  ['dm', 'dm', false], ['dameng', 'dm', true], ['kingbase', 'kingbase', true],
  ['oceanbase', 'oceanbase', true], ['db2', 'db2', false],
  // Generic words: a relational database whose engine another clue must tell.
  ['datasource', 'database', true], ['database', 'database', false], ['db', 'database', false],
  ['jdbc', 'database', false], ['sqlalchemy', 'database', false], ['rds', 'database', false],
];

/** Substrings of a driver class, SQLAlchemy dialect, Rails adapter or Django engine → kind. */
export const DRIVER_KINDS: Array<[needle: string, kind: Kind]> = [
  ['mariadb', 'mariadb'], ['mysql', 'mysql'], ['postgres', 'postgresql'], ['psycopg', 'postgresql'],
  ['npgsql', 'postgresql'], ['oracle', 'oracle'], ['sqlserver', 'sqlserver'], ['mssql', 'sqlserver'],
  ['jtds', 'sqlserver'], ['clickhouse', 'clickhouse'], ['dm.jdbc', 'dm'], ['kingbase', 'kingbase'],
  ['db2', 'db2'], ['oceanbase', 'oceanbase'], ['hive', 'hive'], ['sqlite', 'database'],
  // Cache, broker and search backends named by class (django_redis.cache.RedisCache, channels_redis…)
  ['redis', 'redis'], ['memcache', 'memcached'], ['mongo', 'mongodb'], ['elasticsearch', 'elasticsearch'],
  ['kafka', 'kafka'], ['rabbit', 'rabbitmq'], ['amqp', 'rabbitmq'], ['pg', 'postgresql'],
];

/** Container image name (last path segment, without tag) → kind. */
export const IMAGE_KINDS: Array<[pattern: RegExp, kind: Kind]> = [
  [/^(mysql|mysql-server|percona|percona-server)$/, 'mysql'], [/^mariadb$/, 'mariadb'],
  [/^(postgres|postgresql|postgis|timescaledb)$/, 'postgresql'], [/^(oracle-xe|oracle-free|oracle-database)$/, 'oracle'],
  [/^mssql-server$/, 'sqlserver'], [/^clickhouse(-server)?$/, 'clickhouse'],
  [/^doris(-fe|-be)?$/, 'doris'], [/^(allin1-ubuntu|starrocks)$/, 'starrocks'],
  [/^(redis|redis-stack|redis-stack-server|redis-cluster|valkey|keydb)$/, 'redis'],
  [/^memcached$/, 'memcached'], [/^mongo(db)?$/, 'mongodb'],
  [/^(elasticsearch|opensearch)$/, 'elasticsearch'], [/^cassandra$/, 'cassandra'],
  [/^hbase$/, 'hbase'], [/^influxdb$/, 'influxdb'], [/^neo4j$/, 'neo4j'],
  [/^(kafka|cp-kafka|cp-server)$/, 'kafka'], [/^rocketmq(-namesrv)?$/, 'rocketmq'],
  [/^rabbitmq$/, 'rabbitmq'], [/^(activemq|activemq-artemis)$/, 'activemq'],
  [/^(emqx|emqx-enterprise|mosquitto|eclipse-mosquitto|vernemq)$/, 'mqtt'], [/^pulsar$/, 'pulsar'],
  [/^nats$/, 'nats'], [/^nacos(-server)?$/, 'nacos'], [/^(zookeeper|cp-zookeeper)$/, 'zookeeper'],
  [/^consul$/, 'consul'], [/^etcd$/, 'etcd'], [/^minio$/, 'minio'], [/^xxl-job-admin$/, 'xxl-job'],
];

/** Ports that name a kind on their own, used only when nothing else in the source does. */
export const PORT_KINDS: Record<number, Kind> = {
  3306: 'mysql', 5432: 'postgresql', 1521: 'oracle', 1433: 'sqlserver', 6379: 'redis',
  26379: 'redis', 27017: 'mongodb', 9200: 'elasticsearch', 9092: 'kafka', 9876: 'rocketmq',
  5672: 'rabbitmq', 1883: 'mqtt', 8883: 'mqtt', 8848: 'nacos', 2181: 'zookeeper',
  8086: 'influxdb', 7687: 'neo4j', 9042: 'cassandra', 11211: 'memcached', 8500: 'consul',
  2379: 'etcd', 8123: 'clickhouse', 61616: 'activemq', 6650: 'pulsar',
};

/** Relational engines: a `database` kind is refined to one of these when a clue says which. */
export const RELATIONAL_KINDS: ReadonlySet<Kind> = new Set<Kind>([
  'mysql', 'mariadb', 'postgresql', 'oracle', 'sqlserver', 'db2', 'dm', 'kingbase', 'oceanbase',
  'clickhouse', 'doris', 'starrocks', 'hive', 'database',
]);

export function kindFromDriver(value: string): Kind | null {
  const v = value.toLowerCase();
  for (const [needle, kind] of DRIVER_KINDS) if (v.includes(needle)) return kind;
  return null;
}

export function kindFromImage(image: string): Kind | null {
  // registry.example.com:5000/library/mysql:8.0@sha256:… → mysql
  const withoutDigest = image.split('@')[0]!;
  const lastSegment = withoutDigest.split('/').pop()!;
  const name = lastSegment.split(':')[0]!.toLowerCase();
  for (const [pattern, kind] of IMAGE_KINDS) if (pattern.test(name)) return kind;
  return null;
}

export function defaultPort(kind: Kind): number | null {
  return DEFAULT_PORTS[kind] ?? null;
}
