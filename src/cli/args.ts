import { parseArgs } from 'node:util';
import type { DType } from '../engine/tensor/dtype';
import { usageError } from './errors';

export interface CommandArgs {
  readonly positionals: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
}

export interface OptionSpec {
  readonly type: 'string' | 'boolean';
}

/**
 * Parses one command's arguments strictly: unknown options, missing option values and extra
 * positionals become one-line usage errors naming the command.
 */
export function parseCommandArgs(
  command: string,
  argv: readonly string[],
  options: Readonly<Record<string, OptionSpec>>,
  positionals: readonly string[],
): CommandArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { ...options }, allowPositionals: true, strict: true });
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    const unknown = /Unknown option '([^']+)'/.exec(raw);
    if (unknown) throw usageError(`${command}: unknown option ${unknown[1]} (see \`backprop-studio help\`)`);
    const missing = /Option '([^']+)' argument missing/.exec(raw);
    if (missing)
      throw usageError(`${command}: option ${missing[1].split(',').pop()!.trim().split(' ')[0]} needs a value`);
    throw usageError(`${command}: ${raw.split('\n')[0]}`);
  }
  if (parsed.positionals.length < positionals.length)
    throw usageError(
      `${command}: missing ${positionals[parsed.positionals.length]} (usage: backprop-studio ${command} ${positionals.join(' ')} …)`,
    );
  if (parsed.positionals.length > positionals.length)
    throw usageError(`${command}: unexpected argument "${parsed.positionals[positionals.length]}"`);
  return { positionals: parsed.positionals, options: parsed.values as Record<string, string | boolean | undefined> };
}

/** A non-negative whole number option, or the fallback when absent. */
export function intOption(command: string, args: CommandArgs, name: string, fallback: number, min = 0): number {
  const v = args.options[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== 'string' || !/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min)
    throw usageError(`${command}: --${name} must be a whole number ≥ ${min}, got "${String(v)}"`);
  return n;
}

export function requiredString(command: string, args: CommandArgs, name: string): string {
  const v = args.options[name];
  if (typeof v !== 'string' || v.length === 0) throw usageError(`${command}: --${name} is required`);
  return v;
}

/** `--dtype float32|float64` (the engine's two floating types), or the fallback when absent. */
export function dtypeOption(command: string, args: CommandArgs, fallback: DType = 'float32'): DType {
  const v = args.options.dtype;
  if (v === undefined) return fallback;
  if (v !== 'float32' && v !== 'float64')
    throw usageError(`${command}: --dtype must be float32 or float64, got "${String(v)}"`);
  return v;
}
