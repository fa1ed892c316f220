import { describeValue, MemsError } from './errors.js';
import type { Mapping } from './page-provider.js';

/**
 * The {@link Mapping} object both built-in providers hand out. Its `buffer` getter refuses to
 * hand out the view once the mapping is unmapped, so MeMS code that reaches the memory through
 * the mapping gets a `MemsError` instead of a crash. Not exported from the package: consumers
 * see only the `Mapping` interface, and only the provider that made a mapping can retire it.
 */
export class ProviderMapping implements Mapping {
  /** The address of the first byte. */
  readonly address: bigint;
  /** The length in bytes: a positive multiple of the provider's page size. */
  readonly byteLength: number;
  /** The name of the provider that made this mapping. */
  readonly provider: string;
  #buffer: ArrayBuffer | null;
  #onRetain: ((buffer: ArrayBuffer) => void) | null;

  /**
   * @param provider the name of the provider that made the mapping.
   * @param address the address of the first byte.
   * @param byteLength the number of bytes mapped.
   * @param buffer the zero-copy view over the pages.
   * @param onRetain called once, with the buffer, on the first {@link ProviderMapping.retain}
   *   of a live mapping: from then on code outside the provider may hold objects over it (the
   *   mmap provider starts watching for their collection there). Absent: retain does nothing.
   */
  constructor(
    provider: string,
    address: bigint,
    byteLength: number,
    buffer: ArrayBuffer,
    onRetain?: (buffer: ArrayBuffer) => void,
  ) {
    this.provider = provider;
    this.address = address;
    this.byteLength = byteLength;
    this.#buffer = buffer;
    this.#onRetain = onRetain ?? null;
  }

  /** True until the mapping is unmapped; then false for ever. */
  get live(): boolean {
    return this.#buffer !== null;
  }

  /**
   * The zero-copy view over the pages.
   * @throws MemsError `EFAULT` once the mapping has been unmapped.
   */
  get buffer(): ArrayBuffer {
    if (this.#buffer === null) {
      throw new MemsError(
        'EFAULT',
        `${this.provider} mapping 0x${this.address.toString(16)} (${this.byteLength} bytes): buffer used after unmap`,
      );
    }
    return this.#buffer;
  }

  /**
   * A provider's `retain`: the first call on a live mapping made with an `onRetain` callback
   * calls it; every other call (a later one, an unmapped mapping, any other value) does nothing.
   * @param mapping the argument of `retain`, unchecked.
   */
  static retain(mapping: unknown): void {
    if (typeof mapping !== 'object' || mapping === null || !(#onRetain in mapping)) return;
    const onRetain = mapping.#onRetain;
    if (onRetain === null || mapping.#buffer === null) return;
    mapping.#onRetain = null;
    onRetain(mapping.#buffer);
  }

  /**
   * Marks a live mapping as unmapped and hands back its view, so the provider can release it.
   * For providers only: call it after the pages are really gone.
   * @param mapping a live mapping.
   * @returns the view the mapping held.
   * @throws MemsError `EFAULT` when the mapping is already unmapped.
   */
  static retire(mapping: ProviderMapping): ArrayBuffer {
    const buffer = mapping.buffer;
    mapping.#buffer = null;
    mapping.#onRetain = null;
    return buffer;
  }
}

/**
 * Checks the argument of an `unmap` call against the set of mappings a provider created.
 * @param call the call to name in messages, for example `'mock.unmap'`.
 * @param mapping the argument as received.
 * @param created every mapping the provider made (live or not).
 * @returns the mapping, known to be a live one the provider made.
 * @throws MemsError `EINVAL` when `mapping` is not an object; `EFAULT` when it is an object the
 *   provider did not make (a copy, a fake, another provider's) or a mapping already unmapped.
 */
export function checkUnmapTarget(call: string, mapping: unknown, created: WeakSet<object>): ProviderMapping {
  if (typeof mapping !== 'object' || mapping === null) {
    throw new MemsError('EINVAL', `${call}(${describeValue(mapping)}): the argument must be a Mapping`);
  }
  if (!(mapping instanceof ProviderMapping) || !created.has(mapping)) {
    throw new MemsError(
      'EFAULT',
      `${call}(${describeMapping(mapping)}): not a mapping made by this provider`,
    );
  }
  if (!mapping.live) {
    throw new MemsError('EFAULT', `${call}(${describeMapping(mapping)}): already unmapped`);
  }
  return mapping;
}

/**
 * Describes a mapping-like object for an error message by its address and length.
 * @param mapping anything; an object with a bigint `address` is shown as `0x… (n bytes)`.
 * @returns a short printable description.
 */
export function describeMapping(mapping: unknown): string {
  if (typeof mapping === 'object' && mapping !== null) {
    const { address, byteLength } = mapping as { address?: unknown; byteLength?: unknown };
    if (typeof address === 'bigint') {
      return `0x${address.toString(16)}${typeof byteLength === 'number' ? ` (${byteLength} bytes)` : ''}`;
    }
  }
  return describeValue(mapping);
}
