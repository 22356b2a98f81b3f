/**
 * The product catalog: one record per kind of resource, holding everything cmdb-scan knows
 * about it — default port, URL schemes, the words that name it in configuration keys,
 * driver and client class names, container images, whether it is spoken to over HTTP,
 * whether it is a registry apps register themselves with, the words that make a file worth
 * reading, and examples it must and must not be found in. "Does it know TiDB?" is answered
 * here; the lookup tables the algorithms use are derived from these records (./index.ts).
 *
 * Record order matters once: a configuration key segment that holds words of two products
 * (`dm_redis`) is read as the one listed first. Keep established products first.
 */
import type { KnownKind } from '../result-model.js';

/** A word in configuration keys that names the product: matched as a whole token, and when `substring`, inside a segment too (`redisTemplate`). */
export type KeyWord = readonly [word: string, substring: boolean];

export interface Product {
  family: 'relational' | 'cache' | 'document' | 'search' | 'wide-column' | 'time-series' | 'graph' | 'broker' | 'registry'
    | 'object-store' | 'coordinator' | 'scheduler' | 'log' | 'directory' | 'mail' | 'file-transfer' | 'devops' | 'http';
  /** The port a client uses when none is written. */
  port?: number;
  /** URL schemes (before `://`, lower case). */
  schemes?: readonly string[];
  keyWords?: readonly KeyWord[];
  /** Substrings of a driver class, SQLAlchemy dialect, Rails adapter or Django engine; the longest match wins. */
  drivers?: readonly string[];
  /** Container image names (last path segment, no tag). */
  image?: RegExp;
  /** Ports that name the product on their own, when nothing else in the source does. */
  portNames?: readonly number[];
  /** The names Rails' Active Storage gives its service for the product (`config/storage.yml`: `service: S3`). */
  activeStorage?: readonly string[];
  /** Speaks MySQL's wire protocol, so clients reach it with `jdbc:mysql://` URLs its key names it in (Doris, OceanBase). */
  mysqlProtocol?: true;
  /**
   * Every port the product is served on, for products whose key words are also everyday words: a key that names
   * it with another explicit port is something else (`EMAIL_SERVICE_ADDR=emailservice:5000` is a service, not SMTP).
   */
  onlyPorts?: readonly number[];
  /** The provider's service domains (`oss-cn-hangzhou.aliyuncs.com`): an address under one is this product whatever key holds it. */
  domains?: RegExp;
  /** Spoken to over http(s): such a URL is this product when a key names it; `ports` name it from the URL alone. */
  http?: { ports?: readonly number[] };
  /** Apps register with it: its `instance` settings describe the app itself, not a connection. */
  registry?: true;
  /** Words that make a file worth reading (the keyword pre-filter). */
  filterWords?: readonly string[];
  /** Client calls per language, as each code scanner names a call, with the role of each positional argument. */
  clients?: ProductClients;
  /** The product's command-line clients, as their manuals document them (scanners/shell-script.ts reads scripts with them). */
  commandLine?: CommandLineClient;
  /** Lines (`key=value` or a connection string) the interpreter must read as this product, and lines it must not. */
  examples?: { finds?: readonly string[]; ignores?: readonly string[] };
}

/** What a command-line word gives a client: a setting the interpreter reads under the product's word. */
export type CommandRole = 'host' | 'port' | 'username' | 'password' | 'database' | 'servers'
  /** sqlcmd's `-S [tcp:]host[\\instance][,port]`. */
  | 'server'
  /** sqlplus' `user/password@//host:port/service`. */
  | 'login';

/**
 * `mysql -h db -P 3307 -uroot -psecret shop`, `redis-cli -h cache -a pw`, `PGPASSWORD=… psql -h db`: the programs,
 * what each option gives (short options take their value attached or as the next word, long ones after `=` or as the
 * next word), the environment variables the client reads, and what its first operand is. A URL given to any option is
 * read as a connection string wherever it is written, so URL options need no role.
 */
export interface CommandLineClient {
  programs: readonly string[];
  options: Readonly<Record<string, CommandRole>>;
  /** Options whose value is only ever attached (`mysql -psecret`: a bare `-p` prompts for the password). */
  attachedOnly?: readonly string[];
  env?: Readonly<Record<string, CommandRole>>;
  operand?: CommandRole;
}

