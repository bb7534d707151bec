// Pure helpers of the Code tab: which lines changed between two versions of a file, and the
// source map's two directions (a node's lines; a line's node).

/** A line range of a generated file (1-based, inclusive) and the node that wrote it. */
export interface LineRange {
  readonly nodeId: string;
  readonly file: string;
  readonly from: number;
  readonly to: number;
}

/**
 * The lines of `next` that differ from `prev`, as one range between their common start and
 * common end (null when nothing changed, or when there was no previous version to compare).
 */
export function changedLines(prev: string | null, next: string): { from: number; to: number } | null {
  if (prev === null || prev === next) return null;
  const a = prev.split('\n');
  const b = next.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length - 1;
  let endB = b.length - 1;
  while (endA >= start && endB >= start && a[endA] === b[endB]) {
    endA--;
    endB--;
  }
  // Only lines removed: mark the line where they were.
  if (endB < start) return { from: Math.min(start + 1, b.length), to: Math.min(start + 1, b.length) };
  return { from: start + 1, to: endB + 1 };
}

/** The lines the given nodes wrote in one file. */
export function linesOfNodes(map: readonly LineRange[], file: string, nodeIds: readonly string[]): LineRange[] {
  const ids = new Set(nodeIds);
  return map.filter((r) => r.file === file && ids.has(r.nodeId));
}

/** The node that wrote a line (the narrowest range holding it), if any. */
export function nodeAtLine(map: readonly LineRange[], file: string, line: number): string | undefined {
  let best: LineRange | undefined;
  for (const r of map)
    if (r.file === file && r.from <= line && line <= r.to && (!best || r.to - r.from < best.to - best.from)) best = r;
  return best?.nodeId;
}
