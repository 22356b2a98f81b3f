import { describe, expect, it } from 'vitest';
import { lineLocator, literalAlternation, nameWords } from '../src/text.js';

describe('literalAlternation', () => {
  it('finds exactly the listed words, the longest where one begins another', () => {
    const words = ['npm', 'npm_', 'NPM', 'ghp_', 'gho_', 'github', 'github_pat_', 'AKIA', 'AKID', 'x.y', 'a(b', 'Q~'];
    const re = new RegExp(literalAlternation(words), 'g');
    const text = 'npm_x NPM npm gho_ github_pat_1 githubx AKIA AKIB xzy x.y a(b Q~ ghx_';
    expect([...text.matchAll(re)].map((m) => m[0])).toEqual(['npm_', 'NPM', 'npm', 'gho_', 'github_pat_', 'github', 'AKIA', 'x.y', 'a(b', 'Q~']);
  });

  it('agrees with a plain alternation of the same words on random text', () => {
    let seed = 7;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
    const alphabet = 'ab_c.';
    const word = () => Array.from({ length: 1 + rand(4) }, () => alphabet[rand(alphabet.length)]).join('');
    for (let round = 0; round < 50; round++) {
      const words = [...new Set(Array.from({ length: 1 + rand(8) }, word))];
      const byLength = [...words].sort((x, y) => y.length - x.length);
      const plain = new RegExp(byLength.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
      const trie = new RegExp(literalAlternation(words), 'g');
      const text = Array.from({ length: 200 }, () => alphabet[rand(alphabet.length)]).join('');
      expect([...text.matchAll(trie)].map((m) => `${m.index}:${m[0]}`), words.join(' ')).toEqual([...text.matchAll(plain)].map((m) => `${m.index}:${m[0]}`));
    }
  });
});

describe('lineLocator', () => {
  it('gives 1-based lines for offsets', () => {
    const at = lineLocator('a\nbb\n\nc');
    expect([0, 1, 2, 4, 5, 6].map(at)).toEqual([1, 1, 2, 2, 3, 4]);
  });
});

describe('nameWords', () => {
  it('splits a name in any casing, and a run-together trailing url, uri or password, into words', () => {
    expect(nameWords('bootstrapServers')).toEqual(['bootstrap', 'servers']);
    expect(nameWords('BTCPAY_BTCEXPLORERURL')).toEqual(['btcpay', 'btcexplorer', 'url']);
    expect(nameWords('NBXPLORER_BTCRPCPASSWORD')).toEqual(['nbxplorer', 'btcrpc', 'password']);
    expect(nameWords('callbackuri')).toEqual(['callback', 'uri']);
    // A word that only ends in those letters stays one: too short a stem (`curl`), or not at the end (`urlencode`).
    expect(nameWords('curl')).toEqual(['curl']);
    expect(nameWords('urlencode')).toEqual(['urlencode']);
    expect(nameWords('password')).toEqual(['password']);
  });
});
