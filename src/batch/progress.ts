/**
 * Batch progress on stderr: a bar (cli-progress) with repositories done and failed, files
 * per second and ETA on a terminal; one plain line per repository otherwise (CI logs,
 * cron mail). And the summary table printed at the end.
 */
import cliProgress from 'cli-progress';
import type { BatchEvent, BatchSummary } from './run.js';
import { printable } from '../text.js';
import { renderRows } from '../reporters/table.js';

export interface Progress {
  event(e: BatchEvent): void;
  stop(): void;
}

function label(e: BatchEvent): string {
  return printable(`${e.repo.jobs[0] ?? e.repo.url}${e.repo.branch ? `@${e.repo.branch}` : ''}`);
}

export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  let done = 0;
  let failed = 0;
  let files = 0;
  const started = performance.now();
  if (!stream.isTTY) {
    return {
      event(e) {
        if (e.type === 'start') return;
        done++;
        stream.write(`[${done}/${total}] ${e.type} ${label(e)}${e.commit ? ` ${e.commit.slice(0, 12)}` : ''}${e.reason ? `: ${printable(e.reason)}` : ''} (${(e.seconds ?? 0).toFixed(1)} s)\n`);
      },
      stop() { /* plain lines need no cleanup */ },
    };
  }
  const bar = new cliProgress.SingleBar({
    format: 'repos {bar} {value}/{total} | failed {failed} | {rate} files/s | ETA {eta_formatted} | {current}',
    hideCursor: true, stream, clearOnComplete: false,
  }, cliProgress.Presets.shades_classic);
  bar.start(total, 0, { failed: 0, rate: 0, current: '' });
  let stopped = false;
  return {
    event(e) {
      if (e.type === 'start') {
        bar.update({ current: label(e) });
        return;
      }
      done++;
      if (e.type === 'failed') failed++;
      files += e.files ?? 0;
      bar.update(done, { failed, rate: Math.round(files / ((performance.now() - started) / 1000)), current: label(e) });
    },
    stop() {
      if (!stopped) bar.stop();
      stopped = true;
    },
  };
}

/** The summary table, fitted to `width` (the terminal's) as the report's table is: least needed columns first out, no value broken. */
export function renderBatchSummary(summary: BatchSummary, width?: number): string {
  const rows = summary.repos.map((r) => ({
    status: r.status, jobs: r.jobs.join(', '), repository: r.url, branch: r.branch ?? '', commit: r.commit?.slice(0, 12) ?? '', connections: String(r.connections),
    'files read/reused': `${r.filesRead}/${r.filesReused}`, seconds: r.seconds.toFixed(1), reason: r.reason ?? '',
  }));
  const table = renderRows(['status', 'jobs', 'repository', 'branch', 'commit', 'connections', 'files read/reused', 'seconds', 'reason'], rows, width ? { width } : {});
  const count = (s: string) => summary.repos.filter((r) => r.status === s).length;
  return `${table}\n${summary.repos.length} repositories: ${count('scanned')} scanned, ${count('unchanged')} unchanged, ${count('failed')} failed; ${summary.discoveryProblems.length} job(s) not readable\n`;
}
