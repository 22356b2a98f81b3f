/**
 * NginxScanner: nginx config files (`nginx.conf`, `*.conf` under `nginx/` or `conf.d/`, site files under
 * `sites-available/`, `*.conf.template` as the official image's envsubst reads them). Where nginx sends requests:
 *   proxy_pass http://10.0.0.5:8080/api/;                 → http 10.0.0.5:8080, on that line
 *   grpc_pass grpc://orders:50051;  uwsgi_pass app:3031;                   → http, on that line
 *   fastcgi_pass 127.0.0.1:9000;                           → nothing: PHP-FPM running the app itself (three labellers'
 *                                                            call: Kanboard, Akaunting, Leantime)
 *   upstream api { server 10.0.0.7:8080 weight=5; }        → http 10.0.0.7:8080, on each `server` line
 *   proxy_pass http://api;                                 → nothing more: `api` is the upstream, reported at its servers
 *   memcached_pass cache:11211;                            → memcached
 *   otel_exporter { endpoint collector:4317; }             → http
 * In a `stream { }` block (TCP/UDP proxying) an address is a product only when its port names one (3306 → mysql).
 * A variable the file sets (`set $backend "http://api:8000";` … `proxy_pass $backend;`) is its value, reported where it
 * is set; other variables (`http://${API_HOST}` in a template) name no host and are not reported;
 * `unix:` sockets are local. Listeners (`listen`, `server_name`) and redirects (`return 301 https://…`) are the
 * server's own addresses, not connections. A `*.conf` that holds none of nginx's blocks or `*_pass` directives
 * (a supervisord program under `conf.d/`) is read as connection-urls reads other text config.
 */
import { profileFromPath } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';
import { scanConnectionUrls } from './connection-urls.js';
import { parseNginx, type NginxDirective, type NginxWord } from './formats/nginx.js';

/** Directives that hand a request to another server, and the schemes their address may carry. */
const PASS_DIRECTIVES: Record<string, RegExp> = {
  proxy_pass: /^(https?):\/\//i,
  grpc_pass: /^(grpcs?):\/\//i,
  uwsgi_pass: /^(s?uwsgi):\/\//i,
  scgi_pass: /^()/,
  memcached_pass: /^()/,
};

