import type { EntityManager } from 'typeorm';
import type { Database } from '../../database';

/**
 * The transaction queue statements run in. On MySQL it is READ COMMITTED: a claim's
 * `FOR UPDATE SKIP LOCKED` then locks only the rows it takes, not the gaps of the due_at
 * index (REPEATABLE READ's next-key locks made concurrent claims, completions and
 * publishes deadlock). SQLite has one writer; its transactions are queued by Database.
 */
export function queueTransaction<T>(db: Database, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  return db.kind === 'mysql' ? db.dataSource.transaction('READ COMMITTED', work) : db.transaction(work);
}
