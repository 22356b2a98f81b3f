import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { walkRepository } from '../src/walker.js';

let dir: string;
function tree(files: Record<string, string>): string {
  dir = mkdtempSync(path.join(os.tmpdir(), 'cmdb-walk-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('walkRepository', () => {
  it('honours .gitignore at every level, including negations in a subfolder', async () => {
    const root = tree({
      '.gitignore': '*.local.yml\nsecrets/\n',
      'a.local.yml': 'x', 'keep.yml': 'x', 'secrets/db.yml': 'x',
      'svc/.gitignore': '!important.local.yml\ngenerated/\n',
      'svc/important.local.yml': 'x', 'svc/other.local.yml': 'x', 'svc/generated/out.yml': 'x', 'svc/app.yml': 'x',
    });
    const { files } = await walkRepository(root, { maxFileSize: 1e6 });
    expect(files.map((f) => f.path)).toEqual(['.gitignore', 'keep.yml', 'svc/.gitignore', 'svc/app.yml', 'svc/important.local.yml']);
  });
  it('skips built-in noise: .git, node_modules, target, lock files, minified bundles, media', async () => {
    const root = tree({
      '.git/config': 'x', 'node_modules/x/config.json': 'x', 'target/classes/application.yml': 'x', 'package-lock.json': '{}',
      'web/app.min.js': 'x', 'logo.png': 'x', 'src/main/resources/application.yml': 'x',
    });
    const { files, skipped } = await walkRepository(root, { maxFileSize: 1e6 });
    expect(files.map((f) => f.path)).toEqual(['src/main/resources/application.yml']);
    expect(skipped).toEqual([]);
  });
  it('applies include and exclude globs', async () => {
    const root = tree({ 'a/x.yml': 'x', 'a/y.properties': 'x', 'b/z.yml': 'x' });
    const { files } = await walkRepository(root, { maxFileSize: 1e6, include: ['**/*.yml'], exclude: ['b/**'] });
    expect(files.map((f) => f.path)).toEqual(['a/x.yml']);
  });
  it('records files over the size cap with the reason', async () => {
    const root = tree({ 'big.properties': 'x'.repeat(2048), 'small.properties': 'x' });
    const { files, skipped } = await walkRepository(root, { maxFileSize: 1024 });
    expect(files.map((f) => f.path)).toEqual(['small.properties']);
    expect(skipped).toEqual([{ path: 'big.properties', reason: 'too-large', detail: '2048 bytes exceeds the 1024-byte limit' }]);
  });
  it('never follows directory links: loops and other links are reported, file links read once', async () => {
    const root = tree({ 'conf/app.yml': 'x', 'elsewhere/x.yml': 'x' });
    symlinkSync('..', path.join(root, 'conf/loop'));
    symlinkSync('../elsewhere', path.join(root, 'conf/linked-dir'));
    symlinkSync('app.yml', path.join(root, 'conf/alias.yml'));
    symlinkSync('nowhere.yml', path.join(root, 'conf/dangling.yml'));
    const { files, skipped } = await walkRepository(root, { maxFileSize: 1e6 });
    expect(files.map((f) => f.path)).toEqual(['conf/app.yml', 'elsewhere/x.yml']);
    expect(skipped.map((s) => [s.path, s.reason])).toEqual([
      ['conf/dangling.yml', 'unreadable'], ['conf/linked-dir', 'symlink'], ['conf/loop', 'symlink-loop'],
    ]);
  });
});
