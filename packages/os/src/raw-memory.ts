import { describeValue, MemsError } from './errors.js';
import { loadKoffi } from './load-koffi.js';

/*
 * Unchecked raw memory access at a physical address, through koffi. These functions check the
 * types of their arguments, never the address itself: reading or writing memory that is not
 * mapped (or was unmapped) crashes the process. They exist so tests and the demo can show that
 * the bytes behind `Mapping.buffer` really live at `Mapping.address`.
 */

const MAX_ADDRESS = (1n << 64n) - 1n;

function checkAddress(call: string, address: unknown): bigint {
  if (typeof address !== 'bigint' || address <= 0n || address > MAX_ADDRESS) {
    throw new MemsError(
      'EINVAL',
      `${call}(${describeValue(address)}): address must be a bigint from 1n to 2^64-1`,
    );
  }
  return address;
}

function checkInteger(call: string, address: bigint, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new MemsError(
      'EINVAL',
      `${call}(0x${address.toString(16)}n, ${describeValue(value)}): value must be an integer from ${min} to ${max}`,
    );
  }
  return value;
}

/**
 * Reads the unsigned byte at a raw address. Unchecked: an unmapped address crashes the process.
 * Loads koffi on first use.
 * @param address the byte's address (for example `mapping.address + 5n`).
 * @returns the byte, 0 to 255.
 * @throws MemsError `EINVAL` when `address` is not a bigint from 1n to 2^64-1; `ENOMEM` when koffi
 *   cannot be loaded.
 */
export function readByteAt(address: bigint): number {
  const at = checkAddress('readByteAt', address);
  return loadKoffi('readByteAt').decode(at, 'uint8_t') as number;
}

/**
 * Writes one byte at a raw address. Unchecked: an unmapped address crashes the process.
 * Loads koffi on first use.
 * @param address the byte's address.
 * @param value an integer from 0 to 255.
 * @throws MemsError `EINVAL` for an address that is not a bigint from 1n to 2^64-1 or a value
 *   that is not an integer from 0 to 255; `ENOMEM` when koffi cannot be loaded.
 */
export function writeByteAt(address: bigint, value: number): void {
  const at = checkAddress('writeByteAt', address);
  const byte = checkInteger('writeByteAt', at, value, 0, 255);
  loadKoffi('writeByteAt').encode(at, 'uint8_t', byte);
}

/**
 * Reads a native-endian signed 32-bit integer at a raw address (no alignment required).
 * Unchecked: an unmapped address crashes the process. Loads koffi on first use.
 * @param address the address of the integer's first byte.
 * @returns the integer, -2^31 to 2^31-1.
 * @throws MemsError `EINVAL` when `address` is not a bigint from 1n to 2^64-1; `ENOMEM` when koffi
 *   cannot be loaded.
 */
export function readInt32At(address: bigint): number {
  const at = checkAddress('readInt32At', address);
  return loadKoffi('readInt32At').decode(at, 'int32_t') as number;
}

/**
 * Writes a native-endian signed 32-bit integer at a raw address (no alignment required).
 * Unchecked: an unmapped address crashes the process. Loads koffi on first use.
 * @param address the address of the integer's first byte.
 * @param value an integer from -2^31 to 2^31-1.
 * @throws MemsError `EINVAL` for an address that is not a bigint from 1n to 2^64-1 or a value
 *   outside the int32 range; `ENOMEM` when koffi cannot be loaded.
 */
export function writeInt32At(address: bigint, value: number): void {
  const at = checkAddress('writeInt32At', address);
  const int32 = checkInteger('writeInt32At', at, value, -(2 ** 31), 2 ** 31 - 1);
  loadKoffi('writeInt32At').encode(at, 'int32_t', int32);
}
