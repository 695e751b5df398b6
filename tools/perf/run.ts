/**
 * `npm run bench`: the cold-start bench, the hot-path bench and the cost model in one run, on one
 * local stack (the running one, or one started here and stopped at the end). Prints every figure
 * and writes tools/perf/results/{cold-start,hot-path,cost}.json and tools/perf/results/summary.md.
 * Options are passed on: --rounds (cold), --connections --duration --hot-rounds (hot).
 * --skip-hot / --skip-cost leave a part out (its previous results are then not in summary.md).
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { costMain, type CostResults } from './cost/cost';
import { coldMain } from './cold';
import { hotMain } from './hot';
import { parseArgs } from './src/args';
import type { ColdStartResults } from './src/cold-start';
import type { HotPathResults } from './src/hot-path';
import { RESULTS_DIR } from './src/paths';
import { summaryMarkdown } from './src/summary';
import { useOrStartStack } from './src/stack';

async function main(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const pass = (names: Array<[string, string]>) =>
    names.flatMap(([from, to]) => (typeof args.get(from) === 'string' ? [`--${to}`, String(args.get(from))] : []));
  const startedAt = Date.now();

  console.log('== 1/3 Cold start ==\n');
  const cold: ColdStartResults = await coldMain(pass([['rounds', 'rounds'], ['only', 'only']]));

  let hot: HotPathResults | undefined;
  let cost: CostResults | undefined;
  if (!args.has('skip-hot') || !args.has('skip-cost')) {
    const stack = await useOrStartStack((line) => console.log(line));
    try {
      if (!args.has('skip-hot')) {
        console.log('\n== 2/3 Hot path ==\n');
        hot = await hotMain(pass([['connections', 'connections'], ['duration', 'duration'], ['hot-rounds', 'rounds'], ['hello-port', 'hello-port']]), stack);
      }
      if (!args.has('skip-cost')) {
        console.log('\n== 3/3 Cost ==\n');
        cost = await costMain([], { stack });
      }
    } finally {
      await stack.stop();
    }
  }

  const file = path.join(RESULTS_DIR, 'summary.md');
  writeFileSync(file, summaryMarkdown({ cold, hot, cost, command: `npm run bench${argv.length ? ` -- ${argv.join(' ')}` : ''}`, minutes: (Date.now() - startedAt) / 60_000 }));
  console.log(`\nAll parts done in ${((Date.now() - startedAt) / 60_000).toFixed(1)} min. Written: ${path.relative(process.cwd(), file)}`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
