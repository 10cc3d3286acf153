/**
 * What the browser tests measure in the page, as the browser lays it out: the bounding box of
 * every text and shape of the architecture picture, and the contrast of every text against
 * what is drawn behind it. Kept as the source of one function that runs inside the page
 * (playwright sends it as text), so it depends on nothing but the DOM.
 */

export interface GeometryProblem {
  readonly rule: 'overflow' | 'text-over-text' | 'text-over-box' | 'box-over-box';
  readonly what: string;
  readonly other: string;
}

export interface ContrastProblem {
  readonly text: string;
  readonly ratio: number;
  readonly fill: string;
  readonly background: string;
}

export interface PageMeasure {
  readonly texts: number;
  readonly boxes: number;
  readonly geometry: GeometryProblem[];
  readonly contrast: ContrastProblem[];
}

/**
 * The in-page function. Rules, in screen pixels with half a pixel of tolerance:
 * - overflow: a text lies wholly inside the smallest container (a frame, an AZ, a subnet, or
 *   the component whose words it is) that holds its centre;
 * - text-over-text: no two texts overlap;
 * - text-over-box: no text overlaps a component's box (API server, etcd member, NLB node,
 *   host, legend swatch) unless it is that component's own words;
 * - box-over-box: no two component boxes overlap.
 * Contrast (WCAG 2 relative luminance): every text, in the picture and the charts, against the
 * first solid fill under its centre, at least 4.5:1. Line samples in legends are not text.
 */
export const measurePageSource = String.raw`() => {
  const TOL = 0.5;
  const svg = document.querySelector('svg.architecture');
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.display === 'none' || cs.visibility === 'hidden' || Number(cs.opacity) === 0) return false;
      if (e.getAttribute && e.getAttribute('display') === 'none') return false;
    }
    return true;
  };
  const name = (el) => {
    const owner = el.closest('[data-kind]');
    const label = (el.textContent || '').trim().slice(0, 60);
    return (owner ? owner.getAttribute('data-kind') + ':' + owner.getAttribute('data-id') : el.tagName) + (label ? ' "' + label + '"' : '');
  };
  const overlap = (a, b) =>
    Math.min(a.right, b.right) - Math.max(a.left, b.left) > TOL && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > TOL;
  const within = (a, b) =>
    a.left >= b.left - TOL && a.top >= b.top - TOL && a.right <= b.right + TOL && a.bottom <= b.bottom + TOL;
  const contains = (b, x, y) => x >= b.left && x <= b.right && y >= b.top && y <= b.bottom;

  const texts = [...svg.querySelectorAll('text')].filter((t) => (t.textContent || '').trim() && visible(t));
  const boxShapes = [
    ...svg.querySelectorAll(
      '.apiserver > rect.body, .etcd > path.body, .nlb > rect.body, .host > rect.body, .legend-item > rect',
    ),
  ].filter(visible);
  const containerShapes = [
    ...svg.querySelectorAll('.frame > rect, .az > rect.az-box, .subnet > rect'),
    ...boxShapes,
  ].filter(visible);
  const geometry = [];
  const rect = new Map();
  for (const el of [...texts, ...containerShapes]) rect.set(el, el.getBoundingClientRect());

  for (const t of texts) {
    const r = rect.get(t);
    const cx = (r.left + r.right) / 2;
    const cy = (r.top + r.bottom) / 2;
    const holders = containerShapes.filter((c) => contains(rect.get(c), cx, cy));
    const area = (c) => rect.get(c).width * rect.get(c).height;
    const smallest = holders.sort((a, b) => area(a) - area(b))[0];
    if (!smallest) geometry.push({ rule: 'overflow', what: name(t), other: 'outside every frame' });
    else if (!within(r, rect.get(smallest))) geometry.push({ rule: 'overflow', what: name(t), other: name(smallest) });
  }
  for (let i = 0; i < texts.length; i++) {
    for (let j = i + 1; j < texts.length; j++) {
      if (overlap(rect.get(texts[i]), rect.get(texts[j])))
        geometry.push({ rule: 'text-over-text', what: name(texts[i]), other: name(texts[j]) });
    }
  }
  for (const t of texts) {
    for (const b of boxShapes) {
      if (b.parentElement.contains(t)) continue;
      if (overlap(rect.get(t), rect.get(b))) geometry.push({ rule: 'text-over-box', what: name(t), other: name(b) });
    }
  }
  for (let i = 0; i < boxShapes.length; i++) {
    for (let j = i + 1; j < boxShapes.length; j++) {
      if (overlap(rect.get(boxShapes[i]), rect.get(boxShapes[j])))
        geometry.push({ rule: 'box-over-box', what: name(boxShapes[i]), other: name(boxShapes[j]) });
    }
  }

  const rgb = (text) => {
    const m = /rgba?\(([^)]+)\)/.exec(text || '');
    if (!m) return null;
    const [r, g, b, a] = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return { r, g, b, a: a === undefined || Number.isNaN(a) ? 1 : a };
  };
  const over = (top, bottom) => ({
    r: top.r * top.a + bottom.r * (1 - top.a),
    g: top.g * top.a + bottom.g * (1 - top.a),
    b: top.b * top.a + bottom.b * (1 - top.a),
    a: 1,
  });
  const luminance = (c) => {
    const lin = (v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * lin(c.r) + 0.7152 * lin(c.g) + 0.0722 * lin(c.b);
  };
  const ratio = (a, b) => {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  /** The solid colour under a point, from the top down, blending what is translucent. */
  const backgroundAt = (x, y, self) => {
    const layers = [];
    for (const el of document.elementsFromPoint(x, y)) {
      if (el === self || self.contains(el) || el.tagName === 'text' || el.tagName === 'tspan') continue;
      const cs = getComputedStyle(el);
      let colour = null;
      if (el instanceof SVGElement) {
        if (el.tagName === 'svg' || el.tagName === 'g' || el.tagName === 'line' || el.tagName === 'path' && cs.fill === 'none') continue;
        colour = rgb(cs.fill);
        if (colour) colour.a *= Number(cs.fillOpacity) * Number(cs.opacity);
      } else {
        colour = rgb(cs.backgroundColor);
      }
      if (!colour || colour.a === 0) continue;
      layers.push(colour);
      if (colour.a >= 0.999) break;
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const chartTexts = [...document.querySelectorAll('svg.chart text, svg.calendar text')].filter(
    (t) => (t.textContent || '').trim() && visible(t),
  );
  const contrast = [];
  for (const t of [...texts, ...chartTexts]) {
    if (t.hasAttribute('data-swatch') || t.classList.contains('swatch-text')) continue;
    const parts = t.querySelector('tspan') ? [...t.querySelectorAll('tspan:not([data-swatch])')] : [t];
    for (const part of parts) {
      if (!(part.textContent || '').trim()) continue;
      const r = part.getBoundingClientRect();
      if (r.width <= 0) continue;
      const fill = rgb(getComputedStyle(part).fill);
      if (!fill) continue;
      const background = backgroundAt((r.left + r.right) / 2, (r.top + r.bottom) / 2, t);
      const value = ratio(over(fill, background), background);
      if (value < 4.5)
        contrast.push({
          text: name(part),
          ratio: Math.round(value * 100) / 100,
          fill: getComputedStyle(part).fill,
          background: 'rgb(' + [background.r, background.g, background.b].map(Math.round).join(', ') + ')',
        });
    }
  }
  return { texts: texts.length, boxes: boxShapes.length, geometry, contrast };
}`;
