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
  // Label children are looked up once per label set, not on every request.
  const counted = new Map<string, Map<number, { inc(): void }>>();
  const timed = new Map<string, { observe(v: number): void }>();
  return {
    authFailure: (code) => authFailures.inc({ code }),
    request: (endpoint, status, latencyMs) => {
      let byStatus = counted.get(endpoint);
      if (byStatus === undefined) {
        byStatus = new Map();
        counted.set(endpoint, byStatus);
      }
      let counter = byStatus.get(status);
      if (counter === undefined) {
        counter = requests.labels({ endpoint, status: String(status) });
        byStatus.set(status, counter);
      }
      counter.inc();
      let histogram = timed.get(endpoint);
      if (histogram === undefined) {
        histogram = latency.labels({ endpoint });
        timed.set(endpoint, histogram);
      }
      histogram.observe(latencyMs / 1000);
    },
  };
}
