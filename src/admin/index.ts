/**
 * @module admin
 * The admin API plugin, health/metrics plugin and their helpers.
 */
export { type AccountRow, type AccountsQuery, AccountsTable, pageRows, SORT_FIELDS } from './accounts.js';
export { presentedToken, tokenMatches } from './auth.js';
export type { AdminOptions, FindingsSource } from './context.js';
export { AdminError, errorBody, toAdminError } from './errors.js';
export { type ComponentState, type HealthOptions, healthPlugin } from './health.js';
export { registerControlPlaneMetrics } from './metrics.js';
export { adminPlugin } from './plugin.js';
export { type IngestResult, parseNdjson } from './routes/ingest.js';
export { type EventSummary, eventSummary } from './serialize.js';
export { HEARTBEAT_MS, sseFrame } from './stream.js';
