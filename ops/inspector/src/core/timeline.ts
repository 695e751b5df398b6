import type { CompensationRule } from './compensation';
import type { Placement } from './definition';
import {
  type ErrorInfo,
  type HistoryEvent,
  type StateKind,
  enteredKind,
  errorOf,
  isAttemptFailure,
  isAttemptStart,
  isAttemptSuccess,
  isExecutionEnd,
  isStateAborted,
  isStateExited,
  payloadOf,
  stateName,
  timeOf,
} from './events';

/**
 * A history turned into one row per state visit: when it ran, how long, how many attempts, what
 * went in and out, and how it ended. A state entered twice (a Map iteration, a loop, a redrive)
 * gets two rows.
 */
export type EntryStatus = 'running' | 'succeeded' | 'caught' | 'failed' | 'aborted' | 'timedOut';

export interface TimelineEntry {
  /** Id of the StateEntered event: unique, and the order the states started in. */
  id: number;
  name: string;
  type: StateKind;
  /** The Parallel or Map state this visit ran inside. */
  parent?: string;
  /** Branch index, for states inside a Parallel. */
  branch?: number;
  /** Map iteration index, for states inside a Map. */
  iteration?: number;
  depth: number;
  /** 0 for the first run; n for the run after the nth redrive. */
  run: number;
  compensation: boolean;
  status: EntryStatus;
  startedAt: string;
  /** Milliseconds from the start of the execution. */
  offsetMs: number;
  endedAt?: string;
  durationMs?: number;
  attempts: number;
  retries: number;
  input?: string;
  output?: string;
  /** The failure that decided the status (caught, failed), or the last retried one. */
  error?: string;
  cause?: string;
  /** Every failed attempt, in order: retried ones included. */
  failures: ErrorInfo[];
  /** Ids of the events that belong to this visit. */
  eventIds: number[];
}

export interface Timeline {
  startedAt?: string;
  endedAt?: string;
  entries: TimelineEntry[];
  /** Number of redrives seen in the history. */
  redrives: number;
}

export interface TimelineOptions {
  isCompensation?: CompensationRule;
  /** State -> enclosing Parallel/Map state and branch, from the definition. */
  placements?: Map<string, Placement>;
}

interface Draft extends TimelineEntry {
  closed: boolean;
  parentDraft?: Draft;
  pendingFailure?: ErrorInfo;
}

const END_STATUS: Record<string, EntryStatus> = {
  ExecutionFailed: 'failed',
  ExecutionAborted: 'aborted',
  ExecutionTimedOut: 'timedOut',
  ExecutionSucceeded: 'succeeded',
};

export function buildTimeline(history: readonly HistoryEvent[], options: TimelineOptions = {}): Timeline {
  const builder = new TimelineBuilder(options);
  for (const event of [...history].sort((a, b) => (a.id ?? 0) - (b.id ?? 0))) builder.add(event);
  return builder.timeline();
}

/** Reads a history in event order into visits (drafts), one per state entered. */
class TimelineBuilder {
  private readonly isCompensation: CompensationRule;
  private readonly byId = new Map<number, HistoryEvent>();
  private readonly ownerOf = new Map<number, Draft>();
  private readonly drafts: Draft[] = [];
  private run = 0;
  private redrives = 0;
  private startMs = Number.NaN;
  private endMs: number | undefined;

  constructor(private readonly options: TimelineOptions) {
    this.isCompensation = options.isCompensation ?? (() => false);
  }

  add(event: HistoryEvent): void {
    if (event.id !== undefined) this.byId.set(event.id, event);
    const kind = enteredKind(event);
    if (event.type === 'ExecutionStarted') {
      this.startMs = timeOf(event);
      this.endMs = undefined;
    } else if (event.type === 'ExecutionRedriven') {
      this.redrives += 1;
      this.run = event.executionRedrivenEventDetails?.redriveCount ?? this.run + 1;
      this.endMs = undefined;
    } else if (kind) {
      const draft = this.enter(event, kind);
      this.drafts.push(draft);
      if (event.id !== undefined) this.ownerOf.set(event.id, draft);
    } else if (isExecutionEnd(event)) {
      this.end(event);
    } else {
      const owner = this.findOwner(event);
      if (!owner) return;
      if (event.id !== undefined) this.ownerOf.set(event.id, owner);
      owner.eventIds.push(event.id ?? 0);
      this.apply(owner, event);
    }
  }

  timeline(): Timeline {
    const entries = this.drafts.map(publicEntry);
    const timeline: Timeline = { entries, redrives: this.redrives };
    if (!Number.isNaN(this.startMs)) timeline.startedAt = new Date(this.startMs).toISOString();
    if (this.endMs !== undefined) timeline.endedAt = new Date(this.endMs).toISOString();
    return timeline;
  }

  private openDrafts(): Draft[] {
    return this.drafts.filter((d) => !d.closed);
  }

  private close(draft: Draft, event: HistoryEvent, status: EntryStatus): void {
    draft.closed = true;
    draft.status = status;
    const ended = timeOf(event);
    draft.endedAt = new Date(ended).toISOString();
    draft.durationMs = Math.max(0, ended - Date.parse(draft.startedAt));
  }

