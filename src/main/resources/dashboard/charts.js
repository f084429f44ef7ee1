// Small DOM and SVG helpers and the two charts the engine view draws (lines over time, a histogram).
// Hand-drawn SVG, drawn at the card's width on each poll, so the charts follow it on a phone.

const SVG = 'http://www.w3.org/2000/svg';

/** An HTML element with attributes (a "class" key, "text" for textContent, on* handlers) and children. */
export function el(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element, as el(). */
export function svg(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG, tag), attrs, children);
}

function build(node, attrs, children) {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/** Sets an element's text when it changed (keeps the DOM quiet between polls). */
export function setText(id, value) {
  const node = document.getElementById(id);
  const s = String(value);
  if (node && node.textContent !== s) node.textContent = s;
}

export function format(n, digits = 0) {
  if (n === null || n === undefined || Number.isNaN(n)) return '–';
  return Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The container's width in CSS pixels, so that chart text keeps its size (600 while it is not laid out). */
function widthOf(container) {
  return container.clientWidth || 600;
}

/**
 * Lines over time. series = [{name, cls, points: [number]}], oldest first, drawn against the right edge of
 * a time axis of `slots` points. The y axis starts at 0 and ends at the largest value (at least 1).
 */
export function lineChart(container, series, { slots = 2, width = widthOf(container), height = 140 } = {}) {
  const pad = { l: 34, r: 6, t: 8, b: 16 };
  const n = Math.max(2, slots, ...series.map(s => s.points.length));
  const max = Math.max(1, ...series.flatMap(s => s.points));
  const x = i => pad.l + (i / (n - 1)) * (width - pad.l - pad.r);
  const y = v => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'line-chart', role: 'img' },
    svg('line', { x1: pad.l, x2: width - pad.r, y1: y(0), y2: y(0), class: 'axis' }),
    svg('line', { x1: pad.l, x2: width - pad.r, y1: y(max), y2: y(max), class: 'grid' }),
    svg('text', { x: pad.l - 4, y: y(max) + 4, class: 'tick end', text: format(max, max < 10 ? 1 : 0) }),
    svg('text', { x: pad.l - 4, y: y(0), class: 'tick end', text: '0' }),
    series.map(s => svg('polyline', {
      class: 'series ' + s.cls,
      points: s.points.map((v, i) => `${x(i + n - s.points.length).toFixed(1)},${y(v).toFixed(1)}`).join(' '),
    })));
  container.replaceChildren(chart,
    el('div', { class: 'legend' }, series.map(s => el('span', { class: 'key ' + s.cls, text: s.name }))));
}

/** A histogram: bins = [{label, count}]; bar heights relative to the fullest bin. */
export function histogram(container, bins, { width = widthOf(container), height = 150 } = {}) {
  const pad = { l: 6, r: 6, t: 14, b: 30 };
  const max = Math.max(1, ...bins.map(b => b.count));
  const w = (width - pad.l - pad.r) / Math.max(1, bins.length);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'histogram', role: 'img' },
    bins.map((b, i) => {
      const h = (b.count / max) * (height - pad.t - pad.b);
      const x = pad.l + i * w;
      return svg('g', {},
        svg('rect', { x: x + 2, y: height - pad.b - h, width: Math.max(1, w - 4), height: h, class: 'bar' },
          svg('title', { text: `≤ ${b.label}: ${b.count}` })),
        b.count > 0 ? svg('text', { x: x + w / 2, y: height - pad.b - h - 3, class: 'tick mid count', text: b.count }) : null,
        svg('text', { x: x + w / 2, y: height - pad.b + 12, class: 'tick mid', text: b.label }));
    }),
    svg('text', { x: width / 2, y: height - 3, class: 'tick mid', text: 'recall time, upper bound (ms unless marked s)' }));
  container.replaceChildren(chart);
}
