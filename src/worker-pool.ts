/**
 * Runs file processing in worker threads, for two reasons. Speed: worth it only when files
 * are parsed (tree-sitter makes a file cost milliseconds); a scan that mostly reads and
 * searches files does not gain (bench/RESULTS.md), so more than one worker is opt-in.
 * Isolation: the work on one file is synchronous, so a file that makes a parser or a rule
 * spin (hostile input) would hold the main thread, and with it every timer, until it is
 * done. In a worker it can be stopped: a file that takes longer than the per-file limit is
 * given up (the worker is replaced and the rest goes on), and an aborted scan terminates
 * its workers at once. Results are plain data and the engine sorts everything afterwards,
 * so the output does not depend on which worker finished first.
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

export interface WorkerRunOptions {
  threads: number;
  snippets?: CandidateOptions;
  /** Terminates the workers and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** A file still unfinished after this long is recorded as skipped (`timeout`) and its worker replaced. */
  fileTimeoutMs?: number;
  /** Called with each file's result as it arrives. */
  onResult: (file: WalkedFile, result: FileResult) => void;
  batchSize?: number;
  /** The worker script (default: src/file-worker.ts compiled); it must speak WorkerMessage. */
  workerFile?: string;
}

/**
 * What a worker posts: that it starts a file (the per-file clock starts then, not while the worker
 * loads), one file's result (by index in the batch), or the end of the batch.
 */
export type WorkerMessage = { started: number } | { index: number; result: FileResult } | { done: true };

export async function processInWorkers(files: WalkedFile[], keywords: readonly string[], opts: WorkerRunOptions): Promise<void> {
  const batchSize = opts.batchSize ?? 32;
  const queue: WalkedFile[][] = [];
  for (let i = 0; i < files.length; i += batchSize) queue.push(files.slice(i, i + batchSize));
  const live = new Set<Worker>();
  const signal = opts.signal;
  signal?.throwIfAborted();
  let stop: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => { stop = reject; });
  stopped.catch(() => undefined);
  const onAbort = () => stop(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });

  /** One worker slot: takes batches until none is left; a stuck file costs that file and a new worker. */
  const slot = async (): Promise<void> => {
    while (queue.length > 0) {
      const batch = queue.shift()!;
      let next = 0; // index in `batch` of the first file without a result
      while (next < batch.length) {
        const worker = new Worker(opts.workerFile ?? WORKER_FILE);
        live.add(worker);
        try {
          next = await runBatch(worker, batch, next);
        } finally {
          live.delete(worker);
          await worker.terminate();
        }
      }
    }
  };

  /** Sends `batch` from `from` on; resolves with the index to resume at (past the end when the batch is done). */
  const runBatch = (worker: Worker, batch: WalkedFile[], from: number) => new Promise<number>((resolve, reject) => {
    let next = from;
    let timer: NodeJS.Timeout | undefined;
    const arm = () => {
      if (opts.fileTimeoutMs === undefined) return;
      clearTimeout(timer);
      timer = setTimeout(() => {
        const file = batch[next]!;
        const seconds = Math.round(opts.fileTimeoutMs! / 100) / 10;
        finish(() => {
          opts.onResult(file, {
            path: file.path, bytesRead: 0, skipped: { reason: 'timeout', detail: `given up after ${seconds} s` },
            warning: `${file.path}: given up after ${seconds} s`,
          });
          resolve(next + 1);
        });
      }, opts.fileTimeoutMs);
      timer.unref?.();
    };
    const finish = (f: () => void) => {
      clearTimeout(timer);
      worker.removeAllListeners();
      f();
    };
    worker.on('message', (msg: WorkerMessage) => {
      if ('done' in msg) return finish(() => resolve(batch.length));
      if ('started' in msg) {
        next = msg.started;
        return arm();
      }
      clearTimeout(timer);
      opts.onResult(batch[msg.index]!, msg.result);
      next = msg.index + 1;
    });
    worker.on('error', (e) => finish(() => reject(e)));
    worker.on('exit', (code) => finish(() => reject(new Error(`file worker exited with code ${code}`))));
    stopped.catch((reason: unknown) => finish(() => reject(reason)));
    worker.postMessage({ files: batch.slice(from), offset: from, keywords, ...(opts.snippets ? { snippets: opts.snippets } : {}) });
  });

  try {
    const slots = Array.from({ length: Math.max(1, Math.min(opts.threads, queue.length)) }, slot);
    await Promise.race([Promise.all(slots), stopped]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop(new Error('stopped'));
    await Promise.all([...live].map((w) => w.terminate()));
  }
}
