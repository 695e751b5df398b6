import { durationOf, type ExecutionRecord } from '../../core/execution';
import { formatDuration } from '../../core/time';
import type { ExecutionPage } from '../../app/list';
import { executionStatus, type Style } from '../style';
import { shortTime, table } from '../table';

export function renderList(page: ExecutionPage, style: Style, now = Date.now()): string[] {
  if (page.items.length === 0) return [style.dim('No executions match.')];
  const rows = page.items.map((e: ExecutionRecord) => [
    executionStatus(style, e.status),
    style.bold(e.name),
    shortTime(e.startDate),
    formatDuration(durationOf(e, now)) + (e.stopDate ? '' : style.dim(' (running)')),
    e.redriveCount ? String(e.redriveCount) : '',
  ]);
  const lines = table(['STATUS', 'ORDER', 'STARTED (UTC)', 'DURATION', 'REDRIVES'], rows);
  lines[0] = style.dim(lines[0] ?? '');
  if (page.nextCursor) lines.push('', style.dim(`More: add --cursor ${page.nextCursor}`));
  return lines;
}
