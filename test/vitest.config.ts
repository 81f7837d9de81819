import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    // Real-capture and browser tests start processes; the default 5 s is too tight on a busy 2-core box.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
