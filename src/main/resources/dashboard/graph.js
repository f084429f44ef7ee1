// The chat's concept graph as GET /api/graph returns it (the subgraph a query activates): a radial layout with
// the seed concepts in the middle and the others around them.

import { el, svg, format } from './charts.js';

const SIZE = 520;
const CENTER = SIZE / 2;
const MAX_ITEMS = 12; // items listed under the graph

/**
 * Positions by node id: the seeds (or, for the whole graph, the concept with most items) in the middle and the
 * rest on rings, nearer the more they are activated (or the more items they hold).
 */
export function layout(nodes) {
  const pos = new Map();
  const maxItems = Math.max(1, ...nodes.map(n => n.items || 0));
  const seeded = nodes.some(n => n.seed);
  const weight = n => (seeded ? n.activation : (n.items || 0) / maxItems);
  const sorted = nodes.slice().sort((a, b) => weight(b) - weight(a));
  const centre = seeded ? sorted.filter(n => n.seed) : sorted.slice(0, 1);
  const others = sorted.filter(n => !centre.includes(n));
  centre.forEach((n, i) => {
    const r = centre.length === 1 ? 0 : 40;
    const a = (2 * Math.PI * i) / centre.length;
    pos.set(n.id, { x: CENTER + r * Math.cos(a), y: CENTER + r * Math.sin(a) });
  });
  others.forEach((n, i) => {
    const r = 90 + (1 - Math.min(1, weight(n))) * 130 + (i % 2) * 22; // alternate rings so labels do not collide
    const a = (2 * Math.PI * i) / Math.max(1, others.length) - Math.PI / 2;
    pos.set(n.id, { x: CENTER + r * Math.cos(a), y: CENTER + r * Math.sin(a) });
  });
  return pos;
}

/** Draws graph (nodes, edges, items) into container, with the items under it. */
export function drawGraph(container, graph) {
  const nodes = graph.nodes || [];
  if (nodes.length === 0) {
    container.replaceChildren(el('p', { class: 'note',
      text: graph.query ? `No concept of this chat matches “${graph.query}”.` : 'This chat has no concepts yet.' }));
    return;
  }
  const pos = layout(nodes);
  const maxStrength = Math.max(1, ...(graph.edges || []).map(e => e.strength));
  const edges = (graph.edges || []).filter(e => pos.has(e.a) && pos.has(e.b)).map(e => svg('line', {
    x1: pos.get(e.a).x, y1: pos.get(e.a).y, x2: pos.get(e.b).x, y2: pos.get(e.b).y,
    class: 'edge', 'stroke-width': (0.6 + 2.4 * (e.strength / maxStrength)).toFixed(2),
  }));
  const circles = nodes.map(n => {
    const p = pos.get(n.id);
    return svg('g', { class: 'node' + (n.seed ? ' seed' : ''), 'data-concept': n.concept },
      svg('circle', { cx: p.x, cy: p.y, r: 7 + Math.min(10, 2 * Math.sqrt(n.items || 0)) },
        svg('title', { text: `${n.concept}: activation ${format(n.activation, 2)}, ${n.items} item(s)` })),
      svg('text', { x: p.x, y: p.y - 13, class: 'label', text: n.concept }));
  });
  const items = (graph.items || []).slice(0, MAX_ITEMS).map(i => el('li', {},
    el('span', { class: 'score', text: format(i.score, 2) }), ' ', i.text));
  container.replaceChildren(
    svg('svg', { viewBox: `0 0 ${SIZE} ${SIZE}`, class: 'concept-graph', role: 'img' }, edges, circles),
    items.length ? el('ol', { class: 'list items' }, items) : null);
}
