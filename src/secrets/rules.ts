/**
 * Known credential formats, as data. Each rule has a cheap literal `prefix` for the
 * pre-filter, a pattern whose first group is the secret, and where the format has one
 * a `check` that rejects look-alikes (GitHub's CRC32 checksum, a JWT header that
 * decodes to JSON with `alg`). Sources for the formats: the vendors' documentation of
 * their token prefixes, and the rule sets of gitleaks and trufflehog.
 */
import { crc32 } from 'node:zlib';

export interface TokenRule {
  id: string;
  /** Literal text that must occur in the file for the rule to be worth running (case-sensitive). */
  prefix: string;
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

function jwtHeaderOk(token: string): boolean {
  try {
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8')) as { alg?: unknown };
    return typeof header.alg === 'string';
  } catch {
    return false;
  }
}

export const TOKEN_RULES: readonly TokenRule[] = [
  { id: 'aws-access-key-id', prefix: 'A', pattern: /\b((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})\b/g },
  { id: 'aws-secret-access-key', prefix: 'ws', pattern: /aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi },
  { id: 'alibaba-access-key-id', prefix: 'LTAI', pattern: /\b(LTAI[A-Za-z0-9]{12,20})\b/g },
  { id: 'tencent-secret-id', prefix: 'AKID', pattern: /\b(AKID[A-Za-z0-9]{13,40})\b/g },
  { id: 'github-token', prefix: 'gh', pattern: /\b(gh[pousr]_[A-Za-z0-9]{36})\b/g, check: githubChecksumOk },
  { id: 'github-fine-grained-token', prefix: 'github_pat_', pattern: /\b(github_pat_[A-Za-z0-9_]{82})\b/g },
  { id: 'gitlab-token', prefix: 'gl', pattern: /\b((?:glpat|glrt|gldt|glptt|glsoat)-[A-Za-z0-9_-]{20,})\b/g },
  { id: 'slack-token', prefix: 'xox', pattern: /\b(xox[abposr]-[A-Za-z0-9-]{10,})\b/g },
  { id: 'slack-webhook', prefix: 'hooks.slack.com', pattern: /hooks\.slack\.com\/services\/(T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]{16,})/g },
  { id: 'stripe-key', prefix: '_live_', pattern: /\b((?:sk|rk)_live_[A-Za-z0-9]{16,})\b/g },
  { id: 'stripe-test-key', prefix: '_test_', pattern: /\b((?:sk|rk)_test_[A-Za-z0-9]{16,})\b/g },
  { id: 'google-api-key', prefix: 'AIza', pattern: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g },
  { id: 'openai-api-key', prefix: 'sk-', pattern: /\b(sk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,})\b/g },
  { id: 'npm-token', prefix: 'npm_', pattern: /\b(npm_[A-Za-z0-9]{36})\b/g },
  { id: 'sendgrid-api-key', prefix: 'SG.', pattern: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})\b/g },
  { id: 'jwt', prefix: 'eyJ', pattern: /\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})\b/g, check: jwtHeaderOk },
  { id: 'private-key', prefix: '-----BEGIN', pattern: /(-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----[\s\S]{20,}?-----END)/g },
  { id: 'dingtalk-webhook', prefix: 'oapi.dingtalk.com', pattern: /oapi\.dingtalk\.com\/robot\/send\?access_token=([a-f0-9]{64})/g },
  { id: 'feishu-webhook', prefix: 'open-apis/bot', pattern: /open\.(?:feishu\.cn|larksuite\.com)\/open-apis\/bot\/v2\/hook\/([0-9a-f-]{36})/g },
  { id: 'wecom-webhook', prefix: 'qyapi.weixin.qq.com', pattern: /qyapi\.weixin\.qq\.com\/cgi-bin\/webhook\/send\?key=([0-9a-f-]{36})/g },
  { id: 'azure-storage-key', prefix: 'AccountKey=', pattern: /AccountKey=([A-Za-z0-9+/]{86}==)/g },
  { id: 'basic-auth-url', prefix: '://', pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@'"]+:([^@\s/'"]{3,})@[^\s/'"]+/gi },
];
