/**
 * @module store
 * Persistence: Kysely schema + migrations, repositories, the SQLite default, the event writer.
 */
export { isUniqueViolation, StoreError, type StoreErrorCode } from './errors.js';
export { EventWriter, type EventWriterOptions, type EventWriterStats } from './event-writer.js';
export { newId, randomBase62, sortableId } from './ids.js';
export { openStore, sqlitePath } from './open.js';
export { openSqlite } from './sqlite.js';
export type * from './types.js';
