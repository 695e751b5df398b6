import type { HistoryEvent } from '@aws-sdk/client-sfn';

/** Every history event of an execution (all pages): the saga inspector's pager. */
export { executionHistory } from '../../../../ops/inspector/src/adapters/step-functions';

/** The states an execution entered, in order (its path through the saga, compensations included). */
export function statesEntered(events: HistoryEvent[]): string[] {
  return events.filter((event) => event.type?.endsWith('StateEntered')).map((event) => event.stateEnteredEventDetails?.name ?? '?');
}

/** How the execution ended, from its last event. */
export function executionOutcome(events: HistoryEvent[]): string {
  const last = events[events.length - 1];
  return last?.type ?? 'NoEvents';
}
