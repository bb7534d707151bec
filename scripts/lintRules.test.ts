import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/** The import directions of docs/architecture.md are enforced by lint: these imports must fail. */
const eslint = new ESLint();

async function restricted(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import directions', () => {
  it('keeps Electron, Node and the engine internals out of the renderer', async () => {
    const file = 'src/renderer/src/Probe.tsx';
    expect(
      await restricted(file, "import { ipcRenderer } from 'electron';\nexport const x = ipcRenderer;\n"),
    ).toHaveLength(1);
    expect(await restricted(file, "import fs from 'node:fs';\nexport const x = fs;\n")).toHaveLength(1);
    expect(await restricted(file, "import path from 'path';\nexport const x = path;\n")).toHaveLength(1);
    expect(
      await restricted(file, "import { matMul } from '../../engine/kernels/MatMul';\nexport const x = matMul;\n"),
    ).toHaveLength(1);
    expect(
      await restricted(file, "import { s } from '../../engine/runtime/stepSession';\nexport const x = s;\n"),
    ).toHaveLength(1);
    expect(await restricted(file, "import { h } from '../../host/host';\nexport const x = h;\n")).toHaveLength(1);
    // Allowed: the shared contract and the engine's pure graph registry.
    expect(
      await restricted(
        file,
        "import { r } from '../../engine/graph/registry';\nimport { c } from '../../shared/api/contract';\nexport const x = [r, c];\n",
      ),
    ).toEqual([]);
  });

  it('keeps the engine and the contract free of Node, Electron and the app', async () => {
    expect(
      await restricted('src/engine/ops/probe.ts', "import fs from 'node:fs';\nexport const x = fs;\n"),
    ).toHaveLength(1);
    expect(
      await restricted('src/engine/ops/probe.ts', "import { h } from '../../host/host';\nexport const x = h;\n"),
    ).toHaveLength(1);
    expect(
      await restricted('src/engine/ops/probe.ts', "import { s } from '../../shared/rpc';\nexport const x = s;\n"),
    ).toHaveLength(1);
    // Allowed: the API contract's types and schemas (the engine's summaries are its wire shape).
    expect(
      await restricted(
        'src/engine/runtime/probe.ts',
        "import { t } from '../../shared/api/tensor';\nexport const x = t;\n",
      ),
    ).toEqual([]);
    expect(
      await restricted(
        'src/shared/api/probe.ts',
        "import { t } from '../../engine/tensor/Tensor';\nexport const x = t;\n",
      ),
    ).toHaveLength(1);
    expect(
      await restricted('src/host/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"),
    ).toHaveLength(1);
    expect(await restricted('src/preload/probe.ts', "import fs from 'node:fs';\nexport const x = fs;\n")).toHaveLength(
      1,
    );
    expect(
      await restricted('src/main/probe.ts', "import { App } from '../renderer/src/App';\nexport const x = App;\n"),
    ).toHaveLength(1);
  });

  it('holds the engine floors: no folder imports one above it', async () => {
    const probe = async (folder: string, spec: string) =>
      restricted(`src/engine/${folder}/probe.ts`, `import { x } from '${spec}';\nexport const y = x;\n`);
    // A kernel cannot reach the graph registry; the graph cannot reach the runtime.
    expect(await probe('kernels', '../graph/registry/registerAll')).toHaveLength(1);
    expect(await probe('graph', '../runtime/compile')).toHaveLength(1);
    expect(await probe('graph', '../tensor/tensor')).toHaveLength(1);
    expect(await probe('runtime', '../train/train')).toHaveLength(1);
    expect(await probe('ops', '../nn/linear')).toHaveLength(1);
    expect(await probe('tensor', '../autograd/tape')).toHaveLength(1);
    // Allowed: downwards.
    expect(await probe('train', '../runtime/compile')).toEqual([]);
    expect(await probe('runtime', '../graph/validate')).toEqual([]);
    expect(await probe('nn', '../ops/activation')).toEqual([]);
  });

  it('keeps main and web on host and shared, and the CLI out of the host', async () => {
    const eng = "import { t } from '../engine/tensor/tensor';\nexport const x = t;\n";
    expect(await restricted('src/main/probe.ts', eng)).toHaveLength(1);
    expect(await restricted('src/web/probe.ts', eng)).toHaveLength(1);
    expect(
      await restricted('src/host/probe.ts', "import { main } from '../cli/cli';\nexport const x = main;\n"),
    ).toHaveLength(1);
    expect(
      await restricted('src/web/probe.ts', "import { h } from '../host/createHost';\nexport const x = h;\n"),
    ).toEqual([]);
  });
});
