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
import { availableParallelism, freemem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CandidateOptions } from './llm/candidates.js';
import type { FileResult, ProjectFileRules } from './file-processor.js';
import type { WalkedFile } from './walker.js';

const WORKER_FILE = fileURLToPath(new URL('./file-worker.js', import.meta.url));

/** Workers run compiled JavaScript; under a TypeScript test runner the engine stays on one thread. */
export function workersAvailable(): boolean {
  return import.meta.url.endsWith('.js') && existsSync(WORKER_FILE);
}

/** More workers than this add memory (~70 MB each, bench/RESULTS.md) faster than they add speed. */
const MAX_DEFAULT_THREADS = 8;
/** Memory one more worker may need at its peak; with less free than this per worker, fewer are started. */
const MEMORY_PER_WORKER = 256 * 1024 * 1024;

/** Threads a scan uses unless told: the cores available, capped, and only as many as free memory allows (at least 1). */
export function defaultThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), MAX_DEFAULT_THREADS, Math.floor(freemem() / MEMORY_PER_WORKER)));
}

/**
 * Worker threads that outlive one call: a batch keeps one pool for all its repositories, because
 * starting a worker (loading the scanners and tree-sitter grammars) costs more than scanning a small
 * repository. A worker is lent to one caller at a time; one that is stuck or stopped is terminated
 * and a new one started in its place on demand.
 */
export class FileWorkerPool {
  private readonly idle: Worker[] = [];
  private readonly waiting: Array<(w: Worker) => void> = [];
  private readonly exited = new WeakSet<Worker>();
  private count = 0;
  private closed = false;

  constructor(readonly size: number, private readonly workerFile: string = WORKER_FILE) {}

