/**
 * DevProxyScanner: where a front end's development server forwards API calls — the back end the front-end app
 * talks to, labelled `http` (scope main: the config ships with the app). Each tool's documented option:
 *   vite.config.*    server.proxy / preview.proxy  { '/api': { target: 'http://127.0.0.1:8888' } }, { '/api': 'http://…' }
 *   vue.config.js    devServer.proxy               'http://localhost:4000', or the object form as above
 *   webpack.config.* devServer.proxy               the object form, or webpack-dev-server 5's [{ context, target }]
 *   src/setupProxy.js (Create React App)           createProxyMiddleware({ target }), http-proxy-middleware's proxy('/api', { target })
 *   proxy.conf.{json,js} (Angular CLI)             { '/api': { target } }
 *   config/proxy.ts, .umirc.ts (umi, Ant Design Pro) { dev: { '/api/': { target, changeOrigin } } }, or `proxy:` in .umirc
 *   package.json (Create React App)                "proxy": "http://localhost:4000"
 *   next.config.* (Next.js)                        async rewrites() { return [{ source, destination: 'https://…' }] }, also
 *                                                  { beforeFiles, afterFiles, fallback }: an absolute destination is a
 *                                                  server the app proxies those paths to (a relative one is its own page)
 * A target from the environment (`env.VITE_API_URL` after `loadEnv`, `import.meta.env.X`, `process.env.X`) is a
 * `${X}` lookup: the app's `.env` resolves it in the second pass (ScanOutput.lookups); unresolved, it names no host
 * and is not reported. javascript-code leaves `*.config.js` files alone; this scanner reads only these options.
 */
import { ConstantTable, settingOf } from '../src/code/constants.js';
import { parseSource, type Language, type SyntaxNode } from '../src/code/parsers.js';
import { profileFromPath } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import { findKeyLine } from '../src/text.js';
import { hasUnresolvedLookup } from '../src/values.js';
import { evaluate } from './javascript-code.js';

/** http-proxy-middleware's factories (v1+ and the v0 default export CRA's docs used). */
const PROXY_CALLS = /^(createProxyMiddleware|legacyCreateProxyMiddleware|proxy|httpProxy|createProxy)$/;

function keyOf(pair: SyntaxNode): string | null {
  const key = pair.childForFieldName('key');
  if (!key) return null;
  return key.type === 'string' ? key.text.slice(1, -1) : key.text;
}

function pairs(object: SyntaxNode): SyntaxNode[] {
  return object.namedChildren.filter((c) => c.type === 'pair');
}

/** The `target` of one proxy rule: a string (shorthand), or an options object's `target`. */
function targetsOfRule(rule: SyntaxNode): SyntaxNode[] {
  if (rule.type === 'object') return pairs(rule).filter((p) => keyOf(p) === 'target').flatMap((p) => p.childForFieldName('value') ?? []);
  return [rule];
}

/** The targets a `proxy` option's value names: a string, a map of context → rule, or an array of rules. */
function targetsOfProxy(value: SyntaxNode): SyntaxNode[] {
  if (value.type === 'object') {
    // `proxy: { target: … }` (a single rule) or `{ '/api': rule, … }`.
    const own = targetsOfRule(value);
    if (own.length > 0) return own;
    return pairs(value).flatMap((p) => { const v = p.childForFieldName('value'); return v ? targetsOfRule(v) : []; });
  }
  if (value.type === 'array') return value.namedChildren.flatMap(targetsOfRule);
  return [value];
}

