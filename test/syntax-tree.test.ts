/**
 * The copied syntax tree (src/code/syntax-tree.ts) must answer every read the scanners make exactly as
 * tree-sitter's own nodes do, on every grammar, including non-ASCII text, astral characters and syntax errors.
 */
import type Parser from 'tree-sitter';
import { describe, expect, it } from 'vitest';
import { parseSource, parserFor, type Language, type SyntaxNode } from '../src/code/parsers.js';


const SOURCES: Record<Language, string> = {
  python: [
    '# 配置 😀',
    'import redis',
    'from db import (connect as c, Pool)',
    'HOST = "héllo 😀" + f"{PORT}é\\n"',
    'class Settings:',
    '    url: str = os.getenv("URL", default="redis://x:6379/0")',
    '    def dsn(self):',
    '        return f"mysql://{self.user}@db/app" if self.ok else None',
    'r = redis.Redis(host=HOST, port=6379, **opts)',
    'broken = (',
  ].join('\n'),
  java: [
    '/* 注释 😀 */',
    'package a.b;',
    '@Configuration public class C {',
    '  private static final String URL = "jdbc:mysql://db:3306/app?x=é";',
    '  @Bean DataSource ds() { return DataSourceBuilder.create().url(URL).password("p" + 1).build(); }',
    '  void broken( {',
    '}',
  ].join('\n'),
  javascript: [
    '// 😀 ünïcode',
    'const { Pool } = require("pg");',
    'const pool = new Pool({ host: process.env.PGHOST || "db", port: 5432, password: `pw${x}é` });',
    'export default { redis: { url: "redis://cache:6379" } };',
    'fetch(`https://api.example.com/${id}`, { method: "POST" })',
  ].join('\n'),
  typescript: [
    'import Redis from "ioredis";',
    'const client: Redis = new Redis(6379, "cache", { password: "s3cr3t" } as const);',
    'type T = { host: string };',
    'function f<T>(x: T): T { return x }',
  ].join('\n'),
  tsx: [
    'const App = () => <div title="😀">{fetch("https://api.example.com")}</div>;',
    'export const url: string = "amqp://mq:5672";',
  ].join('\n'),
  go: [
    '// 中文',
    'package main',
    'import ("database/sql"; "fmt")',
    'func main() {',
    '\tdb, _ := sql.Open("mysql", fmt.Sprintf("%s:%s@tcp(%s)/app", u, p, "db:3306"))',
    '\t_ = db',
    '}',
  ].join('\n'),
  csharp: [
    '// 中文 😀',
    'using Npgsql;',
    'var c = new NpgsqlConnection($"Host={host};Password=密码😀;");',
    'var f = new ConnectionFactory { HostName = @"mq\\a", Port = 5672 };',
    'class P { const string U = "redis:6379"; void M() { if ( } }',
  ].join('\n'),
  kotlin: [
    '// 中文 😀',
    'import redis.clients.jedis.Jedis',
    'const val HOST = "héllo 😀"',
    'class C(@Value("\\${redis.host:db}") val h: String) { fun f() = Jedis("$HOST:${port}é", 6379) ?: x }',
    'val cfg = HikariConfig().apply { jdbcUrl = """jdbc:mysql://db/app""" }',
    'fun broken( {',
  ].join('\n'),
  ruby: [
    '# 中文 😀',
    'API = "héllo 😀 #{HOST}é\\n".freeze',
    'config.cache_store = :mem_cache_store, ENV.fetch("M") { "m:11211" }, { failover: true }',
    'r = Redis.new(url: ENV["REDIS_URL"] || "redis://x:6379/0", **opts) do |c|',
    '  c.timeout = 5',
    'end',
    'def broken(',
  ].join('\n'),
  php: [
    '<?php // 中文 😀',
    'class C { const URL = "héllo 😀 {$host}é\\n"; protected string $base = \'https://x\'; }',
    '$pdo = new PDO(\'mysql:host=\' . (getenv(\'DB_HOST\') ?: \'db\') . \';dbname=app\', \'u\', $_ENV[\'P\'] ?? \'p\');',
    'Http::withToken($t)->get("https://api/{$this->repo}", [\'a\' => 1]);',
    'function broken( {',
  ].join('\n'),
  rust: [
    '// 配置 😀',
    'const RELAY: &str = "héllo 😀 \\n https://x";',
    'fn cfg() -> Cfg { Cfg { host: env::var("H").unwrap_or("é".to_string()), url: format!("{RELAY}/{}", id) } }',
    'settings! { push { relay_uri: String, def, "https://push.example".to_owned(); } }',
    'fn broken( {',
  ].join('\n'),
};

/** Every node of tree-sitter's own tree, in document order. */
function nativeNodes(root: Parser.SyntaxNode): Parser.SyntaxNode[] {
  const out: Parser.SyntaxNode[] = [];
  const visit = (n: Parser.SyntaxNode) => {
    out.push(n);
    for (const c of n.children) visit(c);
  };
  visit(root);
  return out;
}

function copiedNodes(root: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  const visit = (n: SyntaxNode) => {
    out.push(n);
    for (const c of n.children) visit(c);
  };
  visit(root);
  return out;
}

const shape = (n: { type: string; text: string; isNamed: boolean; startIndex: number; endIndex: number; startPosition: { row: number; column: number }; endPosition: { row: number; column: number } } | null) =>
  n && { type: n.type, text: n.text, named: n.isNamed, start: n.startIndex, end: n.endIndex, from: n.startPosition, to: n.endPosition };

describe('copied syntax tree', () => {
  for (const language of Object.keys(SOURCES) as Language[]) {
    it(`reads like tree-sitter's own nodes: ${language}`, () => {
      const text = SOURCES[language];
      const native = parserFor(language).parse(text);
      const copied = parseSource(language, text).rootNode;
      const a = nativeNodes(native.rootNode);
      const b = copiedNodes(copied);
      expect(b.length).toBe(a.length);
      expect(a.length).toBeGreaterThan(20);
      const fields = new Set<string>();
      a.forEach((n, i) => {
        const c = b[i]!;
        expect(shape(c)).toEqual(shape(n));
        expect(shape(c.parent)).toEqual(shape(n.parent));
        expect(c.namedChildren.map(shape)).toEqual(n.namedChildren.map(shape));
        n.children.forEach((child, k) => {
          const field = n.fieldNameForChild(k);
          if (field) fields.add(field);
        });
      });
      // Every field name the grammar used here: the first child and all children under it agree.
      a.forEach((n, i) => {
        for (const field of fields) {
          expect(shape(b[i]!.childForFieldName(field))).toEqual(shape(n.childForFieldName(field)));
          expect(b[i]!.childrenForFieldName(field).map(shape)).toEqual(n.childrenForFieldName(field).map(shape));
        }
      });
      expect(fields.size).toBeGreaterThan(3);
      const types = [...new Set(a.filter((n) => n.isNamed).map((n) => n.type))];
      expect(copied.descendantsOfType(types).map(shape)).toEqual(native.rootNode.descendantsOfType(types).map(shape));
      // The smallest node at the first visible character of every line (what model snippets start from).
      text.split('\n').forEach((line, row) => {
        const point = { row, column: Math.max(0, line.search(/\S/)) };
        expect(shape(copied.descendantForPosition(point)), `line ${row + 1}`).toEqual(shape(native.rootNode.descendantForPosition(point)));
      });
    });
  }
});
