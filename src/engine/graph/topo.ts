/**
 * Topological order of a directed graph given as node ids and (from, to) pairs, with Kahn's
 * algorithm (iterative: no recursion, so huge graphs cannot overflow the stack). Nodes keep
 * their given order among equals, so the order is deterministic.
 */
export function topologicalOrder(
  ids: readonly string[],
  links: readonly (readonly [string, string])[],
): { order: string[]; cyclic: string[] } {
  const indeg = new Map<string, number>();
  const next = new Map<string, string[]>();
  for (const id of ids) {
    indeg.set(id, 0);
    next.set(id, []);
  }
  for (const [a, b] of links) {
    if (!indeg.has(a) || !indeg.has(b)) continue;
    next.get(a)!.push(b);
    indeg.set(b, indeg.get(b)! + 1);
  }
  const position = new Map(ids.map((id, i) => [id, i]));
  // A small binary heap on the original position keeps the order stable and the work n log n.
  const heap: string[] = [];
  const less = (a: string, b: string): boolean => position.get(a)! < position.get(b)!;
  const push = (id: string): void => {
    heap.push(id);
    let i = heap.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(heap[i], heap[p])) break;
      [heap[i], heap[p]] = [heap[p], heap[i]];
      i = p;
    }
  };
  const pop = (): string => {
    const top = heap[0];
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < heap.length && less(heap[l], heap[m])) m = l;
        if (r < heap.length && less(heap[r], heap[m])) m = r;
        if (m === i) break;
        [heap[i], heap[m]] = [heap[m], heap[i]];
        i = m;
      }
    }
    return top;
  };
  for (const id of ids) if (indeg.get(id) === 0) push(id);
  const order: string[] = [];
  while (heap.length > 0) {
    const id = pop();
    order.push(id);
    for (const b of next.get(id)!) {
      const d = indeg.get(b)! - 1;
      indeg.set(b, d);
      if (d === 0) push(b);
    }
  }
  const done = new Set(order);
  return { order, cyclic: ids.filter((id) => !done.has(id)) };
}

/**
 * One cycle through the given nodes (which must all lie on or behind a cycle), as a list of ids
 * in edge order, found by walking successors inside the set until a node repeats.
 */
export function findCycle(nodes: readonly string[], links: readonly (readonly [string, string])[]): string[] {
  const inSet = new Set(nodes);
  const next = new Map<string, string>();
  // Every node left over by Kahn's algorithm has a predecessor that is also left over, so
  // walking predecessors always stays inside the set and must eventually repeat.
  for (const [a, b] of links) if (inSet.has(a) && inSet.has(b) && !next.has(b)) next.set(b, a);
  if (nodes.length === 0) return [];
  const seen = new Map<string, number>();
  const path: string[] = [];
  let cur: string | undefined = nodes[0];
  while (cur !== undefined && !seen.has(cur)) {
    seen.set(cur, path.length);
    path.push(cur);
    cur = next.get(cur);
  }
  if (cur === undefined) return [];
  return path.slice(seen.get(cur)!).reverse();
}
