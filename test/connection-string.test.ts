import { describe, expect, it } from 'vitest';
import {
  looksLikeConnectionString, maskConnectionString, parseAdoNetConnectionString, parseConnectionString, parseGoMysqlDsn,
  parseHostList, parseJdbcUrl,
} from '../src/connection-string.js';

describe('parseConnectionString', () => {
  it('takes a driver prefix alone for a template part, and an in-memory H2 URL for a database', () => {
    for (const prefix of ['jdbc:mysql://', 'jdbc:mysql:loadbalance://', 'jdbc:oracle:thin:@', 'jdbc:oracle:thin:@//', 'jdbc:sqlserver://']) {
      expect(parseConnectionString(prefix)).toBeNull();
    }
    expect(parseConnectionString('jdbc:h2:mem:test')).toMatchObject({ kind: 'h2', database: 'test' });
    expect(parseConnectionString('jdbc:oracle:thin:@db:1521:ORCL')).toMatchObject({ kind: 'oracle', endpoints: [{ host: 'db', port: 1521 }] });
  });
  it('reads Server=name.db as a server, Data Source=app.db as a SQLite file', () => {
    expect(parseConnectionString('Server=podcast.db;Database=Podcast;User Id=sa;Password=x;Encrypt=False')).toMatchObject({
      kind: 'sqlserver', endpoints: [{ host: 'podcast.db', port: 1433 }], database: 'Podcast',
    });
    expect(parseConnectionString('Data Source=app.db;Cache=Shared')).toMatchObject({ kind: 'sqlite', endpoints: [] });
  });
  it('takes the Azure Storage emulator behind DevelopmentStorageProxyUri for that host', () => {
    expect(parseConnectionString('UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://azurite')!.endpoints).toEqual([{ host: 'azurite', port: null }]);
    expect(parseConnectionString('UseDevelopmentStorage=true')!.endpoints).toEqual([{ host: '127.0.0.1', port: null }]);
  });
});

