/** `cmdb-scan batch`: discover repositories (Jenkins, a list, a discovery file), fetch and scan each into the inventory. */
import path from 'node:path';
import { Command, Option } from 'commander';
import { Inventory } from '../inventory.js';
import { resolveKeywords } from '../keywords.js';
import { storeName } from '../storage/postgres-location.js';
import { printableLines } from '../text.js';
import { addModelOptions, collect, dbOption, EXIT_SOME_FAILED, ModelFlags, modelStageFromFlags, narrowingFlags, parseFileSize, parseRepoSize, positiveInteger, printLine, tableOrJson, writeOutput } from './shared.js';

export default function registerBatch(program: Command): void {
  addModelOptions(program.command('batch'))
    .description('discover repositories from Jenkins (or a list), fetch them and scan each into the inventory')
    .option('--jenkins <url>', 'Jenkins base URL (auth: env JENKINS_USER and JENKINS_TOKEN)')
    .option('--jenkins-timeout <seconds>', 'per Jenkins request, body included', (v) => Number.parseFloat(v), 30)
    .option('--jenkins-home <dir>', 'read jobs from a JENKINS_HOME directory instead')
    .option('--list <file>', 'repositories from a file: "url [branch] [app]" per line, or CSV url,branch,app')
    .option('--discovery <file>', 'repositories from a discovery --save-discovery wrote (jobs and all): discover once, run the shards from it')
    .option('--save-discovery <file>', 'write what discovery found to a file for --discovery (credentials in URLs left out)')
    .addOption(dbOption())
    .option('--concurrency <n>', 'repositories processed at once', positiveInteger('--concurrency'), 2)
    .option('--cache-dir <dir>', 'where clones are kept between runs (default ~/.cache/cmdb-scan/repos)')
    .option('--timeout-per-repo <seconds>', 'give up on a repository after this long', positiveInteger('--timeout-per-repo'), 600)
    .option('--owners-since <when>', 'history fetched for top committers, as git reads it; "none" for no history', '6 months ago')
    .option('--force', 'rescan repositories whose commit has not changed')
    .addOption(new Option('--max-repo-size <size>', 'record larger repositories as failed instead of scanning them').argParser(parseRepoSize).default(2 * 1024 ** 3, '2GB'))
    .option('--keywords <list>', 'keyword pre-filter: "a,b" replaces the defaults, "+a,-b" edits them')
    .addOption(new Option('--max-file-size <size>', 'skip larger files (at most 256MB)').argParser(parseFileSize).default(2 * 1024 * 1024, '2MB'))
    .option('--include <glob>', 'only scan matching files (repeatable, comma-separated)', collect)
    .option('--exclude <glob>', 'also skip matching files (repeatable, comma-separated)', collect)
    .option('--replace', 'let a batch narrowed by --include/--exclude/--keywords replace what the inventory holds')
    .option('--dry-run', 'list the repositories discovery finds (url, branch, jobs), clone and write nothing')
    .option('--shard <i/n>', 'only part i (from 0) of n of the repositories, by a hash of each URL and branch: n processes or machines share one batch')
    .option('--config <file>', 'the operator\'s project config, applied to every repository')
    .option('--repo-config', 'also apply each repository\'s own .cmdb-scan.yml and .cmdbscanignore (off: code from many teams decides nothing; what they hide is counted either way)')
    .addOption(new Option('-f, --format <format>', 'summary format').choices(['table', 'json']))
    .option('-o, --out <file>', 'write the summary (or the --dry-run list) to a file instead of stdout; JSON unless -f says otherwise')
    .option('-q, --quiet', 'no progress on stderr')
    .action(async (opts: ModelFlags & {
      jenkins?: string; jenkinsTimeout: number; jenkinsHome?: string; list?: string; discovery?: string; saveDiscovery?: string; db: string; concurrency: number; cacheDir?: string; timeoutPerRepo: number;
      ownersSince: string; force?: boolean; maxRepoSize: number; keywords?: string; replace?: boolean; maxFileSize: number; format?: 'table' | 'json'; out?: string; quiet?: boolean;
      include?: string[]; exclude?: string[]; dryRun?: boolean; shard?: string; config?: string; repoConfig?: boolean;
    }) => {
      const sources = [opts.jenkins, opts.jenkinsHome, opts.list, opts.discovery].filter(Boolean);
      if (sources.length !== 1) throw new Error('batch needs exactly one of --jenkins, --jenkins-home, --list, --discovery');
      const [{ discoverJenkinsHome, JenkinsClient, readDiscoveryFile, readTargetList, writeDiscoveryFile }, { redactUrl }, { createProgress, renderBatchSummary }, { groupTargets, parseShard, runBatch, selectShard }] = await Promise.all([
        import('../batch/jenkins.js'), import('../batch/git.js'), import('../batch/progress.js'), import('../batch/run.js'),
      ]);
      const narrowing = narrowingFlags(opts);
      if (narrowing.length > 0 && !opts.replace && !opts.dryRun) {
        throw new Error(`${narrowing.join(', ')} narrow the scan; saving it would replace what ${storeName(opts.db)} knows about each repository with a part of it. Pass --replace to do that`);
      }
      const shard = opts.shard !== undefined ? parseShard(opts.shard) : undefined;
      const discovery = opts.jenkins
        ? await new JenkinsClient(opts.jenkins, { timeoutMs: opts.jenkinsTimeout * 1000, ...(process.env.JENKINS_USER ? { user: process.env.JENKINS_USER } : {}), ...(process.env.JENKINS_TOKEN ? { token: process.env.JENKINS_TOKEN } : {}) }).discover()
          .catch((e: unknown) => { throw new Error(`Jenkins ${redactUrl(opts.jenkins!)}: ${(e as Error).message}`); })
        : opts.jenkinsHome ? await discoverJenkinsHome(opts.jenkinsHome) : opts.discovery ? readDiscoveryFile(opts.discovery) : readTargetList(opts.list!);
      const log = (msg: string) => { if (!opts.quiet) printLine(msg); };
      for (const p of discovery.problems) log(`warning: job ${p.job}: ${p.reason}`);
      const found = groupTargets(discovery.targets);
      if (found.length === 0) {
        // Nothing to scan is a misconfiguration (a wrong URL, a token that sees no jobs), not a quiet success.
        throw new Error(`discovery found no repositories in ${opts.jenkins ? redactUrl(opts.jenkins) : opts.jenkinsHome ?? opts.list ?? opts.discovery}${discovery.problems.length ? ` (${discovery.problems.length} job(s) could not be read)` : ''}; nothing scanned`);
      }
      if (opts.saveDiscovery) {
        const stripped = writeDiscoveryFile(opts.saveDiscovery, discovery);
        log(`wrote ${found.length} repositories from ${discovery.targets.length} job(s) to ${opts.saveDiscovery}${stripped ? `; credentials left out of ${stripped} URL(s): their shards clone with git's credential helpers` : ''}`);
      }
      const mine = selectShard(found, shard);
      if (opts.dryRun) {
        const rows = mine.map((r) => ({ url: r.url, branch: r.branch, jobs: r.jobs, app: r.app, credentialsId: r.credentialsId }));
        const format = tableOrJson(opts.format, opts.out);
        writeOutput(format === 'json' ? JSON.stringify({ repos: rows, discoveryProblems: discovery.problems }, null, 2) + '\n'
          : `${rows.map((r) => printableLines(`${r.url}${r.branch ? ` #${r.branch}` : ''}  ${r.jobs.join(', ')}`)).join('\n')}\n${rows.length} repositories${shard ? ` in shard ${shard.index}/${shard.count} of ${found.length}` : ''} from ${discovery.targets.length} job(s); nothing cloned or written\n`, opts.out);
        return;
      }
      const models = await modelStageFromFlags(opts, log);
      const inventory = Inventory.open(opts.db);
      const progress = opts.quiet ? null : createProgress(mine.length);
      try {
        const summary = await runBatch(discovery, {
          inventory, concurrency: opts.concurrency, timeoutPerRepoMs: opts.timeoutPerRepo * 1000,
          ...(opts.cacheDir ? { cacheDir: path.resolve(opts.cacheDir) } : {}),
          ownersSince: opts.ownersSince === 'none' ? null : opts.ownersSince, force: opts.force === true, maxRepoBytes: opts.maxRepoSize,
          scan: {
            keywords: resolveKeywords(opts.keywords), maxFileSize: opts.maxFileSize, ...(opts.include ? { include: opts.include } : {}), ...(opts.exclude ? { exclude: opts.exclude } : {}),
            ...(opts.config ? { config: path.resolve(opts.config) } : {}), repositoryConfig: opts.repoConfig === true,
          },
          ...(process.env.GITLAB_URL && process.env.GITLAB_TOKEN ? { gitlab: { url: process.env.GITLAB_URL, token: process.env.GITLAB_TOKEN } } : {}),
          onEvent: (e) => progress?.event(e),
          ...(models ? { models } : {}),
          ...(shard ? { shard } : {}),
        });
        progress?.stop();
        const format = tableOrJson(opts.format, opts.out);
        writeOutput(format === 'json' ? JSON.stringify(summary, null, 2) + '\n' : renderBatchSummary(summary, !opts.out && process.stdout.isTTY ? process.stdout.columns : undefined), opts.out);
        if (summary.repos.some((r) => r.status === 'failed')) process.exitCode = EXIT_SOME_FAILED;
      } finally {
        progress?.stop();
        inventory.close();
      }
    });
}
