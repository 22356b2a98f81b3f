/**
 * Generates a synthetic repository tree for the benchmark: a realistic mix of source
 * files (most of the bytes), config files (most of the findings), docs, and a few
 * binaries, spread over service modules. Deterministic for a given size and seed.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const WORDS = ['order', 'user', 'payment', 'invoice', 'cache', 'report', 'audit', 'stock', 'price', 'coupon', 'member', 'notify'];

/**
 * Java: like real services, connection code sits in a few configuration classes (1 in 15
 * here) and the rest is business logic; every file carries the Apache license header,
 * whose http:// link must not make the code scanner parse it.
 */
function javaFile(r: () => number, name: string, isConfig: boolean): string {
  const lines = ['/*', ' * Licensed under the Apache License, Version 2.0 (the "License");', ' * you may obtain a copy at http://www.apache.org/licenses/LICENSE-2.0', ' */',
    `package com.acme.${name};`, '', 'import java.util.*;', '', `public class ${name[0]!.toUpperCase()}${name.slice(1)}Service {`];
  const n = 150 + Math.floor(r() * 150);
  for (let i = 0; i < n; i++) {
    const w = WORDS[Math.floor(r() * WORDS.length)]!;
    if (isConfig && r() < 0.03) lines.push(`    private static final String URL = "jdbc:mysql://10.0.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}:3306/${w}";`);
    else lines.push(`    public List<${w}Dto> find${w}ById(long id, int page) { return repository.find(id, page * ${i}); } // ${w} lookup`);
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

function pythonFile(r: () => number, isConfig: boolean): string {
  const lines = ['import logging', ''];
  const n = 150 + Math.floor(r() * 150);
  for (let i = 0; i < n; i++) {
    const w = WORDS[Math.floor(r() * WORDS.length)]!;
    lines.push(isConfig && r() < 0.03 ? `REDIS_URL = os.getenv("REDIS_URL", "redis://10.1.${i % 255}.1:6379/0")` : `def handle_${w}_${i}(request, ${w}_id):\n    return service.get_${w}(${w}_id, limit=${i})`);
  }
  return lines.join('\n') + '\n';
}

function jsFile(r: () => number): string {
  const lines = ["'use strict';", ''];
  const n = 150 + Math.floor(r() * 150);
  for (let i = 0; i < n; i++) {
    const w = WORDS[Math.floor(r() * WORDS.length)]!;
    lines.push(`export async function load${w}${i}(client, id) { const rows = await client.query('select * from ${w} where id = $1', [id]); return rows[${i % 3}]; }`);
  }
  return lines.join('\n') + '\n';
}

function springYaml(r: () => number, app: string): string {
  const ip = () => `10.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`;
  return `spring:
  application:
    name: ${app}
  datasource:
    url: jdbc:mysql://${ip()}:3306/${app.replace(/-/g, '_')}?useSSL=false
    username: ${app}
    password: \${DB_PASSWORD:changeit}
  redis:
    host: ${ip()}
    port: 6379
  kafka:
    bootstrap-servers: ${ip()}:9092,${ip()}:9092
  cloud:
    nacos:
      discovery:
        server-addr: ${ip()}:8848
logging:
  level:
    root: info
`;
}

function properties(r: () => number, app: string): string {
  const lines = ['# generated', `spring.application.name=${app}`];
  for (let i = 0; i < 40; i++) lines.push(`${app}.feature.${WORDS[i % WORDS.length]}.enabled=${r() < 0.5}`);
  lines.push(`spring.datasource.url=jdbc:postgresql://10.9.${Math.floor(r() * 255)}.1:5432/${app.replace(/-/g, '_')}`);
  return lines.join('\n') + '\n';
}

function compose(app: string): string {
  return `services:\n  ${app}:\n    build: .\n    environment:\n      - REDIS_URL=redis://redis:6379/0\n    depends_on: [redis, mysql]\n  redis:\n    image: redis:7\n  mysql:\n    image: mysql:8\n    environment:\n      MYSQL_DATABASE: ${app.replace(/-/g, '_')}\n`;
}

export interface GeneratedTree {
  files: number;
  bytes: number;
}

/** Writes about `targetBytes` of files under `dir`. */
export function generateTree(dir: string, targetBytes: number, seed = 42): GeneratedTree {
  const r = rng(seed);
  let bytes = 0;
  let files = 0;
  const write = (rel: string, text: string | Buffer) => {
    const file = path.join(dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
    bytes += typeof text === 'string' ? Buffer.byteLength(text) : text.length;
    files++;
  };
  for (let m = 0; bytes < targetBytes; m++) {
    const app = `${WORDS[m % WORDS.length]}-service-${m}`;
    const base = `services/${app}`;
    write(`${base}/pom.xml`, `<project><modelVersion>4.0.0</modelVersion><artifactId>${app}</artifactId></project>\n`);
    write(`${base}/src/main/resources/application.yml`, springYaml(r, app));
    write(`${base}/src/main/resources/application-prod.properties`, properties(r, app));
    write(`${base}/docker-compose.yml`, compose(app));
    write(`${base}/.env`, `DB_HOST=10.3.${m % 255}.4\nDB_PORT=5432\nDB_USER=${app}\nDB_PASSWORD=\n`);
    write(`${base}/README.md`, `# ${app}\n\nSee the wiki at https://wiki.acme.internal/${app}.\n`.repeat(20));
    write(`${base}/static/logo.bin`, Buffer.from(Array.from({ length: 4096 }, () => Math.floor(r() * 256))));
    for (let i = 0; i < 60; i++) write(`${base}/src/main/java/com/acme/${app.replace(/-/g, '')}/C${i}.java`, javaFile(r, `c${i}`, i % 15 === 0));
    for (let i = 0; i < 20; i++) write(`${base}/scripts/job_${i}.py`, pythonFile(r, i % 10 === 0));
    for (let i = 0; i < 20; i++) write(`${base}/web/src/module${i}.js`, jsFile(r));
  }
  return { files, bytes };
}

/**
 * Java that the code scanner must parse: every class has a reason to pass the gate (a URL, a `@Value`, a client),
 * the shapes real Spring code bases repeat: configuration classes with `DataSource`/Redis/Kafka beans and constants,
 * HTTP clients with base URLs, and services that read `@Value("${...:default}")` properties.
 */
function parsedJavaFile(r: () => number, pkg: string, name: string, k: number): string {
  const w = () => WORDS[Math.floor(r() * WORDS.length)]!;
  const host = () => `10.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}.${1 + Math.floor(r() * 250)}`;
  const lines = [`package com.acme.${pkg};`, '', 'import org.springframework.beans.factory.annotation.Value;', 'import org.springframework.context.annotation.*;', '',
    '@Configuration', `public class ${name} {`];
  if (k % 3 === 0) {
    lines.push(`    private static final String JDBC_URL = "jdbc:mysql://${host()}:3306/${w()}?useSSL=false";`,
      '    @Bean public DataSource dataSource() {', '        HikariDataSource ds = new HikariDataSource();', '        ds.setJdbcUrl(JDBC_URL);',
      `        ds.setUsername("${w()}_app");`, '        ds.setPassword(System.getenv("DB_PASSWORD"));', '        return ds;', '    }',
      `    @Bean public JedisPool jedisPool() { return new JedisPool("${host()}", 6379); }`);
  } else if (k % 3 === 1) {
    lines.push(`    @Value("\${${w()}.api.base-url:https://${w()}.acme.internal/api/v1}")`, '    private String baseUrl;',
      `    @Value("\${kafka.bootstrap-servers:${host()}:9092}")`, '    private String brokers;');
  } else {
    lines.push(`    private static final String ENDPOINT = "https://${w()}.partner.example.net/v2/${w()}";`,
      '    private final RestTemplate rest = new RestTemplate();');
  }
  const n = 100 + Math.floor(r() * 150);
  for (let i = 0; i < n; i++) {
    const v = w();
    lines.push(`    public List<${v}Dto> find${v}ById(long id, int page) {`, `        Map<String, Object> q = new HashMap<>(); q.put("id", id); q.put("page", page * ${i});`,
      `        return rest.getForObject(baseUrl + "/${v}/" + id, List.class, q); // ${v} lookup`, '    }');
  }
  lines.push('}');
  return lines.join('\n') + '\n';
}

/** One repository of about `targetBytes` of Java in the layout of a large Maven multi-module code base. */
export function generateJavaRepository(dir: string, targetBytes: number, seed = 42): GeneratedTree {
  const r = rng(seed);
  let bytes = 0;
  let files = 0;
  for (let m = 0; bytes < targetBytes; m++) {
    const module = `${WORDS[m % WORDS.length]}-module-${m}`;
    const pkg = module.replace(/-/g, '');
    const base = path.join(dir, module);
    mkdirSync(path.join(base, 'src/main/java/com/acme', pkg), { recursive: true });
    writeFileSync(path.join(base, 'pom.xml'), `<project><modelVersion>4.0.0</modelVersion><artifactId>${module}</artifactId></project>\n`);
    for (let i = 0; i < 40 && bytes < targetBytes; i++) {
      const text = parsedJavaFile(r, pkg, `C${i}Config`, i);
      writeFileSync(path.join(base, 'src/main/java/com/acme', pkg, `C${i}Config.java`), text);
      bytes += Buffer.byteLength(text);
      files++;
    }
  }
  return { files, bytes };
}
