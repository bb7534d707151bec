// `npm start`: build, then run the desktop app; without an Electron binary, say so in one
// sentence and point to browser mode.
import { findElectronBinary } from './electronBinary.mjs';
import { npx } from './run.mjs';

const electron = findElectronBinary();
if (!electron.ok) {
  console.error(
    `Backprop Studio cannot start the desktop app because ${electron.reason}; run \`npm run web\` to use it in your browser.`,
  );
  process.exit(1);
}
const built = await npx(['electron-vite', 'build']);
if (built !== 0) process.exit(built);
process.exit(await npx(['electron-vite', 'preview', '--skipBuild']));
