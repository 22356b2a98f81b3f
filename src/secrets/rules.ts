/**
 * Known credential formats, as data. Each rule has a cheap literal `prefix` for the
 * pre-filter, a pattern whose first group is the secret, and where the format has one
 * a `check` that rejects look-alikes (GitHub's CRC32 checksum, a JWT header that
 * decodes to JSON with `alg`). Sources for the formats: the vendors' documentation of
 * their token prefixes, and the rule sets of gitleaks and trufflehog.
 *
 * Every pattern runs over every file up to the size cap, hostile ones included, so each
 * must stay linear in the input: a token that may hold `-` starts only where a run of
 * token characters starts (a lookbehind: with `\b`, `eyJ-eyJ-…` would start a scan to
 * the end of the run at every repetition), repeated segments are bounded, and a private
 * key's body stops at the next BEGIN/END marker. bench/adversarial.ts feeds each rule
 * text built to break it.
 */
import { crc32 } from 'node:zlib';
import { compileLinearRegex, type LinearRegex } from '../linear-match.js';

export interface TokenRule {
  id: string;
  /** Literal texts, one of which must occur in the file for the rule to be worth running (case-sensitive, so list the casings). */
  prefixes: string[];
  pattern: RegExp;
  check?: (secret: string, match: RegExpExecArray) => boolean;
}

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** GitHub tokens end with a base62 CRC32 of the random part: a typo or a made-up token fails it. */
export function githubChecksumOk(token: string): boolean {
  const body = token.slice(token.indexOf('_') + 1);
  if (body.length !== 36) return false;
  let n = crc32(body.slice(0, 30));
  let encoded = '';
  while (n > 0) {
    encoded = BASE62[n % 62] + encoded;
    n = Math.floor(n / 62);
  }
  return encoded.padStart(6, '0') === body.slice(30);
}

/** A JWT whose payload says it expired (`exp` in the past): documentation and old fixtures, not a live credential. */
export function jwtExpired(token: string, nowSeconds = Date.now() / 1000): boolean {
  try {
    const payload = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof payload.exp === 'number' && payload.exp < nowSeconds;
  } catch {
    return false;
  }
}

function jwtHeaderOk(token: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof header.alg === 'string';
  } catch {
    return false;
  }
}

/**
 * A PEM block holds a key: base64 lines (after optional `Proc-Type:`/`DEK-Info:` headers), not code that
 * merely names the markers (`s.replace("-----BEGIN RSA PRIVATE KEY-----", "")`). Inside a JSON or code
 * string the line breaks are written `\n` (a GCP service-account key file).
 */
function hasPemBody(block: string): boolean {
  const body = block.replace(/^-----BEGIN[^\n]*?-----/, '').replace(/-----END$/, '').replace(/\\n/g, '\n').split('\n')
    .filter((l) => !/^[\w-]+:/.test(l.trim())).join('').replace(/\s+/g, '');
  return body.length >= 40 && /^[A-Za-z0-9+/=]+$/.test(body);
}

/** A generated token uses many different characters; `hf_xxxxxxxx…` or `dapi000…` is a template. */
function varied(token: string): boolean {
  return new Set(token.slice(token.search(/[_.-]/) + 1)).size >= 10;
}

/** The same for a token without a prefix of its own (found by the key that holds it). */
function variedWhole(token: string): boolean {
  return new Set(token).size >= 10;
}

/** A file that is a secret whole, known by its path and the shape of its content. */
export interface KeyFileRule {
  id: string;
  path: RegExp;
  /** The whole text; its first group is the secret. */
  content: RegExp;
}

/**
 * Rails' master keys, `config/master.key` and `config/credentials/<environment>.key`: 32 hex digits that decrypt the
 * app's encrypted credentials file beside them. Rails lists them in .gitignore; one committed opens every credential.
 */
export const KEY_FILE_RULES: readonly KeyFileRule[] = [
  { id: 'rails-master-key', path: /(^|\/)config\/(master|credentials\/[\w.-]+)\.key$/, content: /^\s*([0-9a-f]{32})\s*$/ },
];

