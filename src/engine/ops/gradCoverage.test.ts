import { describe, it, expect } from 'vitest';
import { registeredKernelNames } from '../kernels/registry';
import { registeredGradientNames } from '../autograd/gradRegistry';
import { ALL_GRAD_CASE_LISTS, KERNELS_WITHOUT_GRADIENT } from './gradCaseLists.test-support';

describe('registry coverage', () => {
  const covered = new Set(ALL_GRAD_CASE_LISTS.flatMap((l) => Object.keys(l)));
  const exempt = new Set(Object.keys(KERNELS_WITHOUT_GRADIENT));

  it('every registered kernel has gradient-check cases (register an op ⇒ add its gradcheck)', () => {
    const missing = registeredKernelNames().filter((k) => !covered.has(k) && !exempt.has(k));
    expect(missing).toEqual([]);
  });

  it('every registered kernel has a gradient unless listed in KERNELS_WITHOUT_GRADIENT', () => {
    const grads = new Set(registeredGradientNames());
    expect(registeredKernelNames().filter((k) => !grads.has(k) && !exempt.has(k))).toEqual([]);
    expect([...exempt].filter((k) => grads.has(k))).toEqual([]);
  });

  it('every gradient and every case list names a registered kernel', () => {
    const names = new Set(registeredKernelNames());
    expect(registeredGradientNames().filter((k) => !names.has(k))).toEqual([]);
    expect([...covered].filter((k) => !names.has(k))).toEqual([]);
  });
});
