import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: '@mems/reference-model', include: ['src/**/*.test.ts'] } });
