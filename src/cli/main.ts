// The process entry of `backprop-studio` (bin/backprop-studio.js imports it): runs the command
// line through the dispatcher in cli.ts and sets the exit code.
import { main } from './cli';

const isEntry = process.argv[1] !== undefined && /backprop-studio(\.js)?$|cli[\\/]main\.ts$/.test(process.argv[1]);
if (isEntry) {
  // Quietly stop when stdout is closed early (e.g. piped into `head`).
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
  });
  const code = await main(process.argv.slice(2), {
    stdout: (l) => process.stdout.write(`${l}\n`),
    stderr: (l) => process.stderr.write(`${l}\n`),
  });
  process.exitCode = code;
}
