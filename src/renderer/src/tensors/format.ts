/** Number formatting for read-outs, legends and tables: short, but never hiding the magnitude. */

/** `0.1234`, `-12.3`, `1.2e-7`, `3.4e+5`; NaN/Inf spelled out; null (a non-finite preview value) as "NaN/Inf". */
export function formatValue(v: number | null | undefined, digits = 3): string {
  if (v === null || v === undefined) return 'NaN/Inf';
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) {
    // toPrecision may answer "2.00e+3"; going through Number prints it plainly (no exponent in this range).
    return String(Number(v.toPrecision(digits)));
  }
  return v.toExponential(Math.max(0, digits - 1)).replace(/\.?0+e/, 'e');
}

/** Full precision for a read-out that must equal what the API returned. */
export function formatExact(v: number | null | undefined): string {
  if (v === null || v === undefined) return 'NaN/Inf';
  return String(v);
}

/** `[-1, 8]` → "N×8" is the graph's job; tensors here have real sizes: `[4, 8]` → "4×8". */
export function formatDims(shape: readonly number[]): string {
  return shape.length === 0 ? 'scalar' : shape.join('×');
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
