import { detailsOf, errorOf, type HistoryEvent, stateName, timeOf } from '../../core/events';
import { formatDuration } from '../../core/time';
import type { Style } from '../style';
import { clip, table } from '../table';

/** `history` without --json: one line per event, like the console's event table. */
export function renderHistory(events: readonly HistoryEvent[], style: Style, width = 120): string[] {
  const start = events.length > 0 ? timeOf(events[0]!) : 0;
  const rows = events.map((event) => {
    const { error, cause } = errorOf(event);
    const detail = error ? style.red(`${error}${cause ? `: ${cause}` : ''}`) : summaryOf(event);
    const type = event.type ?? '?';
    const coloured = /Failed|TimedOut|Aborted/u.test(type) ? style.red(type) : /Succeeded/u.test(type) ? style.green(type) : type;
    return [String(event.id ?? ''), `+${formatDuration(timeOf(event) - start)}`, coloured, stateName(event) ?? '', clip(detail, Math.max(30, width - 90))];
  });
  const lines = table(['ID', 'TIME', 'TYPE', 'STATE', 'DETAIL'], rows);
  lines[0] = style.dim(lines[0] ?? '');
  return lines;
}

function summaryOf(event: HistoryEvent): string {
  const details = detailsOf(event) ?? {};
  const pick = ['resource', 'index', 'length', 'redriveCount']
    .filter((k) => details[k] !== undefined)
    .map((k) => `${k}=${String(details[k])}`);
  return pick.join(' ');
}
