/**
 * `npm run bench:cold`: bundle size and module initialisation time of every function, each beside
 * an empty handler and the same handler bundled naively, in one run. Writes
 * tools/perf/results/cold-start.json and prints the tables.
 * Options: --rounds N (default 10, or BENCH_ROUNDS), --only order.createOrder,getOrder, --no-deps,
 * --no-sdk-variant (skip measuring each function's AWS SDK clients alone).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { intArg, listArg, parseArgs } from './src/args';
import { runColdStart, type ColdStartResults } from './src/cold-start';
import { RESULTS_DIR } from './src/paths';
import { coldStartSummary, coldStartTable, dependencyTable } from './src/report';

export async function coldMain(argv: string[]): Promise<ColdStartResults> {
  const args = parseArgs(argv);
  const results = await runColdStart({
    rounds: intArg(args, 'rounds', 10, 'BENCH_ROUNDS'),
    only: listArg(args, 'only'),
    dependencies: !args.has('no-deps'),
    sdkVariant: !args.has('no-sdk-variant'),
    log: (line) => console.log(line),
  });
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'cold-start.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nCold start per function (module initialisation in a fresh Node process; medians):\n`);
  console.log(coldStartTable(results));
  if (results.dependencies.length > 0) {
    console.log(`\nWhat single dependencies cost (same settings, same rounds):\n`);
    console.log(dependencyTable(results));
  }
  console.log(`\n${coldStartSummary(results)}\nWritten: ${path.relative(process.cwd(), file)}`);
  return results;
}

if (require.main === module) {
  coldMain(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
