/**
 * `@mems/traces/node`: what only Node can do synchronously, decoding a trace file's bytes with
 * `node:zlib`. Everything else is in `@mems/traces`, which runs anywhere.
 * @packageDocumentation
 */

export { decodeTraceBytes } from './decode-trace-bytes';
