/** Lines of a generated file that belong to one node (1-based, inclusive). */
export interface SourceRange {
  readonly nodeId: string;
  readonly file: string;
  readonly from: number;
  readonly to: number;
}

/** A generated file. */
export interface GeneratedFile {
  readonly path: string;
  readonly content: string;
}

/**
 * Builds a file line by line and remembers which lines each node wrote, so the Code tab can
 * select a node's lines and a clicked line can select its node.
 */
export class LineWriter {
  private readonly lines: string[] = [];
  readonly ranges: SourceRange[] = [];

  constructor(readonly file: string) {}

  /**
   * Appends lines (each indented by `indent` spaces; empty lines stay empty). A string holding
   * several lines (a helper function's source) counts as those lines, so the ranges stay true.
   */
  add(indent: number, ...lines: readonly string[]): this {
    for (const l of lines.flatMap((x) => x.split('\n'))) this.lines.push(l === '' ? '' : ' '.repeat(indent) + l);
    return this;
  }

  /** Appends lines that belong to a node. */
  node(nodeId: string, indent: number, lines: readonly string[]): this {
    if (lines.length === 0) return this;
    const from = this.lines.length + 1;
    this.add(indent, ...lines);
    this.ranges.push({ nodeId, file: this.file, from, to: this.lines.length });
    return this;
  }

  done(): GeneratedFile {
    return { path: this.file, content: `${this.lines.join('\n')}\n` };
  }
}
