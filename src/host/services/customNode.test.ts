import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CUSTOM_CODE } from '../../engine/graph/customApi';
import { customNodeService } from './customNode';

const service = customNodeService();
const check = service.handlers['customNode.check'] as (req: {
  code: string;
  inputs: Record<string, number[]>;
}) => ReturnType<(typeof service.handlers)['customNode.check']>;

describe('customNode.check', () => {
  afterAll(() => service.close());

  it('runs the code in its worker: the signature, or the error with its line', async () => {
    const ok = await check({ code: DEFAULT_CUSTOM_CODE, inputs: { x: [-1, 4] } });
    expect(ok).toMatchObject({ ok: true, signature: { output: [-1, 4], params: {} } });
    const bad = await check({
      code: DEFAULT_CUSTOM_CODE.replace('sigmoid(x)', 'sigmoid(x, )+'),
      inputs: { x: [-1, 4] },
    });
    expect(bad).toMatchObject({ ok: false, line: 5 });
    // A loop that never ends is stopped by the sandbox's time limit; the worker answers the next call.
    const loop = await check({
      code: DEFAULT_CUSTOM_CODE.replace('mul(x, sigmoid(x))', '(() => { for (;;) {} })()'),
      inputs: { x: [-1, 4] },
    });
    expect(loop).toMatchObject({ ok: false, message: expect.stringMatching(/time limit/) });
    expect(await check({ code: DEFAULT_CUSTOM_CODE, inputs: { x: [-1, 3] } })).toMatchObject({ ok: true });
  }, 120_000);
});
