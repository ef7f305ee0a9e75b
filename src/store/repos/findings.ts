/**
 * @module store/repos/findings
 * Findings snapshots: the latest is what the admin API serves after a restart. Older
 * snapshots beyond `keep` are pruned on save.
 */
import type { Kysely } from 'kysely';
import type { Findings } from '../../report/findings.js';
import { sortableId } from '../ids.js';
import type { Database } from '../schema.js';
import type { FindingsRepo } from '../types.js';
import { fromJson } from './json.js';

export class SqlFindingsRepo implements FindingsRepo {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly keep = 10,
  ) {}

  async save(findings: Findings): Promise<void> {
    const generated = Date.parse(findings.generated_at);
    const generatedAt = Number.isFinite(generated) ? generated : Date.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('findings')
        .values({ id: sortableId('fnd'), generated_at: generatedAt, data: JSON.stringify(findings) })
        .execute();
      const old = await trx
        .selectFrom('findings')
        .select('id')
        .orderBy('generated_at', 'desc')
        .orderBy('id', 'desc')
        .offset(this.keep)
        .limit(1_000)
        .execute();
      if (old.length > 0)
        await trx
          .deleteFrom('findings')
          .where(
            'id',
            'in',
            old.map((r) => r.id),
          )
          .execute();
    });
  }

  async latest(): Promise<Findings | null> {
    const r = await this.db
      .selectFrom('findings')
      .select('data')
      .orderBy('generated_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    return r ? fromJson<Findings | null>(r.data, null) : null;
  }
}
