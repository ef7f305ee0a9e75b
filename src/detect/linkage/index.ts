/**
 * @module detect/linkage
 * Linkage between keys: evidence posting lists, the evidence graph and its strong components.
 */
export * from './components.js';
export * from './evidence.js';
export * from './graph.js';
export * from './lsh-index.js';
export * from './split.js';
export * from './timing.js';
