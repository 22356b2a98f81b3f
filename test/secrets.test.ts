import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scanRepository } from '../src/engine.js';
import { detectTokenSecrets, fingerprintSecret, isPlaceholderSecret, maskSecret, secretSeverity } from '../src/secrets/detect.js';
import { githubChecksumOk } from '../src/secrets/rules.js';
import { FIXTURES } from './helpers.js';

const ZOO = path.join(FIXTURES, 'credentials-zoo');

describe('placeholders are not secrets', () => {
  const lookAlikes = [
    '', '${DB_PASSWORD}', '${SECRET:}', '$(DB_PASS)', '$DB_PASS', '{{ .Values.password }}', '<%= ENV["PW"] %>', '@db.password@',
    'changeme', 'CHANGEME', 'change_me', 'changeit', 'your-password', 'your_password', 'yourpassword', 'your-db-password',
    'xxx', 'XXXXXXXX', '<password>', '[secret]', '***', '********', 'password', 'secret', 'dummy', 'placeholder', 'ENC(Zm9vYmFy)',
    'AKIAIOSFODNN7EXAMPLE', 'null', 'none', 'TODO',
  ];
  it.each(lookAlikes)('%j', (value) => {
    expect(isPlaceholderSecret(value)).toBe(true);
  });
  it('keeps real weak passwords, which are what reviewers look for', () => {
    for (const v of ['123456', 'root', 'admin123', 'Sb#2019', 'guest1']) expect(isPlaceholderSecret(v)).toBe(false);
  });
});

describe('token formats', () => {
  it("checks GitHub's CRC32 checksum", () => {
    const [valid] = detectTokenSecrets('token: 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');
    expect(valid?.kind).toBe('github-token');
    expect(githubChecksumOk('ghp_gaMS6NG6wOfMYw5VqU7AxpOvxrxLP407InNz')).toBe(false);
    expect(detectTokenSecrets('ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')).toEqual([]);
  });
  it('accepts a JWT only when its header decodes to JSON with alg', () => {
    const header = Buffer.from('{"alg":"RS256"}').toString('base64url');
    const body = Buffer.from('{"sub":"svc"}').toString('base64url');
    expect(detectTokenSecrets(`Authorization: Bearer ${header}.${body}.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg`)[0]?.kind).toBe('jwt');
    expect(detectTokenSecrets(`x = "eyJub3RqcXNvbi0tLS0.eyJzdWIiOiJzdmMifQ.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"`)).toEqual([]);
  });
  it('reports the line of each token and decodes URL-encoded passwords', () => {
    const found = detectTokenSecrets('a\nb\nDATABASE=postgres://app:p%40ss-w0rd@db:5432/x\n');
    expect(found).toEqual([{ line: 3, kind: 'basic-auth-url', value: 'p@ss-w0rd', resource: null }]);
  });
});

describe('masking, fingerprints, severity', () => {
  it('shows at most two characters at each end, and nothing of short values', () => {
    expect(maskSecret('abcdefghijklmnopqrstuvwxyz')).toBe('ab…yz');
    expect(maskSecret('Sb#2019xy')).toBe('S…y');
    expect(maskSecret('root')).toBe('****');
    expect(maskSecret('1234567')).toBe('****');
  });
  it('fingerprints equal values equally under one key and differently under another', () => {
    expect(fingerprintSecret('k1', 'payment123')).toBe(fingerprintSecret('k1', 'payment123'));
    expect(fingerprintSecret('k1', 'payment123')).not.toBe(fingerprintSecret('k2', 'payment123'));
    expect(fingerprintSecret('k1', 'payment123')).not.toBe(fingerprintSecret('k1', 'payment124'));
  });
  it('grades by where the secret lives and what it opens', () => {
    expect(secretSeverity('password', 'main', 'prod', false)).toBe('high');
    expect(secretSeverity('password', 'main', null, false)).toBe('high');
    expect(secretSeverity('password', 'main', 'dev', false)).toBe('medium');
    expect(secretSeverity('password', 'main', null, true)).toBe('medium');
    expect(secretSeverity('password', 'test', null, true)).toBe('low');
    expect(secretSeverity('aws-access-key-id', 'test', null, false)).toBe('medium');
    expect(secretSeverity('github-token', 'docs', null, false)).toBe('low');
  });
});

describe('secrets in a scan', () => {
  it('finds 20+ credential kinds in the zoo and none of its look-alikes', async () => {
    const result = await scanRepository(ZOO, { fingerprintKey: 'k' });
    expect(new Set(result.secrets.map((s) => s.kind)).size).toBeGreaterThanOrEqual(20);
    const lookAlikeFiles = ['.env.example', 'src/main/resources/application.yml', 'charts/billing/values.yaml', 'config/database.yml', 'docs/setup.md'];
    expect(result.secrets.filter((s) => lookAlikeFiles.includes(s.file))).toEqual([]);
  });
  it('keeps raw values out of the result unless asked, and puts them in when asked', async () => {
    const hidden = await scanRepository(ZOO, { fingerprintKey: 'k' });
    const shown = await scanRepository(ZOO, { fingerprintKey: 'k', revealSecrets: true });
    expect(hidden.secrets.every((s) => s.value === undefined)).toBe(true);
    expect(shown.secrets.every((s) => typeof s.value === 'string' && s.value.length > 0)).toBe(true);
    const json = JSON.stringify(hidden);
    for (const s of shown.secrets) expect(json.includes(s.value!), `${s.kind} at ${s.file}:${s.line}`).toBe(false);
  });
  it('gives a password reused by two apps one fingerprint', async () => {
    const result = await scanRepository(path.join(FIXTURES, 'deploy-repo'), { fingerprintKey: 'k' });
    const reused = result.secrets.filter((s) => s.resource === 'mysql://mysql:3306/payment');
    expect(reused.map((s) => s.app).sort()).toEqual(['deploy-repo', 'payment-api']);
    expect(new Set(reused.map((s) => s.fingerprint)).size).toBe(1);
  });
});
