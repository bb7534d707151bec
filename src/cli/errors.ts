/** An error meant for the user: printed as one line, with the exit code to use. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Bad arguments: exit code 2, as is usual for usage errors. */
export const usageError = (message: string): CliError => new CliError(message, 2);
