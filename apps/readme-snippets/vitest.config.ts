import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: '@mems/readme-snippets',
    include: ['src/**/*.test.ts'],
    testTimeout: 120000,
    hookTimeout: 180000,
  },
});
