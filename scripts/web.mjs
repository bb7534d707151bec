// `npm run web [-- --port N] [--no-build]`: build the renderer and serve the app to a browser.
import { npx, run } from './run.mjs';

const args = process.argv.slice(2);
const skipBuild = args.includes('--no-build');
const passThrough = args.filter((a) => a !== '--no-build');
if (!skipBuild) {
  const built = await npx(['electron-vite', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (built !== 0) process.exit(built);
}
process.exit(await run(process.execPath, ['--import', 'tsx', 'src/web/main.ts', ...passThrough]));
