import type { HistoryEvent } from '@aws-sdk/client-sfn';

/**
 * Reading Step Functions history events without caring which of the forty detail fields a type
 * uses. Everything here is pure: events come from GetExecutionHistory or a recorded JSON file.
 */
export type { HistoryEvent };

export type Json = Record<string, unknown>;

export interface ErrorInfo {
  error?: string | undefined;
  cause?: string | undefined;
}

const STATE_KINDS = ['Task', 'Choice', 'Fail', 'Succeed', 'Pass', 'Wait', 'Parallel', 'Map'] as const;
export type StateKind = (typeof STATE_KINDS)[number];

const ENTERED = new RegExp(`^(${STATE_KINDS.join('|')})StateEntered$`, 'u');
const EXITED = new RegExp(`^(${STATE_KINDS.join('|')})StateExited$`, 'u');
const ABORTED = /^(Task|Wait|Parallel|Map)StateAborted$/u;

/** `TaskStateEntered` -> `Task`; undefined for every other type. */
export function enteredKind(event: HistoryEvent): StateKind | undefined {
  return ENTERED.exec(event.type ?? '')?.[1] as StateKind | undefined;
}

export const isStateEntered = (event: HistoryEvent) => enteredKind(event) !== undefined;
export const isStateExited = (event: HistoryEvent) => EXITED.test(event.type ?? '');
export const isStateAborted = (event: HistoryEvent) => ABORTED.test(event.type ?? '');

/** One attempt of the work inside a Task: Lambda function, service integration or activity. */
export const isAttemptStart = (event: HistoryEvent) =>
  ['LambdaFunctionScheduled', 'TaskScheduled', 'ActivityScheduled'].includes(event.type ?? '');

/** The outcome of an attempt that failed (retried, caught, or fatal). */
export const isAttemptFailure = (event: HistoryEvent) =>
  /^(LambdaFunction|Task|Activity)(Failed|TimedOut|ScheduleFailed|StartFailed|SubmitFailed)$/u.test(event.type ?? '') ||
  /^(Parallel|Map)StateFailed$/u.test(event.type ?? '') ||
  event.type === 'EvaluationFailed';

export const isAttemptSuccess = (event: HistoryEvent) =>
  /^(LambdaFunction|Task|Activity)Succeeded$/u.test(event.type ?? '');

export const isExecutionEnd = (event: HistoryEvent) =>
  ['ExecutionSucceeded', 'ExecutionFailed', 'ExecutionAborted', 'ExecutionTimedOut'].includes(event.type ?? '');

/** The `...EventDetails` object of an event, whichever field holds it. */
export function detailsOf(event: HistoryEvent): Json | undefined {
  for (const [key, value] of Object.entries(event)) {
    if (key.endsWith('EventDetails') && value && typeof value === 'object') return value as Json;
  }
  return undefined;
}

export const stateName = (event: HistoryEvent): string | undefined =>
  event.stateEnteredEventDetails?.name ?? event.stateExitedEventDetails?.name;

export function errorOf(event: HistoryEvent): ErrorInfo {
  const details = detailsOf(event);
  const error = typeof details?.['error'] === 'string' ? details['error'] : undefined;
  const cause = typeof details?.['cause'] === 'string' ? details['cause'] : undefined;
  return { error, cause };
}

/** The payload an event carries, as text: state input/output, Lambda input/output, execution input/output. */
export function payloadOf(event: HistoryEvent): { input?: string; output?: string } {
  const details = detailsOf(event);
  const text = (key: string) => (typeof details?.[key] === 'string' ? (details[key] as string) : undefined);
  const input = text('input') ?? text('parameters');
  const output = text('output');
  return { ...(input !== undefined && { input }), ...(output !== undefined && { output }) };
}

export const timeOf = (event: HistoryEvent): number => toMillis(event.timestamp);

export function toMillis(value: Date | string | number | undefined): number {
  if (value === undefined) return Number.NaN;
  return value instanceof Date ? value.getTime() : new Date(value).getTime();
}

/** History read back from JSON (`history --json`, test fixtures) has ISO strings for timestamps. */
export function reviveHistory(raw: unknown): HistoryEvent[] {
  const list = Array.isArray(raw) ? raw : Array.isArray((raw as Json | null)?.['events']) ? ((raw as Json)['events'] as unknown[]) : [];
  return list.map((event) => {
    const copy = { ...(event as Json) };
    if (copy['timestamp'] !== undefined) copy['timestamp'] = new Date(copy['timestamp'] as string);
    return copy as unknown as HistoryEvent;
  });
}

/**
 * A Lambda failure's cause is the function's error object as JSON ({errorType, errorMessage,
 * trace}); people want the message. Anything else is returned as it is.
 */
export function causeMessage(cause: string | undefined): string | undefined {
  if (cause === undefined) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : cause;
  } catch {
    return cause;
  }
}
