/**
 * @module worker
 * Cluster mode, outside the request path: the detection worker process (`distillguard worker`:
 * runner.ts — consume a partition of the JetStream event stream, store events in PostgreSQL,
 * detect, checkpoint, decide), its pure parts (checkpoint.ts, decide.ts, linkage.ts,
 * findings.ts), the cross-partition linker loop (link-service.ts), and the cluster parts of a
 * gateway replica that `startApp` assembles (replica.ts: Redis limits, JetStream bus + spool,
 * decision bridge, readiness and metrics).
 */
export {
  advance,
  CHECKPOINT_VERSION,
  checkpointId,
  findingsId,
  startPositions,
  usableCheckpoint,
  type WorkerCheckpoint,
} from './checkpoint.js';
export { type ChangeLike, DEFAULT_THROTTLE_FACTOR, decisionsFor } from './decide.js';
export { LINKAGE_ID, mergeFindings, StoreFindings, verdictsOf } from './findings.js';
export { type LinkService, startLinkService } from './link-service.js';
export {
  type CrossCampaign,
  crossPartitionCampaigns,
  DigestCollector,
  type KeyDigest,
  networkOf,
} from './linkage.js';
export {
  CLUSTER_NAMES,
  type ClusterNames,
  clusterNames,
  openReplicaParts,
  type ReplicaOptions,
  type ReplicaParts,
} from './replica.js';
export {
  type RunningWorker,
  startWorker,
  WORKER_DEFAULTS,
  type WorkerOptions,
  type WorkerStats,
} from './runner.js';
