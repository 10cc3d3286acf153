/**
 * Text that fits its box: an estimate of a string's width for planning the layout (pure, so
 * the layout and its tests need no browser), and a pass over the drawn SVG that measures each
 * bounded text with the browser's own font and shortens it until it fits. The full text stays
 * in `data-full`, in the element's tooltip and in the details panel.
 */

// Advance widths of DejaVu Sans (the sans-serif of Debian and most Linux projector PCs), in
// ems; other system fonts are narrower, so the estimate errs on the wide side.
const narrow = new Map<string, number>(
  Object.entries({
    ' ': 0.318,
    '.': 0.318,
    ',': 0.318,
    ':': 0.337,
    ';': 0.337,
    '·': 0.318,
    '|': 0.337,
    '/': 0.337,
    '-': 0.361,
    '(': 0.39,
    ')': 0.39,
    '[': 0.39,
    ']': 0.39,
    "'": 0.275,
    i: 0.278,
    j: 0.278,
    l: 0.278,
    f: 0.352,
    t: 0.392,
    r: 0.411,
    I: 0.295,
    J: 0.295,
    m: 0.974,
    w: 0.818,
    M: 0.863,
    W: 0.989,
    '%': 0.95,
    '…': 1,
    '✕': 0.84,
    '✓': 0.84,
    '♛': 0.9,
    '→': 0.838,
  }),
);

/** Width of `text` in px at `fontSize`, erring wide. */
export function estimateWidth(text: string, fontSize: number, bold = false): number {
  let ems = 0;
  for (const ch of text) {
    const known = narrow.get(ch);
    if (known !== undefined) ems += known;
    else if (/[0-9]/.test(ch)) ems += 0.636;
    else if (/[A-Z]/.test(ch)) ems += 0.74;
    else if (/[a-z]/.test(ch)) ems += 0.62;
    else ems += 0.9;
  }
  return ems * fontSize * (bold ? 1.12 : 1) * 1.04;
}

/**
 * `text` cut to at most `maxWidth` px by rule: whole words from the end first, then letters,
 * with "…" to say something was left out. Never returns more than fits, even if only "…".
 */
export function abbreviate(text: string, maxWidth: number, measure: (candidate: string) => number): string {
  if (measure(text) <= maxWidth) return text;
  let low = 0;
  let high = text.length;
  // Binary search on the longest prefix that still fits with the ellipsis.
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (measure(`${text.slice(0, mid).trimEnd()}…`) <= maxWidth) low = mid;
    else high = mid - 1;
  }
  const prefix = text.slice(0, low);
  // Prefer a word boundary when it keeps most of the text.
  const space = prefix.lastIndexOf(' ');
  const cut = space > low * 0.6 ? prefix.slice(0, space) : prefix;
  return low === 0 ? (measure('…') <= maxWidth ? '…' : '') : `${cut.trimEnd()}…`;
}

/** Splits `text` into lines no wider than `maxWidth` px at `fontSize`, at spaces where it can; at most `maxLines`, the last ending in "…" when cut. */
export function wrapToWidth(
  text: string,
  maxWidth: number,
  fontSize: number,
  maxLines: number,
  bold = false,
): string[] {
  const fits = (line: string) => estimateWidth(line, fontSize, bold) <= maxWidth;
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const joined = current ? `${current} ${word}` : word;
    if (fits(joined)) {
      current = joined;
      continue;
    }
    if (current) lines.push(current);
    current = word;
    // A word wider than a line (an id, a long CIDR list) is cut where the line ends.
    while (!fits(current)) {
      const head = abbreviate(current, maxWidth, (c) => estimateWidth(c, fontSize, bold)).replace(/…$/, '');
      const cut = Math.max(1, head.length);
      lines.push(current.slice(0, cut));
      current = current.slice(cut);
    }
  }
  if (current) lines.push(current);
  if (lines.length > maxLines) {
    const rest = lines.slice(maxLines - 1).join(' ');
    lines.length = maxLines;
    lines[maxLines - 1] = abbreviate(rest, maxWidth, (c) => estimateWidth(c, fontSize, bold));
  }
  return lines;
}

/** Marks a text element as bounded: the draw functions call this, `fitTexts` enforces it. */
export function bound(element: SVGTextContentElement, full: string, maxWidth: number): void {
  element.setAttribute('data-full', full);
  element.setAttribute('data-max-width', String(Math.max(0, Math.floor(maxWidth))));
  element.textContent = full;
}

/**
 * Shortens every bounded text under `root` to its width, measured by the browser. Where the
 * browser cannot measure (a test DOM), the estimate decides.
 */
export function fitTexts(root: Element): void {
  for (const element of root.querySelectorAll<SVGTextContentElement>('text[data-max-width], tspan[data-max-width]')) {
    const full = element.getAttribute('data-full') ?? element.textContent ?? '';
    const maxWidth = Number(element.getAttribute('data-max-width'));
    const style = element.ownerDocument.defaultView?.getComputedStyle?.(element);
    const fontSize = Number.parseFloat(style?.fontSize ?? '') || 15;
    const bold = Number.parseInt(style?.fontWeight ?? '400', 10) >= 600 || style?.fontWeight === 'bold';
    const canMeasure = typeof element.getComputedTextLength === 'function' && element.isConnected;
    const measure = (candidate: string): number => {
      if (!canMeasure) return estimateWidth(candidate, fontSize, bold);
      element.textContent = candidate;
      const measured = element.getComputedTextLength();
      // A DOM without layout answers 0: fall back to the estimate.
      return measured > 0 || candidate === '' ? measured : estimateWidth(candidate, fontSize, bold);
    };
    const fitted = abbreviate(full, maxWidth, measure);
    element.textContent = fitted;
    element.toggleAttribute('data-abbreviated', fitted !== full);
  }
}
