/**
 * @module gateway/metrics
 * The gateway's Prometheus counters, on a prom-client registry owned by the app (served at
 * /metrics by the admin plugin). Requests refused for a missing or invalid key are not events,
 * so they are counted here.
 */
import { Counter, Histogram, type Registry } from 'prom-client';
import type { GatewayMetrics } from './types.js';

/** Latency buckets in seconds: sub-millisecond overhead up to long generations. */
const LATENCY_BUCKETS = [0.001, 0.005, 0.025, 0.1, 0.5, 1, 2.5, 10, 30, 120];

export function promGatewayMetrics(registry: Registry): GatewayMetrics {
  const authFailures = new Counter({
    name: 'distillguard_gateway_auth_failures_total',
    help: 'Requests refused before a valid key was known (not recorded as events)',
    labelNames: ['code'],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'distillguard_gateway_requests_total',
    help: 'Requests handled by the gateway, by endpoint and status',
    labelNames: ['endpoint', 'status'],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'distillguard_gateway_request_duration_seconds',
    help: 'Time from arrival to the end of the answer',
    labelNames: ['endpoint'],
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  return {
    authFailure: (code) => authFailures.inc({ code }),
    request: (endpoint, status, latencyMs) => {
      requests.inc({ endpoint, status: String(status) });
      latency.observe({ endpoint }, latencyMs / 1000);
    },
  };
}
