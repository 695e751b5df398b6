import type { ExecutionStatus } from './execution';
import type { EntryStatus, TimelineEntry } from './timeline';

/**
 * Two runs of the saga side by side, state by state: the original and its replay. A state
 * diverges when one run entered it and the other did not, or both did and it ended differently
 * (outcome or error name). Causes, retries and durations are shown, not compared: causes name the
 * order, retries and timings vary between any two runs.
 */
export interface RunOfState {
  entered: boolean;
  /** Outcome of the last visit. */
  status?: EntryStatus;
  visits: number;
  retries: number;
  error?: string;
  cause?: string;
  /** Summed over the visits. */
  durationMs?: number;
}

export interface StateComparison {
  name: string;
  compensation: boolean;
  original: RunOfState;
  replay: RunOfState;
  same: boolean;
  /** The first state where the runs part. */
  firstDivergence: boolean;
}

export interface RunSide {
  name: string;
  executionArn: string;
  status: ExecutionStatus;
  durationMs: number;
  error?: string;
  /** The last state entered (where the run ended). */
  endState?: string;
}

export interface Comparison {
  original: RunSide;
  replay: RunSide;
  states: StateComparison[];
  /** The state where the runs part, or null when they went the same way. */
  divergence: { state: string; original: string; replay: string } | null;
}

export interface ComparedRun {
  side: Omit<RunSide, 'endState'>;
  entries: readonly TimelineEntry[];
}

export function compareRuns(original: ComparedRun, replay: ComparedRun): Comparison {
  const originalRuns = byState(original.entries);
  const replayRuns = byState(replay.entries);
  const names = mergeOrder(firstSeen(original.entries), firstSeen(replay.entries));
  let divergence: Comparison['divergence'] = null;
  const states = names.map((name): StateComparison => {
    const a = originalRuns.get(name) ?? notEntered();
    const b = replayRuns.get(name) ?? notEntered();
    const same = a.entered === b.entered && a.status === b.status && a.error === b.error;
    const first = !same && divergence === null;
    if (first) divergence = { state: name, original: describeRun(a), replay: describeRun(b) };
    const compensation = [...original.entries, ...replay.entries].some((e) => e.name === name && e.compensation);
    return { name, compensation, original: a, replay: b, same, firstDivergence: first };
  });
  return {
    original: { ...original.side, ...endState(original.entries) },
    replay: { ...replay.side, ...endState(replay.entries) },
    states,
    divergence,
  };
}

/** How one run ended in a state, in a few words: `not entered`, `succeeded`, `caught OutOfStock`. */
export function describeRun(run: RunOfState): string {
  if (!run.entered) return 'not entered';
  return [run.status, run.error].filter(Boolean).join(' ');
}

/** Did the replay end as `expected`: an execution status, or the name of the state it ended in? */
export function endedAs(run: RunSide, expected: string): boolean {
  const upper = expected.toUpperCase();
  if (['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'].includes(upper)) return run.status === upper;
  return run.endState === expected;
}

const notEntered = (): RunOfState => ({ entered: false, visits: 0, retries: 0 });

function byState(entries: readonly TimelineEntry[]): Map<string, RunOfState> {
  const runs = new Map<string, RunOfState>();
  for (const entry of entries) {
    const run = runs.get(entry.name) ?? { entered: true, visits: 0, retries: 0 };
    run.visits += 1;
    run.retries += entry.retries;
    run.status = entry.status;
    if (entry.error !== undefined) run.error = entry.error;
    else delete run.error;
    if (entry.cause !== undefined) run.cause = entry.cause;
    else delete run.cause;
    if (entry.durationMs !== undefined) run.durationMs = (run.durationMs ?? 0) + entry.durationMs;
    runs.set(entry.name, run);
  }
  return runs;
}

function firstSeen(entries: readonly TimelineEntry[]): string[] {
  return [...new Set(entries.map((e) => e.name))];
}

/** The original's states in order, each state only the replay entered placed after its predecessor there. */
function mergeOrder(original: string[], replay: string[]): string[] {
  const merged = [...original];
  replay.forEach((name, index) => {
    if (merged.includes(name)) return;
    const before = index === 0 ? -1 : merged.indexOf(replay[index - 1]!);
    merged.splice(before + 1, 0, name);
  });
  return merged;
}

function endState(entries: readonly TimelineEntry[]): { endState?: string } {
  const last = [...entries].reverse().find((e) => e.depth === 0);
  return last ? { endState: last.name } : {};
}
