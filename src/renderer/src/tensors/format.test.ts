import { describe, expect, it } from 'vitest';
import { formatDims, formatValue } from './format';

describe('formatValue', () => {
  it('keeps three significant digits and switches to exponents for tiny or huge values', () => {
    expect(formatValue(0.123456)).toBe('0.123');
    expect(formatValue(-12.345)).toBe('-12.3');
    expect(formatValue(2)).toBe('2');
    expect(formatValue(1.5e-7)).toBe('1.5e-7');
    expect(formatValue(2e3)).toBe('2000');
    expect(formatValue(3.456e6)).toBe('3.46e+6');
    expect(formatValue(0)).toBe('0');
  });

  it('spells out non-finite values', () => {
    expect(formatValue(NaN)).toBe('NaN');
    expect(formatValue(-Infinity)).toBe('-Inf');
    expect(formatValue(null)).toBe('NaN/Inf');
  });

  it('formats dims', () => {
    expect(formatDims([4, 8])).toBe('4×8');
    expect(formatDims([])).toBe('scalar');
  });
});
