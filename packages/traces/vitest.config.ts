import { defineProject } from 'vitest/config';

export default defineProject({ test: { name: '@mems/traces', include: ['src/**/*.test.ts'] } });
