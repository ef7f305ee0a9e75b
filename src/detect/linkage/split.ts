/**
 * @module detect/linkage/split
 * Splits a large strong component into communities (Louvain on the strong-edge subgraph, edge
 * weight = link strength, seeded RNG so the result is reproducible). Connected components can
 * chain two groups through a few spurious edges (a hydra touching a crowd of agent-framework
 * users through near-duplicate prompts); Louvain keeps densely linked groups together and cuts
 * those bridges. Components below `minSize` are kept whole: for them the chain is the evidence.
 */
import { UndirectedGraph } from 'graphology';
import louvainImport from 'graphology-communities-louvain';
import { mulberry32 } from '../../events/hash.js';
import type { Edge } from './graph.js';
import { PAIR } from './lsh-index.js';

// The package is CommonJS (`module.exports = louvain`); under NodeNext its typings describe the
// default import as the module namespace, while at run time it is the function itself.
type Louvain = typeof louvainImport.default;
const louvain: Louvain =
  (louvainImport as unknown as { default?: Louvain }).default ?? (louvainImport as unknown as Louvain);

export function splitComponent(
  members: readonly number[],
  edges: readonly Edge[],
  minStrength: number,
  minSize: number,
): number[][] {
  if (members.length < minSize) return [[...members]];
  const graph = new UndirectedGraph();
  for (const m of members) graph.addNode(String(m));
  // The same nodes and edges in the same order as checking the graph for each edge (Louvain reads
  // them in insertion order; edge keys play no part), with numeric sets instead of string lookups.
  const nodes = new Set(members);
  const linked = new Set<number>();
  let edgeKey = 0;
  for (const e of edges) {
    if (e.strength < minStrength || !nodes.has(e.a) || !nodes.has(e.b)) continue;
    const pair = e.a < e.b ? e.a * PAIR + e.b : e.b * PAIR + e.a;
    if (linked.has(pair)) continue;
    linked.add(pair);
    graph.addUndirectedEdgeWithKey(edgeKey++, String(e.a), String(e.b), { weight: e.strength });
  }
  const communities = louvain(graph, {
    getEdgeWeight: 'weight',
    rng: mulberry32(members.length),
    resolution: 1,
  });
  const groups = new Map<number, number[]>();
  for (const m of members) {
    const c = communities[String(m)] ?? -1;
    let g = groups.get(c);
    if (!g) {
      g = [];
      groups.set(c, g);
    }
    g.push(m);
  }
  return [...groups.values()].map((g) => g.sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!);
}

/** The exact input of `splitComponent`: members in order, then the strong edges in order, strengths in full. */
function splitInput(
  members: readonly number[],
  edges: readonly Edge[],
  minStrength: number,
  minSize: number,
): string {
  let s = `${minStrength}/${minSize}/${members.join(',')}|`;
  for (const e of edges) if (e.strength >= minStrength) s += `${e.a}-${e.b}:${e.strength},`;
  return s;
}

/**
 * `splitComponent` results of the previous campaign pass, by their exact input. Louvain is seeded,
 * so the same members and strong edges (same order, same strengths) give the same communities:
 * a component whose strong edges did not change since the last pass is not split again. Entries
 * not used in a pass are dropped at its end (`endPass`).
 */
export class SplitMemo {
  private prev = new Map<string, number[][]>();
  private next = new Map<string, number[][]>();

  split(
    members: readonly number[],
    edges: readonly Edge[],
    minStrength: number,
    minSize: number,
  ): number[][] {
    if (members.length < minSize) return splitComponent(members, edges, minStrength, minSize);
    const input = splitInput(members, edges, minStrength, minSize);
    let groups = this.next.get(input) ?? this.prev.get(input);
    if (groups === undefined) groups = splitComponent(members, edges, minStrength, minSize);
    this.next.set(input, groups);
    return groups.map((g) => [...g]);
  }

  endPass(): void {
    this.prev = this.next;
    this.next = new Map();
  }
}
