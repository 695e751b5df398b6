import { randomUUID } from 'node:crypto';
import type { ScheduledEvent } from 'aws-lambda';
import type { Logger } from '../log';
import type { ScheduleSource } from '../provision/event-sources';
import type { FunctionInvoker } from './function-invoker';

/** EventBridge's Scheduled Event, as a rule with no Input sends it. */
export function scheduledEvent(source: ScheduleSource, region: string, accountId: string, now = new Date()): ScheduledEvent {
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: accountId,
    time: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region,
    resources: [source.ruleArn],
    detail: {},
  };
}

/**
 * Invokes scheduled functions (rate() rules) asynchronously on their rate, as EventBridge does;
 * the first run comes one period after the start, not at it.
 */
export class Scheduler {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly schedules: ScheduleSource[],
    private readonly invoke: FunctionInvoker,
    private readonly region: string,
    private readonly accountId: string,
    private readonly logger: Logger,
  ) {}

  start(): void {
    for (const schedule of this.schedules) {
      const timer = setInterval(() => void this.fire(schedule), schedule.everyMs);
      timer.unref();
      this.timers.push(timer);
    }
  }

  async fire(schedule: ScheduleSource): Promise<void> {
    const event = schedule.input !== undefined ? JSON.parse(schedule.input) : scheduledEvent(schedule, this.region, this.accountId);
    try {
      await this.invoke(schedule.target.functionName, event, { async: true, timeoutMs: 10_000 });
      this.logger.debug(`schedule ${schedule.expression} invoked ${schedule.target.functionName}`);
    } catch (error) {
      this.logger.warn(`schedule ${schedule.expression} could not invoke ${schedule.target.functionName}: ${(error as Error).message}`);
    }
  }

  stop(): void {
    for (const timer of this.timers.splice(0)) clearInterval(timer);
  }
}
