/**
 * @module store/repos/checkpoints
 * Named JSON snapshots, one row per name, replaced in place (upsert). Detection workers keep
 * their engine state and the stream positions it covers here, so a restarted worker resumes
 * from exactly that point; a single-process gateway keeps its live engine here (`live-engine`,
 * policy/live.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import type { CheckpointsRepo } from '../types.js';
import { num } from './json.js';

export class SqlCheckpointsRepo implements CheckpointsRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly now: () => number = Date.now,
  ) {}

  save(id: string, data: unknown): Promise<void> {
    return this.saveJson(id, JSON.stringify(data));
  }

  async saveJson(id: string, json: string): Promise<void> {
    const row = { id, data: json, updated_at: this.now() };
    await this.db
      .insertInto('checkpoints')
      .values(row)
      .onConflict((oc) => oc.column('id').doUpdateSet({ data: row.data, updated_at: row.updated_at }))
      .execute();
  }

  async load<T = unknown>(id: string): Promise<{ data: T; updatedAt: number } | null> {
    const r = await this.db
      .selectFrom('checkpoints')
      .select(['data', 'updated_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    return r ? { data: JSON.parse(r.data) as T, updatedAt: num(r.updated_at) } : null;
  }
}
