/**
 * @module detect/linkage/split
 * Splits a large strong component into communities (Louvain on the strong-edge subgraph, edge
 * weight = link strength, seeded RNG so the result is reproducible). Connected components can
 * chain two groups through a few spurious edges (a hydra touching a crowd of agent-framework
 * users through near-duplicate prompts); Louvain keeps densely linked groups together and cuts
 * those bridges. Components below `minSize` are kept whole: for them the chain is the evidence;
 * so is a split whose communities are not real (modularity under `MIN_MODULARITY`).
 */
import louvainImport from 'graphology-communities-louvain';
import { mulberry32 } from '../../events/hash.js';
import type { Edge } from './graph.js';
import { PAIR } from './lsh-index.js';

// The package is CommonJS (`module.exports = louvain`); under NodeNext its typings describe the
// default import as the module namespace, while at run time it is the function itself.
type Louvain = typeof louvainImport.default;
const louvain: Louvain =
  (louvainImport as unknown as { default?: Louvain }).default ?? (louvainImport as unknown as Louvain);

/**
 * A component's strong-edge graph as graphology-communities-louvain reads it: the slice of
 * graphology's `UndirectedGraph` its index is built from (order, size, nodes and edges in insertion
 * order, degrees), over arrays. The Louvain code and its seeded RNG are the package's own and see
 * the same nodes, edges, order and weights as from an `UndirectedGraph` built edge by edge, so the
 * communities are the same; building that graph (a node record, an edge record and an attribute
 * object per edge, string-keyed maps) was most of a split's time and allocation.
 */
class LouvainView {
  readonly type = 'undirected';
  readonly multi = false;
  readonly selfLoopCount = 0;
  readonly order: number;
  private readonly nodes: string[];
  private readonly source: string[] = [];
  private readonly target: string[] = [];
  private readonly degree = new Map<string, number>();
  readonly weights: number[] = [];

  constructor(members: readonly number[]) {
    this.nodes = members.map(String);
    this.order = members.length;
    for (const node of this.nodes) this.degree.set(node, 0);
  }

  get size(): number {
    return this.weights.length;
  }

  addEdge(a: number, b: number, weight: number): void {
    const source = String(a);
    const target = String(b);
    this.source.push(source);
    this.target.push(target);
    this.weights.push(weight);
    this.degree.set(source, this.degree.get(source)! + 1);
    this.degree.set(target, this.degree.get(target)! + 1);
  }

  forEachNode(callback: (node: string) => void): void {
    for (const node of this.nodes) callback(node);
  }

  /** Edges in insertion order; the key is the edge's index (see `weight` in `splitComponent`). */
  forEachEdge(callback: (edge: number, attr: undefined, source: string, target: string) => void): void {
    for (let i = 0; i < this.weights.length; i++) callback(i, undefined, this.source[i]!, this.target[i]!);
  }

  /**
   * Weighted modularity Q = Σ_c [ W_c / W − (D_c / 2W)² ] of a partition of the nodes (W: total
   * edge weight, W_c: weight inside community c, D_c: weighted degree of its nodes).
   */
  modularity(community: (node: string) => number): number {
    let total = 0;
    const inside = new Map<number, number>();
    const degree = new Map<number, number>();
    for (let i = 0; i < this.weights.length; i++) {
      const w = this.weights[i]!;
      const a = community(this.source[i]!);
      const b = community(this.target[i]!);
      total += w;
      degree.set(a, (degree.get(a) ?? 0) + w);
      degree.set(b, (degree.get(b) ?? 0) + w);
      if (a === b) inside.set(a, (inside.get(a) ?? 0) + w);
    }
    if (total === 0) return 0;
    let q = 0;
    for (const [c, d] of degree) q += (inside.get(c) ?? 0) / total - (d / (2 * total)) ** 2;
    return q;
  }

  undirectedDegreeWithoutSelfLoops(node: string): number {
    return this.degree.get(node)!;
  }

  // graphology's `isGraph` recognises a graph by these two methods; Louvain never calls them.
  addUndirectedEdgeWithKey(): never {
    throw new Error('LouvainView is read-only');
  }

  dropNode(): never {
    throw new Error('LouvainView is read-only');
  }
}

