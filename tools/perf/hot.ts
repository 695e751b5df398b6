/**
 * `npm run bench:hot`: POST /orders and GET /orders/{id} latency (p50, p99) and throughput under
 * concurrent load (autocannon), beside a hello-world function on the same serverless-offline.
 * Uses the running local stack (`npm start`), or starts one and stops it afterwards.
 * Options: --connections N (10), --duration S (8), --rounds N (2), --hello-port P (3190).
 * Writes tools/perf/results/hot-path.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { intArg, parseArgs } from './src/args';
import { runHotPath, type HotPathResults } from './src/hot-path';
import { RESULTS_DIR } from './src/paths';
import { hotPathSummary, hotPathTable } from './src/report';
import type { StackHandle } from './src/stack';

export async function hotMain(argv: string[], stack?: StackHandle): Promise<HotPathResults> {
  const args = parseArgs(argv);
  const results = await runHotPath(
    {
      connections: intArg(args, 'connections', 10, 'BENCH_CONNECTIONS'),
      durationSeconds: intArg(args, 'duration', 8, 'BENCH_DURATION'),
      rounds: intArg(args, 'rounds', 2, 'BENCH_HOT_ROUNDS'),
      helloPort: intArg(args, 'hello-port', 3190),
      log: (line) => console.log(line),
    },
    stack,
  );
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'hot-path.json');
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nHot path on the local stack (${results.settings.connections} connections, ${results.settings.rounds} × ${results.settings.durationSeconds} s per target; medians over rounds):\n`);
  console.log(hotPathTable(results));
  console.log(`\n${hotPathSummary(results)}\nWritten: ${path.relative(process.cwd(), file)}`);
  return results;
}

if (require.main === module) {
  hotMain(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  });
}
