/**
 * The shipped examples for running batch shards on Kubernetes and Jenkins stay runnable: the number of shards agrees
 * everywhere it is written, each shard index is the engine's own, and every option they pass is one `batch` has.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { CLI, ROOT } from './helpers.js';

const batchHelp = spawnSync(process.execPath, [CLI, 'batch', '--help'], { encoding: 'utf8' }).stdout;

function optionsIn(command: string): string[] {
  return [...command.matchAll(/(?<![\w-])--[a-z][a-z-]+/g)].map((m) => m[0]);
}

describe('deploy examples', () => {
  it('Kubernetes: an Indexed Job whose pods pass their completion index as the shard of as many shards as completions', () => {
    const docs = parseAllDocuments(readFileSync(path.join(ROOT, 'deploy/kubernetes/cmdb-scan.yaml'), 'utf8'));
    expect(docs.flatMap((d) => d.errors)).toEqual([]);
    const cron = docs.map((d) => d.toJS() as { kind: string; spec: Record<string, any> }).find((d) => d.kind === 'CronJob')!;
    const job = cron.spec['jobTemplate'].spec;
    expect(job.completionMode).toBe('Indexed');
    expect(job.parallelism).toBeLessThanOrEqual(job.completions);
    const container = job.template.spec.containers[0];
    const command = (container.args as string[]).join(' ');
    expect(command).toContain(`--shard "$JOB_COMPLETION_INDEX/${job.completions}"`);
    expect(optionsIn(command).filter((o) => !batchHelp.includes(`${o} `))).toEqual([]);
    // The inventory URL holds a password: from a Secret, never written in the manifest.
    expect(container.env.find((e: { name: string }) => e.name === 'CMDB_SCAN_DB').valueFrom.secretKeyRef).toBeDefined();
  });

  it('Jenkins: one parallel branch per shard, each passing its own index of SHARDS', () => {
    const pipeline = readFileSync(path.join(ROOT, 'deploy/jenkins/Jenkinsfile'), 'utf8');
    expect(pipeline).toMatch(/def SHARDS = \d+/);
    expect(pipeline).toContain('for (int i = 0; i < SHARDS; i++)');
    // Each branch's closure keeps its own index (Groovy closures see the loop variable's last value otherwise).
    expect(pipeline).toContain('def index = i');
    expect(pipeline).toContain('def shard = "${index}/${SHARDS}"');
    expect(pipeline.slice(pipeline.indexOf('def index = i'))).not.toMatch(/\$\{i\}/);
    expect(pipeline).toContain('--shard ${shard}');
    expect(pipeline).toContain('parallel branches');
    // Discovery once, stashed for the shards, which read it instead of asking Jenkins.
    expect(pipeline).toMatch(/--save-discovery discovery\.json[\s\S]*stash name: 'discovery'[\s\S]*unstash 'discovery'[\s\S]*--discovery discovery\.json --shard/);
    const commands = [...pipeline.matchAll(/cmdb-scan batch[^'"]*/g)].map((m) => m[0]);
    expect(commands).toHaveLength(2);
    expect(commands.flatMap(optionsIn).filter((o) => !batchHelp.includes(`${o} `))).toEqual([]);
  });
});
