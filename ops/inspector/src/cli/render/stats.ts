import type { DurationStats, SagaStats } from '../../core/stats';
import { formatDuration } from '../../core/time';
import { executionStatus, type Style } from '../style';
import { shortTime, table } from '../table';

export function renderStats(stats: SagaStats, style: Style): string[] {
  const lines = [
    `${style.bold('Executions')} ${stats.total}  ${style.dim(`started ${shortTime(stats.since)} … ${shortTime(stats.until)}`)}`,
  ];
  const counts = Object.entries(stats.byStatus).filter(([, n]) => n > 0);
  if (counts.length > 0) lines.push(counts.map(([status, n]) => `${executionStatus(style, status)} ${n}`).join('   '));
  lines.push('', style.bold('Failure reasons'));
  if (stats.failureReasons.length === 0) lines.push(style.dim('  none'));
  else lines.push(...table(['REASON', 'COUNT'], stats.failureReasons.map((r) => [style.red(r.reason), String(r.count)])).map((l) => `  ${l}`));
  lines.push('', style.bold('Duration of finished executions'));
  const rows: string[][] = [durationRow('all', stats.durationMs)];
  for (const [status, d] of Object.entries(stats.durationByStatus)) if (d) rows.push(durationRow(status, d));
  lines.push(...table(['', 'N', 'P50', 'P90', 'P99', 'MAX'], rows).map((l) => `  ${l}`));
  return lines;
}

function durationRow(label: string, d: DurationStats): string[] {
  return [label, String(d.count), formatDuration(d.p50), formatDuration(d.p90), formatDuration(d.p99), formatDuration(d.max)];
}