/** What makes a file nginx's: one of its blocks opened, or a `*_pass` directive. */
const NGINX_SHAPE = /^\s*(?:(?:http|server|upstream|location|stream|events|map|types)\b[^;{}\n]*\{|[a-z]+_pass\s)/m;

interface Site {
  directive: string;
  address: string;
  secure: boolean;
  word: NginxWord;
  stream: boolean;
}

function walk(list: NginxDirective[], stream: boolean, upstreams: Map<string, Site[]>, passes: Site[], variables: Map<string, NginxWord>): void {
  for (const d of list) {
    // `set $backend "http://api:8000";` … `proxy_pass $backend;`: nginx resolves the name per request (the documented
    // way to start without the upstream resolvable); the address is written where it is set.
    if (d.name === 'set' && d.args[0]?.value.startsWith('$') && d.args[1]) variables.set(d.args[0].value.slice(1), d.args[1]);
    if (d.name === 'upstream' && d.block && d.args[0]) {
      const servers: Site[] = [];
      for (const s of d.block) {
        if (s.name === 'server' && s.args[0]) servers.push({ directive: 'server', address: s.args[0].value, secure: false, word: s.args[0], stream });
      }
      upstreams.set(d.args[0].value.toLowerCase(), servers);
      continue;
    }
    if (d.name === 'otel_exporter' && d.block) {
      for (const e of d.block) if (e.name === 'endpoint' && e.args[0]) passes.push({ directive: 'otel_exporter', address: e.args[0].value, secure: false, word: e.args[0], stream });
      continue;
    }
    const scheme = PASS_DIRECTIVES[d.name];
    if (scheme && d.args[0]) {
      // The whole argument a variable set in this file (`proxy_pass $backend;`): its value, at the line it is set.
      const variable = /^\$\{?(\w+)\}?$/.exec(d.args[0].value);
      const set = variable ? variables.get(variable[1]!) : undefined;
      const word = set ?? d.args[0];
      const raw = word.value;
      const m = scheme.exec(raw);
      const secure = m !== null && /s$/i.test(m[1] ?? '') && m[1] !== 'uwsgi';
      passes.push({ directive: d.name, address: m ? raw.slice(m[0].length) : raw, secure, word, stream });
    }
    if (d.block) walk(d.block, stream || d.name === 'stream', upstreams, passes, variables);
  }
}

/** `host[:port][/path]` → host and port, or null for a variable, a socket or nothing. */
function hostPort(address: string): { host: string; port: string | null; rest: string } | null {
  if (address.includes('$') || /^unix:/i.test(address)) return null;
  const m = /^(\[[0-9a-f:]+\]|[^:/?#\s]+)(?::(\d{1,5}))?([/?#].*)?$/i.exec(address);
  return m ? { host: m[1]!, port: m[2] ?? null, rest: m[3] ?? '' } : null;
}

function settingsOf(site: Site): Setting[] {
  const at = hostPort(site.address);
  if (!at) return [];
  const path = ['nginx', `${site.directive}@${site.word.line}`];
  if (site.stream) {
    // TCP/UDP: a product only when the port says which.
    return at.port === null ? [] : [{ path: [...path, 'host'], value: at.host, line: site.word.line }, { path: [...path, 'port'], value: at.port, line: site.word.line }];
  }
  if (site.directive === 'memcached_pass') {
    return [{ path: [...path, 'host'], value: at.host, line: site.word.line }, ...(at.port ? [{ path: [...path, 'port'], value: at.port, line: site.word.line }] : [])];
  }
  const url = `${site.secure ? 'https' : 'http'}://${at.host}${at.port ? `:${at.port}` : ''}${site.directive === 'proxy_pass' ? at.rest : ''}`;
  return [{ path: [...path, 'url'], value: url, line: site.word.line }];
}

/** `*.conf` files this scanner claims that connection-urls would read if they were not nginx's. */
const OTHER_TEXT_CONFIG = /^(?!(?:.*\/)?nginx\/)(?:.*\/)?(?!(?:nginx|supervisord|logrotate|redis|mongod)\.conf$)[^/]+\.conf$/;

export function scanNginx(file: SourceFile): ScanOutput {
  if (!NGINX_SHAPE.test(file.text)) return OTHER_TEXT_CONFIG.test(file.path) ? scanConnectionUrls(file) : { findings: [], secrets: [] };
  return { ...scanNginxText(file.text, file.path), scope: 'deploy' };
}

/** Whether a text is nginx config (a ConfigMap's `default.conf: |` block). */
export function isNginxText(text: string): boolean {
  return NGINX_SHAPE.test(text);
}

/** nginx config text, its lines `offset` lines into the file that holds it (a ConfigMap's block scalar). */
export function scanNginxText(text: string, path: string, offset = 0): ScanOutput {
  const upstreams = new Map<string, Site[]>();
  const passes: Site[] = [];
  walk(parseNginx(text), false, upstreams, passes, new Map());
  const settings: Setting[] = [];
  // Each upstream server is reported where it is written; a pass to an upstream's name adds nothing.
  for (const servers of upstreams.values()) for (const s of servers) settings.push(...settingsOf(s));
  for (const p of passes) {
    const at = hostPort(p.address);
    if (at && at.port === null && upstreams.has(at.host.toLowerCase())) continue;
    settings.push(...settingsOf(p));
  }
  return interpretSettings(settings.map((x) => ({ ...x, line: x.line + offset })), { profile: profileFromPath(path) });
}

export default defineScanner({
  id: 'nginx',
  description: 'nginx config: proxy_pass, grpc_pass, uwsgi_pass, fastcgi_pass targets and upstream servers',
  files: [
    'nginx.conf', 'nginx*.conf', '*.nginx.conf', '*.nginx', '*.conf.template', '**/nginx/**/*.conf', '**/nginx/**/!(*.*)',
    '**/conf.d/*.conf', '**/sites-available/*', '**/sites-enabled/*',
    // A site file kept anywhere (`deployment/docker-nginx/default.conf`, `proxy/app.site.conf`): nginx's when its text
    // is; any other `*.conf` goes on to be read as connection-urls reads text config.
    '*.conf',
  ],
  excludeFiles: ['*.md', '*.sh', '*.yml', '*.yaml', '*.json'],
  alwaysScan: true,
  scan: scanNginx,
});
