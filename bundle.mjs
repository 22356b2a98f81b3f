/**
 * The command as users run it: one bundle of the CLI and its worker (dist/bin), built from tsc's output. A
 * pre-commit hook starts a process on every commit, and loading ~200 separate ES and CommonJS modules was most
 * of its start-up (issue 28 §2, bench/RESULTS.md). Libraries with native code, and those loaded on first use
 * (src/on-first-use.ts), stay in node_modules. Chunks sit beside the entries: modules find the worker
 * (./file-worker.js) and the prompts (../../prompts) relative to themselves. Run by `npm run build`, after tsc.
 */
import { build } from 'rolldown';

await build({
  input: { cli: 'dist/src/cli.js', 'file-worker': 'dist/src/file-worker.js' },
  platform: 'node',
  external: [/^node:/, /^tree-sitter/, /^@tree-sitter-grammars\//, 'better-sqlite3', 'pg', 'pg-native', 'node-gyp-build', /^cytoscape/],
  output: { dir: 'dist/bin', format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' },
});
