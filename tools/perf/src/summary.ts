import type { CostResults } from '../cost/cost';
import { pathTable, serviceTable } from '../cost/src/report';
import type { ColdStartResults } from './cold-start';
import type { HotPathResults } from './hot-path';
import { coldStartSummary, coldStartTable, dependencyTable, hotPathSummary, hotPathTable } from './report';

/** tools/perf/results/summary.md: every figure of one `npm run bench`, with the command behind each. */
export function summaryMarkdown(parts: { cold?: ColdStartResults; hot?: HotPathResults; cost?: CostResults; command: string; minutes: number }): string {
  const { cold, hot, cost } = parts;
  const out: string[] = [`# Bench results`, '', `One run of \`${parts.command}\` (${parts.minutes.toFixed(1)} min), ${new Date().toISOString()}.`, ''];
  if (cold) {
    out.push(
      '## Cold start',
      '',
      'Module initialisation of each function\'s bundle in a fresh Node process (require() timed inside the child), medians; ' +
        '"naive" is the same handler bundled with esbuild\'s defaults; "beyond empty" subtracts an empty handler measured in the same rounds.',
      '',
      coldStartTable(cold),
      '',
      coldStartSummary(cold),
      '',
    );
    if (cold.dependencies.length > 0) out.push('### What single dependencies cost', '', dependencyTable(cold), '');
  }
  if (hot) out.push('## Hot path (local stack)', '', hotPathTable(hot), '', hotPathSummary(hot), '');
  if (cost) {
    out.push(
      '## Cost per million orders',
      '',
      `Counts from ${cost.countsFrom}; prices ${cost.prices.region}, ${cost.prices.asOf} (${cost.prices.file}). Reproduce: \`npm run cost\`.`,
      '',
      pathTable(cost.paths, cost.costs),
      '',
      '### STANDARD saga, by service',
      '',
      serviceTable(cost.costs, (c) => c.standard),
      '',
      '### EXPRESS saga, by service',
      '',
      serviceTable(cost.costs, (c) => c.express),
      '',
      `Assumptions: ${cost.assumptions.join('; ')}.`,
      '',
    );
    const notes = cost.paths.filter((p) => p.notes.length > 0);
    if (notes.length) out.push(...notes.map((p) => `- ${p.path}: ${p.notes.join('; ')}`), '');
  }
  return `${out.join('\n')}\n`;
}
