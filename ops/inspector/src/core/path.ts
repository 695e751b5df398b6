import type { EdgeKind, MachineGraph } from './definition';
import type { EntryStatus, Timeline, TimelineEntry } from './timeline';

/**
 * The path an execution took through its state machine: the outcome of each visited state and
 * the transitions between consecutive states. This is what colours the graph.
 */
export interface StateOutcome {
  /** Outcome of the latest visit (after a redrive, the redriven one). */
  status: EntryStatus;
  visits: number;
  /** Retries over all visits. */
  retries: number;
  compensation: boolean;
}

export interface Transition {
  from: string;
  to: string;
  /** Which definition edge was followed; undefined when the definition has none (e.g. a redrive restart). */
  kind?: EdgeKind;
  count: number;
}

export interface PathTaken {
  states: Record<string, StateOutcome>;
  transitions: Transition[];
}

export function pathTaken(timeline: Timeline, graph?: MachineGraph): PathTaken {
  const states: Record<string, StateOutcome> = {};
  for (const entry of timeline.entries) {
    const previous = states[entry.name];
    states[entry.name] = {
      status: entry.status,
      visits: (previous?.visits ?? 0) + 1,
      retries: (previous?.retries ?? 0) + entry.retries,
      compensation: entry.compensation,
    };
  }
  const edgeKinds = graph ? indexEdges(graph) : new Map<string, EdgeKind[]>();
  const transitions = new Map<string, Transition>();
  for (const [from, to] of consecutivePairs(timeline.entries)) {
    const kind = pickKind(edgeKinds.get(`${from.name}\u0000${to.name}`) ?? [], from);
    const key = `${from.name}\u0000${to.name}\u0000${kind ?? ''}`;
    const existing = transitions.get(key);
    if (existing) existing.count += 1;
    else transitions.set(key, { from: from.name, to: to.name, ...(kind && { kind }), count: 1 });
  }
  return { states, transitions: [...transitions.values()] };
}

/** Pairs of visits that followed each other in the same scope (run, enclosing state, branch, Map iteration). */
function consecutivePairs(entries: readonly TimelineEntry[]): Array<[TimelineEntry, TimelineEntry]> {
  const lastInScope = new Map<string, TimelineEntry>();
  const pairs: Array<[TimelineEntry, TimelineEntry]> = [];
  for (const entry of entries) {
    const scope = `${entry.run}/${entry.parent ?? ''}/${entry.branch ?? ''}/${entry.iteration ?? ''}`;
    const previous = lastInScope.get(scope);
    if (previous) pairs.push([previous, entry]);
    lastInScope.set(scope, entry);
  }
  return pairs;
}

function indexEdges(graph: MachineGraph): Map<string, EdgeKind[]> {
  const index = new Map<string, EdgeKind[]>();
  const walk = (machine: MachineGraph) => {
    for (const edge of machine.edges) {
      const key = `${edge.from}\u0000${edge.to}`;
      index.set(key, [...(index.get(key) ?? []), edge.kind]);
    }
    for (const state of machine.states) state.children.forEach(walk);
  };
  walk(graph);
  return index;
}

/** When two edges join the same states, a caught failure took the Catch one. */
function pickKind(kinds: EdgeKind[], from: TimelineEntry): EdgeKind | undefined {
  if (kinds.length <= 1) return kinds[0];
  if (from.status === 'caught' && kinds.includes('catch')) return 'catch';
  return kinds.find((kind) => kind !== 'catch') ?? kinds[0];
}