  /** The execution ended: open states of a failed execution are where it failed; a succeeded one leaves none open. */
  private end(event: HistoryEvent): void {
    this.endMs = timeOf(event);
    const status = END_STATUS[event.type ?? ''] ?? 'failed';
    const failure = errorOf(event);
    for (const draft of this.openDrafts()) {
      if (draft.type === 'Fail' || (status === 'failed' && !draft.error)) Object.assign(draft, definedOnly(failure));
      this.close(draft, event, status === 'succeeded' ? 'succeeded' : status);
    }
  }

  private enter(event: HistoryEvent, kind: StateKind): Draft {
    const name = stateName(event) ?? '?';
    const { parent, iteration } = this.placeOf(event, name);
    const started = timeOf(event);
    const draft: Draft = {
      id: event.id ?? this.drafts.length + 1,
      name,
      type: kind,
      depth: parent ? parent.depth + 1 : 0,
      run: this.run,
      compensation: this.isCompensation(name),
      status: 'running',
      startedAt: new Date(started).toISOString(),
      offsetMs: Number.isNaN(this.startMs) ? 0 : Math.max(0, started - this.startMs),
      attempts: 0,
      retries: 0,
      failures: [],
      eventIds: [event.id ?? 0],
      closed: false,
      ...payloadOf(event),
    };
    if (parent) {
      draft.parent = parent.name;
      draft.parentDraft = parent;
    }
    if (iteration !== undefined) draft.iteration = iteration;
    const branch = this.options.placements?.get(name)?.branch;
    if (parent?.type === 'Parallel' && branch !== undefined) draft.branch = branch;
    // A Fail state has no exit event: the execution ends on it.
    if (kind === 'Fail') draft.status = 'failed';
    return draft;
  }

  /** The enclosing Parallel/Map visit and the Map iteration, from the event chain or the definition. */
  private placeOf(event: HistoryEvent, name: string): { parent?: Draft; iteration?: number } {
    const previous = event.previousEventId !== undefined ? this.byId.get(event.previousEventId) : undefined;
    const previousOwner = event.previousEventId !== undefined ? this.ownerOf.get(event.previousEventId) : undefined;
    if (previous?.type === 'MapIterationStarted' && previousOwner) {
      const index = previous.mapIterationStartedEventDetails?.index;
      return { parent: previousOwner, ...(index !== undefined && { iteration: index }) };
    }
    if (previous?.type === 'ParallelStateStarted' && previousOwner) return { parent: previousOwner };
    if (previousOwner && previous && isStateExited(previous) && previousOwner.parentDraft && !previousOwner.parentDraft.closed) {
      return { parent: previousOwner.parentDraft, ...(previousOwner.iteration !== undefined && { iteration: previousOwner.iteration }) };
    }
    const parentName = this.options.placements?.get(name)?.parent;
    const parent = parentName ? this.openDrafts().reverse().find((d) => d.name === parentName) : undefined;
    return parent ? { parent } : {};
  }

  /** The visit an inner event belongs to: follow previousEventId, else the innermost open visit. */
  private findOwner(event: HistoryEvent): Draft | undefined {
    let owner = event.previousEventId !== undefined ? this.ownerOf.get(event.previousEventId) : undefined;
    // The previous event may belong to a finished child (e.g. ParallelStateSucceeded after a branch's last exit).
    while (owner?.closed && owner.parentDraft) owner = owner.parentDraft;
    if (owner?.closed) owner = undefined;
    const name = stateName(event);
    if (name !== undefined && owner?.name !== name) owner = this.openDrafts().reverse().find((d) => d.name === name);
    if (event.type === 'MapIterationStarted') {
      const mapName = event.mapIterationStartedEventDetails?.name;
      if (mapName && owner?.name !== mapName) owner = this.openDrafts().reverse().find((d) => d.name === mapName) ?? owner;
    }
    return owner ?? this.openDrafts().at(-1);
  }

  private apply(draft: Draft, event: HistoryEvent): void {
    if (isAttemptStart(event)) {
      draft.attempts += 1;
      draft.retries = Math.max(0, draft.attempts - 1);
    } else if (isAttemptFailure(event)) {
      const failure = definedOnly(errorOf(event));
      draft.failures.push(failure);
      draft.pendingFailure = failure;
      Object.assign(draft, failure);
    } else if (isAttemptSuccess(event)) {
      draft.pendingFailure = undefined;
    } else if (isStateExited(event)) {
      const { output } = payloadOf(event);
      if (output !== undefined) draft.output = output;
      this.close(draft, event, draft.pendingFailure ? 'caught' : 'succeeded');
    } else if (isStateAborted(event)) {
      this.close(draft, event, 'aborted');
    }
  }
}

function definedOnly(info: ErrorInfo): ErrorInfo {
  return { ...(info.error !== undefined && { error: info.error }), ...(info.cause !== undefined && { cause: info.cause }) };
}

function publicEntry(draft: Draft): TimelineEntry {
  const { closed: _closed, parentDraft: _parent, pendingFailure: _pending, ...entry } = draft;
  if (entry.status === 'succeeded' && entry.failures.length === 0) {
    delete entry.error;
    delete entry.cause;
  }
  return entry;
}
