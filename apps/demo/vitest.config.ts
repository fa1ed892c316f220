import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@mems/demo', include: ['src/**/*.test.ts'], testTimeout: 30000 },
});
