import type { PortKind } from '../nodeType';
import { defineNodeType } from '../nodeType';
import { defineParams, enumParam, shapeParam } from '../params';
import { BATCH } from '../shape';
import { R, fail, noCode, ok, outPort } from './common';

const inputParams = defineParams<{ shape: number[]; kind: 'tensor' | 'sequence' | 'indices' }>({
  shape: shapeParam({
    label: 'Shape',
    help: 'The shape of one sample, without the batch dimension (e.g. 2 for points in the plane, 1×8×8 for an image).',
    default: [2],
    minRank: 1,
    maxRank: 4,
  }),
  kind: enumParam({
    label: 'Kind',
    help: 'A plain tensor, a sequence (time × features, batch first) or integer token indices for an Embedding.',
    default: 'tensor',
    values: ['tensor', 'sequence', 'indices'] as const,
    options: { tensor: 'Tensor', sequence: 'Sequence (T × F)', indices: 'Token indices' },
  }),
});

export const inputNode = defineNodeType({
  type: 'Input',
  title: 'Input',
  family: 'Data',
  description: 'The features of a batch of samples; the batch dimension N is added automatically.',
  inputs: [],
  outputs: [outPort('out', 'x', 'tensor')],
  params: inputParams,
  differentiable: true,
  infer: ({ params }) => {
    if (params.kind === 'sequence' && params.shape.length !== 2)
      return fail(
        `a sequence input needs a shape of time × features (2 sizes), but the shape has ${params.shape.length}`,
      );
    if (params.kind === 'indices' && params.shape.length !== 1)
      return fail(
        `token indices need a shape of one size (the sequence length), but the shape has ${params.shape.length}`,
      );
    return ok({ out: { shape: [BATCH, ...params.shape], kind: params.kind } });
  },
  formula: ({ params }) => `x \\in ${R([BATCH, ...params.shape])}`,
  summary: (p) => `${p.kind === 'tensor' ? '' : `${p.kind} `}N×${p.shape.join('×')}`,
  emit: { python: noCode, ts: noCode, scratch: noCode },
});

type TargetKind = Extract<PortKind, 'class-labels' | 'pm1-labels' | 'binary-labels' | 'real-targets'>;

const targetParams = defineParams<{ kind: TargetKind; shape: number[] }>({
  kind: enumParam({
    label: 'Labels',
    help: 'What the labels are: class indices 0…C−1, −1/+1 labels, 0/1 labels, or real-valued targets for regression.',
    default: 'class-labels',
    values: ['class-labels', 'pm1-labels', 'binary-labels', 'real-targets'] as const,
    options: {
      'class-labels': 'Class indices',
      'pm1-labels': '±1 labels',
      'binary-labels': '0/1 labels',
      'real-targets': 'Real targets',
    },
  }),
  shape: shapeParam({
    label: 'Shape',
    help: 'The shape of one sample’s label, without the batch dimension: empty for one class index per sample, 1 for one binary or real value.',
    default: [],
    maxRank: 3,
  }),
});

export const targetNode = defineNodeType({
  type: 'Target',
  title: 'Target',
  family: 'Data',
  description: 'The labels or targets of the same batch, fed to a loss.',
  inputs: [],
  outputs: [outPort('out', 'y', 'dynamic', 'target')],
  params: targetParams,
  differentiable: false,
  infer: ({ params }) => ok({ out: { shape: [BATCH, ...params.shape], kind: params.kind } }),
  formula: ({ params }) => {
    const space =
      params.kind === 'class-labels'
        ? '\\{0,\\dots,C-1\\}'
        : params.kind === 'pm1-labels'
          ? '\\{-1,+1\\}'
          : params.kind === 'binary-labels'
            ? '\\{0,1\\}'
            : '\\mathbb{R}';
    return `y \\in ${space}^{${['N', ...params.shape].join('\\times ')}}`;
  },
  summary: (p) =>
    `${{ 'class-labels': 'classes', 'pm1-labels': '±1', 'binary-labels': '0/1', 'real-targets': 'real' }[p.kind]} N${p.shape.map((d) => `×${d}`).join('')}`,
  emit: { python: noCode, ts: noCode, scratch: noCode },
});

export const dataNodeTypes = [inputNode, targetNode] as const;
