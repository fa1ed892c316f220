/**
 * `@mems/os` in Node (the `node` export condition): exactly the exports of the browser entry
 * (`index.ts`), except that `createDefaultProvider()` returns the mmap provider where koffi
 * loads. Importing this module does not load koffi: only creating an mmap provider does.
 * A local export takes precedence over `export *`, which is how the override works.
 */
export { createDefaultProvider } from './default-provider.node.js';
export * from './index.js';
export { createDefaultSharedProvider, openSharedProvider } from './shared-provider.node.js';
