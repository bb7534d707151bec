// The dispatcher: one command line in, an exit code out (the entry, main.ts, binds it to the process).
import { parseCommandArgs } from './args';
import type { Command, Output } from './command';
import { runCommand } from './commands/run';
import { trainCommand } from './commands/train';
import { validateCommand } from './commands/validate';
import { weightsCommand } from './commands/weights';
import { exportCommand } from './commands/export';
import { translateCommand } from './commands/translate';
import { CliError } from './errors';
import { registerEngine } from '../engine/register';
import { setCustomCodeHost } from '../engine/runtime/customCode';
import { createCustomSandbox, CUSTOM_TIMEOUT_MS, esbuildTranspile } from '../host/workers/customSandbox';

/** Every command of `backprop-studio`, in the order `help` lists them. */
export const COMMANDS: readonly Command[] = [
  runCommand,
  trainCommand,
  validateCommand,
  weightsCommand,
  exportCommand,
  translateCommand,
];

function help(): string {
  return [
    'usage: backprop-studio <command> [options]',
    '',
    ...COMMANDS.map((c) => `  ${c.usage}\n      ${c.summary}`),
    '',
    'Input and output formats: docs/cli.md',
  ].join('\n');
}

/** Runs one command line; returns the exit code. Errors become one line on stderr, never a stack trace. */
export async function main(argv: readonly string[], out: Output): Promise<number> {
  registerEngine();
  // Every command builds a model (validate too), so a custom node's code may run: in the sandbox
  // of the app's session worker, with its time limit (docs/architecture.md, "Custom nodes").
  setCustomCodeHost(createCustomSandbox({ timeoutMs: CUSTOM_TIMEOUT_MS, transpile: esbuildTranspile }));
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    (name === undefined ? out.stderr : out.stdout)(help());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (!command)
      throw new CliError(`unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`, 2);
    const args = parseCommandArgs(command.name, rest, command.options, command.positionals);
    return await command.run(args, out);
  } catch (e) {
    if (e instanceof CliError) {
      out.stderr(`backprop-studio: ${e.message}`);
      return e.exitCode;
    }
    // A bug or an engine error: still one line, the stack only on request.
    const message = e instanceof Error ? e.message : String(e);
    out.stderr(`backprop-studio: ${name}: ${message.split('\n')[0]}`);
    if (process.env.BACKPROP_STUDIO_DEBUG) out.stderr(e instanceof Error ? (e.stack ?? '') : '');
    return 1;
  }
}
