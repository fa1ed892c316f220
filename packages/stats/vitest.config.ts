import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: '@mems/stats', include: ['src/**/*.test.ts'] } });