  acquire(): Promise<Worker> {
    if (this.closed) return Promise.reject(new Error('worker pool closed'));
    let worker = this.idle.pop();
    while (worker && this.exited.has(worker)) {
      this.count--;
      worker = this.idle.pop();
    }
    if (worker) return Promise.resolve(worker);
    if (this.count < this.size) {
      this.count++;
      const w = new Worker(this.workerFile);
      // Between calls nobody listens: an error then must neither crash the process nor leave a dead worker in use.
      w.on('error', () => undefined).once('exit', () => this.exited.add(w));
      return Promise.resolve(w);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives a worker back; a stuck or stopped one is terminated and its place freed. */
  async release(worker: Worker, healthy: boolean): Promise<void> {
    if (!healthy || this.closed || this.exited.has(worker)) {
      this.count--;
      await worker.terminate();
      const next = this.waiting.shift();
      if (next) {
        this.acquire().then(next, () => undefined);
      }
      return;
    }
    const next = this.waiting.shift();
    if (next) next(worker);
    else this.idle.push(worker);
  }

  async close(): Promise<void> {
    this.closed = true;
    const idle = this.idle.splice(0);
    this.count -= idle.length;
    await Promise.all(idle.map((w) => w.terminate()));
  }
}

export interface WorkerRunOptions {
  threads: number;
  snippets?: CandidateOptions;
  /** A project config's rules, as data (compiled in each worker). */
  project?: ProjectFileRules;
  /** Terminates the workers in use and rejects with the signal's reason. */
  signal?: AbortSignal;
  /** A file still unfinished after this long is recorded as skipped (`timeout`) and its worker replaced. */
  fileTimeoutMs?: number;
  /** Called with each file's result as it arrives. */
  onResult: (file: WalkedFile, result: FileResult) => void;
  batchSize?: number;
  /** Workers to borrow (a batch's, shared by its repositories); without one, a pool of `threads` lives for this call. */
  pool?: FileWorkerPool;
  /** The worker script for a private pool (default: src/file-worker.ts compiled); it must speak WorkerMessage. */
  workerFile?: string;
}

/**
 * What a worker posts: that it starts a file (the per-file clock starts then, not while the worker
 * loads), one file's result (by index in the batch), or the end of the batch.
 */
export type WorkerMessage = { started: number } | { index: number; result: FileResult } | { done: true };

/** Where workers take their next files from: an array, or a queue the main thread takes from too. */
export interface FileSource {
  take(count: number): WalkedFile[];
  readonly done: boolean;
}

/**
 * Files waiting to be processed, taken in batches by the workers and, in a speed scan, by the main thread too: each
 * takes the next files when it is free, so a slow file holds back only the one that took it.
 */
export class FileQueue implements FileSource {
  private next = 0;
  constructor(private files: Array<WalkedFile | undefined>) {}

  /** Up to `count` files, let go of here as they are taken (a repository of 300,000 files keeps none to the end). */
  take(count: number): WalkedFile[] {
    const end = Math.min(this.files.length, this.next + count);
    const batch = this.files.slice(this.next, end) as WalkedFile[];
    this.files.fill(undefined, this.next, end);
    this.next = end;
    return batch;
  }

  get done(): boolean {
    return this.next >= this.files.length;
  }
}

export async function processInWorkers(files: WalkedFile[] | FileSource, keywords: readonly string[], opts: WorkerRunOptions): Promise<void> {
  const batchSize = opts.batchSize ?? 32;
  const queue = Array.isArray(files) ? new FileQueue([...files]) : files;
  const signal = opts.signal;
  signal?.throwIfAborted();
  const pool = opts.pool ?? new FileWorkerPool(opts.threads, opts.workerFile);
  let stop: (reason: unknown) => void = () => undefined;
  const stopped = new Promise<never>((_, reject) => { stop = reject; });
  stopped.catch(() => undefined);
  const onAbort = () => stop(signal!.reason);
  signal?.addEventListener('abort', onAbort, { once: true });

  /** One slot: takes batches until none is left on one borrowed worker; a stuck file costs that file and the worker. */
  const slot = async (): Promise<void> => {
    while (!queue.done) {
      const batch = queue.take(batchSize);
      let next = 0; // index in `batch` of the first file without a result
      while (next < batch.length) {
        const acquiring = pool.acquire();
        const worker = await Promise.race([acquiring, stopped]).catch((e: unknown) => {
          // Stopped while waiting for a worker: the one that arrives later goes back to the pool.
          acquiring.then((w) => pool.release(w, true), () => undefined);
          throw e;
        });
        let healthy = false;
        try {
          const r = await runBatch(worker, batch, next);
          next = r.next;
          healthy = !r.stuck;
        } finally {
          await pool.release(worker, healthy);
        }
      }
    }
  };

  /** Sends `batch` from `from` on; resolves with the index to resume at, and whether the worker is stuck on a file. */
  const runBatch = (worker: Worker, batch: WalkedFile[], from: number) => new Promise<{ next: number; stuck: boolean }>((resolve, reject) => {
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
          resolve({ next: next + 1, stuck: true });
        });
      }, opts.fileTimeoutMs);
      timer.unref?.();
    };
    const onMessage = (msg: WorkerMessage) => {
      if ('done' in msg) return finish(() => resolve({ next: batch.length, stuck: false }));
      if ('started' in msg) {
        next = msg.started;
        return arm();
      }
      clearTimeout(timer);
      opts.onResult(batch[msg.index]!, msg.result);
      next = msg.index + 1;
    };
    const onError = (e: Error) => finish(() => reject(e));
    const onExit = (code: number) => finish(() => reject(new Error(`file worker exited with code ${code}`)));
    let finished = false;
    function finish(f: () => void): void {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      f();
    }
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
    stopped.catch((reason: unknown) => finish(() => reject(reason)));
    worker.postMessage({ files: batch.slice(from), offset: from, keywords, ...(opts.snippets ? { snippets: opts.snippets } : {}), ...(opts.project ? { project: opts.project } : {}) });
  });

  try {
    const slots = Array.from({ length: Math.max(1, opts.threads) }, slot);
    await Promise.race([Promise.all(slots), stopped]);
  } finally {
    signal?.removeEventListener('abort', onAbort);
    stop(new Error('stopped'));
    if (!opts.pool) await pool.close();
  }
}
