import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { compileGlob, compileLinearRegex } from '../src/linear-match.js';

describe('compileGlob', () => {
  const globs = [
    '**', '*', '**/*', '*.env', '**/*.env', 'config/**', 'config/**/*.yml', 'a/**/b', '**/test/**', 'src/*/app.yml',
    '?.txt', '[ab].yml', '[^a]*.yml', '{a,b}/*.json', 'docs/{x,y/z}/**', '.env*', 'a\\*b', 'deploy/*.{yml,yaml}', '{**,x}', '{a,**}/q.json',
  ];
  const paths = [
    'a', '.env', '.env.local', 'x.env', 'dir/x.env', 'config', 'config/a.yml', 'config/sub/b.yml', 'a/b', 'a/x/b', 'a/x/y/b',
    'src/test/x.java', 'test/x', 'src/m/app.yml', 'src/m/n/app.yml', 'b.txt', 'bb.txt', 'a.yml', 'c.yml', 'a/q.json',
    'b/q.json', 'c/q.json', 'docs/x/1', 'docs/y/z/2', 'docs/y/3', 'a*b', 'aab', 'deploy/k.yml', 'deploy/k.yaml', 'deploy/k.json',
    'ä/ü.env', 'tab\there.env', 'new\nline.env',
  ];

  it('agrees with picomatch (dot: true) on the globs both support', () => {
    for (const glob of globs) {
      const mine = compileGlob(glob);
      const theirs = picomatch(glob, { dot: true });
      for (const p of paths) expect(mine(p), `${glob} on ${JSON.stringify(p)}`).toBe(p.includes('\n') ? mine(p.replace('\n', '_')) : theirs(p));
    }
    // picomatch's `.` stops at a newline; a name that holds one is still a name.
    expect(compileGlob('**')('new\nline.env')).toBe(true);
    // `[!a]` negates, as in .gitignore and POSIX (picomatch reads it as `!` or `a`).
    expect([compileGlob('[!a]*.yml')('a.yml'), compileGlob('[!a]*.yml')('c.yml')]).toEqual([false, true]);
  });

  it('matches a glob of many stars against a long name in linear time', () => {
    // picomatch's regex for this glob backtracks for minutes on a 255-character name that almost matches.
    const glob = `${'*a'.repeat(40)}*b`;
    const name = 'a'.repeat(4000);
    const started = performance.now();
    expect(compileGlob(glob)(name)).toBe(false);
    expect(compileGlob('+(a|aa)*b')(name)).toBe(false); // extglob syntax is literal text here
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('compileLinearRegex', () => {
  it('finds every match and its first group, left to right', () => {
    const re = compileLinearRegex('tok_([A-Z0-9]{4})');
    expect([...re.matchAll('x tok_AB12 tok_ZZZZ tok_no')].map((m) => [m.index, m.text, m.group1])).toEqual([[2, 'tok_AB12', 'AB12'], [11, 'tok_ZZZZ', 'ZZZZ']]);
    expect([...compileLinearRegex('x*').matchAll('ab')].length).toBe(3); // empty matches advance
  });

  it('runs a catastrophic pattern in linear time and refuses what RE2 cannot run', () => {
    const started = performance.now();
    expect(compileLinearRegex('(a+)+b').test(`${'a'.repeat(100_000)}c`)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
    expect(() => compileLinearRegex('(a)\\1')).toThrow(/linear-time engine/);
    expect(() => compileLinearRegex('(?=a)b')).toThrow(/lookarounds/);
    expect(() => compileLinearRegex('a'.repeat(2000))).toThrow(/longer than/);
  });
});
