import { COST_SERVICES, costPerOrder, perMillion, total, type Breakdown, type PathCounts } from './model';
import type { Prices } from './prices';

/** Tables of `npm run cost` (pure). */

export interface PathCost {
  path: string;
  source: PathCounts['source'];
  standard: Breakdown;
  express: Breakdown;
  expressWithHistory: Breakdown;
}

export function pathCosts(paths: PathCounts[], prices: Prices): PathCost[] {
  return paths.map((counts) => ({
    path: counts.path,
    source: counts.source,
    standard: perMillion(costPerOrder(counts, prices, { workflow: 'STANDARD' })),
    express: perMillion(costPerOrder(counts, prices, { workflow: 'EXPRESS' })),
    expressWithHistory: perMillion(costPerOrder(counts, prices, { workflow: 'EXPRESS', expressHistoryLogs: true })),
  }));
}

export const usd = (value: number) => (value >= 100 ? `$${value.toFixed(0)}` : value >= 1 ? `$${value.toFixed(2)}` : `$${value.toFixed(3)}`);

function table(header: string[], rows: string[][], rightFrom = 1): string {
  const rule = header.map((_, i) => (i >= rightFrom ? '---:' : '---'));
  return [header, rule, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** One row per path: what an order consumed, and its cost per million orders for each workflow type. */
export function pathTable(paths: PathCounts[], costs: PathCost[]): string {
  const rows = paths.map((p, i) => {
    const c = costs[i]!;
    const invocations = p.invocations.reduce((sum, inv) => sum + inv.count, 0);
    return [
      `${p.path}${p.source === 'derived' ? ' (derived)' : ''}`,
      String(p.stateTransitions),
      String(invocations),
      String(p.snsPublishes),
      p.sqsRequests.toFixed(0),
      `${fmt(p.dynamodb.wru)} / ${fmt(p.dynamodb.rru)}`,
      String(p.emails),
      `${(p.executionDurationMs / 1000).toFixed(2)} s`,
      usd(total(c.standard)),
      usd(total(c.express)),
      usd(total(c.expressWithHistory)),
      total(c.express) > 0 ? `${(total(c.standard) / total(c.express)).toFixed(2)}×` : 'n/a',
    ];
  });
  return table(
    ['path', 'transitions', 'invocations', 'SNS publishes', 'SQS requests', 'DynamoDB WRU / RRU', 'e-mails', 'saga time (local)', 'STANDARD per 1M orders', 'EXPRESS per 1M', 'EXPRESS + history logs', 'STANDARD / EXPRESS'],
    rows,
  );
}

/** Services as rows, paths as columns, for one workflow type (USD per million orders). */
export function serviceTable(costs: PathCost[], pick: (c: PathCost) => Breakdown): string {
  const services = COST_SERVICES.filter((s) => costs.some((c) => pick(c)[s] > 0));
  const rows = services.map((service) => [service, ...costs.map((c) => usd(pick(c)[service]))]);
  rows.push(['**total**', ...costs.map((c) => `**${usd(total(pick(c)))}**`)]);
  return table(['service (USD per 1M orders)', ...costs.map((c) => c.path)], rows);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** The per-step DynamoDB request table, as the model uses it. */
export function operationsTable(steps: Record<string, Array<{ table: string; action: string; kind: string; why: string; transactional?: boolean; consistency?: string }>>): string {
  const rows: string[][] = [];
  for (const [step, ops] of Object.entries(steps)) {
    if (ops.length === 0) continue;
    rows.push([
      step,
      ops
        .map((op) => `${op.table} ${op.action}${op.kind === 'read' ? ` (${op.consistency ?? 'eventual'})` : op.transactional ? ' (tx, 2×)' : ''}`)
        .join('; '),
    ]);
  }
  return table(['step outcome', 'DynamoDB requests'], rows, 99);
}
