/**
 * `scan --history` and `scan --staged` read a repository that is untrusted input: the paths it names, the git config
 * and attributes it sets, its replace refs and grafts must not hide a secret, and its old blobs must not land on disk.
 * Each case here is an attack that the reading of git's output used to let through.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitIn, runCli } from './helpers.js';

let dir: string;
let repos = 0;

beforeAll(() => { dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-untrusted-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A new git repository without commits. */
function newRepo(): { root: string; g: (...args: string[]) => string } {
  const root = path.join(dir, `repo-${++repos}`);
  mkdirSync(root);
  const g = gitIn(root);
  g('init', '-q');
  return { root, g };
}

function write(root: string, file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), text);
}

interface Found { file: string; line: number; commit?: string; fingerprint: string }

/** The secrets of a JSON report, once the run has exited with `code`. */
function secretsOf(run: { code: number | null; stdout: string; stderr: string }, code = 0): Found[] {
  expect(run.code, run.stderr).toBe(code);
  return JSON.parse(run.stdout).secrets;
}

/** A datasource whose password is on line 2. */
const properties = (password: string) => `spring.datasource.url=jdbc:mysql://10.9.0.5:3306/app\nspring.datasource.password=${password}\n`;

const history = (root: string, env?: NodeJS.ProcessEnv) => secretsOf(runCli(['scan', root, '--no-db', '-q', '-f', 'json', '--history'], env ? { env } : {}));

/** A repository whose second commit added a password and whose third removed it: the commits, oldest first. */
function leakedThenRemoved(): { root: string; g: (...args: string[]) => string; base: string; leaked: string; tip: string } {
  const { root, g } = newRepo();
  write(root, 'README.md', 'billing\n');
  g('add', '.');
  g('commit', '-q', '-m', 'start');
  const base = g('rev-parse', 'HEAD');
  write(root, 'application.properties', properties('Billing-Leak-7'));
  g('add', '.');
  g('commit', '-q', '-m', 'config');
  const leaked = g('rev-parse', 'HEAD');
  g('rm', '-q', 'application.properties');
  g('commit', '-q', '-m', 'password to the vault');
  return { root, g, base, leaked, tip: g('rev-parse', 'HEAD') };
}

describe('scan --history on an untrusted repository', () => {
  it('reads paths git would quote (non-ASCII, a tab) as committed: found, named and fingerprinted as the tree scan does', () => {
    const { root, g } = newRepo();
    const files = ['a\tb/application.properties', '配置/application.properties'];
    files.forEach((file, i) => write(root, file, properties(`Quoted-Path-${i}`)));
    g('add', '.');
    g('commit', '-q', '-m', 'config');
    const leaked = g('rev-parse', 'HEAD');
    // One inventory, so that both runs fingerprint with the same key.
    const db = path.join(dir, 'quoted.db');
    const atLeak = secretsOf(runCli(['scan', root, '--db', db, '-q', '-f', 'json']));
    g('rm', '-q', '-r', 'a\tb', '配置');
    g('commit', '-q', '-m', 'passwords to the vault');
    const found = secretsOf(runCli(['scan', root, '--db', db, '-q', '-f', 'json', '--history']));
    expect(found.map((s) => [s.file, s.line, s.commit]).sort()).toEqual(files.map((file) => [file, 2, leaked]));
    expect(found.map((s) => s.fingerprint).sort()).toEqual(atLeak.map((s) => s.fingerprint).sort());
  });

  it('finds what the root commit added although the repository sets log.showRoot=false', () => {
    const { root, g } = newRepo();
    write(root, 'application.properties', properties('Root-Commit-Leak-1'));
    g('add', '.');
    g('commit', '-q', '-m', 'first');
    const leaked = g('rev-parse', 'HEAD');
    g('rm', '-q', 'application.properties');
    g('commit', '-q', '-m', 'password to the vault');
    g('config', 'log.showRoot', 'false');
    expect(history(root).map((s) => [s.file, s.commit])).toEqual([['application.properties', leaked]]);
  });

  it('ignores a replace ref that hides the leaking commit', () => {
    const { root, g, base, leaked, tip } = leakedThenRemoved();
    g('replace', '--graft', tip, base); // HEAD now shows `start` as its parent
    expect(history(root).map((s) => [s.file, s.commit])).toEqual([['application.properties', leaked]]);
  });

  it('ignores a graft that hides the leaking commit', () => {
    const { root, base, leaked, tip } = leakedThenRemoved();
    write(root, '.git/info/grafts', `${tip} ${base}\n`);
    expect(history(root).map((s) => [s.file, s.commit])).toEqual([['application.properties', leaked]]);
  });

  it('ignores a replace ref that shows the leaking blob with other content', () => {
    const { root, g, leaked } = leakedThenRemoved();
    write(root, 'harmless.txt', 'nothing here\n');
    g('replace', g('rev-parse', `${leaked}:application.properties`), g('hash-object', '-w', 'harmless.txt'));
    expect(history(root).map((s) => [s.file, s.commit])).toEqual([['application.properties', leaked]]);
  });

  it('writes no old blob to disk: it runs with a TMPDIR that cannot be written', () => {
    const { root, leaked } = leakedThenRemoved();
    // A file, not a directory: nothing can be created under it, whatever the user's rights (root included).
    const notADirectory = path.join(dir, 'not-a-directory');
    writeFileSync(notADirectory, '');
    chmodSync(notADirectory, 0o444);
    expect(history(root, { ...process.env, TMPDIR: notADirectory }).map((s) => [s.file, s.commit])).toEqual([['application.properties', leaked]]);
  });

  it('reports nothing and exits 0 in a repository without commits', () => {
    expect(history(newRepo().root)).toEqual([]);
  });
});

