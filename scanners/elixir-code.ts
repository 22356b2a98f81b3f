/**
 * ElixirCodeScanner: Elixir modules (the `.ex` files under `lib/`), line by line, for the idioms that hold an address in code:
 *   @base_url "https://api.example.com"                          → base_url (a module attribute, named as a key)
 *   plug Tesla.Middleware.BaseUrl, "https://slack.com/api"       → the Tesla client's base URL
 *   {Tesla.Middleware.BaseUrl, "https://api.github.com"}          → the same, in a runtime middleware list
 *   Tesla.get("https://…"), HTTPoison.post(url, …), Req.get(url: "https://…"), OAuth2.Client.get(client, url)
 *                                                                 → a request a call sends, its URL literal or bound above
 *   Application.get_env(:app, :gcs_url, "https://…")             → gcs_url, its default
 *   POSTHOG_API_HOST: System.get_env("POSTHOG_API_HOST", "https://…"), site: "https://accounts.google.com"
 *   def fetch(url \\ "http://…")                                 → url, the argument's default
 * Strings with interpolation (`"#{base}/x"`) keep their literal head only when it holds the whole address. Each line
 * is read once with bounded patterns; a file is never parsed as a whole.
 */
import { environmentLookup } from '../src/code/constants.js';
import { profileFromPath } from '../src/profiles.js';
import { defineScanner, type ScanOutput, type Setting, type SourceFile } from '../src/scanner.js';
import { interpretSettings } from '../src/settings.js';

/** A string literal's body, escapes kept as written. */
const STRING = String.raw`"((?:[^"\\]|\\.){0,2000})"`;
const ATTRIBUTE = new RegExp(String.raw`^\s*@([a-z_]\w*)\s+${STRING}\s*$`);
const BASE_URL = new RegExp(String.raw`Tesla\.Middleware\.BaseUrl\s*,\s*${STRING}`);
const APP_ENV = new RegExp(String.raw`Application\.(?:get_env|fetch_env)\(\s*:[a-z_]\w*\s*,\s*:([a-z_]\w*)\s*,\s*${STRING}`);
const ENV_PAIR = /\b([A-Za-z_]\w*):\s+System\.get_env\(\s*"([A-Za-z_]\w*)"\s*,\s*"((?:[^"\\]|\\.){0,2000})"\s*\)/;
/**
 * A client option holding its server: the OAuth2 library's `site:` (the provider's base), a `base_url:` or an
 * `endpoint:`. Not a map's `url:`/`html_url:`, which a view or a factory fills with links.
 */
const URL_PAIR = new RegExp(String.raw`\b(site|base_url|endpoint|api_base_url|api_endpoint)\s*:\s+${STRING}`);
const DEFAULT_ARG = new RegExp(String.raw`\bdef[p]?\s+[a-z_]\w*[?!]?\(.*?\b([a-z_]\w*)\s*\\\\\s*${STRING}`);
const BINDING = new RegExp(String.raw`^\s*([a-z_]\w*)\s*=\s*${STRING}\s*$`);
/** A sending call's URL argument written as a literal: first, after a client or a method atom, or as `url:`. */
const DIRECT_URL_ARGUMENT = new RegExp(String.raw`^\s*(?:[a-z_]\w*\s*,\s*|:[a-z]+\s*,\s*)?(?:url:\s*)?${STRING}`);
/** Calls that send a request: Tesla's, HTTPoison's, Req's, Finch's and the OAuth2 client's verbs, Erlang's httpc. */
const SENDING_CALL = /\b(Tesla|HTTPoison|HTTPotion|Req|Finch|OAuth2\.Client|:httpc)\.(get|post|put|patch|delete|head|request|build)!?\s*\(([^)]{0,2000})/;

function unescape(text: string): string {
  return text.replace(/\\(.)/g, '$1');
}

/** The address part of a literal with interpolation: `"https://host/x/#{id}"` → the literal up to the interpolation. */
function literal(text: string): string {
  const at = text.indexOf('#{');
  return unescape(at < 0 ? text : text.slice(0, at));
}

export function scanElixirCode(file: SourceFile): ScanOutput {
  const settings: Setting[] = [];
  const bindings = new Map<string, { value: string; line: number }>();
  file.text.split('\n').forEach((raw, n) => {
    const line = n + 1;
    const code = raw.trimStart().startsWith('#') ? '' : raw;
    if (code.trim() === '') return;
    let m: RegExpExecArray | null;
    if ((m = ATTRIBUTE.exec(code))) settings.push({ path: [m[1]!], value: literal(m[2]!), line });
    if ((m = BASE_URL.exec(code))) settings.push({ path: [`Tesla.BaseUrl@${line}`, 'url'], value: literal(m[1]!), line });
    if ((m = APP_ENV.exec(code))) settings.push({ path: [m[1]!], value: literal(m[2]!), line });
    if ((m = ENV_PAIR.exec(code))) settings.push({ path: [m[1]!], value: environmentLookup(m[2]!, unescape(m[3]!)), line });
    else if ((m = URL_PAIR.exec(code)) && /^https?:\/\//i.test(m[2]!)) settings.push({ path: m[1] === 'site' ? [`OAuth2@${line}`, 'url'] : [m[1]!], value: literal(m[2]!), line });
    if ((m = DEFAULT_ARG.exec(code))) settings.push({ path: [m[1]!], value: literal(m[2]!), line });
    if ((m = BINDING.exec(code)) && /^https?:\/\//i.test(m[2]!)) bindings.set(m[1]!, { value: literal(m[2]!), line });
    if ((m = SENDING_CALL.exec(code))) {
      const site = `${m[1]}.${m[2]}@${line}`;
      const args = m[3]!;
      const direct = DIRECT_URL_ARGUMENT.exec(args);
      if (direct) settings.push({ path: [site, 'url'], value: literal(direct[1]!), line });
      else {
        // `OAuth2.Client.get(client, scope)`: a URL bound to a name a few lines up, reported where it is written.
        const name = /^\s*(?:[a-z_]\w*\s*,\s*)?([a-z_]\w*)\s*(?:[,)]|$)/.exec(args)?.[1];
        const bound = name ? bindings.get(name) : undefined;
        if (bound) settings.push({ path: [site, 'url'], value: bound.value, line: bound.line });
      }
    }
    // A new function forgets the last one's bindings.
    if (/^\s*defp?\s/.test(code)) bindings.clear();
  });
  return interpretSettings(settings, { profile: profileFromPath(file.path) });
}

export default defineScanner({
  id: 'elixir-code',
  description: 'Elixir modules (.ex): module attributes, Tesla base URLs, HTTP client calls, config lookups with defaults',
  files: ['*.ex'],
  excludeFiles: ['**/deps/**', '**/_build/**', '**/test/**'],
  keywords: /https?:\/\/|System\.get_env|Application\.get_env|BaseUrl/,
  sourceCode: true,
  scan: scanElixirCode,
});
