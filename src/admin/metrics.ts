/**
 * @module admin/metrics
 * Control-plane metrics on a prom-client registry: event-writer queue and counters, resolver
 * cache. Values are read at scrape time (collect callbacks); registering twice is a no-op.
 */
import { Gauge, type Registry } from 'prom-client';
import type { EventWriter } from '../store/event-writer.js';
import type { KeyResolver } from '../tenancy/resolver.js';

export interface ControlPlaneMetricsSources {
  writer?: EventWriter;
  resolver?: KeyResolver;
}

function gauge(registry: Registry, name: string, help: string, read: () => number): void {
  if (registry.getSingleMetric(name)) return;
  new Gauge({
    name,
    help,
    registers: [registry],
    collect() {
      this.set(read());
    },
  });
}

export function registerControlPlaneMetrics(registry: Registry, src: ControlPlaneMetricsSources): void {
  const { writer, resolver } = src;
  if (writer) {
    gauge(
      registry,
      'distillguard_event_writer_pending',
      'Events accepted and not yet written',
      () => writer.pending,
    );
    gauge(
      registry,
      'distillguard_events_written_total',
      'Events written to the store',
      () => writer.stats().written,
    );
    gauge(
      registry,
      'distillguard_event_writer_failed_batches_total',
      'Event batches that failed and were retried',
      () => writer.stats().failedBatches,
    );
    gauge(
      registry,
      'distillguard_event_writer_batches_total',
      'Event batches written',
      () => writer.stats().batches,
    );
  }
  if (resolver) {
    gauge(
      registry,
      'distillguard_key_cache_hits_total',
      'Key lookups served from cache',
      () => resolver.stats().hits,
    );
    gauge(
      registry,
      'distillguard_key_cache_misses_total',
      'Key lookups that read the store',
      () => resolver.stats().misses,
    );
    gauge(registry, 'distillguard_key_cache_size', 'Cached key lookups', () => resolver.stats().size);
  }
}