export interface ProductClients {
  /** `Redis`, `pymysql.connect`: by the callee's full dotted name or its last name. */
  python?: Readonly<Record<string, readonly string[]>>;
  /** `new JedisPool`, `RedisURI.create`; `host-port` reads the first string as host and the first int as port. */
  java?: Readonly<Record<string, readonly string[] | 'host-port'>>;
  /** `sql.Open`, `sarama.NewClient`, or a method name alone (`ApplyURI`). */
  go?: Readonly<Record<string, readonly string[]>>;
  /** `new Redis`, or a function's last name. */
  javascript?: Readonly<Record<string, readonly string[]>>;
  /**
   * `new NpgsqlConnection`, `ConnectionMultiplexer.Connect`, or a method name alone (`UseNpgsql`, a .NET Aspire app
   * host's `AddRedis`, whose argument is the resource name other services reach it by). The call site is named with
   * the product's word, and the argument with a role is an address by the client's contract: a bare word there is a
   * host, as a compose service name is. A `new Type` call's object initializer (`{ HostName = … }`) is read as keys.
   */
  csharp?: Readonly<Record<string, readonly string[]>>;
  /**
   * `Redis.new`, `Dalli::Client.new`, `Net::HTTP.start`, or a method name alone (`get`): by the callee as written, receiver
   * included. The call site is named with the product's word, so a client whose name says nothing (`Dalli`, `Bunny`,
   * `PG`) is still read as its product.
   */
  ruby?: Readonly<Record<string, readonly string[]>>;
  /** `new PDO`, `Http::get`, `curl_init`, or a method name alone (`get`, `connect`): by the callee as written, or its last name. */
  php?: Readonly<Record<string, readonly string[]>>;
  /** C# namespaces (`using Npgsql;`): a file that imports one relational product's says which engine its ADO.NET strings are for. */
  csharpNamespaces?: RegExp;
  /** Python modules whose calls are this product's (`pika`), matched on the import-qualified callee. */
  pythonModules?: RegExp;
  /**
   * JavaScript modules whose calls are this product's though their names say another's (`@apollo/client` is
   * GraphQL over HTTP, not the Apollo config centre): the call site is named with the product's word alone.
   */
  javascriptModules?: RegExp;
  /** Java packages whose types are this product's (`redis.clients`), matched on a receiver's import. */
  javaPackages?: RegExp;
  /** The word a call site is named with for the interpreter (default: the kind). */
  siteWord?: string;
  /**
   * Words in a function's own name that say it sends a request (`fetchJson`, `HttpClientUtil.get`, `new OAuth`):
   * a URL of this product passed to such a call, an in-house helper included, is an endpoint it calls. `built`:
   * pairs of words that together say the call builds a request URL (`makeURL`, `buildUrl`), where the URL word
   * alone would also name predicates and parsers (`url_has_embedded_credentials`).
   */
  callWords?: { sends: readonly string[]; builds: readonly string[]; builtWith: readonly string[] };
}

const sub = (word: string): KeyWord => [word, true];
const token = (word: string): KeyWord => [word, false];

