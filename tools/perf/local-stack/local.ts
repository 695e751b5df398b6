/**
 * `npm run bench:local [-- --orders 200 --concurrency 25 --warm-starts 3 --reuse]`
 *
 * On a scratch copy of the repository (your files and your stack's data stay as they are), with
 * a stack on ports from 3700, reports against the live-development targets:
 * - ready time of a first start (a fresh clone: every service packaged) and of warm starts
 *   (median), from spawning `npm start`'s entry point to its endpoints file;
 * - resident memory of the whole stack (RSS summed over its process tree), idle and at the peak
 *   of a burst of orders;
 * - order-to-CONFIRMED latency (p50, p99) and throughput of the burst, and orders not confirmed.
 * With --reuse it measures the stack already running (no ready times then).
 * Results go to the console and to .bench/local-<time>.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { devCredentials, PlatformClient, type Order } from '../../local-stack/src/client/platform-client';
import { REPO_ROOT } from '../../local-stack/src/config';
import type { StackEndpoints } from '../../local-stack/src/endpoints';
import { treeRssBytes } from '../../local-stack/src/process/process-tree';
import { sleep } from '../../local-stack/src/process/wait';
import { createScratchRepo } from '../../local-stack/src/scratch-repo';
import { runningStack, spawnStack, stopStackProcess } from '../../local-stack/src/stack-launcher';

const MiB = 1024 * 1024;

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)]!;
}

/** Samples the stack's total RSS until stopped; reports the peak. */
function sampleRss(pid: number, everyMs = 250) {
  let peak = treeRssBytes(pid);
  const timer = setInterval(() => (peak = Math.max(peak, treeRssBytes(pid))), everyMs);
  return { stop: () => (clearInterval(timer), peak) };
}

async function mapLimit<T, R>(items: T[], limit: number, run: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let index = next++; index < items.length; index = next++) results[index] = await run(items[index]!, index);
    }),
  );
  return results;
}

async function burst(endpoints: StackEndpoints, orders: number, concurrency: number, authDir?: string) {
  const client = new PlatformClient(endpoints, devCredentials(authDir));
  const sku = `BENCH-${Date.now()}`;
  await client.putStock(sku, { price: 100, currency: 'EUR', available: 1_000_000 });
  const customers = Array.from({ length: 10 }, (_, i) => `bench-${i}`);
  // Tokens are minted before the clock starts.
  await Promise.all(customers.map((c) => client.placeOrder({ customerId: c, email: `${c}@example.com`, items: [{ sku, quantity: 1 }], paymentToken: 'tok_visa' })));

  const rss = sampleRss(endpoints.pid);
  const startedAt = Date.now();
  const placed = await mapLimit(Array.from({ length: orders }), concurrency, (_, i) => {
    const customerId = customers[i % customers.length]!;
    return client.placeOrder({ customerId, email: `${customerId}@example.com`, items: [{ sku, quantity: 1 }], paymentToken: 'tok_visa' });
  });
  const submittedAt = Date.now();
  const finals: Order[] = await mapLimit(placed, 10, (order) => client.waitForOutcome(order.orderId, 5 * 60_000, 200));
  const peakRss = rss.stop();

  const confirmed = finals.filter((order) => order.status === 'CONFIRMED');
  const latencies = confirmed
    .map((order) => Date.parse(String(order.updatedAt)) - Date.parse(String(order.createdAt)))
    .sort((a, b) => a - b);
  const lastConfirmedAt = Math.max(...confirmed.map((order) => Date.parse(String(order.updatedAt))));
  return {
    orders,
    concurrency,
    submitSeconds: (submittedAt - startedAt) / 1000,
    confirmed: confirmed.length,
    lost: orders - confirmed.length,
    notConfirmed: finals.filter((order) => order.status !== 'CONFIRMED').map((order) => `${order.orderId}: ${order.status}`),
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    maxMs: latencies.at(-1) ?? Number.NaN,
    ordersPerSecond: confirmed.length / ((lastConfirmedAt - startedAt) / 1000),
    peakRssMiB: peakRss / MiB,
  };
}

interface TimedStart {
  pid: number;
  endpoints: StackEndpoints;
  seconds: number;
  packagedServices: number;
}

/** Starts the stack of a scratch copy and times it to ready; how many services it had to package tells a first start. */
async function timedStart(root: string, portBase: number): Promise<TimedStart> {
  const log = path.join(root, '.local', 'logs', 'bench-local-stack.log');
  mkdirSync(path.dirname(log), { recursive: true });
  writeFileSync(log, '');
  const startedAt = Date.now();
  const { pid, endpoints } = await spawnStack({
    rootDir: root,
    log,
    endpointsFile: path.join(root, '.local', 'endpoints.json'),
    env: { LOCAL_PORT_BASE: String(portBase), LOCAL_DATA_DIR: '' },
  });
  const seconds = (Date.now() - startedAt) / 1000;
  return { pid, endpoints, seconds, packagedServices: (readFileSync(log, 'utf8').match(/✓ package \w+/g) ?? []).length };
}

