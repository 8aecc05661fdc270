import type BetterSqlite3 from 'better-sqlite3';
import { mysqlQuery, type Database } from '../../database';
import type { DeliveryEntity } from '../delivery/delivery.entity';
import type { EventEntity } from './event.entity';

/** Publishes written together at most (their rows make one statement per table). */
const MAX_GROUP = 64;

interface Pending {
  events: EventEntity[];
  deliveries: DeliveryEntity[];
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The outbox write of publishes, with group commit: the publishes of one event-loop turn
 * are written in one transaction, a multi-row INSERT per table, without the ORM (a
 * commit costs the database far more than a row). Each caller's promise settles after
 * that commit. When a group fails (say, one publish's idempotency key is taken), its
 * publishes are written again one by one, so one bad publish fails alone.
 */
export class EventStore {
  private pending: Pending[] = [];
  private scheduled = false;

  constructor(private readonly db: Database) {}

  /** Stores events and their deliveries atomically. */
  store(events: EventEntity[], deliveries: DeliveryEntity[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ events, deliveries, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const all = this.pending;
    this.pending = [];
    for (let i = 0; i < all.length; i += MAX_GROUP) void this.writeGroup(all.slice(i, i + MAX_GROUP));
  }

  private async writeGroup(group: Pending[]): Promise<void> {
    try {
      await writeRows(
        this.db,
        group.flatMap((p) => p.events),
        group.flatMap((p) => p.deliveries),
      );
    } catch (error) {
      if (group.length === 1) return group[0]!.reject(error);
      for (const p of group) writeRows(this.db, p.events, p.deliveries).then(p.resolve, p.reject);
      return;
    }
    for (const p of group) p.resolve();
  }
}

/**
 * SQLite: one synchronous better-sqlite3 transaction in the queue's turn. MySQL: a write
 * of events alone is one autocommit INSERT (atomic by itself); anything more is one
 * transaction with a multi-row INSERT per table, sent in one round trip.
 */
async function writeRows(db: Database, events: EventEntity[], deliveries: DeliveryEntity[]): Promise<void> {
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
  if (deliveryRows.length === 0) {
    await mysqlQuery(db.mysqlPool(), insertSql('events', EVENT_COLUMNS, eventRows.length, '`'), eventRows.flat());
    return;
  }
  await db.mysqlAtomic([
    ...(eventRows.length ? [{ sql: insertSql('events', EVENT_COLUMNS, eventRows.length, '`'), params: eventRows.flat() }] : []),
    { sql: insertSql('deliveries', DELIVERY_COLUMNS, deliveryRows.length, '`'), params: deliveryRows.flat() },
  ]);
}

const EVENT_COLUMNS = [
  'id',
  'type',
  'entity_id',
  'entity_url',
  'data',
  'idempotency_key',
  'ordering_key',
  'source',
  'row_number',
  'sync_mode',
  'occurred_at',
  'created_at',
];
const DELIVERY_COLUMNS = [
  'id',
  'event_id',
  'webhook_id',
  'destination_id',
  'event_type',
  'status',
  'trigger',
  'attempt_count',
  'due_at',
  'lease_owner',
  'ordering_key',
  'last_status_code',
  'last_error',
  'created_at',
  'updated_at',
  'completed_at',
  'due_before_lease',
];

function eventRow(e: EventEntity): unknown[] {
  return [
    e.id,
    e.type,
    e.entityId,
    e.entityUrl,
    JSON.stringify(e.data),
    e.idempotencyKey,
    e.orderingKey,
    e.source,
    e.rowNumber,
    e.syncMode,
    e.occurredAt.getTime(),
    e.createdAt.getTime(),
  ];
}

function deliveryRow(d: DeliveryEntity): unknown[] {
  return [
    d.id,
    d.eventId,
    d.webhookId,
    d.destinationId,
    d.eventType,
    d.status,
    d.trigger,
    d.attemptCount,
    d.dueAt?.getTime() ?? null,
    d.leaseOwner,
    d.orderingKey,
    d.lastStatusCode,
    d.lastError,
    d.createdAt.getTime(),
    d.updatedAt.getTime(),
    d.completedAt?.getTime() ?? null,
    // Handed off at publish, already leased: its place in the queue is its publish time.
    d.leaseOwner ? d.createdAt.getTime() : null,
  ];
}

const statementTexts = new Map<string, string>();

/** `INSERT … VALUES (?…), (?…)` for `rows` rows; the texts of recent shapes are kept. */
function insertSql(table: string, columns: string[], rows: number, quote: string): string {
  const key = `${table}${quote}${rows}`;
  let sql = statementTexts.get(key);
  if (sql === undefined) {
    const row = `(${columns.map(() => '?').join(', ')})`;
    sql = `INSERT INTO ${table} (${columns.map((c) => `${quote}${c}${quote}`).join(', ')}) VALUES ${new Array(rows).fill(row).join(', ')}`;
    if (statementTexts.size > 256) statementTexts.clear();
    statementTexts.set(key, sql);
  }
  return sql;
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
