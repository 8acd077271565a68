/**
 * Positions for large impact graphs, computed in one pass: the root in the centre and each depth on its own
 * ring. ECharts' force layout without animation runs its whole simulation in one task, which blocked the main
 * thread for seconds at 500 nodes; this is O(nodes + edges log) and never blocks noticeably.
 */
export interface LayoutNode {
  id: number;
  depth: number;
}
export interface LayoutEdge {
  fromCiId: number;
  toCiId: number;
}
export interface Point {
  x: number;
  y: number;
}

/** Distance between rings, in the chart's coordinate units (the chart scales the whole drawing to fit). */
export const RING_GAP = 120;

export function radialLayout(nodes: readonly LayoutNode[], edges: readonly LayoutEdge[]): Map<number, Point> {
  const out = new Map<number, Point>();
  const byDepth = new Map<number, number[]>();
  const depthOf = new Map<number, number>();
  for (const n of nodes) {
    depthOf.set(n.id, n.depth);
    const ring = byDepth.get(n.depth) ?? [];
    ring.push(n.id);
    byDepth.set(n.depth, ring);
  }
  // Neighbours one ring further in: a node sits near the nodes it was reached from, so edges stay short.
  const inner = new Map<number, number[]>();
  for (const e of edges) {
    const a = depthOf.get(e.fromCiId);
    const b = depthOf.get(e.toCiId);
    if (a === undefined || b === undefined || Math.abs(a - b) !== 1) continue;
    const [outerId, innerId] = a > b ? [e.fromCiId, e.toCiId] : [e.toCiId, e.fromCiId];
    const list = inner.get(outerId) ?? [];
    list.push(innerId);
    inner.set(outerId, list);
  }
  const angle = new Map<number, number>();
  for (const depth of [...byDepth.keys()].sort((x, y) => x - y)) {
    const ids = byDepth.get(depth) ?? [];
    if (depth === 0 || ids.length === 1) {
      for (const id of ids) {
        const a = mean((inner.get(id) ?? []).map((p) => angle.get(p)).filter((v): v is number => v !== undefined)) ?? 0;
        angle.set(id, a);
        out.set(id, depth === 0 ? { x: 0, y: 0 } : polar(depth, a));
      }
      continue;
    }
    // Order the ring by the mean angle of each node's inner neighbours, then spread it evenly.
    const keyed = ids.map((id, i) => ({ id, key: mean((inner.get(id) ?? []).map((p) => angle.get(p)).filter((v): v is number => v !== undefined)) ?? i / ids.length * 2 * Math.PI }));
    keyed.sort((x, y) => x.key - y.key || x.id - y.id);
    keyed.forEach(({ id }, i) => {
      const a = (i / keyed.length) * 2 * Math.PI;
      angle.set(id, a);
      out.set(id, polar(depth, a));
    });
  }
  return out;
}

function polar(depth: number, a: number): Point {
  const r = depth * RING_GAP;
  return { x: Math.round(r * Math.cos(a) * 100) / 100, y: Math.round(r * Math.sin(a) * 100) / 100 };
}

function mean(xs: number[]): number | undefined {
  if (!xs.length) return undefined;
  return xs.reduce((s, v) => s + v, 0) / xs.length;
}
