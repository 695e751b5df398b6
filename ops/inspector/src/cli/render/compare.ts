import { causeMessage } from '../../core/events';
import { type Comparison, describeRun, type RunOfState } from '../../core/compare';
import { formatDuration } from '../../core/time';
import type { StartedReplay } from '../../app/replay';
import { executionStatus, type Style } from '../style';
import { clip, table } from '../table';

/** `replay`: what was seeded and changed, then the two runs side by side, the first divergence marked. */
export function renderReplay(started: StartedReplay, comparison: Comparison | undefined, style: Style, width = 120): string[] {
  const lines = [
    `${style.bold('Replay')} ${started.replay.name} of ${started.original.name} (${started.original.status}) on the local stack, ${started.replay.definition === 'original' ? 'the recorded definition' : "today's definition"}`,
    ...(started.original.masked.length > 0 ? [style.dim(`masked in the source: ${started.original.masked.join(', ')}`)] : []),
    ...started.notes.map((note) => `  ${style.dim('·')} ${note}`),
    ...started.seeding.map((s) => `  ${style.dim('seed')} ${s.what} ${s.key}: ${s.outcome === 'exists' || s.outcome === 'off' ? style.dim(s.outcome) : style.green(s.outcome)} ${style.dim(s.detail)}`),
  ];
  if (comparison) lines.push('', ...renderComparison(comparison, style, width));
  return lines;
}

export function renderComparison(comparison: Comparison, style: Style, width = 120): string[] {
  const { original, replay } = comparison;
  const head = (side: typeof original) => `${side.name}  ${executionStatus(style, side.status)}  ${formatDuration(side.durationMs)}${side.endState ? ` in ${side.endState}` : ''}`;
  const column = Math.max(24, Math.floor((width - 26) / 2));
  const cell = (run: RunOfState) => {
    if (!run.entered) return style.dim('not entered');
    const parts = [describeRun(run), run.retries > 0 ? `↻${run.retries}` : '', formatDuration(run.durationMs)].filter(Boolean).join(' · ');
    const text = run.cause ? `${parts} · ${causeMessage(run.cause)}` : parts;
    const coloured = run.status === 'failed' ? style.red : run.status === 'caught' ? style.yellow : (t: string) => t;
    return coloured(clip(text, column));
  };
  const rows = comparison.states.map((state) => [
    state.firstDivergence ? style.bold(style.magenta('▶')) : state.same ? ' ' : style.dim('≠'),
    `${state.compensation ? '↺ ' : ''}${state.name}`,
    cell(state.original),
    cell(state.replay),
  ]);
  const lines = [`${style.dim('original')} ${head(original)}`, `${style.dim('replay  ')} ${head(replay)}`, ''];
  const tableLines = table(['', 'STATE', 'ORIGINAL', 'REPLAY'], rows);
  tableLines[0] = style.dim(tableLines[0] ?? '');
  lines.push(...tableLines, '');
  const divergence = comparison.divergence;
  lines.push(
    divergence
      ? `${style.magenta('▶ first divergence')}: ${style.bold(divergence.state)}: original ${divergence.original}, replay ${divergence.replay}`
      : style.green('no divergence: the replay went the same way, state by state'),
  );
  return lines;
}
