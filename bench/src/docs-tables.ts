import type { CostResults } from '../../cost/cost';
import { pathTable } from '../../cost/src/report';
import { usd } from '../../cost/src/report';
import { COST_SERVICES, total } from '../../cost/src/model';
import type { ColdStartResults } from './cold-start';
import { kib, markdownTable, times } from './report';

/**
 * Tables for docs/performance.md from one run's results: the cost breakdown with both workflow
 * types side by side per path, and a before/after comparison of two cold-start runs. Pure.
 */

export function costByServiceTable(cost: CostResults): string {
  const labels: Record<string, string> = { happy: 'happy', 'out-of-stock': 'out of stock', 'payment-declined': 'declined', 'payment-unavailable': 'provider down', 'shipping-failed': 'shipping failed' };
  const header = ['service (USD per 1M orders)', ...cost.costs.flatMap((c) => [`STANDARD ${labels[c.path] ?? c.path}`, `EXPRESS ${labels[c.path] ?? c.path}`])];
  const services = COST_SERVICES.filter((s) => cost.costs.some((c) => c.standard[s] > 0 || c.express[s] > 0));
  const rows = services.map((s) => [s, ...cost.costs.flatMap((c) => [usd(c.standard[s]), usd(c.express[s])])]);
  rows.push(['**total**', ...cost.costs.flatMap((c) => [`**${usd(total(c.standard))}**`, `**${usd(total(c.express))}**`])]);
  return markdownTable(header, rows, ['l', ...header.slice(1).map(() => 'r' as const)]);
}

export function costPathTable(cost: CostResults): string {
  return pathTable(cost.paths, cost.costs);
}

export function beforeAfterTable(before: ColdStartResults, after: ColdStartResults, names: string[]): string {
  const header = ['function', 'before: bundle (vs naive)', 'before: init vs naive', 'after: bundle (vs naive)', 'after: init vs naive', 'after, without Tracer: bundle, init vs naive'];
  const rows: string[][] = [];
  for (const name of names) {
    const a = after.functions.find((f) => `${f.service}.${f.name}` === name);
    const b = before.functions.find((f) => `${f.service}.${f.name}` === name);
    if (!a || !b) continue;
    rows.push([
      name,
      `${kib(b.project.bytes)} (${times(b.sizeVsNaive)})`,
      times(b.initVsNaive),
      `${kib(a.project.bytes)} (${times(a.sizeVsNaive)})`,
      times(a.initVsNaive),
      a.noTracer ? `${kib(a.noTracer.bytes)}, ${times(a.noTracer.initMs.median / a.naive.initMs.median)}` : '-',
    ]);
  }
  return markdownTable(header, rows, ['l', 'r', 'r', 'r', 'r', 'r']);
}
