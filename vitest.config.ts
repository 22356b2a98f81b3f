import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Two files at a time: most tests wait on processes they spawn (the CLI, git, npm, PostgreSQL), so the default of
    // one worker on a 2-core machine left a core idle and took 489 s; the suite's wall time is what a landing waits.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
