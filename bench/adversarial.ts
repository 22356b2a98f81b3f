/**
 * Text built to make a token rule backtrack: each rule's prefixes repeated with the
 * separators its character classes accept and refuse, a token-shaped body without its
 * closing part, and BEGIN markers without an END. A linear rule reads each in
 * milliseconds per megabyte; a quadratic one needs minutes. Used by `npm run bench`
 * (2 MB per input, timed) and by the suite (smaller, untimed: a regression hangs it).
 */
import { TOKEN_RULES, type TokenRule } from '../src/secrets/rules.js';

const SEPARATORS = ['', '-', '_', '.', 'a', 'A', '0', '=', ':', '/', '@', ' ', '\n', 'T3BlbkFJ', 'eyJ'];
/** Longer openers than a prefix: a whole key header, a URL's userinfo, a key name and its `=`. */
const OPENERS = [
  '-----BEGIN PRIVATE KEY-----', '-----BEGIN RSA PRIVATE KEY-----\n', 'sk-proj-', 'eyJhbGciOiJIUzI1NiJ9.eyJ', 'hooks.slack.com/services/T',
  'aws_secret_access_key=', 'AccountKey=', '://a:bcd@', '://user:', 'xoxb-', 'glpat-',
];

/** Adversarial inputs for one rule, each about `bytes` long. */
export function adversarialInputs(rule: TokenRule, bytes: number): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [];
  for (const prefix of [...rule.prefixes, ...OPENERS]) {
    for (const sep of SEPARATORS) {
      const unit = prefix + sep;
      out.push({ name: `${JSON.stringify(prefix)}+${JSON.stringify(sep)} repeated`, text: unit.repeat(Math.ceil(bytes / unit.length)) });
    }
    // A token-shaped body that never closes: long runs of token characters after the prefix.
    const body = `${prefix}${'aB3-'.repeat(64)}`;
    out.push({ name: `${JSON.stringify(prefix)} + open body`, text: body.repeat(Math.ceil(bytes / body.length)) });
  }
  return out;
}

export interface RuleTiming {
  rule: string;
  worstInput: string;
  worstMsPerMb: number;
}

/** Runs every rule over its adversarial inputs; the worst input per rule and its cost per MB. */
export function timeRules(bytes: number): RuleTiming[] {
  return TOKEN_RULES.map((rule) => {
    let worst = { name: '', ms: 0 };
    for (const input of adversarialInputs(rule, bytes)) {
      rule.pattern.lastIndex = 0;
      const t0 = performance.now();
      for (const _ of input.text.matchAll(rule.pattern)) { /* drain */ }
      const ms = performance.now() - t0;
      if (ms > worst.ms) worst = { name: input.name, ms };
    }
    return { rule: rule.id, worstInput: worst.name, worstMsPerMb: worst.ms / (bytes / 1048576) };
  });
}
