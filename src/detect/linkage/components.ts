/**
 * @module detect/linkage/components
 * Clustering: weighted connected components over strong edges (union-find).
 *
 * Campaigns must be explainable and reproducible. A component is exactly "every member reaches
 * every other through a chain of strong evidence", which a reviewer can check edge by edge; it
 * needs no random seed and no resolution parameter. The risk, chaining two groups through a
 * few spurious edges, is contained by the edge threshold (no single weak evidence kind reaches
 * it), by dropping common hashes before edges form, and, for large components, by splitting
 * them into Louvain communities (split.ts).
 */
import type { LinkGraph } from './graph.js';

/** The edge arrays components read: endpoints and strength by edge. */
export type EdgeArrays = Pick<LinkGraph, 'size' | 'a' | 'b' | 'strength'>;

export function strongComponents(n: number, edges: EdgeArrays, minStrength: number): number[][] {
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    let r = x;
    while (parent[r] !== r) r = parent[r]!;
    let y = x;
    while (parent[y] !== r) {
      const next = parent[y]!;
      parent[y] = r;
      y = next;
    }
    return r;
  };
  for (let i = 0; i < edges.size; i++) {
    if (edges.strength[i]! < minStrength) continue;
    const ra = find(edges.a[i]!);
    const rb = find(edges.b[i]!);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    let g = groups.get(r);
    if (!g) {
      g = [];
      groups.set(r, g);
    }
    g.push(i);
  }
  return [...groups.values()].filter((g) => g.length >= 2);
}
