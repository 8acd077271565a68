import { describe, expect, it } from 'vitest';
import { radialLayout, RING_GAP } from './impact-layout';

describe('radialLayout', () => {
  it('puts the root in the centre and each depth on its own ring, every node once', () => {
    const nodes = [{ id: 1, depth: 0 }, ...Array.from({ length: 6 }, (_, i) => ({ id: 10 + i, depth: 1 })), ...Array.from({ length: 30 }, (_, i) => ({ id: 100 + i, depth: 2 }))];
    const edges = [
      ...Array.from({ length: 6 }, (_, i) => ({ fromCiId: 1, toCiId: 10 + i })),
      ...Array.from({ length: 30 }, (_, i) => ({ fromCiId: 100 + i, toCiId: 10 + (i % 6) })),
    ];
    const pos = radialLayout(nodes, edges);
    expect(pos.size).toBe(nodes.length);
    expect(pos.get(1)).toEqual({ x: 0, y: 0 });
    for (const n of nodes.slice(1)) {
      const p = pos.get(n.id);
      if (!p) throw new Error(`no position for ${n.id}`);
      expect(Math.hypot(p.x, p.y)).toBeCloseTo(n.depth * RING_GAP, 0);
    }
    // No two nodes share a spot.
    expect(new Set([...pos.values()].map((p) => `${p.x},${p.y}`)).size).toBe(nodes.length);
  });

  it('keeps children next to their parent: the ring is ordered by the parents’ angles', () => {
    const nodes = [{ id: 1, depth: 0 }, { id: 2, depth: 1 }, { id: 3, depth: 1 }, { id: 30, depth: 2 }, { id: 20, depth: 2 }, { id: 31, depth: 2 }, { id: 21, depth: 2 }];
    // Nodes and edges listed interleaved on purpose: 20 and 21 belong to 2, 30 and 31 to 3.
    const edges = [
      { fromCiId: 1, toCiId: 2 },
      { fromCiId: 1, toCiId: 3 },
      { fromCiId: 30, toCiId: 3 },
      { fromCiId: 20, toCiId: 2 },
      { fromCiId: 31, toCiId: 3 },
      { fromCiId: 21, toCiId: 2 },
    ];
    const pos = radialLayout(nodes, edges);
    const angle = (id: number) => {
      const p = pos.get(id);
      if (!p) throw new Error(`no position for ${id}`);
      return (Math.atan2(p.y, p.x) + 2 * Math.PI) % (2 * Math.PI);
    };
    // Around the outer ring, siblings come together: 2's children, then 3's.
    expect([20, 21, 30, 31].sort((a, b) => angle(a) - angle(b))).toEqual([20, 21, 30, 31]);
    expect(angle(2)).toBeLessThan(angle(3));
  });

  it('handles cycles and edges that skip rings without losing nodes', () => {
    const nodes = [{ id: 1, depth: 0 }, { id: 2, depth: 1 }, { id: 3, depth: 2 }];
    const edges = [
      { fromCiId: 1, toCiId: 2 },
      { fromCiId: 2, toCiId: 3 },
      { fromCiId: 3, toCiId: 1 },
    ];
    expect(radialLayout(nodes, edges).size).toBe(3);
  });
});
