import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@mems/bench', include: ['src/**/*.test.ts'], testTimeout: 60000 },
});