describe('parseJdbcUrl', () => {
  it('reads MySQL with user and password in the query', () => {
    expect(parseJdbcUrl('jdbc:mysql://10.0.0.5:3307/orders?user=app&password=p%40ss&useSSL=false')).toEqual({
      kind: 'mysql', endpoints: [{ host: '10.0.0.5', port: 3307 }], database: 'orders', username: 'app', password: 'p@ss',
    });
  });
  it('fills the default port and reads failover host lists', () => {
    expect(parseJdbcUrl('jdbc:mysql:replication://db-a,db-b:3307/app')!.endpoints).toEqual([
      { host: 'db-a', port: 3306 }, { host: 'db-b', port: 3307 },
    ]);
  });
  it('sees through p6spy and log4jdbc wrappers', () => {
    expect(parseJdbcUrl('jdbc:p6spy:mysql://h:3306/d')!.kind).toBe('mysql');
    expect(parseJdbcUrl('jdbc:log4jdbc:postgresql://h/d')!.kind).toBe('postgresql');
  });
  it('reads MariaDB and PostgreSQL multi-host', () => {
    expect(parseJdbcUrl('jdbc:mariadb://m1/shop')).toMatchObject({ kind: 'mariadb', endpoints: [{ host: 'm1', port: 3306 }], database: 'shop' });
    expect(parseJdbcUrl('jdbc:postgresql://pg1:5433,pg2/app?targetServerType=primary')).toMatchObject({
      kind: 'postgresql', endpoints: [{ host: 'pg1', port: 5433 }, { host: 'pg2', port: 5432 }], database: 'app',
    });
  });
  it('reads Oracle thin SID, service and user/password forms', () => {
    expect(parseJdbcUrl('jdbc:oracle:thin:@10.1.1.1:1521:ORCL')).toMatchObject({ kind: 'oracle', endpoints: [{ host: '10.1.1.1', port: 1521 }], database: 'ORCL' });
    expect(parseJdbcUrl('jdbc:oracle:thin:@//db.corp:1522/SALES.corp')).toMatchObject({ endpoints: [{ host: 'db.corp', port: 1522 }], database: 'SALES.corp' });
    expect(parseJdbcUrl('jdbc:oracle:thin:scott/tiger@db:1521/XE')).toMatchObject({ username: 'scott', password: 'tiger', database: 'XE' });
  });
  it('reads Oracle TNS descriptors with several addresses', () => {
    const tns = 'jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS_LIST=(ADDRESS=(PROTOCOL=TCP)(HOST=n1)(PORT=1521))(ADDRESS=(PROTOCOL=TCP)(HOST=n2)(PORT=1526)))(CONNECT_DATA=(SERVICE_NAME=PAY)))';
    expect(parseJdbcUrl(tns)).toMatchObject({ kind: 'oracle', endpoints: [{ host: 'n1', port: 1521 }, { host: 'n2', port: 1526 }], database: 'PAY' });
  });
  it('reads SQL Server properties, instances and jTDS', () => {
    expect(parseJdbcUrl('jdbc:sqlserver://sql1\\INST1;databaseName=Fin;user=sa;password=x')).toMatchObject({
      kind: 'sqlserver', endpoints: [{ host: 'sql1', port: 1433 }], database: 'Fin', username: 'sa', password: 'x',
    });
    expect(parseJdbcUrl('jdbc:sqlserver://;serverName=sql2;portNumber=1500;database=Ops')).toMatchObject({ endpoints: [{ host: 'sql2', port: 1500 }], database: 'Ops' });
    expect(parseJdbcUrl('jdbc:jtds:sqlserver://sql3:1433/Legacy;user=u')).toMatchObject({ kind: 'sqlserver', database: 'Legacy', username: 'u' });
  });
  it('reads ClickHouse, DM, Kingbase, Hive and Phoenix', () => {
    expect(parseJdbcUrl('jdbc:clickhouse://ch1:8123/metrics')).toMatchObject({ kind: 'clickhouse', database: 'metrics' });
    expect(parseJdbcUrl('jdbc:ch://ch2/logs')).toMatchObject({ kind: 'clickhouse', endpoints: [{ host: 'ch2', port: 8123 }] });
    expect(parseJdbcUrl('jdbc:dm://10.2.2.2:5236/DB')).toMatchObject({ kind: 'dm', endpoints: [{ host: '10.2.2.2', port: 5236 }] });
    expect(parseJdbcUrl('jdbc:kingbase8://kb:54321/test')).toMatchObject({ kind: 'kingbase' });
    expect(parseJdbcUrl('jdbc:hive2://hs2:10000/default')).toMatchObject({ kind: 'hive', database: 'default' });
    expect(parseJdbcUrl('jdbc:phoenix:zk1,zk2,zk3:2181:/hbase')).toMatchObject({ kind: 'hbase', endpoints: [{ host: 'zk1', port: 2181 }, { host: 'zk2', port: 2181 }, { host: 'zk3', port: 2181 }] });
  });
  it('lets the key say Doris or StarRocks behind a jdbc:mysql URL', () => {
    expect(parseJdbcUrl('jdbc:mysql://fe1:9030/dw', 'doris')).toMatchObject({ kind: 'doris', endpoints: [{ host: 'fe1', port: 9030 }] });
  });
  it('reads embedded databases as connections with no host, named by their file or in-memory name', () => {
    expect(parseJdbcUrl('jdbc:h2:mem:test;MODE=MySQL')).toEqual({ kind: 'h2', endpoints: [], database: 'test', username: null, password: null });
    expect(parseJdbcUrl('jdbc:sqlite:/tmp/x.db')).toMatchObject({ kind: 'sqlite', endpoints: [], database: '/tmp/x.db' });
    expect(parseConnectionString('sqlite:///app.db')).toMatchObject({ kind: 'sqlite', endpoints: [], database: 'app.db' });
    expect(parseConnectionString('Data Source=app.db')).toMatchObject({ kind: 'sqlite', endpoints: [], database: 'app.db' });
    expect(parseJdbcUrl('jdbc:hsqldb:mem:x')).toBeNull(); // no kind of its own
    expect(parseJdbcUrl('jdbc:h2:tcp://h2srv:9092/db')).not.toBeNull();
  });
  it('keeps a placeholder host unknown instead of inventing one', () => {
    expect(parseJdbcUrl('jdbc:mysql://${DB_HOST}:3306/app')).toMatchObject({ endpoints: [{ host: null, port: 3306 }], database: 'app' });
  });
});

