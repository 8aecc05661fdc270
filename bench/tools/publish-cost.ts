// First, as in the command line: NODE_ENV before anything loads graphql.
import '../../src/cli/production-env';
import 'reflect-metadata';
import { Session } from 'node:inspector/promises';
import fs from 'node:fs';
import { Agent, request } from 'undici';
import { startBenchApp } from '../support/hookgraph-app';
import { closedLoop } from '../support/load';

/**
 * Where an `eventPublish` over GraphQL/HTTP spends this process's CPU (P3's measured
 * side): a closed loop of 16 (or BENCH_PUBLISH_CONCURRENCY) for N seconds, printing mutations/s and CPU µs per mutation,
 *
 *   BENCH_DB=sqlite node dist/bench/tools/publish-cost.js
 *     (BENCH_DB sqlite|mysql, BENCH_PUBLISH_SECONDS 5, BENCH_PUBLISH_ROUNDS 3, BENCH_PUBLISH_CONCURRENCY 16,
 *      BENCH_CPU_PROFILE=file.cpuprofile: a V8 CPU profile of the last round)
 *
 * The client loop runs in this process, as in P3. Not one of the metrics.
 */
async function main(): Promise<void> {
  const kind = process.env.BENCH_DB === 'mysql' ? 'mysql' : 'sqlite';
  const seconds = Number(process.env.BENCH_PUBLISH_SECONDS) || 5;
  const rounds = Number(process.env.BENCH_PUBLISH_ROUNDS) || 3;
  const concurrency = Number(process.env.BENCH_PUBLISH_CONCURRENCY) || 16;
  const bench = await startBenchApp(kind, process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/');
  const agent = new Agent({ connections: 16 });
  const body = JSON.stringify({
    query: `mutation($input: EventPublishInput!) { eventPublish(input: $input) { event { id } } }`,
    variables: { input: { type: 'ingest.row', entityId: 'e1', data: { n: 1, name: 'row' } } },
  });
  const publish = async () => {
    const res = await request(`${bench.app.url}/graphql`, {
      dispatcher: agent,
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bench.adminKey}` },
      body,
    });
    const out = (await res.body.json()) as { errors?: unknown };
    if (out.errors) throw new Error(JSON.stringify(out.errors));
  };
  try {
    await closedLoop(2, concurrency, publish);
    const profile = process.env.BENCH_CPU_PROFILE;
    for (let round = 1; round <= rounds; round++) {
      const session = profile && round === rounds ? new Session() : null;
      if (session) {
        session.connect();
        await session.post('Profiler.enable');
        await session.post('Profiler.setSamplingInterval', { interval: 100 });
        await session.post('Profiler.start');
      }
      const cpu = process.cpuUsage();
      const started = performance.now();
      const rate = await closedLoop(seconds, concurrency, publish);
      const used = process.cpuUsage(cpu);
      const count = rate * ((performance.now() - started) / 1000);
      console.log(`${kind} round ${round}: ${rate.toFixed(0)} mutations/s; CPU per mutation ${((used.user + used.system) / count).toFixed(0)} µs`);
      if (session) {
        const { profile: p } = await session.post('Profiler.stop');
        fs.writeFileSync(profile!, JSON.stringify(p));
        session.disconnect();
      }
    }
  } finally {
    await agent.close();
    await bench.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
