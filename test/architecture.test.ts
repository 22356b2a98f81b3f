/**
 * The import graph, checked: no module imports itself through others (a circle), and imports run
 * downward through the layers ARCHITECTURE.md draws. A new module belongs to the layer of the
 * first rule that matches its path; a path no rule matches fails the test, so every file is placed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './helpers.js';

/** Highest first. */
const LAYERS: ReadonlyArray<readonly [name: string, test: RegExp]> = [
  ['cli', /^src\/(cli|serve|mcp)\.ts$|^src\/commands\//],
  ['api', /^src\/index\.ts$/],
  ['orchestration', /^src\/(scan\.ts|batch\/)/],
  ['engine', /^src\/(engine|service-map|served-config|baseline|history|project-config|changes|cmdb-resources|report-filter|queries|file-processor|file-worker|worker-pool|walker|decode|keywords|apps|inventory|json-schema)\.ts$|^src\/(llm|reporters)\//],
  // Model endpoints: what a reply may say and how it is checked; the model stage (src/llm) uses them, never the reverse.
  ['endpoints', /^models\//],
  ['scanners', /^scanners\//],
  ['toolkit', /^src\/(untrusted-git|scanner|settings|targets|connection-string|values|hosts|text|linear-match|paths|profiles|http|json-file|on-first-use|version)\.ts$|^src\/(catalog|code|secrets|storage)\//],
  ['model', /^src\/(result-model|report-schema|report-values)\.ts$/],
];

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)).split(path.sep).join('/'));
}

/** Relative imports of a file (runtime and type-only: both are dependencies of the design). */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s+['"](\.[^'"]+)['"]/gm)) {
    out.push(path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!)).replace(/\.js$/, '.ts'));
  }
  return out;
}

const files = [...sources('src'), ...sources('scanners'), ...sources('models')].filter((f) => f !== 'models/fake-vllm.ts');
const layerOf = (file: string): number => LAYERS.findIndex(([, re]) => re.test(file));

describe('architecture', () => {
  it('places every source file in a layer', () => {
    expect(files.filter((f) => layerOf(f) < 0)).toEqual([]);
  });

  it('imports only from the same layer or below', () => {
    const upward: string[] = [];
    for (const file of files) {
      for (const target of importsOf(file)) {
        if (layerOf(target) >= 0 && layerOf(target) < layerOf(file)) upward.push(`${file} (${LAYERS[layerOf(file)]![0]}) → ${target} (${LAYERS[layerOf(target)]![0]})`);
      }
    }
    expect(upward).toEqual([]);
  });

  it('has no circle of imports', () => {
    const graph = new Map(files.map((f) => [f, importsOf(f).filter((t) => files.includes(t))]));
    const circles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (f: string, trail: string[]) => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        circles.push([...trail.slice(trail.indexOf(f)), f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const t of graph.get(f) ?? []) visit(t, [...trail, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(circles).toEqual([]);
  });
});
