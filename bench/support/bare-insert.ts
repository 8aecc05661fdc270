import http from 'node:http';
import type BetterSqlite3 from 'better-sqlite3';
import type { AddressInfo } from 'node:net';
import type { Database } from '../../src/database/database';
import { mysqlQuery } from '../../src/database/mysql-query';
import { newId } from '../../src/domain/common/ids';

export interface BareInsertServer {
  url: string;
  close(): Promise<void>;
}

/**
 * The physical baseline for ingest: a bare node:http handler that reads the body,
 * optionally checks it (`accept`), parses the JSON and makes the one INSERT into
 * `events` that storing an event needs, then answers.
 */
export async function bareInsertServer(db: Database, accept: (raw: Buffer, req: http.IncomingMessage) => boolean = () => true): Promise<BareInsertServer> {
  const rowNumber = db.dialect.quote('row_number');
  const sql = `INSERT INTO events (id, type, entity_id, entity_url, data, idempotency_key, ordering_key, source, ${rowNumber}, sync_mode, occurred_at, created_at) VALUES (?, ?, ?, NULL, ?, NULL, NULL, 'API', NULL, NULL, ?, ?)`;
  let statement: ReturnType<BetterSqlite3.Database['prepare']> | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (!accept(raw, req)) return void res.writeHead(401).end();
      const input = JSON.parse(raw.toString()) as { type?: string; entityId?: string; data?: unknown };
      const id = newId('event');
      const t = Date.now();
      const params = [id, input.type ?? 'bare.row', input.entityId ?? null, JSON.stringify(input.data ?? input), t, t];
      // Straight to the driver, as lean as an INSERT gets (on SQLite in the process's one
      // write queue, which hookgraph's own writes also take).
      const inserted =
        db.dataSource.options.type === 'better-sqlite3'
          ? db.sqlite.exclusive((raw) => (statement ??= raw.prepare(sql)).run(params))
          : mysqlQuery(db.mysql.pool(), sql, params);
      inserted.then(
        () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id })),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
