/**
 * What a `pnpm fuzz --shared N` check throws when the shared heap breaks a promise: damaged
 * bytes, overlapping blocks, a refusal with the wrong code or message (or none), counters that
 * differ from what the workers hold, a failed `validate()`. The message says what and where.
 */
export class ThreadCheckFailed extends Error {
  override readonly name = 'ThreadCheckFailed';
}