/** `https://abc:xyz@example.com` in API docs is an illustration: example domains, documentation hosts and hosts named `host` are skipped. */
function notAnExampleUrl(_secret: string, match: RegExpExecArray): boolean {
  const host = (match[2] ?? '').toLowerCase().split(/[:/?#]/)[0]!;
  // `user:secret@host:port/database`: the host's own name is a template too.
  return !/(^|\.)(example\.(com|org|net)|example|test|invalid|developer\.mozilla\.org|docs\.[\w.-]+)$|^(host|hostname|server|domain|your[-_.\w]*)$/.test(host);
}

/** A file a link hands to a browser or a downloader: an image, a video, audio, a document, an archive. */
const LINKED_FILE = /\.(png|jpe?g|gif|webp|avif|bmp|svg|mp4|webm|mov|m4v|mp3|m4a|ogg|wav|pdf|zip)(?=[/?#&]|$)/i;
/** Characters a URL written in text does not hold: where the link a token sits in starts. */
const LINK_END = ' \t\r\n"\'`<>()[]{}';
/** How far back a token's URL may start: a signed link is long, but not longer. */
const SIGNED_LINK_REACH = 4096;

/**
 * Whether a token is the signature of a link to a file — a CDN's `…/image.jpg?token=eyJ…`, a `/download?token=eyJ…`,
 * an S3 or GCS presigned URL's `X-Amz-Credential=AKIA…` — which grants one download for a while and is pasted into code as an example of a URL's
 * shape. Not a credential of the app: the app never holds it, the link's owner signed it. Looks back along the URL the
 * token sits in (no space or quote between), at most SIGNED_LINK_REACH characters: linear per match.
 */
function notInSignedFileLink(_secret: string, match: RegExpExecArray): boolean {
  const text = match.input;
  const end = match.index ?? 0;
  let start = end;
  const floor = Math.max(0, end - SIGNED_LINK_REACH);
  while (start > floor && !LINK_END.includes(text[start - 1]!)) start--;
  const link = text.slice(start, end);
  const scheme = link.search(/https?:\/\//i);
  if (scheme < 0) return true;
  const query = link.indexOf('?', scheme);
  if (query < 0) return true;
  const path = link.slice(scheme, query);
  return !(LINKED_FILE.test(path) || /\/download\b/i.test(path) || PRESIGNED_QUERY.test(link.slice(query)));
}

/** A presigned URL's own parameters (AWS Signature V4, Google Cloud Storage V4): the link is signed to be handed out. */
const PRESIGNED_QUERY = /[?&]X-(Amz|Goog)-Algorithm=/;

export const TOKEN_RULES: readonly TokenRule[] = [
  { id: 'aws-access-key-id', prefixes: ['AKIA', 'ASIA', 'ABIA', 'ACCA'], pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g, check: notInSignedFileLink },
  { id: 'aws-secret-access-key', prefixes: ['ws_secret', 'WS_SECRET', 'wsSecret', 'WSSecret', 'ws-secret', 'wssecret'], pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi },
  { id: 'alibaba-access-key-id', prefixes: ['LTAI'], pattern: /\b(LTAI[A-Za-z0-9]{12,20})\b/g },
  { id: 'tencent-secret-id', prefixes: ['AKID'], pattern: /\b(AKID[A-Za-z0-9]{13,40})\b/g },
  // 36 characters with a CRC32 at the end; app installation tokens (`ghs_`) may be longer and hold `_`, without the checksum.
  { id: 'github-token', prefixes: ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'], pattern: /\b(gh[pousr]_[A-Za-z0-9]{36}|ghs_[A-Za-z0-9_]{40,255})\b/g, check: (t) => (t.length === 40 ? githubChecksumOk(t) : varied(t)) },
  { id: 'github-fine-grained-token', prefixes: ['github_pat_'], pattern: /\b(github_pat_[A-Za-z0-9_]{82})\b/g },
  { id: 'gitlab-token', prefixes: ['glpat-', 'glrt-', 'gldt-', 'glptt-', 'glsoat-'], pattern: /(?<![A-Za-z0-9_-])((?:glpat|glrt|gldt|glptt|glsoat)-[A-Za-z0-9_-]{20,})\b/g },
  // A team or user number, then more dash-separated parts: `xoxb-65677559833?…` is a broken copy, not a token.
  { id: 'slack-token', prefixes: ['xox'], pattern: /(?<![A-Za-z0-9_-])(xox[abposr]-\d{6,}-[A-Za-z0-9-]{8,})\b/g },
  // Slack's documented sample, `T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`, has five characters in all.
  { id: 'slack-webhook', prefixes: ['hooks.slack.com'], pattern: /hooks\.slack\.com\/services\/(T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,})/g, check: variedWhole },
  // Slack app-level tokens (Socket Mode): `xapp-<n>-<app id>-<number>-<64 hex>`.
  { id: 'slack-app-token', prefixes: ['xapp-'], pattern: /(?<![A-Za-z0-9_-])(xapp-\d-[A-Z0-9]{8,14}-\d{8,16}-[a-f0-9]{64})(?![A-Za-z0-9_-])/g, check: varied },
  // Stripe's secret and restricted keys carry at least 24 characters after the prefix; one fewer is not a key.
  { id: 'stripe-key', prefixes: ['_live_'], pattern: /\b((?:sk|rk)_live_[A-Za-z0-9]{24,247})\b/g },
  { id: 'stripe-test-key', prefixes: ['_test_'], pattern: /\b((?:sk|rk)_test_[A-Za-z0-9]{24,247})\b/g },
  { id: 'google-api-key', prefixes: ['AIza'], pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g },
  { id: 'openai-api-key', prefixes: ['T3BlbkFJ'], pattern: /(?<![A-Za-z0-9_-])(sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,})\b/g },
  { id: 'npm-token', prefixes: ['npm_'], pattern: /\b(npm_[A-Za-z0-9]{36})\b/g },
  { id: 'sendgrid-api-key', prefixes: ['SG.'], pattern: /\b(SG\.[A-Za-z0-9_-]{16,32}\.[A-Za-z0-9_-]{40,64})(?![A-Za-z0-9_-])/g, check: varied },
  { id: 'jwt', prefixes: ['eyJ'], pattern: /(?<![A-Za-z0-9_.-])(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})\b/g, check: (t, m) => jwtHeaderOk(t) && notInSignedFileLink(t, m) },
  { id: 'private-key', prefixes: ['-----BEGIN'], pattern: /(-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----(?:(?!-----(?:BEGIN|END))[\s\S]){20,16384}?-----END)/g, check: hasPemBody },
  { id: 'dingtalk-webhook', prefixes: ['oapi.dingtalk.com'], pattern: /oapi\.dingtalk\.com\/robot\/send\?access_token=([a-f0-9]{64})/g },
  { id: 'feishu-webhook', prefixes: ['open-apis/bot'], pattern: /open\.(?:feishu\.cn|larksuite\.com)\/open-apis\/bot\/v2\/hook\/([0-9a-f-]{36})/g },
  { id: 'wecom-webhook', prefixes: ['qyapi.weixin.qq.com'], pattern: /qyapi\.weixin\.qq\.com\/cgi-bin\/webhook\/send\?key=([0-9a-f-]{36})/g },
  { id: 'azure-storage-key', prefixes: ['AccountKey='], pattern: /AccountKey=([A-Za-z0-9+/]{86}==)/g },
  // Vendors' documented token prefixes (AI providers, platforms, SaaS). `varied` keeps `hf_xxxx…` templates out.
  { id: 'anthropic-api-key', prefixes: ['sk-ant-'], pattern: /(?<![A-Za-z0-9_-])(sk-ant-(?:api03|admin01)-[A-Za-z0-9_-]{93}AA)(?![A-Za-z0-9_-])/g, check: varied },
  { id: 'groq-api-key', prefixes: ['gsk_'], pattern: /\b(gsk_[A-Za-z0-9]{52})\b/g, check: varied },
  { id: 'huggingface-token', prefixes: ['hf_'], pattern: /\b(hf_[A-Za-z0-9]{34})\b/g, check: varied },
  { id: 'databricks-token', prefixes: ['dapi'], pattern: /\b(dapi[a-f0-9]{32}(?:-\d)?)\b/g, check: varied },
  // `tskey-<type>-<id>-<secret>`: a copy broken inside the id (`…gmxH?oARkj…`) has no secret part.
  { id: 'tailscale-key', prefixes: ['tskey-'], pattern: /\b(tskey-[a-z]+-[A-Za-z0-9_]+-[A-Za-z0-9_-]{16,300})(?![A-Za-z0-9_-])/g, check: varied },
  { id: 'vault-token', prefixes: ['hvs.', 'hvb.', 'hvr.'], pattern: /\b(hv[sbr]\.[A-Za-z0-9_-]{24,})(?![A-Za-z0-9_.-])/g, check: varied },
  { id: 'grafana-token', prefixes: ['glsa_', 'glc_'], pattern: /\b(glsa_[A-Za-z0-9_]{41}|glc_[A-Za-z0-9+/]{32,400}={0,2})(?![A-Za-z0-9+/=_])/g, check: varied },
  { id: 'dockerhub-token', prefixes: ['dckr_pat_'], pattern: /\b(dckr_pat_[A-Za-z0-9_-]{27})(?![A-Za-z0-9_-])/g, check: varied },
  { id: 'shopify-token', prefixes: ['shpat_', 'shpca_', 'shppa_', 'shpss_'], pattern: /\b(shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32})\b/g, check: varied },
  { id: 'linear-api-key', prefixes: ['lin_api_'], pattern: /\b(lin_api_[A-Za-z0-9]{40})\b/g, check: varied },
  { id: 'figma-token', prefixes: ['figd_', 'figp_', 'figr_'], pattern: /\b(fig[dpr]_[A-Za-z0-9_-]{36,48}={0,2})(?![A-Za-z0-9_=-])/g, check: varied },
  { id: 'notion-token', prefixes: ['secret_', 'ntn_'], pattern: /\b(secret_[A-Za-z0-9]{43}|ntn_\d{11}[A-Za-z0-9]{35})\b/g, check: varied },
  // Cloudflare's self-identifying user and account tokens; Origin CA keys.
  { id: 'cloudflare-api-token', prefixes: ['cfut_', 'cfat_'], pattern: /\b(cf[ua]t_[A-Za-z0-9]{40}[a-f0-9]{8})\b/g, check: varied },
  { id: 'cloudflare-origin-ca-key', prefixes: ['v1.0-'], pattern: /\b(v1\.0-[A-Za-z0-9]{24}-[a-f0-9]{146})\b/g },
  // Microsoft Entra ID (Azure AD) client secrets: three characters, a digit and `Q~`, then 31–34 more.
  { id: 'azure-ad-client-secret', prefixes: ['Q~'], pattern: /(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/g, check: varied },
  // 1Password service-account tokens: `ops_` and base64 JSON.
  { id: '1password-service-account-token', prefixes: ['ops_eyJ'], pattern: /\b(ops_eyJ[A-Za-z0-9+/_-]{100,2000}={0,2})(?![A-Za-z0-9+/=_-])/g, check: varied },
  // A GCP service-account key file names its key; the key itself is the PEM block (the private-key rule).
  { id: 'gcp-service-account-key', prefixes: ['private_key_id'], pattern: /private_key_id\\*"\s*:\s*\\*"([a-f0-9]{40})\\*"/g },
  // Tokens without a prefix of their own, named by the vendor in the key that holds them.
  { id: 'cloudflare-api-token', prefixes: ['cloudflare', 'Cloudflare', 'CLOUDFLARE', 'CF_API', 'cf_api'], pattern: /(?:cloudflare|cf_api)[\w .-]{0,24}?(?:token|key)["']?\s*[:=]\s*["']?([A-Za-z0-9_-]{40})(?![A-Za-z0-9_-])/gi, check: variedWhole },
  { id: 'vercel-token', prefixes: ['vercel', 'Vercel', 'VERCEL'], pattern: /vercel[\w .-]{0,24}?(?:token|key)["']?\s*[:=]\s*["']?([A-Za-z0-9]{24})(?![A-Za-z0-9_-])/gi, check: variedWhole },
  // GitLab personal access tokens before the `glpat-` prefix (2021): 20 characters under a key that names GitLab.
  { id: 'gitlab-token', prefixes: ['gitlab', 'Gitlab', 'GitLab', 'GITLAB'], pattern: /gitlab[\w .-]{0,24}?(?:token|pat|key|secret)["']?\s*[:=]\s*["']?([A-Za-z0-9_-]{20})(?![A-Za-z0-9_-])/gi, check: variedWhole },
  // npm's classic tokens (UUIDs), in `.npmrc` (`//registry.npmjs.org/:_authToken=…`) or under a key that names npm.
  { id: 'npm-token', prefixes: ['_authToken', 'npm', 'NPM'], pattern: /(?:_authToken|npm[\w .-]{0,16}?(?:token|auth))["']?\s*[:=]\s*["']?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})(?![A-Za-z0-9_-])/gi },
  // Any registry's token in `.npmrc` (`//npm.pkg.github.com/:_authToken=…`, Artifactory, GitLab): npm's own formats have rules above.
  { id: 'npmrc-auth-token', prefixes: [':_authToken'], pattern: /:_authToken\s*=\s*["']?(?!npm_|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?![A-Za-z0-9._~+/=-]))([A-Za-z0-9._~+/=-]{20,512})(?![A-Za-z0-9._~+/=-])/g, check: variedWhole },
  // Ethereum/secp256k1 private keys are 64 hex digits, like any hash: only under a key that names a private or wallet key.
  { id: 'ethereum-private-key', prefixes: ['private', 'Private', 'PRIVATE', 'wallet', 'Wallet', 'WALLET', 'deployer', 'Deployer', 'DEPLOYER'],
    pattern: /(?:private[_ .-]?key|wallet[\w.-]{0,16}?key|deployer[_ .-]?key)["']?\s*[:=]\s*["']?(0x[a-fA-F0-9]{64})(?![A-Za-z0-9_])/gi, check: variedWhole },
  // GitHub's classic tokens before prefixes (2021): 40 hex digits under a key that names GitHub.
  { id: 'github-token', prefixes: ['github', 'Github', 'GitHub', 'GITHUB'], pattern: /github[\w .-]{0,24}?(?:token|secret|key|pat)["']?\s*[:=]\s*["']?([a-f0-9]{40})(?![A-Za-z0-9_-])/gi, check: variedWhole },
  // The MySQL clients' documented `-p<password>` (no space: `mysql -uroot -pS3cret`, `mysqladmin ping -pX` in a
  // healthcheck), wherever a command line is written: scripts, compose and Kubernetes probes, Dockerfiles, docs.
  { id: 'mysql-cli-password', prefixes: ['mysql'], pattern: /\bmysql(?:admin|dump|import|check|slap|sh)?\b[^\n]{0,200}?[\s"']-p([^\s'"`,\])$-][^\s'"`,\])]{2,127})/g },
  // An API key passed in a URL's query (`https://www.omdbapi.com?apikey=2c9d…`, `…/v1/json?api_key=…`): the credential
  // travels with every request to that API. A generated key mixes letters and digits; a template's `{key}`, a
  // `${token}` or a word (`apikey=demo`) does not match.
  { id: 'url-query-key', prefixes: ['apikey=', 'api_key=', 'apiKey=', 'api-key=', 'access_token=', 'accessToken=', 'auth_token=', 'client_secret=', 'api_token='],
    // Bounded at each step (host, path, up to 16 parameters before the key), so that a line of `http://` repeated
    // costs a fixed amount per occurrence.
    pattern: /https?:\/\/[^\s'"<>?#/]{1,253}(?:\/[^\s'"<>?#]{0,512})?\?(?:[^\s'"<>#&]{0,256}&){0,16}?(?:api[_-]?key|apiKey|access_?[tT]oken|auth_token|client_secret|api_token)=([A-Za-z0-9_-]{8,128})(?![A-Za-z0-9_-])/g,
    check: (secret, match) => /\d/.test(secret) && /[A-Za-z]/.test(secret)
      && notAnExampleUrl(secret, ['', '', /^https?:\/\/([^\s'"<>?#/]+)/.exec(match[0])?.[1] ?? ''] as unknown as RegExpExecArray) },
  // Anchored on `://` rather than on the scheme, so the regex engine only starts where a URL can be.
  { id: 'basic-auth-url', prefixes: ['://'], pattern: /:\/\/[^/\s:@'"<>]{1,256}:([^@\s/'"<>]{3,256})@([^\s/'"<>]+)/g, check: notAnExampleUrl },
];

/** A project's own token format (`.cmdb-scan.yml` `secrets.rules`): data, compiled once per scan. */
export interface CustomSecretRule {
  id: string;
  /** A regular expression in RE2's syntax (JavaScript's without backreferences or lookarounds); its first group, or else the whole match, is the secret. */
  pattern: string;
  /** Literal texts one of which must occur for the rule to run; without them it runs over every file read. */
  prefixes?: readonly string[];
  /** Fewest distinct characters a match must hold (a generated token varies; `acme_xxxx…` does not). */
  minDistinct?: number;
  /** Lowest Shannon entropy in bits per character, as gitleaks rules say it. */
  entropy?: number;
}

/**
 * A project's rule, compiled: its pattern comes from the repository, so it runs on the linear-time engine
 * (src/linear-match.ts) rather than V8's backtracking one.
 */
export interface ProjectTokenRule {
  id: string;
  prefixes: string[];
  pattern: LinearRegex;
  check?: (secret: string) => boolean;
}

/** A custom rule as a token rule; a pattern the linear engine cannot run throws, naming the rule. */
export function compileCustomRule(rule: CustomSecretRule): ProjectTokenRule {
  let pattern: LinearRegex;
  try {
    pattern = compileLinearRegex(rule.pattern);
  } catch (e) {
    throw new Error(`secret rule ${rule.id}: the pattern cannot be used (${(e as Error).message})`);
  }
  const { minDistinct, entropy } = rule;
  return {
    id: rule.id, prefixes: [...(rule.prefixes ?? [])], pattern,
    ...(minDistinct !== undefined || entropy !== undefined ? {
      check: (secret: string) => (minDistinct === undefined || new Set(secret).size >= minDistinct) && (entropy === undefined || shannonEntropy(secret) >= entropy),
    } : {}),
  };
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}