describe('URL forms', () => {
  it('reads redis, rediss and password-only userinfo', () => {
    expect(parseConnectionString('redis://:s3cret@cache.internal:6380/2')).toEqual({
      kind: 'redis', endpoints: [{ host: 'cache.internal', port: 6380 }], database: '2', username: null, password: 's3cret',
    });
    expect(parseConnectionString('rediss://default:pw@r.cloud')).toMatchObject({ endpoints: [{ host: 'r.cloud', port: 6379 }], username: 'default', password: 'pw' });
  });
  it('reads redis sentinel lists', () => {
    expect(parseConnectionString('redis-sentinel://s1:26379,s2:26379,s3:26379/0')!.endpoints).toHaveLength(3);
  });
  it('reads mongodb replica sets and mongodb+srv without ports', () => {
    expect(parseConnectionString('mongodb://u:p%3Aw@m1:27017,m2:27018/app?replicaSet=rs0')).toMatchObject({
      kind: 'mongodb', endpoints: [{ host: 'm1', port: 27017 }, { host: 'm2', port: 27018 }], database: 'app', username: 'u', password: 'p:w',
    });
    expect(parseConnectionString('mongodb+srv://u:p@cluster0.abcde.mongodb.net/prod')).toMatchObject({
      endpoints: [{ host: 'cluster0.abcde.mongodb.net', port: null }], database: 'prod',
    });
  });
  it('reads amqp with an encoded vhost', () => {
    expect(parseConnectionString('amqp://guest:guest@mq:5672/%2Fprod')).toMatchObject({ kind: 'rabbitmq', database: '/prod', username: 'guest' });
    expect(parseConnectionString('amqps://mq.cloud')).toMatchObject({ kind: 'rabbitmq', endpoints: [{ host: 'mq.cloud', port: 5672 }] });
  });
  it('reads mqtt schemes and lets a hint decide tcp:// and ssl://', () => {
    expect(parseConnectionString('mqtt://emq:1883')).toMatchObject({ kind: 'mqtt', endpoints: [{ host: 'emq', port: 1883 }] });
    expect(parseConnectionString('tcp://broker.emqx.io:1883')).toMatchObject({ kind: 'mqtt' });
    expect(parseConnectionString('ssl://iot.corp:8883', 'mqtt')).toMatchObject({ kind: 'mqtt', endpoints: [{ host: 'iot.corp', port: 8883 }] });
    expect(parseConnectionString('ws://iot.corp:8083/mqtt', 'mqtt')).toMatchObject({ kind: 'mqtt' });
    expect(parseConnectionString('tcp://unknown:4444')).toBeNull();
  });
  it('reads SQLAlchemy dialect+driver URLs', () => {
    expect(parseConnectionString('mysql+pymysql://u:p@db:3306/app?charset=utf8mb4')).toMatchObject({ kind: 'mysql', database: 'app', password: 'p' });
    expect(parseConnectionString('postgresql+psycopg2://u@pg/app')).toMatchObject({ kind: 'postgresql', endpoints: [{ host: 'pg', port: 5432 }] });
    // libpq: no host is the server on this machine, unless the query names a socket directory or a lookup fills it.
    expect(parseConnectionString('postgres:///app')).toMatchObject({ endpoints: [{ host: 'localhost', port: 5432 }], database: 'app' });
    expect(parseConnectionString('postgresql://app:pw@/app')).toMatchObject({ endpoints: [{ host: 'localhost', port: 5432 }] });
    expect(parseConnectionString('postgresql://u@/db?host=/var/run/postgresql')!.endpoints).toEqual([{ host: null, port: null }]);
    expect(parseConnectionString('postgres://${DB_HOST}/app')!.endpoints).toEqual([{ host: null, port: null }]);
    // libpq's keyword=value DSN (also Go's lib/pq and pgx); without a host it is this machine's server.
    expect(parseConnectionString("host=10.2.0.4 port=5433 user=orders password='a b' dbname=orders sslmode=disable")).toEqual({
      kind: 'postgresql', endpoints: [{ host: '10.2.0.4', port: 5433 }], database: 'orders', username: 'orders', password: 'a b',
    });
    expect(parseConnectionString('host=/var/run/postgresql dbname=app')!.endpoints).toEqual([{ host: 'localhost', port: 5432 }]);
    expect(parseConnectionString('user=%s password=%s dbname=%s sslmode=disable')).toBeNull();
    // No host: libpq's default, the server on this machine, as for `postgres:///app`.
    expect(parseConnectionString('user=postgres password=postgres dbname=feeds sslmode=disable')).toEqual({
      kind: 'postgresql', endpoints: [{ host: 'localhost', port: 5432 }], database: 'feeds', username: 'postgres', password: 'postgres',
    });
    // redis-py and ioredis read a bare `redis://` as localhost:6379.
    expect(parseConnectionString('redis://')!.endpoints).toEqual([{ host: 'localhost', port: 6379 }]);
    expect(parseConnectionString('redis://:pw@/2')).toMatchObject({ endpoints: [{ host: 'localhost', port: 6379 }], password: 'pw' });
    expect(parseConnectionString('oracle+cx_oracle://u:p@ora:1521/?service_name=X')).toMatchObject({ kind: 'oracle' });
  });
  it("reads a provider's secure WebSocket URL as an HTTP service unless a hint names the product it carries", () => {
    expect(parseConnectionString('wss://ws.pay-provider.io/graphql')).toMatchObject({ kind: 'http', endpoints: [{ host: 'ws.pay-provider.io', port: 443 }] });
    expect(parseConnectionString('wss://broker.iot-cloud.io:8084/mqtt', 'mqtt')).toMatchObject({ kind: 'mqtt' });
    // a front end's plain socket to its own back end names no product
    expect(parseConnectionString('ws://chat-gateway:8080/socket')).toBeNull();
  });
  it('reads http(s) with default ports, and lets a hint name the product', () => {
    expect(parseConnectionString('https://api.partner.com/v1/pay')).toMatchObject({ kind: 'http', endpoints: [{ host: 'api.partner.com', port: 443 }], database: null });
    expect(parseConnectionString('http://es1:9200', 'elasticsearch')).toMatchObject({ kind: 'elasticsearch', endpoints: [{ host: 'es1', port: 9200 }] });
  });
  it('reads IPv6 hosts in brackets', () => {
    expect(parseConnectionString('redis://[2001:db8::1]:6379')!.endpoints).toEqual([{ host: '2001:db8::1', port: 6379 }]);
    expect(parseJdbcUrl('jdbc:postgresql://[::1]:5433/x')!.endpoints).toEqual([{ host: '::1', port: 5433 }]);
  });
  it('reads zookeeper:// and nacos:// registry URLs', () => {
    expect(parseConnectionString('zookeeper://zk1:2181?backup=zk2:2181')).toMatchObject({ kind: 'zookeeper', endpoints: [{ host: 'zk1', port: 2181 }] });
  });
});

