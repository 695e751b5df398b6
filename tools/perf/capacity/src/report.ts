import type { Increase, Row } from './model';

/** Tables of `npm run capacity` (pure). */

export function figure(value: number): string {
  if (!Number.isFinite(value)) return 'no limit';
  if (value < 0) return `-${figure(-value)}`;
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

const percent = (share: number | null) => (share === null ? '-' : `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`);

function table(header: string[], rows: string[][], rightFrom = 2): string {
  const rule = header.map((_, i) => (i >= rightFrom ? '---:' : '---'));
  return [header, rule, ...rows].map((row) => `| ${row.join(' | ')} |`).join('\n');
}

/** One row per quota: load at the rate, quota, headroom, share used, and the rate that reaches it. */
export function loadTable(rows: Row[], quotaNames: Record<string, { unit: string }>): string {
  return table(
    ['Service', 'Resource', 'Load', 'Quota', 'Headroom', 'Used', 'Reached at orders/s'],
    rows.map((row) => [
      row.service,
      `${row.resource}${row.path === 'deferred' ? ' (deferred)' : ''}${row.verified ? '' : ' (quota unverified)'}`,
      figure(row.load),
      row.quota === null ? 'no limit' : `${figure(row.quota)} ${quotaNames[row.quotaId]?.unit ?? ''}`.trim(),
      row.headroom === null ? '-' : figure(row.headroom),
      percent(row.used),
      figure(row.maxOrdersPerSecond),
    ]),
  );
}

/** The busiest partition key of each table and index, against a partition's capacity. */
export function hotKeyTable(rows: Row[]): string {
  return table(
    ['Table or index', 'Partition key (spread)', 'Busiest key', 'Of a partition', 'Reached at orders/s'],
    rows
      .filter((row) => row.hotKey)
      .map((row) => [
        row.resource.slice(0, row.resource.indexOf(':')),
        `${row.hotKey!.partitionKey} (${row.hotKey!.spread})`,
        `${figure(row.load)} ${row.quotaId === 'dynamodb.partitionWrite' ? 'WCU/s' : 'RCU/s'}`,
        percent(row.used),
        figure(row.maxOrdersPerSecond),
      ]),
  );
}

export function increasesTable(increases: Increase[], quotaNames: Record<string, { unit: string; name: string }>): string {
  return table(
    ['Quota', 'Default', 'Raise to', 'For'],
    increases.map(({ row, needed }) => [
      quotaNames[row.quotaId]?.name ?? row.quotaId,
      `${figure(row.quota!)} ${quotaNames[row.quotaId]?.unit ?? ''}`.trim(),
      needed === undefined ? 'cannot be raised: change the design' : figure(needed),
      row.resource,
    ]),
    1,
  );
}
