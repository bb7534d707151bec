// The registry's formulas (LaTeX, for KaTeX in the inspector) as plain Unicode text for comments
// in generated code: `z = \sigma(Ax + b)` → `z = σ(Ax + b)`. Best effort on the subset the
// registry uses; a formula that still holds a command after conversion is left out by the caller.

const SYMBOLS: Record<string, string> = {
  alpha: 'α',
  beta: 'β',
  gamma: 'γ',
  delta: 'δ',
  epsilon: 'ε',
  mu: 'μ',
  sigma: 'σ',
  phi: 'φ',
  odot: '⊙',
  star: '⋆',
  cdot: '·',
  times: '×',
  in: '∈',
  sim: '~',
  ne: '≠',
  neq: '≠',
  ge: '≥',
  le: '≤',
  geq: '≥',
  leq: '≤',
  top: 'ᵀ',
  dots: '…',
  ldots: '…',
  mid: '|',
  partial: '∂',
  nabla: '∇',
  infty: '∞',
  sum: 'Σ',
  prod: 'Π',
  tanh: 'tanh',
  log: 'log',
  exp: 'exp',
  max: 'max',
  min: 'min',
  argmax: 'argmax',
  arg: 'arg',
  sqrt: '√',
  hat: '',
  big: '',
  Big: '',
  left: '',
  right: '',
  quad: ' ',
  qquad: ' ',
  lbrace: '{',
  rbrace: '}',
};

const SUP: Record<string, string> = { '2': '²', T: 'ᵀ', '-1': '⁻¹', '\\top': 'ᵀ' };

/**
 * Converts one LaTeX formula to plain text; with `mainOnly`, only what comes before the first
 * `\\quad` (the formula without the shapes of its parameters).
 */
export function plainMath(latex: string, mainOnly = false): string {
  let s = mainOnly ? latex.split('\\quad')[0].replace(/,\s*$/, '') : latex;
  s = s.replace(/\\begin\{aligned\}|\\end\{aligned\}/g, '').replace(/&/g, '');
  s = s.replace(/\\begin\{cases\}(.*?)\\end\{cases\}/g, (_m, body: string) =>
    body
      .split('\\\\')
      .map((c) => c.trim().replace(/\s+/, ' if '))
      .join('; '),
  );
  s = s.replace(/\\\\/g, ';');
  s = s.replace(/\\hat\s*(\w)/g, '$1\u0302');
  s = s.replace(/\\[,;:!]|\\ /g, ' ');
  s = s.replace(/\\\{|\\\}/g, (m) => (m[1] === '{' ? '⦃' : '⦄'));
  const group = (x: string) => (/^[\w'·]+$/.test(x) ? x : `(${x})`);
  // Innermost groups first, so nested fractions and subscripts come out right.
  for (let i = 0; i < 6; i++) {
    s = s.replace(/\\(mathrm|operatorname|mathcal|mathbb|text)\{([^{}]*)\}/g, (_m, kind: string, x: string) =>
      kind === 'mathbb' && x === 'R' ? 'ℝ' : x,
    );
    s = s.replace(/\\frac\{([^{}]*)\}\{([^{}]*)\}/g, (_m, a: string, b: string) => `${group(a)}/${group(b)} `);
    s = s.replace(/\\sqrt\{([^{}]*)\}/g, (_m, a: string) => `√${group(a)}`);
    s = s.replace(/_\{([^{}]*)\}/g, (_m, x: string) => `_${group(x)}`);
    s = s.replace(/\^\{([^{}]*)\}/g, (_m, x: string) => SUP[x] ?? `^${group(x)}`);
  }
  s = s.replace(/\^(\\top|\w)/g, (_m, x: string) => SUP[x] ?? `^${x}`);
  s = s.replace(/\\([A-Za-z]+)/g, (m, name: string) => SYMBOLS[name] ?? m);
  s = s.replace(/[{}]/g, '').replace(/⦃/g, '{').replace(/⦄/g, '}');
  return s.replace(/\s+/g, ' ').trim();
}
