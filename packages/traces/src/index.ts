/**
 * `@mems/traces`: the MeMS allocation-trace format (`a <id> <size>`, `f <id>`,
 * `r <id> <size>`, `#` comments): a parser to parallel typed arrays, a writer, and decoding of
 * plain or gzip-compressed trace files. Browser-safe, no side effects; the synchronous Node
 * decoder is in `@mems/traces/node`.
 * @packageDocumentation
 */

export { decodeTraceBytesAsync } from './decode-trace-bytes-async';
export { type FormattableTrace, formatTrace } from './format-trace';
export { isGzip } from './gzip';
export { OP_ALLOCATE, OP_FREE, OP_REALLOCATE, type TraceOperation } from './operations';
export { parseTrace } from './parse-trace';
export { readTraceBytes } from './read-trace-bytes';
export type { Trace } from './trace';
export { TraceError } from './trace-error';
