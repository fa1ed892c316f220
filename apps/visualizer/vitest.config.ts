import { defineProject } from 'vitest/config';

// Unit tests (src/**) run in Node; the browser tests (e2e/**) drive the built app in Chromium.
export default defineProject({
  test: {
    name: '@mems/visualizer',
    include: ['src/**/*.test.ts', 'scripts/**/*.test.ts', 'e2e/**/*.test.ts'],
    testTimeout: 60000,
    hookTimeout: 120000,
  },
});
