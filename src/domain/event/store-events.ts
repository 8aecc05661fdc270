import type BetterSqlite3 from 'better-sqlite3';
import { mysqlQuery, type Database } from '../../database';
import type { DeliveryEntity } from '../delivery/delivery.entity';
import type { EventEntity } from './event.entity';

/**
 * The outbox write of a publish: events and their deliveries, atomically, without the
 * ORM on the hot path. SQLite: one synchronous better-sqlite3 transaction in the queue's
 * turn. MySQL: a lone event is one autocommit INSERT (atomic by itself); anything more
 * is one transaction with a multi-row INSERT per table.
 */
export async function storeEvents(db: Database, events: EventEntity[], deliveries: DeliveryEntity[]): Promise<void> {
  const eventRows = events.map(eventRow);
  const deliveryRows = deliveries.map(deliveryRow);
  if (db.kind === 'sqlite') {
    await db.sqliteExclusive((raw) => {
      const statements = sqliteStatements(raw);
      raw.transaction(() => {
        for (const row of eventRows) statements.event.run(row);
        for (const row of deliveryRows) statements.delivery.run(row);
      })();
    });
    return;
  }
  if (eventRows.length === 1 && deliveryRows.length === 0) {
    await mysqlQuery(db.mysqlPool(), ONE_EVENT_MYSQL, eventRows[0]);
    return;
  }
  await db.mysqlTransaction(async (connection) => {
    if (eventRows.length) await mysqlQuery(connection, insertSql('events', EVENT_COLUMNS, eventRows.length, '`'), eventRows.flat());
    if (deliveryRows.length) await mysqlQuery(connection, insertSql('deliveries', DELIVERY_COLUMNS, deliveryRows.length, '`'), deliveryRows.flat());
  });
}

const EVENT_COLUMNS = ['id', 'type', 'entity_id', 'entity_url', 'data', 'idempotency_key', 'ordering_key', 'source', 'row_number', 'sync_mode', 'occurred_at', 'created_at'];
const DELIVERY_COLUMNS = ['id', 'event_id', 'webhook_id', 'destination_id', 'event_type', 'status', 'trigger', 'attempt_count', 'due_at', 'lease_owner', 'ordering_key', 'last_status_code', 'last_error', 'created_at', 'updated_at', 'completed_at'];

const ONE_EVENT_MYSQL = insertSql('events', EVENT_COLUMNS, 1, '`');

function eventRow(e: EventEntity): unknown[] {
  return [e.id, e.type, e.entityId, e.entityUrl, JSON.stringify(e.data), e.idempotencyKey, e.orderingKey, e.source, e.rowNumber, e.syncMode, e.occurredAt.getTime(), e.createdAt.getTime()];
}

function deliveryRow(d: DeliveryEntity): unknown[] {
  return [
    d.id, d.eventId, d.webhookId, d.destinationId, d.eventType, d.status, d.trigger, d.attemptCount, d.dueAt?.getTime() ?? null,
    d.leaseOwner, d.orderingKey, d.lastStatusCode, d.lastError, d.createdAt.getTime(), d.updatedAt.getTime(), d.completedAt?.getTime() ?? null,
  ];
}

function insertSql(table: string, columns: string[], rows: number, quote: string): string {
  const row = `(${columns.map(() => '?').join(', ')})`;
  return `INSERT INTO ${table} (${columns.map((c) => `${quote}${c}${quote}`).join(', ')}) VALUES ${new Array(rows).fill(row).join(', ')}`;
}

/** Prepared once per connection. */
const prepared = new WeakMap<BetterSqlite3.Database, { event: BetterSqlite3.Statement<unknown[]>; delivery: BetterSqlite3.Statement<unknown[]> }>();

function sqliteStatements(raw: BetterSqlite3.Database) {
  let statements = prepared.get(raw);
  if (!statements) {
    statements = {
      event: raw.prepare<unknown[]>(insertSql('events', EVENT_COLUMNS, 1, '"')),
      delivery: raw.prepare<unknown[]>(insertSql('deliveries', DELIVERY_COLUMNS, 1, '"')),
    };
    prepared.set(raw, statements);
  }
  return statements;
}