describe('scan --staged on an untrusted repository', () => {
  /** What may change git's patch output: the staged file's path, the repository's diff config, its attributes. */
  const cases: Array<{ name: string; file?: string; config?: [string, string]; attributes?: string }> = [
    { name: 'a non-ASCII path', file: '配置/application.properties' },
    { name: 'a path with a space (git ends the +++ line with a tab)', file: 'conf dir/application.properties' },
    { name: 'diff.noprefix=true', config: ['diff.noprefix', 'true'] },
    { name: 'diff.mnemonicPrefix=true', config: ['diff.mnemonicPrefix', 'true'] },
    { name: 'diff.external set', config: ['diff.external', 'true'] },
    { name: '"* -diff" in .gitattributes', attributes: '* -diff\n' },
  ];

  /** A committed datasource (password on line 2) and a staged line 3 with another password; the repository's root. */
  function stagedPassword(file: string, prepare: (root: string, g: (...args: string[]) => string) => void = () => {}): string {
    const { root, g } = newRepo();
    prepare(root, g);
    write(root, file, properties('Committed-Pw-1'));
    g('add', '.');
    g('commit', '-q', '-m', 'datasource');
    write(root, file, `${properties('Committed-Pw-1')}spring.redis.password=Staged-Pw-2\n`);
    g('add', '.');
    return root;
  }

  const staged = (root: string, env?: NodeJS.ProcessEnv) =>
    secretsOf(runCli(['scan', root, '--staged', '-q', '-f', 'json', '--fail-on', 'secret'], env ? { env } : {}), 1).map((s) => [s.file, s.line]);

  it.each(cases)('finds the one line a commit would add with $name', ({ file = 'application.properties', config, attributes }) => {
    const root = stagedPassword(file, (root, g) => {
      if (attributes) write(root, '.gitattributes', attributes);
      if (config) g('config', ...config);
    });
    expect(staged(root)).toEqual([[file, 3]]);
  });

  it('reads a changed file whole when git shows no hunk for it, rather than passing it', () => {
    const root = stagedPassword('application.properties', (root) => write(root, '.gitattributes', '* -diff\n'));
    // A git that ignores --text: the file marked -diff is then "binary", a patch without a hunk.
    const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    const bin = path.join(dir, 'git-without-text');
    write(bin, 'git', `#!/bin/sh\nfor a do shift; [ "$a" = --text ] || set -- "$@" "$a"; done\nexec '${realGit}' "$@"\n`);
    chmodSync(path.join(bin, 'git'), 0o755);
    expect(staged(root, { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` })).toEqual([['application.properties', 2], ['application.properties', 3]]);
  });

  it('outside a git repository says so in one line on stderr and exits 2', () => {
    const plain = path.join(dir, 'not-a-repository');
    mkdirSync(plain);
    const r = runCli(['scan', plain, '--staged', '-q']);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/not a git repository/);
  });
});

describe('git run on an untrusted repository starts no program its config names', () => {
  it('runs no core.fsmonitor or signature program in scan, --staged and --history', () => {
    const { root, g } = newRepo();
    write(root, 'old.env', 'OLD_PASSWORD=Old-Pass-4410\n');
    g('add', '.');
    g('commit', '-q', '-m', 'first');
    const marker = path.join(dir, 'ran');
    const hook = path.join(dir, 'hook.sh');
    writeFileSync(hook, `#!/bin/sh\necho "$0 $*" >> '${marker}'\n`);
    chmodSync(hook, 0o755);
    write(root, 'new.env', 'NEW_PASSWORD=New-Pass-5520\n');
    g('add', 'new.env');
    // Set last: git run by this test would start them too.
    g('config', 'core.fsmonitor', hook);
    g('config', 'log.showSignature', 'true');
    g('config', 'gpg.program', hook);
    const found = [
      secretsOf(runCli(['scan', root, '--no-db', '-q', '-f', 'json']), 0).length,
      secretsOf(runCli(['scan', root, '--staged', '-q', '-f', 'json']), 0).length,
      secretsOf(runCli(['scan', root, '--no-db', '--history', '-q', '-f', 'json']), 0).length,
    ];
    expect([found, existsSync(marker)]).toEqual([[2, 1, 2], false]);
  });
});
