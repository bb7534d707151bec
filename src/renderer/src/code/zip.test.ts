import { describe, expect, it } from 'vitest';
import { crc32, zip } from './zip';

// Python's zipfile reads an exported archive back in e2e/code.spec.ts (the renderer's tests run
// without Node); here, the checksum and the layout of the records.
describe('zip', () => {
  it('CRC-32 of the standard check string', () => {
    expect(crc32(new TextEncoder().encode('123456789'))).toBe(0xcbf43926);
  });

  it('one local header per file, then the central directory and the end record', () => {
    const z = zip([{ path: 'a.txt', data: new TextEncoder().encode('hi') }], 'f');
    const v = new DataView(z.buffer);
    expect(v.getUint32(0, true)).toBe(0x04034b50);
    expect(new TextDecoder().decode(z.subarray(30, 35))).toBe('f/a.txt'.slice(0, 5));
    expect(v.getUint32(z.length - 22, true)).toBe(0x06054b50);
    expect(v.getUint16(z.length - 22 + 10, true)).toBe(1);
    expect(v.getUint32(30 + 7 + 2, true)).toBe(0x02014b50);
  });
});
