/**
 * The clone cache's per-checkout lock: a batch that finds a checkout held clones into a directory of its own, and
 * such a directory left by a batch killed with -9 is removed by the next batch that claims the checkout.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { claimCheckout } from '../src/batch/clone-cache.js';

let cache: string;
beforeEach(() => { cache = mkdtempSync(path.join(os.tmpdir(), 'cmdb-clone-cache-')); });
afterEach(() => rmSync(cache, { recursive: true, force: true }));

describe('clone cache checkouts', () => {
  it('clones beside a held checkout, and removes own clones whose process on this machine is gone', () => {
    const host = os.hostname().replace(/[^A-Za-z0-9.-]/g, '_');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!; // exited before we look
    const abandoned = path.join(cache, `orders.own-${host}-${dead}-a1b2c3`);
    const otherMachine = path.join(cache, `orders.own-build-agent-7-${dead}-d4e5f6`);
    for (const d of [abandoned, otherMachine]) {
      mkdirSync(d);
      writeFileSync(path.join(d, 'README.md'), 'a half-finished clone\n');
    }
    const first = claimCheckout(path.join(cache, 'orders'));
    expect(first.dir).toBe(path.join(cache, 'orders'));
    expect([existsSync(abandoned), existsSync(otherMachine)]).toEqual([false, true]);
    // Held by this (live) process: the next claim gets a directory of its own, named for this machine and process.
    const second = claimCheckout(path.join(cache, 'orders'));
    expect(path.basename(second.dir)).toMatch(new RegExp(`^orders\\.own-${host.replace(/\./g, '\\.')}-${process.pid}-`));
    second.release();
    first.release();
    expect(readdirSync(cache).sort()).toEqual([path.basename(otherMachine)]);
  });
});
