import { describe, expect, it } from 'vitest';
import { hexdump } from './hexdump.js';

describe('hexdump', () => {
  it('labels lines with decimal virtual addresses, 16 bytes a line, printable ASCII on the right', () => {
    const bytes = new Uint8Array(20).map((_, i) => 0x41 + i);
    bytes[3] = 0;
    expect(hexdump(990, bytes)).toBe(
      ' 990  41 42 43 00 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  |ABC.EFGHIJKLMNOP|\n' +
        '1006  51 52 53 54                                       |QRST|\n',
    );
  });

  it('says so for no bytes', () => {
    expect(hexdump(1000, new Uint8Array(0))).toBe('(0 bytes)\n');
  });
});
