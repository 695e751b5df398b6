import type { CostResults } from '../cost/cost';
import { pathTable } from '../cost/src/report';
import { usd } from '../cost/src/report';
import { COST_SERVICES, total } from '../cost/src/model';
import { markdownTable } from './report';

/**
 * Tables for docs/performance.md from one run's results: the cost breakdown with both workflow
 * types side by side per path, and the refill of the page's marked tables. Pure.
 */

/** The one file the measured tables are generated into; other pages link to it, never copy it. */
export const PERFORMANCE_DOC = 'docs/performance.md';

/**
 * Replaces the body of every `<!-- table:name ... -->` ... `<!-- /table:name -->` block of `doc`
 * with `tables[name]`. Every table must have its markers: a table the page lost fails loudly
 * rather than going stale unseen.
 */
export function refillTables(doc: string, tables: Record<string, string>): string {
  let filled = doc;
  for (const [name, table] of Object.entries(tables)) {
    const marker = new RegExp(`(<!-- table:${name}\\b[^>]*-->\\n)[\\s\\S]*?(\\n<!-- /table:${name} -->)`);
    if (!marker.test(filled)) throw new Error(`${PERFORMANCE_DOC} has no <!-- table:${name} --> ... <!-- /table:${name} --> markers`);
    filled = filled.replace(marker, (_match, open: string, close: string) => `${open}${table}${close}`);
  }
  return filled;
}

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
