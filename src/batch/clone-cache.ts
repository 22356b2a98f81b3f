/**
 * One batch at a time in each checkout of the clone cache. Batches sharing a `--cache-dir` (two started on one
 * machine, shards given the same cache) would otherwise clone into the same directory at once ("destination path
 * already exists"), or fetch and reset a checkout while the other batch is scanning it. A lock file beside the
 * checkout, created exclusively, says which process holds it; a batch that finds it held by a live process clones
 * into a directory of its own, removed when done, instead of waiting for it. Such a directory is named for its
 * machine and process (`<checkout>.own-<host>-<pid>-XXXXXX`), so one left by a batch killed with -9 is removed by
 * the next batch that claims the checkout.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';

export interface Checkout {
  /** Where this batch clones or fetches the repository and scans it. */
  dir: string;
  /** Hands the cached checkout to the next batch, or removes this batch's own clone. */
  release(): void;
}

/** A lock file being written holds no owner yet for this long; one left empty by a crash is stale after it. */
const UNWRITTEN_LOCK_MS = 60_000;

/** Whether the process named in `lock` may still be using the checkout. */
function heldByLiveProcess(lock: string): boolean {
  let owner: string;
  let writtenAt: number;
  try {
    owner = readFileSync(lock, 'utf8').trim();
    writtenAt = statSync(lock).mtimeMs;
  } catch {
    return false; // released meanwhile
  }
  const m = /^(\d+) (.+)$/.exec(owner);
  if (!m) return Date.now() - writtenAt < UNWRITTEN_LOCK_MS;
  if (m[2] !== hostname()) return true; // a process on another machine cannot be asked
  return alive(Number(m[1])); // EPERM: alive, another user's
}

function tryLock(lock: string): boolean {
  try {
    writeFileSync(lock, `${process.pid} ${hostname()}\n`, { flag: 'wx' });
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * Removes a lock whose process is gone (a batch killed with -9), so the cache is used again. Only one batch decides
 * at a time, under `<lock>.break`: two that both saw the dead owner would otherwise each remove the lock, the second
 * the one the first had just taken.
 */
function breakStaleLock(lock: string): void {
  const breaker = `${lock}.break`;
  if (!tryLock(breaker)) return;
  try {
    if (!heldByLiveProcess(lock)) rmSync(lock, { force: true });
  } finally {
    rmSync(breaker, { force: true });
  }
}

/** This machine's name as it may appear in a directory name. */
const HOST = hostname().replace(/[^A-Za-z0-9.-]/g, '_');

/** Whether a process of this machine is still running. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes this checkout's own-clone directories whose process on this machine is gone (a batch killed with -9). */
function removeAbandonedClones(dir: string): void {
  const prefix = `${path.basename(dir)}.own-${HOST}-`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(dir));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !alive(pid)) rmSync(path.join(path.dirname(dir), name), { recursive: true, force: true });
  }
}

/** The checkout `dir` for this batch alone until `release`: the cached one, or a clone of its own when another batch holds it. */
export function claimCheckout(dir: string): Checkout {
  mkdirSync(path.dirname(dir), { recursive: true });
  removeAbandonedClones(dir);
  const lock = `${dir}.lock`;
  if (!tryLock(lock)) {
    if (heldByLiveProcess(lock)) return ownClone(dir);
    breakStaleLock(lock);
    if (!tryLock(lock)) return ownClone(dir);
  }
  return { dir, release: () => rmSync(lock, { force: true }) };
}

function ownClone(dir: string): Checkout {
  const own = mkdtempSync(`${dir}.own-${HOST}-${process.pid}-`);
  return { dir: own, release: () => rmSync(own, { recursive: true, force: true }) };
}
