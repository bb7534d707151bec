// @ts-check
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/**
 * The import directions of docs/architecture.md, enforced: a wrong import fails `npm run lint`.
 * Folders are named by the runtime they need (engine and shared are common code; host, web and
 * cli are Node; main is Electron; preload is the sandboxed bridge; renderer is the DOM).
 */
const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const folder = (names) => `^(\\.{1,2}/)+(.*/)?(${names.join('|')})(/|$)`;

const noNode = {
  paths: nodeBuiltins.map((name) => ({ name, message: 'This folder runs without Node: no Node built-ins here.' })),
};
const noElectron = { name: 'electron', message: 'Only src/main and src/preload may import electron.' };

function restrict(paths, patterns) {
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}
const forbid = (names, message) => ({ regex: folder(names), message });

const engineIsolated = forbid(
  ['host', 'main', 'preload', 'renderer', 'web', 'cli'],
  'The engine imports nothing from the rest of the app (only the API contract in src/shared/api).',
);
/** The engine speaks the API contract's types (step phases, tensor summaries), never anything else of src/shared. */
const engineContractOnly = {
  regex: '^(\\.{1,2}/)+(.*/)?shared/(?!api/)',
  message: 'The engine may import only the API contract (src/shared/api), never the rest of src/shared.',
};

/**
 * The engine's floors, lowest first: tensor < kernels, parallel < autograd < ops < nn, optim;
 * graph (schema, load/save, registry, validate) is pure and imports no other engine folder;
 * runtime (compile, builders, step session, summaries) < train (training loop, data,
 * evaluation). Each folder with the folders it may not import.
 */
const ENGINE_FLOORS = {
  tensor: ['kernels', 'parallel', 'autograd', 'ops', 'nn', 'optim', 'graph', 'runtime', 'train'],
  kernels: ['autograd', 'ops', 'nn', 'optim', 'graph', 'runtime', 'train'],
  parallel: ['autograd', 'ops', 'nn', 'optim', 'graph', 'runtime', 'train'],
  autograd: ['ops', 'nn', 'optim', 'graph', 'runtime', 'train'],
  ops: ['nn', 'optim', 'graph', 'runtime', 'train'],
  nn: ['optim', 'graph', 'runtime', 'train'],
  // optim runs its float32 updates through kernels/wasm (optimF32Simd.ts).
  optim: ['parallel', 'autograd', 'ops', 'nn', 'graph', 'runtime', 'train'],
  graph: ['tensor', 'kernels', 'parallel', 'autograd', 'ops', 'nn', 'optim', 'runtime', 'train'],
  runtime: ['kernels', 'parallel', 'optim', 'train'],
  train: ['kernels', 'parallel'],
};

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test-results/**',
      'playwright-report/**',
      'resources/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.property.name='only'][callee.object.name=/^(it|test|describe)$/]",
          message: 'No focused tests.',
        },
      ],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts', 'src/engine/**/*.test-support.ts'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: restrict([...noNode.paths, noElectron], [engineIsolated, engineContractOnly]),
  },
  // The engine's floors (docs/engine.md): each folder imports only the folders below it.
  ...Object.entries(ENGINE_FLOORS).map(([name, above]) => ({
    files: [`src/engine/${name}/**/*.ts`],
    ignores: ['src/engine/**/*.test.ts', 'src/engine/**/*.test-support.ts'],
    rules: restrict(
      [...noNode.paths, noElectron],
      [
        engineIsolated,
        engineContractOnly,
        forbid(above, `src/engine/${name} sits below ${above.join(', ')}: it may not import them.`),
      ],
    ),
  })),
  {
    // Tests and their support files (*.test-support.ts: imported by tests only, never built).
    files: ['src/engine/**/*.test.ts', 'src/engine/**/*.test-support.ts'],
    rules: restrict(
      [noElectron],
      [
        forbid(
          ['host', 'main', 'preload', 'renderer', 'web', 'cli'],
          'The engine imports nothing from the rest of the app.',
        ),
        engineContractOnly,
      ],
    ),
  },
  {
    files: ['src/shared/**/*.ts'],
    ignores: ['src/shared/**/*.test.ts'],
    rules: restrict(
      [...noNode.paths, noElectron],
      [
        forbid(
          ['host', 'main', 'preload', 'renderer', 'web', 'cli', 'engine'],
          'src/shared is the contract only: it imports nothing else of the app.',
        ),
      ],
    ),
  },
  {
    files: ['src/host/**/*.ts'],
    ignores: ['src/host/**/*.test.ts'],
    rules: restrict(
      [noElectron],
      [forbid(['main', 'preload', 'renderer', 'web', 'cli'], 'The host imports engine and shared only.')],
    ),
  },
  {
    // The host's tests may also drive it through the web server.
    files: ['src/host/**/*.test.ts'],
    rules: restrict([noElectron], [forbid(['main', 'preload', 'renderer', 'cli'], 'Host tests import no UI or CLI.')]),
  },
  {
    files: ['src/cli/**/*.ts'],
    rules: restrict(
      [noElectron],
      [forbid(['main', 'preload', 'renderer', 'web'], 'The CLI imports engine, shared and host only.')],
    ),
  },
  {
    files: ['src/web/**/*.ts'],
    rules: restrict(
      [noElectron],
      [forbid(['main', 'preload', 'renderer', 'cli', 'engine'], 'The web server reaches host and shared only.')],
    ),
  },
  {
    files: ['src/main/**/*.ts'],
    rules: restrict(
      [],
      [forbid(['preload', 'renderer', 'web', 'cli', 'engine'], 'Electron main reaches host and shared only.')],
    ),
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict(
      [...noNode.paths],
      [
        forbid(
          ['host', 'main', 'renderer', 'web', 'cli', 'engine'],
          'The preload is the bridge only: electron and the shared contract.',
        ),
      ],
    ),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      ...restrict(
        [...noNode.paths, noElectron],
        [
          forbid(
            ['host', 'main', 'preload', 'web', 'cli'],
            'The renderer talks to the host through the API client only.',
          ),
          {
            regex: '^(\\.{1,2}/)+(.*/)?engine/(?!graph(/|$))',
            message:
              'The renderer may import only the engine graph registry (src/engine/graph), never kernels, autograd, nn or training.',
          },
        ],
      ),
    },
  },
);