const TARGETS = { warmReadySeconds: 10, firstReadySeconds: 25, idleRssMiB: 1024, peakRssMiB: 1536 };

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '25' },
      'warm-starts': { type: 'string', default: '3' },
      'port-base': { type: 'string', default: '3700' },
      reuse: { type: 'boolean', default: false },
    },
  });
  const orders = Number(values.orders);
  const concurrency = Number(values.concurrency);
  const portBase = Number(values['port-base']);

  // A scratch copy of the repository with nothing in .local/: its first start is a fresh clone's
  // (packaging included), the next ones are warm. The developer's own stack and data stay as they are.
  let endpoints: StackEndpoints | undefined;
  let pid: number | undefined;
  let firstStart: TimedStart | undefined;
  const warmSeconds: number[] = [];
  const scratch = values.reuse ? undefined : createScratchRepo();
  if (values.reuse) {
    endpoints = await runningStack();
    if (!endpoints) throw new Error('--reuse: no local stack is running (npm start).');
  }
  try {
    if (scratch) {
      console.log(`  first start of a scratch copy (${scratch.dir}), ports from ${portBase}…`);
      firstStart = await timedStart(scratch.dir, portBase);
      await stopStackProcess(firstStart.pid);
      for (let run = 1; run <= Number(values['warm-starts']); run += 1) {
        const warm = await timedStart(scratch.dir, portBase);
        warmSeconds.push(warm.seconds);
        console.log(`  warm start ${run}: ${warm.seconds.toFixed(1)} s`);
        if (run < Number(values['warm-starts'])) await stopStackProcess(warm.pid);
        else ({ pid, endpoints } = warm);
      }
    }
    // Let start-up work (JIT, GC) settle before reading idle memory.
    await sleep(5000);
    const idleRssMiB = treeRssBytes(endpoints!.pid) / MiB;
    console.log(`  burst of ${orders} orders, ${concurrency} in flight…`);
    const result = await burst(endpoints!, orders, concurrency, scratch ? path.join(scratch.dir, '.local', 'auth') : undefined);
    const warmReadySeconds = warmSeconds.length ? [...warmSeconds].sort((a, b) => a - b)[Math.floor(warmSeconds.length / 2)] : undefined;
    const report = {
      measuredAt: new Date().toISOString(),
      offlineMode: process.env.LOCAL_OFFLINE_MODE || 'in-process',
      firstReadySeconds: firstStart?.seconds,
      firstStartPackagedServices: firstStart?.packagedServices,
      warmReadySeconds,
      warmReadyRuns: warmSeconds,
      targets: TARGETS,
      loadAverage: (await import('node:os')).loadavg(),
      idleRssMiB,
      ...result,
    };
    const file = path.join(REPO_ROOT, '.bench', `local-${report.measuredAt.replace(/[:.]/g, '-')}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

    const f = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
    const meets = (value: number | undefined, target: number) => (value === undefined ? '' : value <= target ? ' (met)' : ' (missed)');
    console.log(
      [
        '',
        '  | measure | value | target |',
        '  | --- | --- | --- |',
        `  | ready, warm start (median of ${warmSeconds.length}) | ${f(warmReadySeconds, 1)} s${meets(warmReadySeconds, TARGETS.warmReadySeconds)} | ≤ ${TARGETS.warmReadySeconds} s |`,
        `  | ready, first start (${firstStart?.packagedServices ?? 0} services packaged) | ${f(firstStart?.seconds, 1)} s${meets(firstStart?.seconds, TARGETS.firstReadySeconds)} | ≤ ${TARGETS.firstReadySeconds} s |`,
        `  | stack RSS idle | ${f(idleRssMiB)} MiB${meets(idleRssMiB, TARGETS.idleRssMiB)} | ≤ ${TARGETS.idleRssMiB} MiB |`,
        `  | stack RSS peak in the burst | ${f(result.peakRssMiB)} MiB${meets(result.peakRssMiB, TARGETS.peakRssMiB)} | ≤ ${TARGETS.peakRssMiB} MiB |`,
        `  | order → CONFIRMED p50 / p99 / max | ${f(result.p50Ms)} / ${f(result.p99Ms)} / ${f(result.maxMs)} ms | |`,
        `  | throughput (${result.orders} orders, ${result.concurrency} in flight) | ${f(result.ordersPerSecond, 1)} orders/s | |`,
        `  | orders not CONFIRMED (lost) | ${result.lost} | 0 |`,
        '',
        `  machine load average (1/5/15 min): ${report.loadAverage.map((n) => n.toFixed(1)).join(' / ')} on ${(await import('node:os')).cpus().length} cores`,
        `  written to ${path.relative(REPO_ROOT, file)}`,
        `  reproduce: npm run bench:local -- --orders ${orders} --concurrency ${concurrency}   (offline mode: LOCAL_OFFLINE_MODE=${report.offlineMode})`,
        '',
      ].join('\n'),
    );
    if (result.lost > 0) console.log(`  not confirmed: ${result.notConfirmed.slice(0, 10).join(', ')}`);
  } finally {
    await stopStackProcess(pid);
    scratch?.dispose();
  }
}

main().catch((error: Error) => {
  console.error(`  ✗ ${error.stack ?? error.message}`);
  process.exit(1);
});
