import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: '@mems/core', include: ['src/**/*.test.ts'] } });
