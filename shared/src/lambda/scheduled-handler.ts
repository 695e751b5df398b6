import type { Context, ScheduledEvent } from 'aws-lambda';
import type { Observability } from '../observability';
import { observed } from './observed';

/**
 * A function run by a schedule (EventBridge). A thrown error fails the run, so the Errors metric
 * and its alarm see it; the next run starts afresh.
 */
export function scheduledHandler<R>(observability: Observability, handler: (event: ScheduledEvent, context: Context) => Promise<R>) {
  return observed<ScheduledEvent, R>(observability).handler(handler);
}
