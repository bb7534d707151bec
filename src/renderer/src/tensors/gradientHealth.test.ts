import { describe, expect, it } from 'vitest';
import { gradientHealth, gradientStrokeWidth } from './gradientHealth';

const g = (l2: number | null, nanCount = 0, infCount = 0) => ({ l2, nanCount, infCount });

describe('gradient health', () => {
  it('flags vanishing, exploding and non-finite gradients with the reason', () => {
    expect(gradientHealth(g(1e-8)).status).toBe('vanishing');
    expect(gradientHealth(g(0)).reason).toContain('vanishes');
    expect(gradientHealth(g(null)).status).toBe('vanishing');
    expect(gradientHealth(g(2e3)).status).toBe('exploding');
    expect(gradientHealth(g(5e5)).reason).toContain('5e+5');
    expect(gradientHealth(g(0.5, 2)).status).toBe('nonfinite');
    expect(gradientHealth(g(0.5, 2)).reason).toContain('2 NaN');
    expect(gradientHealth(g(0.5, 0, 1)).reason).toContain('1 infinite value:');
    expect(gradientHealth(g(0.5)).status).toBe('ok');
  });

  it('treats the thresholds themselves as healthy', () => {
    expect(gradientHealth(g(1e-7)).status).toBe('ok');
    expect(gradientHealth(g(1e3)).status).toBe('ok');
  });

  it('widens edges logarithmically with the norm, within 1 to 7 px', () => {
    expect(gradientStrokeWidth(0)).toBe(1);
    expect(gradientStrokeWidth(1e-9)).toBe(1);
    expect(gradientStrokeWidth(1e5)).toBe(7);
    expect(gradientStrokeWidth(1e-2)).toBeCloseTo(4, 9);
    expect(gradientStrokeWidth(1)).toBeGreaterThan(gradientStrokeWidth(0.1));
  });
});
