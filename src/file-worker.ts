/**
 * Worker thread body: processes batches of files with the built-in scanners and posts
 * each file's result as soon as it exists (so the pool knows which file a stuck worker
 * is on), then the end of the batch. Started by src/worker-pool.ts; never imported by
 * the main thread.
 */
import { parentPort } from 'node:worker_threads';
import { scanners } from '../scanners/index.js';
import { compileProjectRules, compileScanner, NO_PROJECT_RULES, processFile, type CompiledProjectRules, type ProjectFileRules } from './file-processor.js';
import type { CandidateOptions } from './llm/candidates.js';
import { createKeywordFilter, type KeywordFilter } from './keywords.js';
import type { WalkedFile } from './walker.js';
import type { WorkerMessage } from './worker-pool.js';

const compiled = scanners.map(compileScanner);
let filter: { key: string; filter: KeywordFilter } | null = null;
let project: { key: string; rules: CompiledProjectRules } = { key: '', rules: NO_PROJECT_RULES };

parentPort!.on('message', async (msg: { files: WalkedFile[]; offset: number; keywords: string[]; snippets?: CandidateOptions; project?: ProjectFileRules }) => {
  const key = msg.keywords.join('\u0000');
  if (filter?.key !== key) filter = { key, filter: createKeywordFilter(msg.keywords) };
  const projectKey = msg.project ? JSON.stringify(msg.project) : '';
  if (project.key !== projectKey) project = { key: projectKey, rules: compileProjectRules(msg.project) };
  for (let i = 0; i < msg.files.length; i++) {
    parentPort!.postMessage({ started: msg.offset + i } satisfies WorkerMessage);
    const result = processFile(msg.files[i]!, compiled, filter.filter, msg.snippets, project.rules);
    parentPort!.postMessage({ index: msg.offset + i, result } satisfies WorkerMessage);
    // Let tree-sitter's finalizers run (see engine.ts).
    if (i % 8 === 7) await new Promise((resolve) => setImmediate(resolve));
  }
  parentPort!.postMessage({ done: true } satisfies WorkerMessage);
});
