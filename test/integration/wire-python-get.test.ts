import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, it } from 'node:test';
import { deferred } from '../support/deferred';
import { publishBatch } from '../support/publish';
import { forEachDatabase } from '../support/suite';
import { terminal, waitDelivery } from './dispatch-support';
import { wireRoute } from './wire-support';

/**
 * The quickest receiver there is: `python3 -m http.server` as the receiver of a GET destination.
 * It answers 200 with a directory listing, and its access log (stderr) shows the path
 * and query exactly as they arrived.
 */
class PythonHttpServer {
  private log = '';
  private lines: { match: RegExp; done: (line: string) => void }[] = [];

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {
    child.stderr!.on('data', (chunk: Buffer) => {
      this.log += chunk.toString('utf8');
      for (const w of this.lines.slice()) {
        const line = this.log.split('\n').find((l) => w.match.test(l));
        if (line) {
          this.lines.splice(this.lines.indexOf(w), 1);
          w.done(line);
        }
      }
    });
  }

  static async start(): Promise<PythonHttpServer> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hookgraph-pyhttp-'));
    const child = spawn('python3', ['-u', '-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    const port = deferred<number>();
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /port (\d+)/.exec(out);
      if (m) port.resolve(Number(m[1]));
    });
    child.once('exit', (code) => port.reject(new Error(`python3 -m http.server exited with ${code}: ${out}`)));
    const timer = setTimeout(() => port.reject(new Error('python3 -m http.server did not start within 10 s')), 10_000);
    try {
      return new PythonHttpServer(child, dir, `http://127.0.0.1:${await port.promise}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Resolves with the first access-log line matching `match`. */
  logLine(match: RegExp, timeoutMs = 10_000): Promise<string> {
    const already = this.log.split('\n').find((l) => match.test(l));
    if (already) return Promise.resolve(already);
    const d = deferred<string>();
    const timer = setTimeout(() => d.reject(new Error(`no log line ${match} within ${timeoutMs} ms; log:\n${this.log}`)), timeoutMs);
    this.lines.push({ match, done: d.resolve });
    return d.promise.finally(() => clearTimeout(timer));
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      const exited = new Promise((resolve) => this.child.once('exit', resolve));
      this.child.kill('SIGTERM');
      await exited;
    }
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

forEachDatabase('wire: a GET destination delivers to python3 -m http.server', (ctx) => {
  let python: PythonHttpServer;
  before(async () => {
    python = await PythonHttpServer.start();
  });
  after(() => python.stop());

  it('arrives with the envelope in the query (meta__rowNumber, meta__syncOp, data__email) and SUCCEEDS', async () => {
    const app = ctx();
    const r = await wireRoute(app, `${python.url}/`, { method: 'GET' }, { includeEntity: true });
    const [eventId] = await publishBatch(app, {
      type: r.type,
      syncMode: 'UPSERT',
      rows: [{ id: 'c1', email: 'ryan.salisbury@sakilacustomer.org', active: 1 }],
    });
    const line = await python.logLine(new RegExp(`"GET /\\?id=${eventId}&.* HTTP/1\\.1" 200`));
    assert.match(line, /meta__rowNumber=1&meta__syncMode=UPSERT&meta__syncOp=upsert/);
    assert.match(line, /data__email=ryan\.salisbury%40sakilacustomer\.org/);
    assert.match(line, /data__active=1/);

    const deliveries = await app.gql(`query($w: ID!) { deliveries(first: 1, filter: { webhookId: $w }) { nodes { id } } }`, { w: r.webhookId });
    const d = await waitDelivery(app, deliveries.data.deliveries.nodes[0].id, terminal);
    assert.equal(d.status, 'SUCCEEDED');
    assert.equal(d.attempts.nodes[0]!.responseStatusCode, 200);
  });
});
