/**
 * Spreads file processing over worker threads. Worth it only when files are parsed
 * (tree-sitter makes a file cost milliseconds); a scan that mostly reads and searches
 * files does not gain (bench/RESULTS.md), so the engine asks for workers only when
 * many files will reach a code scanner. Results are plain data and the engine sorts
 * everything afterwards, so the output does not depend on which worker finished first.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CandidateOptions } from './llm/candidates.js';
import type { FileResult } from './file-processor.js';
import type { WalkedFile } from './walker.js';

const WORKER_FILE = fileURLToPath(new URL('./file-worker.js', import.meta.url));

/** Workers run compiled JavaScript; under a TypeScript test runner the engine stays on one thread. */
export function workersAvailable(): boolean {
  return import.meta.url.endsWith('.js') && existsSync(WORKER_FILE);
}

export async function processInWorkers(files: WalkedFile[], keywords: readonly string[], threads: number, snippets?: CandidateOptions, batchSize = 32): Promise<FileResult[]> {
  const batches: WalkedFile[][] = [];
  for (let i = 0; i < files.length; i += batchSize) batches.push(files.slice(i, i + batchSize));
  const results: FileResult[] = [];
  const workers = Array.from({ length: Math.min(threads, batches.length) }, () => new Worker(WORKER_FILE));
  let next = 0;
  try {
    await Promise.all(workers.map((worker) => new Promise<void>((resolve, reject) => {
      let done = false;
      const send = () => {
        if (next >= batches.length) {
          done = true;
          resolve();
          return;
        }
        const id = next++;
        worker.postMessage({ id, files: batches[id], keywords, ...(snippets ? { snippets } : {}) });
      };
      worker.on('message', (msg: { results: FileResult[] }) => {
        results.push(...msg.results);
        send();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => { if (!done) reject(new Error(`file worker exited with code ${code}`)); });
      send();
    })));
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
