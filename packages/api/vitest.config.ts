import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: '@mems/api', include: ['src/**/*.test.ts'] } });