export const PRODUCTS = {
  mysql: {
    commandLine: {
      programs: ['mysql', 'mysqldump', 'mysqladmin', 'mysqlimport', 'mysqlcheck', 'mysqlshow', 'mysqlpump'],
      options: { '-h': 'host', '--host': 'host', '-P': 'port', '--port': 'port', '-u': 'username', '--user': 'username', '-p': 'password', '--password': 'password', '-D': 'database', '--database': 'database' },
      attachedOnly: ['-p', '--password'], env: { MYSQL_PWD: 'password', MYSQL_HOST: 'host', MYSQL_TCP_PORT: 'port' }, operand: 'database',
    },
    clients: {
      python: { 'pymysql.connect': ['host', 'user', 'password', 'database', 'port'], 'MySQLdb.connect': ['host', 'user', 'passwd', 'db', 'port'], 'mysql.connector.connect': ['host', 'user', 'password', 'database', 'port'] }, go: { 'mysql.Open': ['url'] },
      csharp: { 'new MySqlConnection': ['url'], 'new MySqlDataSource': ['url'], UseMySql: ['url'], UseMySQL: ['url'], AddMySql: ['host'] }, csharpNamespaces: /^(MySql\.Data|MySqlConnector)\b/,
      ruby: { 'Mysql2::Client.new': [], 'Sequel.mysql2': ['database'] },
    },
    family: 'relational', port: 3306, schemes: ['mysql', 'mysql2'], keyWords: [sub('mysql')], drivers: ['mysql'],
    image: /^(mysql|mysql-server|percona|percona-server)$/, portNames: [3306], filterWords: ['mysql'],
    examples: {
      finds: ['spring.datasource.url=jdbc:mysql://10.1.2.3:3306/orders', 'mysql.host=db.acme.internal', 'spring.r2dbc.url=r2dbc:pool:mysql://10.1.2.3:3306/blog'],
      ignores: ['mysql.enabled=true', 'mysql.version=8.0.32.1'],
    },
  },
  mariadb: {
    commandLine: {
      programs: ['mariadb', 'mariadb-dump', 'mariadb-admin', 'mariadb-import', 'mariadb-check'],
      options: { '-h': 'host', '--host': 'host', '-P': 'port', '--port': 'port', '-u': 'username', '--user': 'username', '-p': 'password', '--password': 'password', '-D': 'database', '--database': 'database' },
      attachedOnly: ['-p', '--password'], operand: 'database',
    },
    family: 'relational', port: 3306, schemes: ['mariadb'], keyWords: [sub('mariadb')], drivers: ['mariadb'], image: /^mariadb$/, mysqlProtocol: true,
    filterWords: ['mariadb'], examples: { finds: ['url=jdbc:mariadb://10.1.2.3:3306/shop'] },
  },
  postgresql: {
    commandLine: {
      programs: ['psql', 'pg_dump', 'pg_dumpall', 'pg_restore', 'pg_isready', 'createdb', 'dropdb', 'createuser', 'dropuser', 'pgbench', 'vacuumdb', 'pg_basebackup'],
      options: { '-h': 'host', '--host': 'host', '-p': 'port', '--port': 'port', '-U': 'username', '--username': 'username', '-d': 'database', '--dbname': 'database' },
      env: { PGHOST: 'host', PGPORT: 'port', PGUSER: 'username', PGPASSWORD: 'password', PGDATABASE: 'database' }, operand: 'database',
    },
    clients: {
      python: { 'psycopg2.connect': ['dsn'], 'psycopg.connect': ['conninfo'] }, pythonModules: /^(psycopg2?|asyncpg)\b/,
      ruby: { 'PG.connect': ['conninfo'], 'PG::Connection.new': ['conninfo'], 'PG::Connection.open': ['conninfo'] },
      go: { 'postgres.Open': ['url'], 'pgx.Connect': ['ctx', 'url'], 'pgxpool.New': ['ctx', 'url'], 'pgxpool.Connect': ['ctx', 'url'] },
      csharp: {
        'new NpgsqlConnection': ['url'], 'new NpgsqlDataSourceBuilder': ['url'], 'NpgsqlDataSource.Create': ['url'], 'new NpgsqlConnectionStringBuilder': ['url'],
        UseNpgsql: ['url'], AddPostgres: ['host'],
      },
      csharpNamespaces: /^Npgsql\b/,
    },
    family: 'relational', port: 5432, schemes: ['postgres', 'postgresql', 'pgsql'],
    keyWords: [sub('postgresql'), sub('postgres'), sub('pgsql'), token('pg')], drivers: ['postgres', 'psycopg', 'npgsql', 'pg'],
    image: /^(postgres|postgresql|postgis|timescaledb|pgvector)$/, portNames: [5432], filterWords: ['postgres', 'postgresql'],
    examples: { finds: ['DATABASE_URL=postgres://app@10.1.2.4:5432/app', 'pg.host=pg.acme.internal', 'spring.r2dbc.url=r2dbc:postgresql://10.1.2.4:5432/blog'] },
  },
  oracle: {
    commandLine: { programs: ['sqlplus', 'sqlldr', 'expdp', 'impdp', 'sql'], options: {}, operand: 'login' },
    clients: { csharp: { 'new OracleConnection': ['url'], UseOracle: ['url'], AddOracle: ['host'] }, csharpNamespaces: /^Oracle\.ManagedDataAccess\b/ },
    family: 'relational', port: 1521, schemes: ['oracle'], keyWords: [sub('oracle')], drivers: ['oracle'],
    image: /^oracle(-(xe|free|database|ee|se2?|\d+[a-z]*))+$/, portNames: [1521], filterWords: ['oracle'],
    examples: { finds: ['jdbc.url=jdbc:oracle:thin:@10.30.0.7:1521:PORTAL'] },
  },
  sqlserver: {
    commandLine: {
      programs: ['sqlcmd', 'bcp'],
      options: { '-S': 'server', '--server': 'server', '-U': 'username', '--user-name': 'username', '-P': 'password', '--password': 'password', '-d': 'database', '--database-name': 'database' },
      env: { SQLCMDPASSWORD: 'password', SQLCMDSERVER: 'server', SQLCMDUSER: 'username' },
    },
    family: 'relational', port: 1433, schemes: ['mssql', 'sqlserver'], keyWords: [sub('sqlserver'), sub('mssql')],
    drivers: ['sqlserver', 'mssql', 'jtds'], image: /^(mssql-server|azure-sql-edge)$/, portNames: [1433], filterWords: ['sqlserver', 'mssql'],
    clients: {
      csharp: { 'new SqlConnection': ['url'], 'new SqlConnectionStringBuilder': ['url'], UseSqlServer: ['url'], AddSqlServer: ['host'] },
      csharpNamespaces: /^(Microsoft|System)\.Data\.SqlClient\b/,
    },
    examples: { finds: ['url=jdbc:sqlserver://10.1.2.5:1433;databaseName=erp'] },
  },
  clickhouse: {
    commandLine: {
      programs: ['clickhouse-client'],
      options: { '-h': 'host', '--host': 'host', '--port': 'port', '-u': 'username', '--user': 'username', '--password': 'password', '-d': 'database', '--database': 'database' },
    },
    clients: { python: { Client: ['host'] }, javaPackages: /^(ru\.yandex\.clickhouse|com\.clickhouse)\b/ },
    family: 'relational', port: 8123, schemes: ['clickhouse', 'ch'], keyWords: [sub('clickhouse')], drivers: ['clickhouse'],
    image: /^clickhouse(-server)?$/, portNames: [8123], http: { ports: [8123] }, filterWords: ['clickhouse'],
    examples: { finds: ['clickhouse.url=jdbc:clickhouse://10.1.2.6:8123/logs'] },
  },
  doris: {
    family: 'relational', port: 9030, keyWords: [sub('doris')], image: /^doris(-fe|-be)?$/, http: {}, filterWords: ['doris'], mysqlProtocol: true,
    examples: { finds: ['doris.url=jdbc:mysql://10.1.2.7:9030/ads'] },
  },
  starrocks: { family: 'relational', port: 9030, keyWords: [sub('starrocks')], image: /^(allin1-ubuntu|starrocks)$/, http: {}, filterWords: ['starrocks'], mysqlProtocol: true },
  hive: { family: 'relational', port: 10000, schemes: ['hive2'], keyWords: [token('hive')], drivers: ['hive'] },
  redis: {
    commandLine: {
      programs: ['redis-cli', 'redis-benchmark', 'valkey-cli', 'keydb-cli'],
      options: { '-h': 'host', '-p': 'port', '-a': 'password', '--pass': 'password', '--user': 'username', '-n': 'database' },
      env: { REDISCLI_AUTH: 'password' },
    },
    clients: {
      python: { Redis: ['host', 'port', 'db', 'password'], StrictRedis: ['host', 'port', 'db', 'password'], from_url: ['url'] },
      ruby: { 'Redis.new': [], 'RedisClient.new': [], 'RedisClient.config': [], 'Redis::Namespace.new': ['namespace'] },
      php: { 'new Redis': [], 'new Predis\\Client': ['parameters'], connect: ['host', 'port'], pconnect: ['host', 'port'] },
      java: {
        'new Jedis': 'host-port', 'new JedisPool': 'host-port', 'new JedisPooled': 'host-port', 'new HostAndPort': 'host-port',
        'new RedisStandaloneConfiguration': 'host-port', 'new LettuceConnectionFactory': 'host-port', 'new JedisConnectionFactory': 'host-port',
        'RedisURI.create': ['url'], 'RedisClient.create': ['url'],
      },
      javaPackages: /^(redis\.clients|io\.lettuce|org\.redisson)\b/, go: { 'redis.ParseURL': ['url'] }, javascript: { 'new Redis': ['port', 'host'], 'new IORedis': ['port', 'host'] },
      csharp: {
        'ConnectionMultiplexer.Connect': ['url'], 'ConnectionMultiplexer.ConnectAsync': ['url'], 'ConfigurationOptions.Parse': ['url'],
        'new RedisCacheOptions': [], AddRedis: ['host'], AddValkey: ['host'], AddGarnet: ['host'],
        // CAP's transport (`services.AddCap(x => x.UseRedis("localhost"))`).
        UseRedis: ['url'],
      },
      csharpNamespaces: /^StackExchange\.Redis\b/,
    },
    family: 'cache', port: 6379, schemes: ['redis', 'rediss', 'redis-sentinel', 'redis+sentinel', 'sentinel'],
    keyWords: [sub('redis'), sub('jedis'), sub('lettuce'), sub('redisson')], drivers: ['redis'],
    image: /^(redis|redis-stack|redis-stack-server|redis-cluster|redismod|valkey|keydb)$/, portNames: [6379, 26379], filterWords: ['redis'],
    examples: { finds: ['spring.redis.host=10.20.1.9', 'REDIS_URL=redis://cache.acme.internal:6379/0'], ignores: ['redis.timeout=3000'] },
  },
  memcached: {
    clients: { ruby: { 'Dalli::Client.new': ['servers'] } },
    family: 'cache', port: 11211, schemes: ['memcached'], keyWords: [sub('memcached'), sub('memcache')], drivers: ['memcache'],
    image: /^memcached$/, portNames: [11211], filterWords: ['memcached'],
  },
  mongodb: {
    commandLine: {
      programs: ['mongo', 'mongosh', 'mongodump', 'mongorestore', 'mongoimport', 'mongoexport', 'mongostat', 'mongotop'],
      options: { '--host': 'host', '-h': 'host', '--port': 'port', '-u': 'username', '--username': 'username', '-p': 'password', '--password': 'password', '-d': 'database', '--db': 'database' },
    },
    clients: {
      python: { MongoClient: ['host', 'port'], AsyncIOMotorClient: ['host', 'port'] },
      ruby: { 'Mongo::Client.new': ['hosts'] },
      php: { 'new MongoDB\\Client': ['url'] },
      java: { 'new MongoClient': 'host-port', 'new ServerAddress': 'host-port', 'MongoClients.create': ['url'], 'new MongoClientURI': ['url'], 'new ConnectionString': ['url'] },
      javaPackages: /^com\.mongodb\b/, go: { ApplyURI: ['url'], 'mongo.NewClient': [] }, javascript: { 'new MongoClient': ['url'] },
      csharp: { 'new MongoClient': ['url'], 'new MongoUrl': ['url'], 'MongoClientSettings.FromConnectionString': ['url'], AddMongoDB: ['host'], UseMongoDB: ['url'] }, csharpNamespaces: /^MongoDB\.Driver\b/,
    },
    family: 'document', port: 27017, schemes: ['mongodb', 'mongodb+srv'], keyWords: [sub('mongodb'), sub('mongo'), sub('mongoose')],
    drivers: ['mongo'], image: /^(mongo(db)?|mongodb-(community|enterprise)-server)$/, portNames: [27017], filterWords: ['mongodb', 'mongo'],
    examples: { finds: ['spring.data.mongodb.uri=mongodb://10.20.6.2:27017/cmdb'] },
  },
  elasticsearch: {
    clients: {
      python: { Elasticsearch: ['hosts'], AsyncElasticsearch: ['hosts'] }, javaPackages: /^(org\.elasticsearch|co\.elastic)\b/, go: { 'elasticsearch.NewClient': [] },
      csharp: { 'new ElasticsearchClientSettings': ['url'], AddElasticsearch: ['host'] },
      ruby: { 'Elasticsearch::Client.new': [], 'OpenSearch::Client.new': [] },
    },
    family: 'search', port: 9200, schemes: ['elasticsearch', 'es'], keyWords: [sub('elasticsearch'), token('elastic'), token('es')],
    drivers: ['elasticsearch'], image: /^(elasticsearch|opensearch)$/, portNames: [9200], http: { ports: [9200] }, filterWords: ['elasticsearch'],
    examples: { finds: ['spring.elasticsearch.uris=http://10.20.7.1:9200'], ignores: ['resources.path=/static'] },
  },
  cassandra: { family: 'wide-column', port: 9042, schemes: ['cassandra'], keyWords: [sub('cassandra')], image: /^cassandra$/, portNames: [9042], filterWords: ['cassandra'] },
  hbase: {
    // A whole word, not a substring: `authBaseUrl` squashed holds `hbase`.
    family: 'wide-column', port: 2181, schemes: ['phoenix'], keyWords: [token('hbase')], image: /^hbase$/, http: {}, filterWords: ['hbase'],
    clients: { python: { Connection: ['host', 'port'] }, pythonModules: /^happybase\b/, javaPackages: /^org\.apache\.hadoop\.hbase\b/ },
  },
  influxdb: {
    clients: { python: { InfluxDBClient: ['host', 'port', 'username', 'password', 'database'] }, javaPackages: /^(org\.influxdb|com\.influxdb)\b/ },
    family: 'time-series', port: 8086, schemes: ['influxdb'], keyWords: [sub('influxdb'), sub('influx')], image: /^influxdb$/,
    portNames: [8086], http: { ports: [8086] }, filterWords: ['influxdb'],
    examples: { finds: ['influx.url=http://10.1.3.1:8086'] },
  },
  neo4j: {
    clients: { python: { driver: ['uri'] }, javaPackages: /^org\.neo4j\b/ },
    family: 'graph', port: 7687, schemes: ['neo4j', 'neo4j+s', 'neo4j+ssc', 'bolt', 'bolt+s'], keyWords: [sub('neo4j')], image: /^neo4j$/,
    portNames: [7687], filterWords: ['neo4j'], examples: { finds: ['spring.neo4j.uri=bolt://10.1.3.2:7687'] },
  },
  kafka: {
    commandLine: {
      programs: ['kafka-topics', 'kafka-console-producer', 'kafka-console-consumer', 'kafka-consumer-groups', 'kafka-configs', 'kafka-acls', 'kafka-producer-perf-test', 'kafka-consumer-perf-test', 'kcat', 'kafkacat'],
      options: { '--bootstrap-server': 'servers', '--broker-list': 'servers', '-b': 'servers' },
    },
    clients: {
      javaPackages: /^org\.apache\.kafka\b/,
      ruby: { 'Kafka.new': ['seed_brokers'], 'Rdkafka::Config.new': [] },
      go: { 'sarama.NewSyncProducer': ['brokers'], 'sarama.NewAsyncProducer': ['brokers'], 'sarama.NewConsumer': ['brokers'], 'sarama.NewClient': ['brokers'], 'sarama.NewConsumerGroup': ['brokers'] },
      // CAP's transport, `x.UseKafka("broker:9092")`, takes the bootstrap servers.
      csharp: { 'new ProducerConfig': [], 'new ConsumerConfig': [], 'new AdminClientConfig': [], 'new ClientConfig': [], AddKafka: ['host'], UseKafka: ['url'] },
    },
    family: 'broker', port: 9092, schemes: ['kafka'], keyWords: [sub('kafka'), sub('sarama')], drivers: ['kafka'],
    image: /^(kafka|cp-kafka|cp-server|redpanda)$/, portNames: [9092], filterWords: ['kafka'],
    examples: { finds: ['spring.kafka.bootstrap-servers=10.20.3.1:9092,10.20.3.2:9092'] },
  },
  rocketmq: {
    clients: { java: { 'new DefaultMQProducer': ['producerGroup'] }, javaPackages: /^org\.apache\.rocketmq\b/ },
    family: 'broker', port: 9876, keyWords: [sub('rocketmq'), token('rocket')], image: /^rocketmq(-namesrv)?$/, portNames: [9876], filterWords: ['rocketmq'],
    examples: { finds: ['rocketmq.name-server=10.20.4.1:9876'] },
  },
  rabbitmq: {
    clients: {
      python: { URLParameters: ['url'], ConnectionParameters: ['host', 'port', 'virtual_host'] }, pythonModules: /^pika\b/,
      ruby: { 'Bunny.new': ['url'] },
      javaPackages: /^com\.rabbitmq\b|^org\.springframework\.amqp\b/, go: { 'amqp.Dial': ['url'], 'amqp091.Dial': ['url'] },
      // CAP's transport, `x.UseRabbitMQ("host")`, takes the broker's host name.
      csharp: { 'new ConnectionFactory': [], AddRabbitMQ: ['host'], UseRabbitMQ: ['host'] },
    },
    family: 'broker', port: 5672, schemes: ['amqp', 'amqps'], keyWords: [sub('rabbitmq'), sub('rabbit'), sub('amqp')], drivers: ['rabbit', 'amqp'],
    // The management plugin's HTTP API (`http://guest:guest@mq:15672/api/`, what Flower and monitoring read queues from).
    image: /^rabbitmq$/, portNames: [5672], http: { ports: [15672] }, filterWords: ['rabbitmq', 'amqp'],
    examples: { finds: ['spring.rabbitmq.host=10.20.5.1', 'broker_api=http://10.20.5.1:15672/api/'] },
  },
  activemq: { family: 'broker', port: 61616, keyWords: [sub('activemq')], image: /^(activemq|activemq-artemis)$/, portNames: [61616] },
  mqtt: {
    clients: {
      pythonModules: /^paho\b|mqtt/i, java: { 'new MqttClient': ['serverURI'], 'new MqttAsyncClient': ['serverURI'] }, javaPackages: /^org\.eclipse\.paho\b/,
      go: { 'mqtt.NewClient': [], AddBroker: ['broker'] },
    },
    family: 'broker', port: 1883, schemes: ['mqtt', 'mqtts'], keyWords: [sub('mqtt'), sub('emqx'), token('emq')],
    image: /^(emqx|emqx-enterprise|mosquitto|eclipse-mosquitto|vernemq)$/, portNames: [1883, 8883], filterWords: ['emq', 'emqx', 'mqtt'],
    examples: { finds: ['mqtt.url=tcp://10.20.8.1:1883'] },
  },
  pulsar: { family: 'broker', port: 6650, schemes: ['pulsar', 'pulsar+ssl'], keyWords: [sub('pulsar')], image: /^pulsar$/, portNames: [6650] },
  nats: { family: 'broker', port: 4222, schemes: ['nats'], keyWords: [token('nats')], image: /^nats$/, clients: { go: { 'nats.Connect': ['url'] }, csharp: { AddNats: ['host'] } } },
  nacos: {
    clients: {
      python: { NacosClient: ['server_addresses', 'namespace'] },
      java: {
        'new NamingService': ['serverAddr'], 'NacosFactory.createNamingService': ['serverAddr'], 'NacosFactory.createConfigService': ['serverAddr'],
        // The factories NacosFactory delegates to, which the client's API documents alike.
        'ConfigFactory.createConfigService': ['serverAddr'], 'NamingFactory.createNamingService': ['serverAddr'],
      },
      javaPackages: /^com\.alibaba\.nacos\b/,
    },
    family: 'registry', port: 8848, schemes: ['nacos'], keyWords: [sub('nacos')], image: /^nacos(-server)?$/, portNames: [8848],
    http: { ports: [8848] }, registry: true, filterWords: ['nacos'],
    examples: { finds: ['spring.cloud.nacos.discovery.server-addr=10.20.9.1:8848'], ignores: ['spring.cloud.nacos.discovery.enabled=false'] },
  },
  zookeeper: {
    clients: { java: { 'new ZooKeeper': ['connectString'], 'CuratorFrameworkFactory.newClient': ['connectString'] }, javaPackages: /^org\.apache\.(zookeeper|curator)\b/, go: { 'zk.Connect': ['servers'] } },
    family: 'registry', port: 2181, schemes: ['zookeeper', 'zk'], keyWords: [sub('zookeeper'), token('zk')], image: /^(zookeeper|cp-zookeeper)$/,
    portNames: [2181], registry: true, filterWords: ['zookeeper'],
  },
  consul: {
    family: 'registry', port: 8500, schemes: ['consul'], keyWords: [sub('consul')], image: /^consul$/, portNames: [8500],
    http: { ports: [8500] }, registry: true, filterWords: ['consul'],
  },
  etcd: { family: 'registry', port: 2379, schemes: ['etcd'], keyWords: [sub('etcd')], image: /^etcd$/, portNames: [2379], http: { ports: [2379] }, registry: true },
  apollo: { family: 'registry', port: 8080, keyWords: [sub('apollo')], http: {}, filterWords: ['apollo'] },
  eureka: {
    family: 'registry', port: 8761, keyWords: [sub('eureka')], http: { ports: [8761] }, registry: true,
    examples: { finds: ['eureka.client.service-url.defaultZone=http://10.20.9.2:8761/eureka/'], ignores: ['eureka.instance.hostname=order-service'] },
  },
  minio: { family: 'object-store', port: 9000, keyWords: [sub('minio')], image: /^minio$/, http: {}, filterWords: ['minio'], clients: { javaPackages: /^io\.minio\b/ } },
  // Path-style and virtual-hosted endpoints, legacy dash regions included: `s3.amazonaws.com`, `s3-us-west-2.amazonaws.com`,
  // `bucket.s3.eu-west-1.amazonaws.com`, China's `.amazonaws.com.cn`.
  s3: {
    clients: { ruby: { 'Aws::S3::Client.new': [], 'Aws::S3::Resource.new': [] } },
    family: 'object-store', schemes: ['s3'], keyWords: [token('s3')], http: {}, filterWords: ['s3'], activeStorage: ['S3'],
    // Servers that are S3 and nothing else, by their images: RustFS (`rustfs/rustfs`), Zenko CloudServer
    // (`zenko/cloudserver`), Garage (`dxflrs/garage`). MinIO has its own record.
    image: /^(rustfs|cloudserver|garage)$/,
    // AWS's own S3 hosts, and DigitalOcean Spaces (`nyc3.digitaloceanspaces.com`), which speaks the S3 API.
    domains: /(^|\.)s3(?:[.-](?:dualstack\.)?[a-z]{2}(?:-gov)?-[a-z]+-\d)?\.amazonaws\.com(?:\.cn)?$|(^|\.)[a-z]+\d\.digitaloceanspaces\.com$/,
    examples: { finds: ['storage.s3_endpoint=s3-us-west-2.amazonaws.com'] },
  },
  // `oss-cn-shenzhen.aliyuncs.com`, `bucket.oss-cn-hangzhou-internal.aliyuncs.com`, `oss-accelerate.aliyuncs.com`.
  oss: {
    family: 'object-store', schemes: ['oss'], keyWords: [token('oss')], http: {}, filterWords: ['oss'],
    domains: /(^|\.)oss-[a-z0-9-]+\.aliyuncs\.com$/,
    clients: { java: { 'new OSSClientBuilder': [] }, javaPackages: /^com\.aliyun\.oss\b/ },
    examples: { finds: ['storage.aliyun.endpoint=oss-cn-shenzhen.aliyuncs.com'], ignores: ['sms.aliyun.endpoint=dysmsapi.aliyuncs.com'] },
  },
  // `bucket-1250000000.cos.ap-shanghai.myqcloud.com`, `cos.ap-guangzhou.myqcloud.com`.
  cos: { family: 'object-store', keyWords: [token('cos')], http: {}, domains: /(^|\.)cos\.[a-z0-9-]+\.myqcloud\.com$/ },
  // `obs.cn-north-4.myhuaweicloud.com`, `bucket.obs.cn-north-4.myhuaweicloud.com`.
  obs: { family: 'object-store', keyWords: [token('obs')], http: {}, domains: /(^|\.)obs\.[a-z0-9-]+\.myhuaweicloud\.com$/ },
  // Azure Storage (Blob, Queue, Table, Files): `https://acct.blob.core.windows.net`, its connection string
  // (`DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=…;EndpointSuffix=core.windows.net`, or a `BlobEndpoint=`
  // of its own), and `UseDevelopmentStorage=true`, the documented shortcut for the local emulator (Azurite) on 127.0.0.1.
  'azure-storage': {
    // No key words: `AZURE_STORAGE_CATALOG_URL` holds a picture's public address as often as the account's.
    family: 'object-store', image: /^(azurite|azure-storage-azurite)$/, http: {}, activeStorage: ['AzureStorage', 'AzureBlob'],
    domains: /(^|\.)[a-z0-9]+\.(blob|queue|table|file|dfs)\.core\.(windows\.net|chinacloudapi\.cn|usgovcloudapi\.net)$/,
    filterWords: ['usedevelopmentstorage', 'accountname=', 'core.windows.net'],
    examples: {
      finds: ['ConnectionStrings__Storage=UseDevelopmentStorage=true', 'storage.connectionString=DefaultEndpointsProtocol=https;AccountName=acmefiles;AccountKey=abc;EndpointSuffix=core.windows.net', 'AZURE_HOST_NAME=https://acmefiles.blob.core.windows.net'],
    },
  },
  seata: {
    // Seata's transaction coordinator (TC). Clients name it in `service.grouplist.<group>` (Spring's
    // `seata.service.grouplist.default`, a client `file.conf`'s `service { default.grouplist = … }`), or find it
    // through a registry (`seata.registry.nacos.server-addr`: that address is the registry's). Only `grouplist` says
    // Seata: its other keys configure the client (`seata.transport.server: NIO` is Netty's mode, not a host).
    family: 'coordinator', port: 8091, keyWords: [token('grouplist')], image: /^seata-server$/, portNames: [8091], filterWords: ['seata', 'grouplist'],
    examples: {
      finds: ['seata.service.grouplist.default=10.20.30.5:8091', 'service.default.grouplist=10.20.30.5:8091'],
      ignores: ['seata.service.vgroup-mapping.order_tx_group=default', 'seata.tx-service-group=order_tx_group', 'seata.transport.server=NIO'],
    },
  },
  'xxl-job': {
    family: 'scheduler', port: 8080, keyWords: [token('xxl'), token('xxljob')], image: /^xxl-job-admin$/, http: {}, registry: true, filterWords: ['xxl-job', 'xxl.job'],
    examples: { finds: ['xxl.job.admin.addresses=http://10.20.10.1:8080/xxl-job-admin'] },
  },
  azkaban: { family: 'scheduler', keyWords: [sub('azkaban')], http: {}, filterWords: ['azkaban'] },
  sls: { family: 'log', keyWords: [token('sls')], http: {}, filterWords: ['sls'] },
  logstash: {
    // logstash-logback-encoder's TCP/UDP appenders (`<destination>host:4560</destination>`) and the key words that feed them.
    family: 'log', port: 4560, keyWords: [sub('logstash'), sub('log_stash'), sub('log-stash')], image: /^logstash(-oss)?$/, filterWords: ['logstash'],
    examples: { finds: ['logstash.host=10.30.2.4'], ignores: ['logging.level.root=info'] },
  },
  ldap: {
    family: 'directory', port: 389, schemes: ['ldap', 'ldaps'], keyWords: [sub('ldap')], image: /^(openldap|lldap|389-ds)$/, portNames: [389, 636],
    commandLine: {
      programs: ['ldapsearch', 'ldapadd', 'ldapmodify', 'ldapdelete', 'ldapwhoami', 'ldappasswd'],
      options: { '-h': 'host', '-p': 'port', '-D': 'username', '-w': 'password' },
    },
  },
  smtp: {
    clients: { ruby: { 'Net::SMTP.new': ['address', 'port'], 'Net::SMTP.start': ['address', 'port'] } },
    family: 'mail', port: 25, schemes: ['smtp', 'smtps'], keyWords: [token('smtp'), token('mail'), token('email')],
    onlyPorts: [25, 465, 587, 2525, 1025],
    // Mail catchers a stack runs in development: the app's SMTP settings point at them (port 1025 and the like).
    image: /^(mailpit|mailhog|maildev|mailcatcher|smtp4dev|greenmail|mailtrap-local|mailcrab)$/,
    examples: { finds: ['spring.mail.host=smtp.acme-mail.com', 'EMAIL_HOST=mail.acme.io:587'], ignores: ['EMAIL_SERVICE_ADDR=emailservice:5000'] },
  },
  ftp: { family: 'file-transfer', port: 21, schemes: ['ftp', 'sftp'], keyWords: [token('ftp'), token('sftp')] },
  gitlab: { family: 'devops', keyWords: [sub('gitlab')], http: {}, filterWords: ['gitlab'] },
  jenkins: { family: 'devops', keyWords: [sub('jenkins')], http: {}, filterWords: ['jenkins'] },
  dm: {
    family: 'relational', port: 5236, schemes: ['dm'], keyWords: [token('dm'), sub('dameng')], drivers: ['dm.jdbc'],
    examples: { finds: ['jdbc.url=jdbc:dm://10.40.0.3:5236/LEGACY'] },
  },
  kingbase: { family: 'relational', port: 54321, schemes: ['kingbase8', 'kingbase'], keyWords: [sub('kingbase')], drivers: ['kingbase'] },
  oceanbase: { family: 'relational', port: 2881, schemes: ['oceanbase'], keyWords: [sub('oceanbase')], drivers: ['oceanbase'], mysqlProtocol: true },
  db2: { family: 'relational', port: 50000, schemes: ['db2'], keyWords: [token('db2')], drivers: ['db2'] },
  // Databases inside the app's process: a connection with no host, named by its file (`db.sqlite3`, `jdbc:h2:mem:testdb`).
  sqlite: { family: 'relational', schemes: ['sqlite'], keyWords: [sub('sqlite')], drivers: ['sqlite'], filterWords: ['sqlite'] },
  h2: { family: 'relational', keyWords: [token('h2')], drivers: ['org.h2'] },
  // A relational database whose engine another clue must tell (the generic words come last: any product word wins).
  database: {
    clients: {
      python: { create_engine: ['url'], create_async_engine: ['url'] },
      java: { 'DriverManager.getConnection': ['url', 'username', 'password'] }, javaPackages: /^com\.zaxxer\.hikari|^com\.alibaba\.druid/, siteWord: 'datasource',
      go: { 'sql.Open': ['driver', 'url'], 'sqlx.Open': ['driver', 'url'], 'sqlx.Connect': ['driver', 'url'], 'gorm.Open': ['dialector'] },
      javascript: { 'new Sequelize': ['database', 'username', 'password'] },
      php: { 'new PDO': ['url', 'username', 'password'], 'new mysqli': ['host', 'username', 'password', 'database', 'port'] },
    },
    // Ecto's URL form (`ecto://user:pass@host/db`): the repository's adapter names the engine, so the scheme says only database.
    family: 'relational', schemes: ['ecto'],
    keyWords: [sub('datasource'), token('database'), token('db'), token('jdbc'), token('sqlalchemy'), token('rds')],
    filterWords: ['jdbc', 'datasource', 'database', 'db_', 'dsn'],
  },
  'maven-repository': { family: 'devops', http: {} },
  http: {
    family: 'http', schemes: ['http', 'https'], filterWords: ['http://', 'https://'],
    examples: {
      finds: ['payment.api.base-url=https://pay.partner-gw.io/v2', 'halo.ui.proxy.endpoint=http://10.1.2.9:3000/'],
      ignores: ['halo.external-url=https://blog.acme.io', 'site.public_url=https://blog.acme.io', 'docs.url=https://docs.acme.io'],
    },
    clients: {
      python: { get: ['url'], post: ['url'], put: ['url'], delete: ['url'], patch: ['url'], head: ['url'], request: ['method', 'url'], AsyncClient: [], Session: [] },
      go: { 'http.Get': ['url'], 'http.Post': ['url'], 'http.NewRequest': ['method', 'url'], 'http.NewRequestWithContext': ['ctx', 'method', 'url'] },
      javascript: { fetch: ['url'], get: ['url'], post: ['url'], put: ['url'], delete: ['url'], patch: ['url'], request: ['url'] },
      javascriptModules: /^(@apollo\/client|apollo-boost|apollo-client|apollo-link-http|@urql\/core|urql|graphql-request)(\/|$)/,
      php: {
        get: ['url'], post: ['url'], put: ['url'], patch: ['url'], delete: ['url'], head: ['url'], request: ['method', 'url'],
        curl_init: ['url'], 'new Client': [], 'HttpClient::createForBaseUri': ['url'], 'HttpClient::create': [], baseUrl: ['url'], base_uri: ['url'],
      },
      ruby: {
        'Faraday.new': ['url'], 'Excon.new': ['url'], 'Net::HTTP.new': ['host', 'port'], 'Net::HTTP.start': ['host', 'port'],
        'Net::HTTP.get': ['url'], 'Net::HTTP.get_response': ['url'], 'Net::HTTP.post': ['url'], 'Net::HTTP.post_form': ['url'], 'URI.open': ['url'],
        get: ['url'], post: ['url'], put: ['url'], patch: ['url'], delete: ['url'], head: ['url'], base_uri: ['url'],
      },
      csharp: { 'new HttpClient': [], GetAsync: ['url'], PostAsync: ['url'], PutAsync: ['url'], DeleteAsync: ['url'], GetStringAsync: ['url'], GetFromJsonAsync: ['url'], PostAsJsonAsync: ['url'], SendAsync: [] },
      callWords: {
        sends: ['fetch', 'get', 'post', 'put', 'patch', 'delete', 'head', 'request', 'call', 'invoke', 'send', 'download', 'upload',
          'http', 'https', 'oauth', 'api', 'rest', 'curl', 'client', 'exchange'],
        builds: ['make', 'build', 'create', 'new'],
        builtWith: ['url', 'uri'],
      },
    },
  },
} as const satisfies Record<KnownKind, Product>;
