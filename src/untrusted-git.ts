/**
 * git run on a scanned repository, which is input like any file in it. A repository's own `.git/config` is not
 * cloned, but a tree handed over as an archive or a shared folder brings one, and several of its settings make
 * plain reading commands run a program: `core.fsmonitor` (run by `ls-files` and `diff --cached`),
 * `log.showSignature` with `gpg.program` (run by `log`), a lazy fetch from a promisor remote over a transport whose
 * command the config names (`core.sshCommand`). Settings given in the environment win over the repository's.
 */

/** What every git command reading a scanned repository runs under. */
const READ_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['core.fsmonitor', 'false'],
  ['core.hooksPath', '/dev/null'],
  ['log.showSignature', 'false'],
  ['diff.external', ''],
  ['core.pager', 'cat'],
];

/** The environment for git reading a scanned repository: its config cannot start a program or reach a network. */
export function gitReadEnvironment(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env, ...extra,
    // No transport at all (an empty list allows none, over any `protocol.*.allow` the repository sets), and no
    // lazy fetch of a partial clone's missing objects (git ≥ 2.45 reads this; older ones are stopped by the list).
    GIT_ALLOW_PROTOCOL: '', GIT_NO_LAZY_FETCH: '1', GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0',
  };
  // After any the caller set through GIT_CONFIG_COUNT, so these are read last and win.
  let n = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  for (const [key, value] of READ_CONFIG) {
    env[`GIT_CONFIG_KEY_${n}`] = key;
    env[`GIT_CONFIG_VALUE_${n}`] = value;
    n++;
  }
  env.GIT_CONFIG_COUNT = String(n);
  return env;
}
