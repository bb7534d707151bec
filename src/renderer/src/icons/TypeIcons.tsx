import type { ReactElement } from 'react';

/**
 * Small glyphs for individual node types (16×16, stroke = currentColor), drawn after what the
 * operation does: a hinge for ReLU, an S for the squashing functions, a grid for convolution.
 * Types without one use their family's icon.
 */
const paths: Readonly<Record<string, ReactElement>> = {
  Linear: (
    <>
      <circle cx="3" cy="4" r="1.3" />
      <circle cx="3" cy="12" r="1.3" />
      <circle cx="13" cy="5" r="1.3" />
      <circle cx="13" cy="11" r="1.3" />
      <path d="M4.3 4.3 11.7 5M4.3 4.6l7.4 6M4.3 11.4l7.4-6M4.3 11.8l7.4-.7" />
    </>
  ),
  Conv2d: (
    <>
      <rect x="2" y="2" width="12" height="12" rx="1" />
      <path d="M6 2v12M10 2v12M2 6h12M2 10h12" />
    </>
  ),
  MaxPool2d: (
    <>
      <rect x="2" y="2" width="12" height="12" rx="1" />
      <path d="M8 2v12M2 8h12" />
      <path d="m10 11 1.5-1.5L13 11" />
    </>
  ),
  AvgPool2d: (
    <>
      <rect x="2" y="2" width="12" height="12" rx="1" />
      <path d="M8 2v12M2 8h12M9.8 11h3.4" />
    </>
  ),
  Flatten: <path d="M3 3h4v4H3zM9 3h4v4H9zM2 12h12" />,
  Reshape: <path d="M2.5 4.5h5v7h-5zM10 6.5h4v3h-4zM7.5 8H10" />,
  Dropout: (
    <>
      <circle cx="4" cy="4" r="1.3" />
      <circle cx="12" cy="4" r="1.3" strokeDasharray="1.5 1.5" />
      <circle cx="4" cy="12" r="1.3" strokeDasharray="1.5 1.5" />
      <circle cx="12" cy="12" r="1.3" />
      <circle cx="8" cy="8" r="1.3" />
    </>
  ),
  Add: <path d="M8 3v10M3 8h10" />,
  Concat: <path d="M3 3h4v10H3zM9 3h4v10H9z" />,
  BatchNorm: <path d="M2 13c2.5 0 3.5-9 6-9s3.5 9 6 9M2 13h12" />,
  Embedding: <path d="M2.5 3h11v10h-11zM2.5 6.3h11M2.5 9.6h11M6 3v10" />,
  RNN: <path d="M4 8a4 4 0 1 1 4 4H3m0 0 2-2m-2 2 2 2" />,
  LSTM: <path d="M4 8a4 4 0 1 1 4 4H3m0 0 2-2m-2 2 2 2M8 6v4" />,
  GRU: <path d="M4 8a4 4 0 1 1 4 4H3m0 0 2-2m-2 2 2 2M6.5 8h3" />,
  ScaledDotProductAttention: (
    <path d="M1.5 8s2.5-4.5 6.5-4.5S14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8Zm6.5 2a2 2 0 1 0 0-4 2 2 0 0 0 0 4Z" />
  ),
  AdditiveAttention: <path d="M1.5 8s2.5-4.5 6.5-4.5S14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8ZM8 6.3v3.4M6.3 8h3.4" />,
  MultiheadAttention: (
    <path d="M1.5 6s2-3.5 5-3.5 5 3.5 5 3.5-2 3.5-5 3.5-5-3.5-5-3.5ZM6 12.5c1 .6 2 1 3.5 1 3 0 5-3.5 5-3.5s-.7-1.2-2-2.3" />
  ),
  Sigmoid: <path d="M1.5 13C7 13 9 3 14.5 3" />,
  Tanh: <path d="M1.5 13.5C7 13.5 9 2.5 14.5 2.5M1.5 8h13" strokeOpacity={1} />,
  ReLU: <path d="M1.5 11.5h6l6-8" />,
  LeakyReLU: <path d="M1.5 13l6-1.5 6-8" />,
  Softmax: <path d="M3 13V9M6.5 13V4M10 13V7.5M13.5 13v-2" />,
  LogSoftmax: <path d="M3 3v4M6.5 3v9M10 3v5.5M13.5 3v2" />,
  Sign: <path d="M1.5 12h6V4h7" />,
  Threshold: <path d="M1.5 12h6V4h7M7.5 14v-1" />,
  Argmax: <path d="M3 13V9M6.5 13V3M10 13V7.5M13.5 13v-2M5 2h3" />,
};

export function hasTypeIcon(type: string): boolean {
  return Object.hasOwn(paths, type);
}

export function TypeIcon({ type, size = 14 }: { type: string; size?: number }): ReactElement {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      {paths[type]}
    </svg>
  );
}
