import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: '@mems/os', include: ['src/**/*.test.ts'] } });
