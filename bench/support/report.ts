/** What every benchmark prints: one line per metric, its ratio against a baseline measured in the same run. */
export interface Metric {
  id: string; // P1, P2, …
  variant: string; // sqlite, mysql, p99, …
  value: number;
  baseline: number;
  unit: string;
  /** value/baseline unless a lower-is-better metric says otherwise. */
  ratio?: number;
}

export function printMetric(m: Metric): void {
  const ratio = m.ratio ?? (m.baseline === 0 ? 0 : m.value / m.baseline);
  console.log(`${m.id} ${m.variant} ratio=${ratio.toFixed(2)} value=${round(m.value)} baseline=${round(m.baseline)} unit=${m.unit}`);
}

function round(n: number): string {
  return Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(2);
}

/**
 * A benchmark's ledger: published = delivered + failed, duplicates reported. Where the
 * receiver's side was counted too, every delivery reached it under an id of its own
 * (`received` distinct ids = delivered) and no sampled signature failed to verify.
 */
export interface Ledger {
  name: string;
  published: number;
  delivered: number;
  failed: number;
  duplicates: number;
  /** Distinct webhook-ids at the receiver. */
  received?: number;
  /** Sampled requests whose signature did not verify, of `sampled`. */
  badSignatures?: number;
  sampled?: number;
}

export function ledgerProblem(l: Ledger): string | null {
  const balanced = l.published === l.delivered + l.failed;
  const allReceived = l.received === undefined || l.received === l.delivered;
  // A drain that reached the receiver must have had some of its requests checked.
  const signed = !l.badSignatures && (!l.received || (l.sampled ?? 0) > 0);
  if (balanced && allReceived && signed) return null;
  const receiver = l.received === undefined ? '' : ` received=${l.received} badSignatures=${l.badSignatures ?? 0}/${l.sampled ?? 0}`;
  return `${l.name}: published=${l.published} delivered=${l.delivered} failed=${l.failed} duplicates=${l.duplicates}${receiver}`;
}

export interface BenchOptions {
  quick: boolean;
  /** Which databases to run on: sqlite always, mysql when BENCH_MYSQL_URL/TEST_MYSQL_URL is set. */
  mysqlUrl: string | undefined;
}

/** Each bench/bench-*.ts exports `run` and returns the ledgers it checked. */
export type Benchmark = (options: BenchOptions) => Promise<Ledger[]>;
