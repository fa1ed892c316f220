import { defineProject } from 'vitest/config';

export default defineProject({
  test: { name: '@mems/reliability', include: ['src/**/*.test.ts'], testTimeout: 30000 },
});
