/**
 * The report's versions and value lists (kinds, scopes, severities, skip reasons, suppression mechanisms): plain data
 * that the schema (report-schema.ts, zod) and the result model (result-model.ts, no zod) both read.
 *
 * REPORT_SCHEMA_VERSION is part of the public contract: bump it whenever a field of
 * the JSON report changes meaning, is removed or renamed, or a list here gains a value (adding an optional field
 * does not require a bump). docs/report-format.md lists the history.
 */
export const REPORT_SCHEMA_VERSION = 11;

/** What a connection points at. `database` is a relational database whose engine the source does not say. */
export const KNOWN_KINDS = [
  'mysql', 'mariadb', 'postgresql', 'oracle', 'sqlserver', 'db2', 'dm', 'kingbase', 'oceanbase',
  'clickhouse', 'doris', 'starrocks', 'hive', 'sqlite', 'h2', 'database',
  'redis', 'memcached', 'mongodb', 'elasticsearch', 'cassandra', 'hbase', 'influxdb', 'neo4j',
  'kafka', 'rocketmq', 'rabbitmq', 'activemq', 'mqtt', 'pulsar', 'nats',
  'nacos', 'zookeeper', 'consul', 'etcd', 'apollo', 'eureka',
  's3', 'oss', 'minio', 'cos', 'obs', 'azure-storage',
  'seata', 'xxl-job', 'azkaban', 'sls', 'logstash', 'ldap', 'smtp', 'ftp', 'gitlab', 'jenkins', 'maven-repository',
  'http',
] as const;

export const SCOPES = ['main', 'test', 'example', 'docs', 'deploy'] as const;

/** Where the effective value came from: written as is, the default of an env/placeholder lookup, or an unresolved placeholder. */
export const VALUE_SOURCES = ['literal', 'env-default', 'placeholder'] as const;

/** Most severe first. */
export const SEVERITIES = ['high', 'medium', 'low'] as const;

export const SKIP_REASONS = [
  'binary', 'too-large', 'unreadable', 'decode-error', 'parse-error', 'symlink-loop', 'symlink', 'template', 'timeout', 'special-file',
] as const;

/**
 * How a finding was kept out of the report. inline-comment: a `cmdb-scan:allow`/`gitleaks:allow` comment;
 * ignore-file: a `.cmdbscanignore` entry; config-ignore: a `secrets.ignore` entry of a config file; config-path:
 * a config file's `paths` (counts files not read); placeholder-word: a config file's `secrets.placeholders`
 * (counts values taken for placeholders); baseline: `--baseline`; cap: matches of one rule in one file past the
 * cap (`MAX_TOKENS_PER_RULE`), not reported; vendored-copy: files inside another project's copy (a folder with its own
 * licence file below `lib/`, `third_party/`…; src/paths.ts `vendoredCopies`), counted per folder.
 */
export const SUPPRESSION_MECHANISMS = ['inline-comment', 'ignore-file', 'config-ignore', 'config-path', 'placeholder-word', 'baseline', 'cap', 'vendored-copy'] as const;
