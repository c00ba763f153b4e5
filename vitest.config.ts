import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // Each test file starts its own moto server in a child process.
    pool: 'forks',
    // A shared server (MOTO_ENDPOINT) is reset before every test: files must then take turns.
    fileParallelism: !process.env.MOTO_ENDPOINT,
    // Vitest's default is one worker fewer than the cores: one at a time on a 2-core machine, with the files mostly
    // waiting on moto and on the CLI's child processes (about 1.2 cores busy). One per core halves the suite there
    // (572 s to 299 s measured, same results).
    maxWorkers: '100%',
    testTimeout: 30_000,
    // The JSON report gives .ci/run its closing "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: '.cache/vitest-results.json' },
    hookTimeout: 120_000,
  },
});
