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

const stack: Set<Disposable>[] = [];

export function trackTensor(t: Disposable): void {
  const top = stack[stack.length - 1];
  if (top !== undefined) top.add(t);
}

/** Removes a tensor from every open scope so that it outlives them (parameters, gradients, state). */
export function keep<T extends Disposable>(t: T): T {
  for (const s of stack) s.delete(t);
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
  const scope = new Set<Disposable>();
  stack.push(scope);
  let result: T;
  try {
    result = fn();
  } catch (e) {
    stack.pop();
    for (const t of scope) t.dispose();
    throw e;
  }
  stack.pop();
  if (result instanceof Promise) {
    throw new Error('tidy() received an async function; tidy scopes must be synchronous.');
  }
  const survivors = new Set<Disposable>();
  collect(result, survivors);
  const parent = stack[stack.length - 1];
  for (const t of scope) {
    if (survivors.has(t)) parent?.add(t);
    else t.dispose();
  }
  return result;
}

/** Disposes one tensor, or every tensor in an array / plain object. */
export function dispose(value: unknown): void {
  const set = new Set<Disposable>();
  collect(value, set);
  for (const t of set) t.dispose();
}