describe('Go DSN, ADO.NET and host lists', () => {
  it('reads go-sql-driver/mysql DSNs', () => {
    expect(parseGoMysqlDsn('app:p@ss@tcp(10.0.0.9:3306)/orders?parseTime=true')).toEqual({
      kind: 'mysql', endpoints: [{ host: '10.0.0.9', port: 3306 }], database: 'orders', username: 'app', password: 'p@ss',
    });
    expect(parseGoMysqlDsn('root@tcp(db)/x')).toMatchObject({ endpoints: [{ host: 'db', port: 3306 }], username: 'root', password: null });
    expect(parseConnectionString('u:p@unix(/var/run/mysqld.sock)/db')).toMatchObject({ endpoints: [{ host: 'localhost', port: null }] });
    // The same DSN behind a `mysql://` scheme (gobuffalo/pop, Ory): the parenthesised address is no URL authority.
    expect(parseConnectionString('mysql://root:secret@(10.0.0.9:3444)/auth?parseTime=true')).toEqual({
      kind: 'mysql', endpoints: [{ host: '10.0.0.9', port: 3444 }], database: 'auth', username: 'root', password: 'secret',
    });
    expect(parseConnectionString('mysql://app@tcp(db:3306)/orders')).toMatchObject({ kind: 'mysql', endpoints: [{ host: 'db', port: 3306 }] });
  });
  it('reads ADO.NET strings for SQL Server, Npgsql and MySQL', () => {
    expect(parseAdoNetConnectionString('Server=tcp:sql.corp,1444;Initial Catalog=Fin;User ID=fin;Password=x;')).toMatchObject({
      kind: 'sqlserver', endpoints: [{ host: 'sql.corp', port: 1444 }], database: 'Fin', username: 'fin', password: 'x',
    });
    expect(parseAdoNetConnectionString('Host=pg;Port=5433;Database=d;Username=u;Password=p')).toMatchObject({ kind: 'postgresql', endpoints: [{ host: 'pg', port: 5433 }] });
    expect(parseAdoNetConnectionString('Server=my;Port=3306;Uid=u;Pwd=p;Database=d')).toMatchObject({ kind: 'mysql', username: 'u', password: 'p' });
    // Npgsql's own keywords say PostgreSQL when `Server=` and an unusual port say nothing.
    expect(parseAdoNetConnectionString('Server=localhost;Port=5433;Database=Cart;User Id=cart;Password=p;Include Error Detail=true')).toMatchObject({ kind: 'postgresql', endpoints: [{ host: 'localhost', port: 5433 }] });
    expect(parseAdoNetConnectionString('Server=pg.internal;Port=6432;Database=app;Search Path=billing')).toMatchObject({ kind: 'postgresql' });
    expect(parseAdoNetConnectionString('Server=sql.internal;Port=1533;Database=app')).toMatchObject({ kind: 'sqlserver' });
    expect(parseAdoNetConnectionString('Data Source=.\\SQLEXPRESS;Integrated Security=true')).toMatchObject({ kind: 'sqlserver', endpoints: [{ host: 'localhost', port: 1433 }] }); // `.` is this machine to SqlClient
  });
  it('reads Kafka, ZooKeeper and RocketMQ host lists', () => {
    expect(parseHostList('k1:9092,k2:9093', 'kafka')!.endpoints).toEqual([{ host: 'k1', port: 9092 }, { host: 'k2', port: 9093 }]);
    expect(parseHostList('zk1,zk2,zk3', 'zookeeper')!.endpoints.map((e) => e.port)).toEqual([2181, 2181, 2181]);
    expect(parseHostList('10.0.0.1:9876;10.0.0.2:9876', 'rocketmq')!.endpoints).toHaveLength(2);
    expect(parseHostList('nacos1:8848, nacos2:8848', 'nacos')!.endpoints[1]).toEqual({ host: 'nacos2', port: 8848 });
  });
  it('reads StackExchange.Redis option lists', () => {
    expect(parseHostList('r1:6380,r2:6380,password=pw,ssl=True', 'redis')).toMatchObject({ endpoints: [{ host: 'r1', port: 6380 }, { host: 'r2', port: 6380 }], password: 'pw' });
  });
  it('refuses words that are not hosts', () => {
    expect(parseHostList('true', 'kafka')).toBeNull();
    expect(parseHostList('this is a sentence', 'kafka')).toBeNull();
  });
});