/** Names bound to an env object (`const env = loadEnv(mode, process.cwd())`), whose properties are lookups. */
function envObjects(root: SyntaxNode): Set<string> {
  const names = new Set<string>();
  for (const d of root.descendantsOfType('variable_declarator')) {
    const name = d.childForFieldName('name');
    const value = d.childForFieldName('value');
    if (name?.type !== 'identifier' || !value) continue;
    const text = value.text.replace(/\s+/g, '');
    if (/^(await)?loadEnv\(/.test(text) || text === 'process.env' || text === 'import.meta.env') names.add(name.text);
  }
  return names;
}

function scanJavaScriptProxy(file: SourceFile, language: Language): Setting[] {
  const root = parseSource(language, file.text).rootNode;
  const consts = new ConstantTable();
  const env = envObjects(root);
  // `env.VITE_API_URL`, `import.meta.env.VITE_API_URL`: a lookup of that key (the evaluator reads a member by its property name).
  for (const m of root.descendantsOfType('member_expression')) {
    const object = m.childForFieldName('object')?.text.replace(/\s+/g, '');
    const prop = m.childForFieldName('property')?.text;
    if (object && prop && (env.has(object) || object === 'import.meta.env')) consts.define(prop, `\${${prop}}`, m.startPosition.row + 1);
  }
  for (const d of root.descendantsOfType('variable_declarator')) {
    const name = d.childForFieldName('name');
    const value = d.childForFieldName('value');
    if (name?.type === 'identifier' && value && !env.has(name.text) && value.type !== 'object' && value.type !== 'arrow_function') {
      consts.define(name.text, evaluate(value, consts), value.startPosition.row + 1);
    }
  }
  const targets: SyntaxNode[] = [];
  // A file of proxy rules alone: Angular's proxy.conf.js, umi's (Ant Design Pro's) config/proxy.ts, keyed by environment.
  const rulesFile = /(^|\/)proxy\.conf\.[cm]?[jt]s$|(^|\/)config\/proxy\.[jt]s$/.test(file.path);
  for (const pair of root.descendantsOfType('pair')) {
    const key = keyOf(pair);
    const value = pair.childForFieldName('value');
    if (!value) continue;
    if (key === 'proxy') targets.push(...targetsOfProxy(value));
    else if (rulesFile && key === 'target') targets.push(value);
  }
  // Next.js: every `destination` inside the config's `rewrites` (a method or a function-valued key).
  for (const node of root.descendantsOfType(['method_definition', 'pair'])) {
    const name = node.type === 'pair' ? keyOf(node) : node.childForFieldName('name')?.text;
    if (name !== 'rewrites') continue;
    for (const pair of node.descendantsOfType('pair')) {
      const value = pair.childForFieldName('value');
      if (keyOf(pair) === 'destination' && value && /^["'`]?(https?:\/\/|\$\{)/.test(value.text)) targets.push(value);
    }
  }
  for (const call of root.descendantsOfType('call_expression')) {
    const callee = call.childForFieldName('function')?.text.split('.').pop() ?? '';
    if (!PROXY_CALLS.test(callee)) continue;
    for (const arg of call.childForFieldName('arguments')?.namedChildren ?? []) if (arg.type === 'object') targets.push(...targetsOfRule(arg));
  }
  const out: Setting[] = [];
  for (const t of new Set(targets)) {
    // A constant's target is reported where its address is written (`const API = 'http://…'` … `target: API`).
    const tracked = consts.track(() => evaluate(t, consts));
    const line = t.startPosition.row + 1;
    if (tracked.value !== null) out.push(settingOf(['proxy', `target@${line}`, 'url'], { ...tracked, value: tracked.value }, line));
  }
  return out;
}

/** Create React App's `"proxy": "http://localhost:4000"` in package.json; Angular's proxy.conf.json. */
function scanJsonProxy(file: SourceFile): Setting[] {
  let data: unknown;
  try {
    data = JSON.parse(file.text);
  } catch {
    return [];
  }
  if (typeof data !== 'object' || data === null) return [];
  const lines = file.text.split('\n');
  const out: Setting[] = [];
  if (/(^|\/)package\.json$/.test(file.path)) {
    const proxy = (data as Record<string, unknown>).proxy;
    if (typeof proxy === 'string') out.push({ path: ['proxy', 'target', 'url'], value: proxy, line: findKeyLine(lines, 'proxy') ?? 1 });
    return out;
  }
  let after = 0;
  for (const rule of Object.values(data as Record<string, unknown>)) {
    const target = typeof rule === 'object' && rule !== null ? (rule as Record<string, unknown>).target : undefined;
    if (typeof target !== 'string') continue;
    const line = findKeyLine(lines, 'target', after) ?? 1;
    after = line;
    out.push({ path: ['proxy', `target@${line}`, 'url'], value: target, line });
  }
  return out;
}

export function scanDevProxy(file: SourceFile): ScanOutput {
  const settings = /\.json$/.test(file.path) ? scanJsonProxy(file)
    : scanJavaScriptProxy(file, /\.[mc]?ts$/.test(file.path) ? 'typescript' : 'javascript');
  const out: ScanOutput = interpretSettings(settings, { profile: profileFromPath(file.path), ...(file.definitions ? { definitions: file.definitions } : {}) });
  // A target read from the environment may be written in the app's `.env`: ask for the second pass.
  if (file.definitions === undefined && settings.some((s) => hasUnresolvedLookup(s.value))) out.lookups = true;
  return out;
}

export default defineScanner({
  id: 'dev-proxy',
  description: 'front-end dev-server proxies: Vite server.proxy, Vue CLI / webpack devServer.proxy, CRA setupProxy.js and package.json proxy, Angular proxy.conf, Next.js rewrites',
  files: [
    'vite.config.js', 'vite.config.ts', 'vite.config.mjs', 'vite.config.mts', 'vite.config.cjs', 'vue.config.js', 'vue.config.cjs', 'vue.config.mjs',
    'webpack.config.js', 'webpack.config.ts', 'webpack.dev.js', 'setupProxy.js', 'setupProxy.ts', 'proxy.conf.json', 'proxy.conf.js', 'proxy.conf.mjs', 'package.json',
    '**/config/proxy.ts', '**/config/proxy.js', '.umirc.ts', '.umirc.js',
    'next.config.js', 'next.config.mjs', 'next.config.cjs', 'next.config.ts', 'next.config.mts',
  ],
  excludeFiles: ['**/node_modules/**'],
  alwaysScan: true,
  // A file of rules alone (umi's config/proxy.ts) need not say "proxy": each rule has its `target`.
  keywords: /proxy|\btarget\b|\brewrites\b/i,
  scan: scanDevProxy,
});
