let enabled = true;

/** Whether ops currently record the tape. */
export function isGradEnabled(): boolean {
  return enabled;
}

/**
 * Runs `fn` without recording gradients (torch.no_grad): results have requiresGrad false.
 *
 * @example
 * const pred = noGrad(() => model.forward(x));
 */
export function noGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = false;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

/** Runs `fn` with recording on, even inside noGrad (torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  const prev = enabled;
  enabled = true;
  try {
    return fn();
  } finally {
    enabled = prev;
  }
}

let fused = true;

/**
 * Whether ops may run one fused kernel where the elementary ops would record several (the same
 * numbers, bit for bit: a Linear layer's x·Wᵀ + b, a class loss's pick, sum and mean). Off while
 * a StepSession evaluates a node, so that the tape it shows has every elementary op.
 */
export function fusedOpsEnabled(): boolean {
  return fused;
}

/** Runs `fn` with every op recording its elementary kernels (no fused kernel): the step session's tape. */
export function withElementaryOps<T>(fn: () => T): T {
  const prev = fused;
  fused = false;
  try {
    return fn();
  } finally {
    fused = prev;
  }
}
