/**
 * Formats bytes as a hex dump, 16 per line, each line labelled with the MeMS virtual address
 * of its first byte (decimal, as MeMS prints addresses), then the printable ASCII:
 *
 * ```text
 * 1000  68 65 6c 6c 6f                                    |hello|
 * ```
 * @param address the virtual address of `bytes[0]`.
 * @param bytes the bytes.
 * @returns the dump, each line ending with `\n`; `(0 bytes)\n` for none.
 */
export function hexdump(address: number, bytes: Uint8Array): string {
  if (bytes.length === 0) return '(0 bytes)\n';
  const labelWidth = String(address + bytes.length - 1).length;
  let out = '';
  for (let offset = 0; offset < bytes.length; offset += 16) {
    const line = bytes.subarray(offset, offset + 16);
    let hex = '';
    let text = '';
    for (let i = 0; i < 16; i++) {
      if (i === 8) hex += ' ';
      if (i < line.length) {
        const byte = line[i]!;
        hex += `${byte.toString(16).padStart(2, '0')} `;
        text += byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : '.';
      } else {
        hex += '   ';
      }
    }
    out += `${String(address + offset).padStart(labelWidth)}  ${hex} |${text}|\n`;
  }
  return out;
}
