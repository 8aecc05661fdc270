// First, as in the command line: NODE_ENV before anything loads graphql.
import '../src/cli/production-env';
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { limitHeapGrowth } from '../src/cli/heap-growth';
import { ledgerProblem, type Benchmark, type Ledger } from './support/report';
import { selectBenches } from './support/select-benches';

/**
 * `npm run bench [-- --quick] [-- --only=bench-x]`: runs every bench/bench-*.ts in name
 * order, each printing one line per metric (support/report.ts), then checks every ledger
 * they returned; `--only=` picks some (support/select-benches.ts).
 */
async function main(): Promise<void> {
  // The benches that run hookgraph in this process measure it with the heap policy and
  // the NODE_ENV of `hookgraph serve` (src/cli/heap-growth.ts, production-env.ts); its
  // peers and baselines share them.
  limitHeapGrowth();
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);
  const mysqlUrl = process.env.BENCH_MYSQL_URL ?? process.env.TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/';
  const files = selectBenches(fs.readdirSync(__dirname), only);
  const ledgers: Ledger[] = [];
  for (const file of files) {
    const mod = (await import(path.join(__dirname, file))) as { run: Benchmark };
    console.error(`# ${file}${quick ? ' (quick)' : ''}`);
    ledgers.push(...(await mod.run({ quick, mysqlUrl: process.env.BENCH_SKIP_MYSQL ? undefined : mysqlUrl })));
  }
  const problems = ledgers.map(ledgerProblem).filter((p): p is string => p !== null);
  console.log(problems.length ? `ledger FAILED ${problems.join('; ')}` : 'ledger ok');
  process.exit(problems.length ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(`ledger FAILED ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
