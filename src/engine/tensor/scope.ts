/**
 * Scopes: every tensor created while a scope is open is tracked by it, and disposed when
 * the scope closes unless it is returned from the scope or kept. This is how the
 * intermediates of a training step go back to the allocator when the step ends.
 */
export interface Disposable {
  readonly id: number;
  dispose(): void;
  readonly isDisposed: boolean;
}

// NOTE: a scope is a list, not a Set: tracking is a push and closing one walks it once. A kept
// tensor's slot is emptied (null), searched from the end, where the tensors just made are.
const stack: (Disposable | null)[][] = [];

export function trackTensor(t: Disposable): void {
  const top = stack[stack.length - 1];
  if (top !== undefined) top.push(t);
}

/** Removes a tensor from every open scope so that it outlives them (parameters, gradients, state). */
export function keep<T extends Disposable>(t: T): T {
  for (let s = 0; s < stack.length; s++) {
    const scope = stack[s];
    const i = scope.lastIndexOf(t);
    if (i >= 0) scope[i] = null;
  }
  return t;
}

export function scopeDepth(): number {
  return stack.length;
}

function collect(value: unknown, out: Set<Disposable>, depth = 0): void {
  if (value === null || value === undefined || depth > 3) return;
  if (typeof value === 'object' && 'dispose' in value && 'isDisposed' in value && 'id' in value) {
    out.add(value as Disposable);
    return;
  }
  if (Array.isArray(value)) {
    for (const v of value) collect(v, out, depth + 1);
  } else if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value as Record<string, unknown>)) collect(v, out, depth + 1);
  }
}

/**
 * Runs `fn` in a new scope. Tensors created inside are disposed when it returns, except the
 * returned ones (a tensor, or arrays / plain objects of tensors), which move to the enclosing
 * scope. Like tfjs `tidy`, `fn` must be synchronous.
 *
 * @example
 * const loss = tidy(() => mean(square(sub(model.forward(x), y))));  // only `loss` survives
 */
export function tidy<T>(fn: () => T): T {
  const scope: (Disposable | null)[] = [];
  stack.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    stack.pop();
    disposeAll(scope);
    throw e;
  }
  stack.pop();
  if (result instanceof Promise) {
    throw new Error('tidy() received an async function; tidy scopes must be synchronous.');
  }
  // NOTE: a scope that returns nothing (a training step) disposes everything without a Set.
  if (result === undefined || result === null) {
    disposeAll(scope);
    return result;
  }
  const survivors = new Set<Disposable>();
  collect(result, survivors);
  const parent = stack[stack.length - 1];
  for (let i = 0; i < scope.length; i++) {
    const t = scope[i];
    if (t === null) continue;
    if (survivors.has(t)) parent?.push(t);
    else t.dispose();
  }
  return result;
}

/** Disposes every tensor of a closed scope (each once: a tensor is in a scope at most once). */
function disposeAll(scope: readonly (Disposable | null)[]): void {
  for (let i = 0; i < scope.length; i++) scope[i]?.dispose();
}

/** Disposes one tensor, or every tensor in an array / plain object. */
export function dispose(value: unknown): void {
  const set = new Set<Disposable>();
  collect(value, set);
  for (const t of set) t.dispose();
}
