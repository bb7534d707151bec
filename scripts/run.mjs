// Runs a command with inherited output and resolves to its exit code.
import { spawn } from 'node:child_process';

/** @param {string} command @param {string[]} args @param {import('node:child_process').SpawnOptions} [options] */
export function run(command, args, options = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit', shell: process.platform === 'win32', ...options });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
    child.on('error', () => resolve(1));
  });
}

export const npx = (args, options) => run('npx', ['--no-install', ...args], options);
