import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@mems/release-checks', include: ['src/**/*.test.ts'], testTimeout: 60000 },
});
