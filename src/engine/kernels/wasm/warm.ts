import { simdConvAvailable } from './convF32Simd';
import { simdGemmAvailable } from './gemmF32Simd';
import { simdMaxPoolAvailable } from './maxPoolF32Simd';
import { simdReluAvailable } from './reluF32Simd';
import { simdUpdateAvailable } from './optimF32Simd';
import { simdElementwiseAvailable } from './elementwiseF32Simd';

/**
 * Compiles every WebAssembly kernel of this thread now instead of at its first use, and says which
 * compiled (names of those that did; none where WebAssembly SIMD is unavailable). A spare session
 * worker calls it while it waits, so the first step of the session it becomes pays nothing for it.
 */
export function warmWasmKernels(): string[] {
  const compiled: string[] = [];
  if (simdGemmAvailable()) compiled.push('gemmF32Simd');
  if (simdReluAvailable()) compiled.push('reluF32Simd');
  if (simdUpdateAvailable()) compiled.push('optimF32Simd');
  if (simdConvAvailable()) compiled.push('convF32Simd');
  if (simdMaxPoolAvailable()) compiled.push('maxPoolF32Simd');
  if (simdElementwiseAvailable()) compiled.push('elementwiseF32Simd');
  return compiled;
}
