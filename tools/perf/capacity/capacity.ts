/**
 * `npm run capacity -- --orders-per-second <n> [--workflow STANDARD|EXPRESS] [--region <r>] [--target <n>]`:
 * the capacity model of the deployed system. Per AWS service and resource: the load at n orders/s,
 * the default quota (tools/perf/capacity/quotas.json, each with its source and date), the headroom
 * and the rate that reaches it; the first limit hit, the highest sustainable rate, the busiest
 * partition key of each table and index, and the quota increases a --target needs.
 *
 * Per-order counts are the cost model's (tools/perf/cost): the saga path derived from the
 * definition, with the durations and item sizes of the last observed local run
 * (tools/perf/results/cost.json) when there is one.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from '../src/args';
import { RESULTS_DIR } from '../src/paths';
import { derivePathCounts, PATHS, type PathCounts, type WorkflowType } from '../cost/src/model';
import { ASSUMED_DURATIONS, DEFAULT_ITEM_SIZES } from '../cost/src/operations';
import { loadSagaDefinition } from '../cost/src/saga';
import type { ObservedRun } from '../cost/src/observe';
import { parseWorkflowType } from '../../../services/order/src/domain/saga-start';
import { MAX_LINES } from '../../../services/order/src/schemas';
import { KEY_DESIGN, type SpreadAssumptions } from './src/keys';
import { demandsOf, evaluate, firstLimit, increasesFor, maxSustainable, type Row } from './src/model';
import { loadQuotas, quotaValue, type Quotas } from './src/quotas';
import { figure, hotKeyTable, increasesTable, loadTable } from './src/report';

export const DEFAULT_REGION = 'eu-west-1';
/** The best seller's share of all orders when nothing else is said: a broad catalogue. */
export const DEFAULT_HOTTEST_SKU_SHARE = 0.01;
/** Orders per second of the most active customer: a person, or a script well within reason. */
export const DEFAULT_CUSTOMER_ORDERS_PER_SECOND = 1;

const USAGE =
  'usage: npm run capacity -- --orders-per-second <n> [--workflow STANDARD|EXPRESS] [--region <r>] [--target <n>] ' +
  `[--path ${PATHS.map((p) => p.name).join('|')}] [--hottest-sku-share <0..1>] [--customer-orders-per-second <n>]`;

function positive(args: Map<string, string | true>, name: string, fallback?: number, max = Infinity): number {
  const raw = args.get(name);
  if (raw === undefined && fallback !== undefined) return fallback;
  const value = Number(raw);
  if (raw === undefined || raw === true || !Number.isFinite(value) || value <= 0 || value > max) throw new Error(`--${name} must be a number above 0${Number.isFinite(max) ? ` and at most ${max}` : ''}\n${USAGE}`);
  return value;
}

/** The counts of one order of `pathName`: derived, with the last observed run's durations and sizes when there is one. */
export function orderCounts(pathName: string): { counts: PathCounts; sizes: Record<string, number>; from: string } {
  const sagaPath = PATHS.find((p) => p.name === pathName);
  if (!sagaPath) throw new Error(`unknown --path ${pathName}\n${USAGE}`);
  const costFile = path.join(RESULTS_DIR, 'cost.json');
  const observed = existsSync(costFile) ? (JSON.parse(readFileSync(costFile, 'utf8')) as { observed?: ObservedRun; generatedAt: string }) : undefined;
  const run = observed?.observed;
  const sizes = run?.sizes ?? DEFAULT_ITEM_SIZES;
  const counts = derivePathCounts(sagaPath, loadSagaDefinition(), {
    sizes,
    durations: { ...ASSUMED_DURATIONS, ...(run?.durations ?? {}) },
    memory: {},
    executionDurationMs: run?.executionDurationMs || 1000,
    historyLogBytesPerState: run?.historyLogBytesPerState || 450,
    sqsMessagesPerBatch: 1,
  });
  const from = run ? `the saga definition, with durations and item sizes of the local run in tools/perf/results/cost.json (${observed!.generatedAt})` : 'the saga definition, with assumed durations and default item sizes';
  return { counts, sizes, from };
}

export interface CapacityReport {
  ordersPerSecond: number;
  workflow: WorkflowType;
  region: string;
  rows: Row[];
  first?: Row;
  maxAll: number;
  maxOrderPath: number;
  firstOrderPath?: Row;
}

