/**
 * `npm run cost`: cost per million orders, per saga path, for a STANDARD and an EXPRESS saga, by
 * AWS service, from the counts of a local run and the dated list prices in tools/perf/cost/prices.json.
 *
 * Counts: observed in the running local stack (`npm start`) when there is one; else the counts of
 * the last observed run (tools/perf/results/cost.json); else derived from the saga definition and the
 * code alone. Options: --observe (start a stack if none runs), --derived (no stack at all),
 * --sqs-batch N (messages per SQS receive/delete; 1 = low traffic).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs, intArg } from '../src/args';
import { RESULTS_DIR } from '../src/paths';
import { allFunctions } from '../src/serverless-config';
import { LOGS_DIR, runningStack, useOrStartStack, type StackHandle } from '../src/stack';
import { ASSUMED_DURATIONS, DEFAULT_ITEM_SIZES, STEP_OPERATIONS } from './src/operations';
import { derivePathCounts, PATHS, type PathCounts } from './src/model';
import { observePaths, type ObservedRun } from './src/observe';
import { loadPrices, type Prices } from './src/prices';
import { operationsTable, pathCosts, pathTable, serviceTable, usd, type PathCost } from './src/report';
import { loadSagaDefinition } from './src/saga';

export interface CostResults {
  kind: 'cost';
  generatedAt: string;
  command: string;
  countsFrom: string;
  prices: { region: string; asOf: string; file: string };
  assumptions: string[];
  observed?: ObservedRun;
  paths: PathCounts[];
  costs: PathCost[];
}

export const RESULTS_FILE = path.join(RESULTS_DIR, 'cost.json');

function memoryOf(): Record<string, { memoryMb: number; architecture: 'arm64' | 'x86_64' }> {
  return Object.fromEntries(
    allFunctions().map((fn) => [`${fn.service}.${fn.name}`, { memoryMb: fn.memorySize, architecture: fn.architecture === 'arm64' ? 'arm64' : 'x86_64' }]),
  );
}

export async function costMain(argv: string[], options: { stack?: StackHandle } = {}): Promise<CostResults> {
  const args = parseArgs(argv);
  const log = (line: string) => console.log(line);
  const prices: Prices = loadPrices();
  const definition = loadSagaDefinition();
  const memory = memoryOf();
  const sqsBatch = intArg(args, 'sqs-batch', 1);
  const assumptions = [
    'one order of one line (one SKU, quantity 1); item sizes as written by the local run',
    'one catalogue lookup (inventory.lookupSkus, Lambda Invoke) per order, as when the order API container has not cached the SKU: the upper bound (known SKUs are cached for 300 s per container)',
    `low traffic: each stream record and each SQS message is its own invocation, ${sqsBatch} message(s) per SQS receive/delete`,
    'SES is the notification channel (AWS stages; the local stage records instead of sending)',
    'not counted: the 1 POST response data transfer, CloudWatch Logs of the functions, X-Ray traces, KMS for the SNS topic key, idle SQS long polling (~$0.26 a month per queue), storage, free tiers',
  ];

  let observed: ObservedRun | undefined;
  let countsFrom: string;
  if (!args.has('derived')) {
    const stack = options.stack ?? (args.has('observe') ? await useOrStartStack(log) : undefined);
    const endpoints = stack?.endpoints ?? (await runningStack());
    if (endpoints) {
      log('Observing one order per path on the local stack (one at a time; keep other traffic away meanwhile)…');
      try {
        observed = await observePaths({ endpoints, logsDir: LOGS_DIR, definition, memory, log });
      } finally {
        if (stack && !options.stack) await stack.stop();
      }
      countsFrom = `a run of the local stack (${new Date().toISOString()})`;
    } else if (existsSync(RESULTS_FILE) && (JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as CostResults).observed) {
      const previous = JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as CostResults;
      observed = previous.observed;
      countsFrom = `the last observed local run (${previous.generatedAt}; no stack is running now: \`npm start\` or --observe to count again)`;
    } else {
      countsFrom = 'the saga definition and the code only (no local run: start one with `npm start`, or pass --observe)';
    }
  } else {
    countsFrom = 'the saga definition and the code only (--derived)';
  }

  const durations = { ...ASSUMED_DURATIONS, ...(observed?.durations ?? {}) };
  const deriveOptions = {
    sizes: observed?.sizes ?? DEFAULT_ITEM_SIZES,
    durations,
    memory,
    executionDurationMs: observed?.executionDurationMs || 1000,
    historyLogBytesPerState: observed?.historyLogBytesPerState || 450,
    sqsMessagesPerBatch: sqsBatch,
  };
  if (!observed) assumptions.push('durations assumed (no local run): ' + Object.entries(ASSUMED_DURATIONS).map(([fn, ms]) => `${fn} ${ms} ms`).join(', '));
  else assumptions.push('a path the local stack cannot provoke (shipping-failed) is derived from the definition, with the durations and sizes observed for the others');
  const paths: PathCounts[] = PATHS.map((p) => observed?.paths.find((o) => o.path === p.name) ?? derivePathCounts(p, definition, deriveOptions));
  if (sqsBatch !== 1) for (const p of paths) p.sqsRequests = p.emails + (2 * p.emails) / sqsBatch;
  const costs = pathCosts(paths, prices);

  const results: CostResults = {
    kind: 'cost',
    generatedAt: new Date().toISOString(),
    command: `npm run cost${argv.length ? ` -- ${argv.join(' ')}` : ''}`,
    countsFrom,
    prices: { region: prices.region, asOf: prices.asOf, file: 'tools/perf/cost/prices.json' },
    assumptions,
    ...(observed ? { observed } : {}),
    paths,
    costs,
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  printCost(results);
  return results;
}

export function printCost(results: CostResults): void {
  const { costs, paths } = results;
  console.log(`\nCost per million orders (USD, ${results.prices.region} list prices of ${results.prices.asOf}; counts from ${results.countsFrom}):\n`);
  console.log(pathTable(paths, costs));
  console.log('\nSTANDARD saga, by service:\n');
  console.log(serviceTable(costs, (c) => c.standard));
  console.log('\nEXPRESS saga, by service:\n');
  console.log(serviceTable(costs, (c) => c.express));
  const happy = costs.find((c) => c.path === 'happy');
  if (happy) {
    const sum = (b: Record<string, number>) => Object.values(b).reduce((a, v) => a + v, 0);
    console.log(
      `\nHappy path: ${usd(sum(happy.standard))} (STANDARD) vs ${usd(sum(happy.express))} (EXPRESS) per million orders; ` +
        `the saga itself ${usd(happy.standard['Step Functions'])} vs ${usd(happy.express['Step Functions'])}.`,
    );
  }
  for (const p of paths) if (p.notes.length) console.log(`Note (${p.path}): ${p.notes.join('; ')}`);
  console.log(`\nAssumptions: ${results.assumptions.join('; ')}.`);
  console.log(`Written: ${path.relative(process.cwd(), RESULTS_FILE)}. DynamoDB requests per step: npm run cost -- --operations`);
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  if (argv.includes('--operations')) {
    console.log(operationsTable(STEP_OPERATIONS));
  } else {
    costMain(argv).catch((error: unknown) => {
      console.error(error instanceof Error ? error.stack : error);
      process.exit(1);
    });
  }
}
