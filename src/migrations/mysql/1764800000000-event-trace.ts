import type { MigrationInterface, QueryRunner } from 'typeorm';

/** trace_parent: the W3C traceparent of the publish's span, which each attempt's span continues. */
export class EventTrace1764800000000 implements MigrationInterface {
  name = 'EventTrace1764800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events ADD COLUMN trace_parent VARCHAR(55) NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE events DROP COLUMN trace_parent`);
  }
}