describe('looksLikeConnectionString and maskConnectionString', () => {
  it('recognises connection strings by shape but not web links', () => {
    expect(looksLikeConnectionString('jdbc:mysql://h/d')).toBe(true);
    expect(looksLikeConnectionString('redis://h')).toBe(true);
    expect(looksLikeConnectionString('u:p@tcp(h:3306)/d')).toBe(true);
    expect(looksLikeConnectionString('u:p@(h:3306)/d')).toBe(true);
    expect(looksLikeConnectionString('host=h port=5432 user=u dbname=d')).toBe(true);
    expect(parseGoMysqlDsn('(%s:%d)')).toBeNull();
    expect(looksLikeConnectionString('Server=h;Database=d;')).toBe(true);
    expect(looksLikeConnectionString('https://example.org')).toBe(false);
    expect(looksLikeConnectionString('hello world')).toBe(false);
  });
  it('masks every password form and keeps the rest', () => {
    expect(maskConnectionString('mysql://u:secret@h/d')).toBe('mysql://u:****@h/d');
    expect(maskConnectionString('jdbc:mysql://h/d?user=u&password=secret&x=1')).toBe('jdbc:mysql://h/d?user=u&password=****&x=1');
    expect(maskConnectionString('Server=h;Password=secret;Database=d')).toBe('Server=h;Password=****;Database=d');
    expect(maskConnectionString('u:secret@tcp(h:3306)/d')).toBe('u:****@tcp(h:3306)/d');
    expect(maskConnectionString('u:secret@(h:3306)/d')).toBe('u:****@(h:3306)/d');
    expect(maskConnectionString('jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1521)))')).toBe('jdbc:oracle:thin:@(DESCRIPTION=(ADDRESS=(HOST=h)(PORT=1521)))');
    expect(maskConnectionString('DefaultEndpointsProtocol=https;AccountName=a;AccountKey=c2VjcmV0a2V5;EndpointSuffix=core.windows.net'))
      .toBe('DefaultEndpointsProtocol=https;AccountName=a;AccountKey=****;EndpointSuffix=core.windows.net');
    expect(maskConnectionString('jdbc:oracle:thin:scott/secret@h:1521/X')).toBe('jdbc:oracle:thin:scott/****@h:1521/X');
    expect(maskConnectionString('r1:6379,password=secret,ssl=True')).toBe('r1:6379,password=****,ssl=True');
  });
});

