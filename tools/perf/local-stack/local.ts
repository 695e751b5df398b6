/**
 * `npm run bench:local [-- --orders 200 --concurrency 25 --reuse]`
 *
 * Starts the local stack (as `npm start` does) and reports:
 * - time from start to ready (templates already packaged: a warm start; the first start on a
 *   fresh clone also packages every service, reported by `npm start` itself);
 * - resident memory of the whole stack: the sum of RSS over its process tree, idle and at peak;
 * - order-to-CONFIRMED latency (p50, p99, from the order's own createdAt/updatedAt) and
 *   throughput for a burst of orders, and how many never reached CONFIRMED (lost).
 * With --reuse it measures a stack that is already running (no ready time then).
 * Results go to the console and to .bench/local-<time>.json.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { PlatformClient, type Order } from '../../local-stack/src/client/platform-client';
import { REPO_ROOT } from '../../local-stack/src/config';
import type { StackEndpoints } from '../../local-stack/src/endpoints';
import { treeRssBytes } from '../../local-stack/src/process/process-tree';
import { E2E_STACK_LOG, runningStack, startStack, stopOwnedStack } from '../../../test/e2e/stack-process';

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

async function burst(endpoints: StackEndpoints, orders: number, concurrency: number) {
  const client = new PlatformClient(endpoints);
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

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      orders: { type: 'string', default: '200' },
      concurrency: { type: 'string', default: '25' },
      reuse: { type: 'boolean', default: false },
    },
  });
  const orders = Number(values.orders);
  const concurrency = Number(values.concurrency);

  let endpoints = await runningStack();
  let readySeconds: number | undefined;
  let packagedServices = 0;
  if (endpoints && !values.reuse) {
    throw new Error(`A stack is already running (pid ${endpoints.pid}): stop it to measure a start, or pass --reuse to measure it as it is.`);
  }
  if (!endpoints) {
    const startedAt = Date.now();
    console.log('  starting the local stack…');
    endpoints = await startStack();
    readySeconds = (Date.now() - startedAt) / 1000;
    // A start that had to package services (first start, or a changed serverless.yml) is a cold one.
    packagedServices = (readFileSync(E2E_STACK_LOG, 'utf8').match(/✓ package \w+/g) ?? []).length;
  }
  try {
    // Let start-up work (JIT, GC) settle before reading idle memory.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const idleRssMiB = treeRssBytes(endpoints.pid) / MiB;
    console.log(`  burst of ${orders} orders, ${concurrency} in flight…`);
    const result = await burst(endpoints, orders, concurrency);
    const report = {
      measuredAt: new Date().toISOString(),
      offlineMode: process.env.LOCAL_OFFLINE_MODE || 'in-process',
      readySeconds,
      packagedServices,
      loadAverage: (await import('node:os')).loadavg(),
      idleRssMiB,
      ...result,
    };
    const file = path.join(REPO_ROOT, '.bench', `local-${report.measuredAt.replace(/[:.]/g, '-')}.json`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);

    const f = (n: number | undefined, digits = 0) => (n === undefined || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));
    console.log(
      [
        '',
        '  | measure | value | aim |',
        '  | --- | --- | --- |',
        `  | start to ready (${packagedServices ? `${packagedServices} services packaged first` : 'templates cached'}) | ${readySeconds === undefined ? 'n/a (--reuse)' : `${f(readySeconds, 1)} s`} | 15 s |`,
        `  | stack RSS, idle / peak in the burst | ${f(idleRssMiB)} MiB / ${f(result.peakRssMiB)} MiB | < 1536 MiB |`,
        `  | order → CONFIRMED p50 / p99 / max | ${f(result.p50Ms)} / ${f(result.p99Ms)} / ${f(result.maxMs)} ms | p50 < 100 ms |`,
        `  | throughput (${result.orders} orders, ${result.concurrency} in flight) | ${f(result.ordersPerSecond, 1)} orders/s | ≥ 100 |`,
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
    await stopOwnedStack();
  }
}

main().catch(async (error: Error) => {
  console.error(`  ✗ ${error.message}`);
  await stopOwnedStack();
  process.exit(1);
});
