/**
 * @module upstream
 * Public surface of the upstream library: routing registry, pooled upstream client, errors and
 * the mock server.
 */

export { toUpstreamError, UpstreamError, type UpstreamErrorCode } from './errors.js';
export { createMockUpstream, FAULT_HEADERS, type MockOptions, type MockUpstream } from './mock/index.js';
export { type RegistryOptions, UpstreamRegistry } from './registry.js';
export type * from './types.js';
export { forwardHeaders, Upstream } from './upstream.js';
