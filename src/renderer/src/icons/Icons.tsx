import type { ReactElement, SVGProps } from 'react';

/** Inline SVG icons (bundled, nothing fetched). 16×16 grid, stroke follows currentColor. */
type IconProps = SVGProps<SVGSVGElement> & { size?: number };

function svg(paths: ReactElement, { size = 16, ...rest }: IconProps): ReactElement {
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
      {...rest}
    >
      {paths}
    </svg>
  );
}

export const DataIcon = (p: IconProps): ReactElement =>
  svg(
    <>
      <ellipse cx="8" cy="4" rx="5" ry="2" />
      <path d="M3 4v8c0 1.1 2.2 2 5 2s5-.9 5-2V4" />
      <path d="M3 8c0 1.1 2.2 2 5 2s5-.9 5-2" />
    </>,
    p,
  );

export const LayerIcon = (p: IconProps): ReactElement =>
  svg(
    <>
      <rect x="2.5" y="2.5" width="11" height="11" rx="2" />
      <path d="M5.5 5.5h5M5.5 8h5M5.5 10.5h5" />
    </>,
    p,
  );

export const ActivationIcon = (p: IconProps): ReactElement => svg(<path d="M1.5 12.5C7 12.5 9 3.5 14.5 3.5" />, p);

export const LossIcon = (p: IconProps): ReactElement =>
  svg(
    <>
      <path d="M2.5 3v10.5H14" />
      <path d="M4.5 5c1.5 4 3 6 9 6.5" />
    </>,
    p,
  );

export const PredictionIcon = (p: IconProps): ReactElement =>
  svg(
    <>
      <circle cx="8" cy="8" r="5.5" />
      <circle cx="8" cy="8" r="2" />
    </>,
    p,
  );

export const OtherIcon = (p: IconProps): ReactElement => svg(<circle cx="8" cy="8" r="4" />, p);

export const SearchIcon = (p: IconProps): ReactElement =>
  svg(
    <>
      <circle cx="7" cy="7" r="4.5" />
      <path d="M10.5 10.5 14 14" />
    </>,
    p,
  );

export const ErrorIcon = (p: IconProps): ReactElement =>
  svg(
    <>
      <circle cx="8" cy="8" r="6" />
      <path d="M8 4.8v3.7M8 11v.1" />
    </>,
    p,
  );

export const CheckIcon = (p: IconProps): ReactElement => svg(<path d="m3.5 8.5 3 3 6-7" />, p);

export const CloseIcon = (p: IconProps): ReactElement => svg(<path d="m4 4 8 8M12 4l-8 8" />, p);

export const ChevronIcon = (p: IconProps): ReactElement => svg(<path d="m6 4 4 4-4 4" />, p);

export const SunIcon = (p: IconProps): ReactElement =>
  svg(
    <>
      <circle cx="8" cy="8" r="3" />
      <path d="M8 1.5v1.5M8 13v1.5M1.5 8H3M13 8h1.5M3.4 3.4l1 1M11.6 11.6l1 1M3.4 12.6l1-1M11.6 4.4l1-1" />
    </>,
    p,
  );

export const MoonIcon = (p: IconProps): ReactElement =>
  svg(<path d="M13 9.5A5.5 5.5 0 1 1 6.5 3a4.5 4.5 0 0 0 6.5 6.5Z" />, p);

export const LayoutIcon = (p: IconProps): ReactElement =>
  svg(
    <>
      <rect x="1.5" y="6" width="4" height="4" rx="1" />
      <rect x="10.5" y="2.5" width="4" height="4" rx="1" />
      <rect x="10.5" y="9.5" width="4" height="4" rx="1" />
      <path d="M5.5 8h2.5M8 4.5V11.5M8 4.5h2.5M8 11.5h2.5" />
    </>,
    p,
  );

export const UndoIcon = (p: IconProps): ReactElement => svg(<path d="M5.5 3 2.5 6l3 3M2.5 6h7a4 4 0 0 1 0 8H7" />, p);

export const RedoIcon = (p: IconProps): ReactElement => svg(<path d="m10.5 3 3 3-3 3M13.5 6h-7a4 4 0 0 0 0 8H9" />, p);

export const FitIcon = (p: IconProps): ReactElement =>
  svg(<path d="M2.5 6V2.5H6M10 2.5h3.5V6M13.5 10v3.5H10M6 13.5H2.5V10" />, p);

/** A projection screen on its stand: presenter mode. */
export const PresenterIcon = (p: IconProps): ReactElement =>
  svg(
    <>
      <rect x="1.5" y="2" width="13" height="8.5" rx="1" />
      <path d="M8 10.5v2.5M5 14.5l3-1.5 3 1.5M4.5 7.5l2-2 2 1.5 3-3" />
    </>,
    p,
  );

export const PanelsIcon = (p: IconProps): ReactElement =>
  svg(
    <>
      <rect x="1.5" y="2.5" width="13" height="11" rx="1.5" />
      <path d="M5.5 2.5v11M10.5 2.5v11" />
    </>,
    p,
  );

export const LogoIcon = (p: IconProps): ReactElement =>
  svg(
    <>
      <circle cx="3.5" cy="4" r="1.7" />
      <circle cx="3.5" cy="12" r="1.7" />
      <circle cx="12.5" cy="8" r="1.7" />
      <path d="M5.1 4.6 10.9 7.4M5.1 11.4l5.8-2.8" />
    </>,
    p,
  );
