/**
 * The token rules against a public collection of per-rule test cases: trufflehog's detector pattern tests
 * (`pkg/detectors/<vendor>/*_test.go`, cases of `input` and `want`), where a non-empty `want` is a real-format
 * sample and an empty one a look-alike. Nothing from that repository is copied here: the script reads a checkout
 * given on the command line and evaluates the few Go expressions the cases are written with (string literals,
 * `fmt.Sprintf`, `+`, package-level string variables).
 *
 *   node dist/bench/token-samples.js --detectors <trufflehog>/pkg/detectors [--verbose]
 *
 * A sample counts as found when each wanted value overlaps a value the token rules report (trufflehog reports
 * some multi-part credentials joined, so either may contain the other); a look-alike counts as alarmed when any
 * token rule reports anything in its input.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { detectTokenSecrets } from '../src/secrets/detect.js';

/** Detectors of the vendors the token rules cover or the issue names, by their directory under pkg/detectors. */
const DETECTORS = [
  'aws/access_keys', 'alibaba', 'github', 'gitlab', 'slack', 'slackwebhook',
  'stripe', 'openai', 'anthropic', 'groq', 'huggingface', 'databrickstoken', 'tailscale', 'hashicorpvault', 'grafana',
  'grafanaserviceaccount', 'dockerhub', 'npmtoken', 'npmtokenv2', 'sendgrid', 'shopify', 'linearapi',
  'figmapersonalaccesstoken', 'notion', 'vercel', 'cloudflareapitoken', 'cloudflarecakey', 'azure_entra/serviceprincipal',
  'gcp', 'privatekey', 'jwt',
];

/**
 * Samples that break the vendor's documented format, counted apart (and listed) rather than chased with looser
 * rules that would alarm on look-alikes in real code.
 */
const OFF_FORMAT: ReadonlyArray<{ detector: string; test: (input: string) => boolean; why: string }> = [
  { detector: 'aws/access_keys', test: (t) => /\b(?:AKIA|ABIA|ASIA|ACCA)(?=[A-Z0-9]{16}\b)[A-Z2-7]*[0189]/.test(t), why: 'the key id holds 0, 1, 8 or 9; AWS key ids are base32 (A-Z, 2-7)' },
  { detector: 'alibaba', test: (t) => /LTAI[A-Za-z0-9]{21,}/.test(t), why: 'the key id is longer than the 24 characters Alibaba Cloud issues' },
  { detector: 'hashicorpvault', test: (t) => /hv[sbr]\.(.)\1{20,}/.test(t), why: 'a token of one repeated character' },
  { detector: 'slackwebhook', test: (t) => /EXAMPLE/.test(t), why: 'marked EXAMPLE, as documentation samples are' },
  { detector: 'gcp', test: (t) => /PRIVATE KEY-----\\n[A-Za-z0-9+/]*\.\.\./.test(t), why: 'the private key is cut short with "..."' },
];

/** Empty `want`s that are trufflehog's policy, not look-alikes. */
const POLICY: Readonly<Record<string, string>> = {
  jwt: 'trufflehog leaves HMAC-signed JWTs out (it cannot verify them); they are real tokens',
};

type Value = string | string[] | null;

/** Go source as tokens: strings (interpreted or raw), identifiers with dots, numbers, punctuation. */
function tokenize(src: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i]!;
    if (/\s/.test(c)) { i++; continue; }
    if (src.startsWith('//', i)) { i = src.indexOf('\n', i) < 0 ? src.length : src.indexOf('\n', i); continue; }
    if (src.startsWith('/*', i)) { i = src.indexOf('*/', i + 2) < 0 ? src.length : src.indexOf('*/', i + 2) + 2; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === '\\' ? 2 : 1;
      out.push(src.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    if (c === '`') {
      const j = src.indexOf('`', i + 1);
      out.push(src.slice(i, j + 1));
      i = j + 1;
      continue;
    }
    const word = /^[A-Za-z_][\w.]*|^\d+/.exec(src.slice(i, i + 200));
    if (word) { out.push(word[0]); i += word[0].length; continue; }
    out.push(c);
    i++;
  }
  return out;
}

