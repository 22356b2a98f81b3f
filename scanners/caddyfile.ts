/**
 * CaddyfileScanner: Caddy's config files (`Caddyfile`, `*.Caddyfile`, `Caddyfile.*`). Where Caddy sends requests:
 *   reverse_proxy localhost:8080                       → http localhost:8080, on that line
 *   reverse_proxy /api/* api-1:9000 api-2:9000         → one endpoint per upstream (the matcher is not one)
 *   reverse_proxy { to https://auth.internal }         → the `to` subdirective's upstreams
 *   php_fastcgi app:9000                               → http app:9000, as nginx's fastcgi_pass is read
 * Placeholders (`{$BACKEND}`, `{env.UPSTREAM}`, `{http.request.host}`) name no host and are not reported, while one with
 * a default (`localhost:{$BACKEND_PORT:3000}`) is that default; site
 * addresses (`:80 {`, `example.com {`) and redirects are the server's own.
 */
import { profileFromPath } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';

/** Directives whose arguments are upstream addresses after an optional matcher. */
const PROXY_DIRECTIVE = /^\s*(reverse_proxy|php_fastcgi|to)\s+(.*?)\s*\{?\s*$/;
/** A matcher token (`*`, `/api/*`, `@mock`): which requests, not where they go. */
const MATCHER = /^(\*|\/\S*|@\S+)$/;
/** An upstream: `[scheme://]host[:port]` or `:port`. */
const UPSTREAM = /^(?:(https?|h2c):\/\/)?(\[[0-9a-f:]+\]|[a-z0-9][a-z0-9._-]*)?(?::(\d{1,5}))?$/i;

export function scanCaddyfile(file: SourceFile): ScanOutput {
  const settings: Setting[] = [];
  file.text.split('\n').forEach((raw, i) => {
    const text = raw.replace(/(^|\s)#.*$/, '');
    const m = PROXY_DIRECTIVE.exec(text);
    if (!m) return;
    const [, directive, args] = m as unknown as [string, string, string];
    const tokens = args.split(/\s+/).filter(Boolean);
    if (tokens[0] && MATCHER.test(tokens[0])) tokens.shift();
    tokens.forEach((token, n) => {
      // Caddy's environment placeholder with a default, `{$BACKEND_PORT:3000}`, is that default when the variable is unset.
      const up = UPSTREAM.exec(token.replace(/\{\$[A-Za-z_]\w*:([^{}]*)\}/g, '$1'));
      if (!up || (up[2] === undefined && up[3] === undefined)) return;
      const scheme = up[1]?.toLowerCase() === 'https' ? 'https' : 'http';
      const url = `${scheme}://${up[2] ?? 'localhost'}${up[3] ? `:${up[3]}` : ''}`;
      settings.push({ path: ['caddy', `${directive}@${i + 1}`, `upstream${n}`, 'url'], value: url, line: i + 1 });
    });
  });
  return { ...interpretSettings(settings, { profile: profileFromPath(file.path) }), scope: 'deploy' };
}

export default defineScanner({
  id: 'caddyfile',
  description: 'Caddyfile: reverse_proxy and php_fastcgi upstreams',
  files: ['Caddyfile', '*.Caddyfile', 'Caddyfile.*', '*.caddyfile'],
  excludeFiles: ['*.md', '*.json'],
  alwaysScan: true,
  scan: scanCaddyfile,
});
