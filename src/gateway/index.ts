/**
 * @module gateway
 * The OpenAI-compatible request path: a Fastify plugin (`gatewayPlugin`) plus its pure parts
 * (errors, client IP, metering, SSE relay, event building and sinks) for reuse and tests.
 */

export { clientIp, DEFAULT_TRUSTED_PROXIES, normalizeIp, TrustedProxies } from './client-ip.js';
export { type ConnectionTracker, trackConnections } from './connections.js';
export { ERRORS, type ErrorCode, GatewayError, type OpenAIErrorBody, toGatewayError } from './errors.js';
export { buildEvent, type EventRecord } from './event.js';
export { estimateTokens, type Metered, meter, promptSize, readUsage } from './metering.js';
export { promGatewayMetrics } from './metrics.js';
export { gatewayPlugin } from './plugin.js';
export { type EventSink, InlineEventSink, WorkerEventSink, type WorkerSinkOptions } from './sink.js';
export { SseRelay, type StreamCapture } from './sse.js';
export {
  DEFAULT_GATEWAY_SETTINGS,
  type EventPublisher,
  type GatewayMetrics,
  type GatewayOptions,
  type GatewaySettings,
  type KeyAuthenticator,
  type UpstreamRouter,
  type UpstreamTarget,
} from './types.js';