function stringValue(token: string): string | null {
  if (token.startsWith('`')) return token.slice(1, -1);
  if (!token.startsWith('"')) return null;
  try {
    return JSON.parse(token.replace(/\\'/g, "'").replace(/\\x([0-9a-fA-F]{2})/g, '\\u00$1')) as string;
  } catch {
    return null;
  }
}

function sprintf(format: string, args: Value[]): string | null {
  let k = 0;
  let failed = false;
  const out = format.replace(/%(%|[-+# 0-9.]*[svqdx])/g, (m, verb: string) => {
    if (verb === '%') return '%';
    const a = args[k++];
    if (typeof a !== 'string') { failed = true; return ''; }
    return m.endsWith('q') ? JSON.stringify(a) : a;
  });
  return failed ? null : out;
}

/** Reads one expression at `toks[pos]` until a top-level `,` or closing bracket; returns its value and the next position. */
function expression(toks: string[], pos: number, defs: Map<string, Value>): [Value, number] {
  let value: Value = null;
  let first = true;
  let i = pos;
  for (;;) {
    const t = toks[i];
    if (t === undefined) return [value, i];
    let term: Value = null;
    if (t === '[' && toks[i + 1] === ']' && toks[i + 2] === 'string' && toks[i + 3] === '{') {
      const list: string[] = [];
      i += 4;
      while (toks[i] !== '}' && i < toks.length) {
        const [v, next] = expression(toks, i, defs);
        if (typeof v === 'string') list.push(v);
        else return [null, skipTo(toks, next)];
        i = toks[next] === ',' ? next + 1 : next;
      }
      term = list;
      i++;
    } else if (t === 'nil') {
      term = [];
      i++;
    } else if (t === 'fmt.Sprintf' && toks[i + 1] === '(') {
      const args: Value[] = [];
      i += 2;
      while (toks[i] !== ')' && i < toks.length) {
        const [v, next] = expression(toks, i, defs);
        args.push(v);
        i = toks[next] === ',' ? next + 1 : next;
      }
      i++;
      term = typeof args[0] === 'string' ? sprintf(args[0], args.slice(1)) : null;
    } else if (stringValue(t) !== null) {
      term = stringValue(t);
      i++;
    } else if (/^[A-Za-z_][\w]*$/.test(t) && defs.has(t)) {
      term = defs.get(t)!;
      i++;
    } else {
      return [null, skipTo(toks, i)];
    }
    value = first ? term : typeof value === 'string' && typeof term === 'string' ? value + term : null;
    first = false;
    if (toks[i] === '+') { i++; continue; }
    return [value, i];
  }
}

/** The position of the next top-level `,` or closing bracket from `i`. */
function skipTo(toks: string[], i: number): number {
  let depth = 0;
  for (; i < toks.length; i++) {
    const t = toks[i]!;
    if (t === '(' || t === '{' || t === '[') depth++;
    else if (t === ')' || t === '}' || t === ']') {
      if (depth === 0) return i;
      depth--;
    } else if (t === ',' && depth === 0) return i;
  }
  return i;
}

interface Case { file: string; name: string; input: string; want: string[] }

/** Package-level string definitions (`name = "…"`, in var/const blocks or alone) and the cases of every `input:`/`want:` pair. */
function casesOf(file: string): { cases: Case[]; unreadable: number } {
  const toks = tokenize(readFileSync(file, 'utf8'));
  const defs = new Map<string, Value>();
  for (let i = 0; i + 2 < toks.length; i++) {
    if (/^[A-Za-z_]\w*$/.test(toks[i]!) && (toks[i + 1] === '=' || (toks[i + 1] === ':' && toks[i + 2] === '=')) && toks[i - 1] !== '.') {
      const at = toks[i + 1] === '=' ? i + 2 : i + 3;
      const [v] = expression(toks, at, defs);
      if (typeof v === 'string') defs.set(toks[i]!, v);
    }
  }
  const cases: Case[] = [];
  let unreadable = 0;
  let name = '';
  for (let i = 0; i + 2 < toks.length; i++) {
    if (toks[i] === 'name' && toks[i + 1] === ':') name = stringValue(toks[i + 2]!) ?? name;
    if (toks[i] !== 'input' || toks[i + 1] !== ':') continue;
    const [input, next] = expression(toks, i + 2, defs);
    let w = next;
    while (w < toks.length && !(toks[w] === 'want' && toks[w + 1] === ':') && !(toks[w] === 'input' && toks[w + 1] === ':')) w++;
    if (toks[w] !== 'want') { unreadable++; continue; }
    const [want] = expression(toks, w + 2, defs);
    if (typeof input !== 'string' || !Array.isArray(want)) { unreadable++; continue; }
    cases.push({ file, name, input, want });
  }
  return { cases, unreadable };
}

/** A detector's pattern tests, its versions' (`v1/`, `v2/`) included. */
function testFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('_test.go') && !f.includes('integration'))
    .map((f) => path.join(dir, f)).filter((f) => statSync(f).isFile());
}

function main(): void {
  const args = process.argv.slice(2);
  const root = args[args.indexOf('--detectors') + 1];
  if (!args.includes('--detectors') || !root) {
    process.stderr.write('usage: token-samples --detectors <trufflehog checkout>/pkg/detectors [--verbose]\n');
    process.exit(2);
  }
  const verbose = args.includes('--verbose');
  const say = (line: string) => { if (verbose) process.stdout.write(`${line}\n`); };
  const rows: string[] = [];
  const total = { samples: 0, found: 0, offFormat: 0, offFormatFound: 0, lookAlikes: 0, alarmed: 0, excluded: 0 };
  let unreadableTotal = 0;
  for (const detector of DETECTORS) {
    let s = 0, f = 0, off = 0, l = 0, a = 0, x = 0;
    const cases = testFiles(path.join(root, detector)).flatMap((file) => {
      const read = casesOf(file);
      unreadableTotal += read.unreadable;
      return read.cases;
    });
    const wantedElsewhere = (c: Case) => cases.filter((o) => o.file !== c.file).flatMap((o) => o.want);
    for (const c of cases) {
      const got = detectTokenSecrets(c.input);
      const values = got.map((g) => g.value);
      const label = `${detector} ${JSON.stringify(c.name)}`;
      if (c.want.length > 0) {
        // A wanted value that is not in the input is one trufflehog built (a key id joined to its secret, a GCP
        // key's client email): values cannot be compared, so any finding in the input counts.
        const ok = c.want.every((w) => (c.input.includes(w) ? values.some((v) => v.length >= 8 && (w.includes(v) || v.includes(w))) : values.length > 0));
        const offFormat = OFF_FORMAT.find((o) => o.detector === detector && o.test(c.input));
        if (offFormat) {
          off++;
          if (ok) total.offFormatFound++;
          say(`off-format ${label}: ${offFormat.why}${ok ? ' (found anyway)' : ''}`);
        } else {
          s++;
          if (ok) f++;
          else say(`missed  ${label}: want ${JSON.stringify(c.want)} in ${JSON.stringify(c.input.slice(0, args.includes('--full') ? undefined : 160))}`);
        }
      } else if (POLICY[detector] && !/invalid/i.test(c.name)) {
        x++;
        say(`excluded ${label}: ${POLICY[detector]}`);
      } else if (wantedElsewhere(c).some((w) => new RegExp(`(?<![A-Za-z0-9_-])${w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}(?![A-Za-z0-9_-])`).test(c.input))) {
        // Another version of the vendor's detector wants this value (a legacy format the newer one refuses).
        x++;
        say(`excluded ${label}: another version of ${detector} wants its value`);
      } else {
        l++;
        if (got.length > 0) {
          a++;
          say(`alarmed ${label}: ${got.map((g) => g.kind).join(',')}`);
        }
      }
    }
    total.samples += s; total.found += f; total.offFormat += off; total.lookAlikes += l; total.alarmed += a; total.excluded += x;
    rows.push(`| ${detector} | ${f}/${s} | ${off} | ${a}/${l} | ${x} |`);
  }
  const ratio = (n: number, d: number) => (n / Math.max(1, d)).toFixed(3);
  process.stdout.write(`| detector | samples found | off-format samples | look-alikes alarmed | excluded |\n|---|---|---|---|---|\n${rows.join('\n')}\n`);
  process.stdout.write(`\nsamples in the documented formats: ${total.found}/${total.samples} found (${ratio(total.found, total.samples)}); `
    + `all samples: ${total.found + total.offFormatFound}/${total.samples + total.offFormat} (${ratio(total.found + total.offFormatFound, total.samples + total.offFormat)})\n`
    + `look-alikes: ${total.alarmed}/${total.lookAlikes} alarmed (${ratio(total.alarmed, total.lookAlikes)}); ${total.excluded} empty-want cases excluded (policy or disputed); ${unreadableTotal} cases not evaluable\n`);
}

main();
