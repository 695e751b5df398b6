import { causeMessage } from '../../core/events';
import { jsonDelta } from '../../core/json-delta';
import { formatDuration } from '../../core/time';
import type { TimelineEntry } from '../../core/timeline';
import type { ExecutionDetails } from '../../app/inspector';
import type { OrderLookup } from '../../adapters/order-api';
import { entryStatus, executionStatus, type Style } from '../style';
import { clip, shortTime, table } from '../table';

export interface ShowOptions {
  /** Print whole inputs and outputs instead of one clipped line each. */
  full?: boolean;
  /** Terminal width, for clipping. */
  width?: number;
}

/** `show`: the summary, the order record, then the timeline with inputs and outputs. */
export function renderShow(details: ExecutionDetails, style: Style, options: ShowOptions = {}): string[] {
  const { summary } = details;
  const label = (text: string) => style.dim(text.padEnd(15));
  const lines = [
    `${style.bold(`Execution ${summary.name}`)}  ${executionStatus(style, summary.status)}${summary.compensated ? style.yellow('  (compensated)') : ''}`,
    `${label('ARN')}${summary.executionArn}`,
    `${label('Started')}${shortTime(summary.startedAt)}${summary.stoppedAt ? `  ${style.dim('stopped')} ${shortTime(summary.stoppedAt)}` : ''}`,
    `${label('Duration')}${formatDuration(summary.durationMs)} · ${summary.transitions} transitions · ${summary.retries} retries · redriven ${summary.redriveCount}×`,
  ];
  if (summary.error || summary.cause) {
    lines.push(`${label('Error')}${style.red(summary.error ?? '')}${summary.cause ? `: ${causeMessage(summary.cause)}` : ''}`);
  }
  if (summary.failedState) lines.push(`${label('Failed in')}${style.red(summary.failedState)}`);
  if (summary.trigger) {
    const { state, error, cause } = summary.trigger;
    lines.push(`${label('Triggered by')}${style.yellow(state)} ${error ?? ''}${cause ? `: ${causeMessage(cause)}` : ''}`);
  }
  if (summary.compensated) lines.push(`${label('Compensations')}${summary.compensations.map((c) => style.yellow(`↺ ${c}`)).join(' → ')}`);
  lines.push(...renderOrder(details.order, style, label));
  lines.push('', style.bold('Timeline'), ...renderTimeline(details.timeline, style, options));
  return lines;
}

function renderOrder(order: OrderLookup | undefined, style: Style, label: (t: string) => string): string[] {
  if (!order) return [`${label('Order')}${style.dim('no order API configured (--order-api)')}`];
  if (order.state === 'missing') return [`${label('Order')}${style.yellow('not found in the order API')}`];
  if (order.state === 'unavailable') return [`${label('Order')}${style.dim(`unavailable: ${order.reason}`)}`];
  const { status, failureReason, ...rest } = order.record;
  const head = `${label('Order')}${style.bold(String(status ?? '?'))}${failureReason ? `  ${style.red(String(failureReason))}` : ''}`;
  return [head, `${label('')}${style.dim(clip(JSON.stringify(rest), 110))}`];
}

export function renderTimeline(entries: readonly TimelineEntry[], style: Style, options: ShowOptions = {}): string[] {
  const width = options.width ?? 120;
  const out: string[] = [];
  let run = 0;
  const rows = entries.map((e, i) => {
    const indent = '  '.repeat(e.depth);
    const where = e.iteration !== undefined ? style.dim(` [${e.iteration}]`) : '';
    const name = `${indent}${e.compensation ? style.yellow(`↺ ${e.name}`) : e.name}${where}`;
    return [
      String(i + 1),
      name,
      e.type,
      `+${formatDuration(e.offsetMs)}`,
      formatDuration(e.durationMs),
      e.retries > 0 ? style.yellow(`${e.retries}`) : '0',
      entryStatus(style, e.status),
    ];
  });
  const lines = table(['#', 'STATE', 'TYPE', 'START', 'DURATION', 'RETRIES', 'STATUS'], rows);
  out.push(style.dim(lines[0] ?? ''));
  entries.forEach((entry, i) => {
    if (entry.run !== run) {
      run = entry.run;
      out.push(style.cyan(`── redrive ${run} ──`));
    }
    out.push(lines[i + 1] ?? '');
    const field = (name: string, colour: (t: string) => string = style.dim) => `     ${colour(name.padEnd(8))}`;
    const body = (text: string) => (options.full ? text : clip(text, Math.max(40, width - 14)));
    const because = `${entry.error}${entry.cause ? `: ${causeMessage(entry.cause)}` : ''}`;
    if (entry.error && entry.status !== 'succeeded') out.push(`${field('error', style.red)}${because}`);
    else if (entry.retries > 0 && entry.error) out.push(`${field('retried', style.yellow)}after ${because}`);
    if (entry.input !== undefined) out.push(`${field('in')}${body(pretty(entry.input, options.full))}`);
    if (entry.output === undefined) return;
    // Clipped output: only what the state added or changed (ResultPath keeps the rest as it was).
    const delta = options.full ? undefined : jsonDelta(entry.input, entry.output);
    if (delta && Object.keys(delta).length > 0) out.push(`${field('out +')}${body(JSON.stringify(delta))}`);
    else if (delta) out.push(`${field('out')}${style.dim('(unchanged)')}`);
    else out.push(`${field('out')}${body(pretty(entry.output, options.full))}`);
  });
  return out;
}

function pretty(json: string, full?: boolean): string {
  if (!full) return json;
  try {
    return `\n${JSON.stringify(JSON.parse(json), null, 2)}`.replace(/\n/gu, '\n       ');
  } catch {
    return json;
  }
}
