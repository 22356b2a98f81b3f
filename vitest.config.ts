import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two files at a time: most tests wait on processes they spawn (the CLI, git, npm, PostgreSQL), so the default of
    // one worker on a 2-core machine left a core idle and took 489 s; the suite's wall time is what a landing waits.
    maxWorkers: 2,
    // The heaviest tests (a scan of every fixture in three formats, the inventory workflows) take 15–25 s on an idle
    // 2-core machine and reached 47–62 s with other work on both cores: three minutes keeps every test far from it.
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