describe('maskConnectionString on tokens that are not called passwords', () => {
  it('masks webhook tokens in query strings and paths', () => {
    expect(maskConnectionString('https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef')).toBe('https://oapi.dingtalk.com/robot/send?access_token=****');
    expect(maskConnectionString('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx')).toBe('https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****');
    expect(maskConnectionString('https://hooks.slack.com/services/T0000/B0000/XXXXXXXX')).toBe('https://hooks.slack.com/services/****');
    expect(maskConnectionString('https://open.feishu.cn/open-apis/bot/v2/hook/2f0a-4b1c')).toBe('https://open.feishu.cn/open-apis/bot/v2/hook/****');
  });
  it('treats a lone userinfo on a web URL as a credential', () => {
    expect(maskConnectionString('https://ghp_abcdefghijklmnop@github.com/acme/repo.git')).toBe('https://****@github.com/acme/repo.git');
    expect(parseConnectionString('https://ghp_abcdefghijklmnop@github.com/acme/repo.git')).toMatchObject({ username: null, password: 'ghp_abcdefghijklmnop' });
  });
  it('leaves ordinary parameters alone', () => {
    expect(maskConnectionString('jdbc:mysql://h/d?useSSL=false&serverTimezone=UTC')).toBe('jdbc:mysql://h/d?useSSL=false&serverTimezone=UTC');
    expect(maskConnectionString('https://api.partner.com/v1/orders?page=2')).toBe('https://api.partner.com/v1/orders?page=2');
  });
});