export function capacityMain(argv: string[], quotas: Quotas = loadQuotas(), log: (line: string) => void = console.log): CapacityReport {
  const args = parseArgs(argv);
  if (args.has('help')) {
    log(USAGE);
    return { ordersPerSecond: 0, workflow: 'STANDARD', region: DEFAULT_REGION, rows: [], maxAll: 0, maxOrderPath: 0 };
  }
  const ordersPerSecond = positive(args, 'orders-per-second');
  const rawWorkflow = args.get('workflow');
  const workflow = parseWorkflowType(typeof rawWorkflow === 'string' ? rawWorkflow.toUpperCase() : undefined);
  const region = typeof args.get('region') === 'string' ? (args.get('region') as string) : DEFAULT_REGION;
  const assumptions: SpreadAssumptions = {
    hottestSkuShare: positive(args, 'hottest-sku-share', DEFAULT_HOTTEST_SKU_SHARE, 1),
    customerOrdersPerSecond: positive(args, 'customer-orders-per-second', DEFAULT_CUSTOMER_ORDERS_PER_SECOND),
  };
  const pathName = typeof args.get('path') === 'string' ? (args.get('path') as string) : 'happy';
  const { counts, sizes, from } = orderCounts(pathName);
  const demands = demandsOf(counts, { workflow, sizes, assumptions, maxOrderLines: MAX_LINES, keys: KEY_DESIGN });
  const rows = evaluate(demands, quotas, region, ordersPerSecond);
  const names = quotas.quotas;
  const orderPath = (row: Row) => row.path === 'order';

  log(`\nCapacity at ${figure(ordersPerSecond)} orders/s: ${workflow} saga, ${region}, path "${pathName}" (one line, one SKU); default quotas of ${quotas.asOf} (tools/perf/capacity/quotas.json).`);
  log(`Counts per order from ${from}.\n`);
  log(loadTable(rows, names));
  const first = firstLimit(rows);
  const firstOrderPath = firstLimit(rows, orderPath);
  const maxAll = maxSustainable(rows);
  const maxOrderPath = maxSustainable(rows, orderPath);
  log('');
  if (first) log(`First limit hit: ${names[first.quotaId]!.name} (${first.resource}) at ${figure(first.maxOrdersPerSecond)} orders/s.`);
  log(`Highest sustainable rate with default quotas: ${figure(maxAll)} orders/s for everything; ${figure(maxOrderPath)} orders/s for the orders themselves` +
    (firstOrderPath ? ` (first: ${names[firstOrderPath.quotaId]!.name})` : '') +
    '; deferred work (events, notifications) beyond its quota queues up and is delayed, not lost.');
  const over = rows.filter((row) => row.quota !== null && row.load > row.quota);
  log(over.length === 0 ? `At ${figure(ordersPerSecond)} orders/s every quota holds.` : `At ${figure(ordersPerSecond)} orders/s ${over.length} quota(s) are exceeded: ${over.map((row) => row.resource).join('; ')}.`);

  log(`\nHot keys: the busiest partition key of each table and index (key design: tools/perf/capacity/src/keys.ts; hottest SKU ${figure(assumptions.hottestSkuShare * 100)} % of orders, the busiest customer ${figure(assumptions.customerOrdersPerSecond)} order/s):\n`);
  log(hotKeyTable(rows));
  const stock = demands.find((d) => d.resource.startsWith('stock: busiest'));
  if (stock && stock.perOrder > 0) {
    const perItem = (quotaValue(quotas, 'dynamodb.partitionWrite', region) ?? 0) / (stock.perOrder / assumptions.hottestSkuShare);
    log(`\nA flash sale of one SKU: its stock item takes every order's stock writes, so one SKU sells at most ${figure(perItem)} orders/s (a single item never splits across partitions).`);
  }
  const concurrency = rows.find((row) => row.quotaId === 'lambda.concurrency');
  if (concurrency) log(`Ramp: Lambda adds at most ${figure((quotaValue(quotas, 'lambda.scalingRate', region) ?? 0) * 10)} environments per function every 10 s (${names['lambda.scalingRate']!.source}); this rate needs about ${figure(concurrency.load)} concurrent executions over all functions, so a sale from a cold start is throttled for its first seconds unless provisioned concurrency (orderApiProvisionedConcurrency) covers the order API.`);

  const target = args.has('target') ? positive(args, 'target') : undefined;
  if (target !== undefined) {
    const increases = increasesFor(demands, quotas, region, target);
    log(`\nFor ${figure(target)} orders/s:${increases.length === 0 ? ' the default quotas hold.' : '\n'}`);
    if (increases.length > 0) log(increasesTable(increases, names));
  }
  log('\nSources of the quotas above (tools/perf/capacity/quotas.json):');
  for (const id of [...new Set(rows.map((row) => row.quotaId))]) {
    const quota = names[id]!;
    log(`- ${quota.name}: ${quota.source} (checked ${quota.checked}${quota.verified ? '' : ', UNVERIFIED: check it in Service Quotas'}${quota.adjustable ? ', adjustable' : ', fixed'})`);
  }
  return { ordersPerSecond, workflow, region, rows, first, maxAll, maxOrderPath, firstOrderPath };
}

if (require.main === module) {
  try {
    capacityMain(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
