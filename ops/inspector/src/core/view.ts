import type { CompensationRule } from './compensation';
import { parseDefinition, placementsOf } from './definition';
import type { HistoryEvent } from './events';
import type { ExecutionRecord } from './execution';
import { type GraphLayout, layoutGraph } from './layout';
import { type PathTaken, pathTaken } from './path';
import { type ExecutionSummary, summarize } from './summary';
import { buildTimeline, type TimelineEntry } from './timeline';

/** Everything `show` and the execution page display, derived from one describe + history + definition. */
export interface ExecutionView {
  execution: ExecutionRecord;
  summary: ExecutionSummary;
  timeline: TimelineEntry[];
  path: PathTaken;
  graph: GraphLayout;
}

export interface ViewSource {
  record: ExecutionRecord;
  history: readonly HistoryEvent[];
  /** The definition the execution ran with (DescribeStateMachineForExecution). */
  definition: string;
  isCompensation: CompensationRule;
  now?: number;
}

export function buildExecutionView(source: ViewSource): ExecutionView {
  const graph = parseDefinition(source.definition);
  const timeline = buildTimeline(source.history, { isCompensation: source.isCompensation, placements: placementsOf(graph) });
  return {
    execution: source.record,
    summary: summarize(source.record, timeline, source.now),
    timeline: timeline.entries,
    path: pathTaken(timeline, graph),
    graph: layoutGraph(graph, source.isCompensation),
  };
}