/**
 * A split is kept only when its communities are real: weighted modularity of at least this (the
 * usual mark of significant community structure). Louvain always returns some partition, and on
 * a densely linked component (one campaign, every key linked to most others) it cuts it into
 * halves of near-zero modularity, each too small to score as the campaign did (engine 1.5.0; a
 * 12-key slow-and-low campaign of standard seed 8 split 6 + 6 at Q 0.04 and was lost).
 */
export const MIN_MODULARITY = 0.3;

export function splitComponent(
  members: readonly number[],
  edges: readonly Edge[],
  minStrength: number,
  minSize: number,
): number[][] {
  if (members.length < minSize) return [[...members]];
  const graph = new LouvainView(members);
  // Each strong edge inside the component once, in order (Louvain reads them in insertion order).
  const nodes = new Set(members);
  const linked = new Set<number>();
  for (const e of edges) {
    if (e.strength < minStrength || !nodes.has(e.a) || !nodes.has(e.b)) continue;
    const pair = e.a < e.b ? e.a * PAIR + e.b : e.b * PAIR + e.a;
    if (linked.has(pair)) continue;
    linked.add(pair);
    graph.addEdge(e.a, e.b, e.strength);
  }
  const communities = louvain(graph as unknown as Parameters<Louvain>[0], {
    getEdgeWeight: (edge) => graph.weights[Number(edge)]!,
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
  if (groups.size > 1 && graph.modularity((node) => communities[node] ?? -1) < MIN_MODULARITY)
    return [[...members]];
  return Array.from(groups.values(), (g) => g.sort((x, y) => x - y)).sort((x, y) => x[0]! - y[0]!);
}

/** The strong edges of a split's input in order, as arrays: compared, not printed (a string of
 * every strength in full precision cost more than the comparison). */
interface StrongEdges {
  a: Int32Array;
  b: Int32Array;
  strength: Float64Array;
}

function strongEdges(edges: readonly Edge[], minStrength: number): StrongEdges {
  let count = 0;
  for (const e of edges) if (e.strength >= minStrength) count++;
  const out = { a: new Int32Array(count), b: new Int32Array(count), strength: new Float64Array(count) };
  let i = 0;
  for (const e of edges) {
    if (e.strength < minStrength) continue;
    out.a[i] = e.a;
    out.b[i] = e.b;
    out.strength[i++] = e.strength;
  }
  return out;
}

function sameEdges(x: StrongEdges, y: StrongEdges): boolean {
  if (x.a.length !== y.a.length) return false;
  for (let i = 0; i < x.a.length; i++)
    if (x.a[i] !== y.a[i] || x.b[i] !== y.b[i] || x.strength[i] !== y.strength[i]) return false;
  return true;
}

interface Memo {
  edges: StrongEdges;
  groups: number[][];
}

const found = (memos: readonly Memo[] | undefined, edges: StrongEdges) =>
  memos?.find((m) => sameEdges(m.edges, edges))?.groups;

/**
 * `splitComponent` results of the previous campaign pass, by their exact input (members in order,
 * then the strong edges in order with their strengths). Louvain is seeded, so the same input gives
 * the same communities: a component whose strong edges did not change since the last pass is not
 * split again. Entries not used in a pass are dropped at its end (`endPass`).
 */
export class SplitMemo {
  /** By parameters and members; then by strong edges. */
  private prev = new Map<string, Memo[]>();
  private next = new Map<string, Memo[]>();

  split(
    members: readonly number[],
    edges: readonly Edge[],
    minStrength: number,
    minSize: number,
  ): number[][] {
    if (members.length < minSize) return splitComponent(members, edges, minStrength, minSize);
    const key = `${minStrength}/${minSize}/${members.join(',')}`;
    const strong = strongEdges(edges, minStrength);
    let memos = this.next.get(key);
    let groups = found(memos, strong);
    if (groups === undefined) {
      groups = found(this.prev.get(key), strong) ?? splitComponent(members, edges, minStrength, minSize);
      if (memos === undefined) {
        memos = [];
        this.next.set(key, memos);
      }
      memos.push({ edges: strong, groups });
    }
    return Array.from(groups, (g) => [...g]);
  }

  endPass(): void {
    this.prev = this.next;
    this.next = new Map();
  }
}
