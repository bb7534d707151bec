import type { OptionSpec } from './args';

/** One CLI command: its usage line, options, and what it does (returns the exit code). */
export interface Command {
  readonly name: string;
  readonly usage: string;
  readonly summary: string;
  readonly options: Readonly<Record<string, OptionSpec>>;
  readonly positionals: readonly string[];
  run(
    args: { positionals: readonly string[]; options: Readonly<Record<string, string | boolean | undefined>> },
    out: Output,
  ): number | Promise<number>;
}

/** Where commands print: stdout for results, stderr for messages. */
export interface Output {
  stdout(line: string): void;
  stderr(line: string): void;
}
