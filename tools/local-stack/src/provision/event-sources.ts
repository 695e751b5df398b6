import type { CfnTemplate } from './template';
import { nameFromArn, queueUrl, type ArnContext } from './physical-ids';

/** The function an event source delivers to, and how long one call may take. */
export interface FunctionTarget {
  functionName: string;
  timeoutSeconds: number;
}

export interface SqsEventSource {
  kind: 'sqs';
  /** `<stack>/<logical id>` of the AWS::Lambda::EventSourceMapping. */
  id: string;
  target: FunctionTarget;
  queueArn: string;
  queueUrl: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  /** ScalingConfig.MaximumConcurrency, if set: concurrent batches in flight. */
  maximumConcurrency?: number;
}

export interface StreamEventSource {
  kind: 'dynamodb-stream';
  id: string;
  target: FunctionTarget;
  /** The stream ARN the events carry (the stack's region and account, DynamoDB Local's label). */
  streamArn: string;
  tableName: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  startingPosition: 'LATEST' | 'TRIM_HORIZON';
  /** -1: retry until the record expires. */
  maximumRetryAttempts: number;
  /** -1: no age limit. */
  maximumRecordAgeSeconds: number;
  bisectBatchOnFunctionError: boolean;
  reportBatchItemFailures: boolean;
  /** SQS queue or SNS topic ARN for discarded batches. */
  onFailureDestination?: string;
}

export type EventSource = SqsEventSource | StreamEventSource;

export interface ScheduleSource {
  kind: 'schedule';
  id: string;
  target: FunctionTarget;
  ruleArn: string;
  expression: string;
  everyMs: number;
  /** The target's constant Input (JSON text), else the Scheduled Event is sent. */
  input?: string;
}

export interface UnsupportedSource {
  id: string;
  reason: string;
}

const DEFAULT_TIMEOUT_SECONDS = 6; // Lambda's default

/** Function name → its Timeout, from every AWS::Lambda::Function of the resolved templates. */
export function functionTimeouts(templates: CfnTemplate[]): Map<string, number> {
  const timeouts = new Map<string, number>();
  for (const template of templates) {
    for (const resource of Object.values(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const name = resource.Properties?.FunctionName;
      const timeout = Number(resource.Properties?.Timeout ?? DEFAULT_TIMEOUT_SECONDS);
      if (typeof name === 'string') timeouts.set(name, Number.isFinite(timeout) ? timeout : DEFAULT_TIMEOUT_SECONDS);
    }
  }
  return timeouts;
}

const num = (value: unknown, fallback: number) => {
  const parsed = Number(value);
  return value === undefined || value === null || !Number.isFinite(parsed) ? fallback : parsed;
};
const bool = (value: unknown) => value === true || value === 'true';

function target(functionRef: unknown, timeouts: Map<string, number>): FunctionTarget | undefined {
  if (typeof functionRef !== 'string') return undefined;
  const functionName = functionRef.startsWith('arn:') ? nameFromArn(functionRef) : functionRef;
  return { functionName, timeoutSeconds: timeouts.get(functionName) ?? DEFAULT_TIMEOUT_SECONDS };
}

/**
 * AWS::Lambda::EventSourceMapping resources (fully resolved) → what the pollers deliver, with
 * AWS's defaults for what the template leaves out (batch size 10 for SQS, 100 for streams).
 */
export function eventSourcesOf(
  stackName: string,
  template: CfnTemplate,
  ctx: ArnContext,
  timeouts: Map<string, number>,
): { sources: EventSource[]; unsupported: UnsupportedSource[] } {
  const sources: EventSource[] = [];
  const unsupported: UnsupportedSource[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Lambda::EventSourceMapping') continue;
    const id = `${stackName}/${logicalId}`;
    const props = resource.Properties ?? {};
    const fn = target(props.FunctionName, timeouts);
    const arn = props.EventSourceArn;
    if (!fn || typeof arn !== 'string') {
      unsupported.push({ id, reason: `FunctionName or EventSourceArn could not be resolved` });
      continue;
    }
    if (props.Enabled === false || props.Enabled === 'false') {
      unsupported.push({ id, reason: 'disabled (Enabled: false)' });
      continue;
    }
    const responseTypes = Array.isArray(props.FunctionResponseTypes) ? props.FunctionResponseTypes : [];
    const reportBatchItemFailures = responseTypes.includes('ReportBatchItemFailures');
    const window = num(props.MaximumBatchingWindowInSeconds, 0);
    if (arn.startsWith('arn:aws:sqs:')) {
      const name = nameFromArn(arn);
      const scaling = props.ScalingConfig as { MaximumConcurrency?: unknown } | undefined;
      sources.push({
        kind: 'sqs',
        id,
        target: fn,
        queueArn: arn,
        queueUrl: queueUrl(ctx, name),
        batchSize: num(props.BatchSize, 10),
        maximumBatchingWindowSeconds: window,
        reportBatchItemFailures,
        maximumConcurrency: scaling?.MaximumConcurrency === undefined ? undefined : num(scaling.MaximumConcurrency, 2),
      });
    } else if (/^arn:aws:dynamodb:[^:]*:[^:]*:table\/[^/]+\/stream\//.test(arn)) {
      const destination = (props.DestinationConfig as { OnFailure?: { Destination?: unknown } } | undefined)?.OnFailure?.Destination;
      sources.push({
        kind: 'dynamodb-stream',
        id,
        target: fn,
        streamArn: arn,
        tableName: arn.split(':table/')[1]!.split('/stream/')[0]!,
        batchSize: num(props.BatchSize, 100),
        maximumBatchingWindowSeconds: window,
        startingPosition: props.StartingPosition === 'TRIM_HORIZON' ? 'TRIM_HORIZON' : 'LATEST',
        maximumRetryAttempts: num(props.MaximumRetryAttempts, -1),
        maximumRecordAgeSeconds: num(props.MaximumRecordAgeInSeconds, -1),
        bisectBatchOnFunctionError: bool(props.BisectBatchOnFunctionError),
        reportBatchItemFailures,
        onFailureDestination: typeof destination === 'string' ? destination : undefined,
      });
    } else {
      unsupported.push({ id, reason: `event source ${arn} is not SQS or a DynamoDB stream` });
    }
  }
  return { sources, unsupported };
}

/** `rate(5 minutes)` → milliseconds; cron() and anything else → undefined. */
export function rateToMs(expression: string): number | undefined {
  const match = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (!match) return undefined;
  const unit = match[2]!.replace(/s$/, '');
  const perUnit = unit === 'minute' ? 60_000 : unit === 'hour' ? 3_600_000 : 86_400_000;
  return Number(match[1]) * perUnit;
}

/** AWS::Events::Rule resources with a rate() schedule that target a Lambda function. */
export function schedulesOf(
  stackName: string,
  template: CfnTemplate,
  ruleArns: Record<string, string>,
  timeouts: Map<string, number>,
): { schedules: ScheduleSource[]; unsupported: UnsupportedSource[] } {
  const schedules: ScheduleSource[] = [];
  const unsupported: UnsupportedSource[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::Events::Rule') continue;
    const id = `${stackName}/${logicalId}`;
    const props = resource.Properties ?? {};
    const expression = props.ScheduleExpression;
    if (typeof expression !== 'string') continue; // an event-pattern rule: nothing emits those locally
    if (props.State === 'DISABLED') {
      unsupported.push({ id, reason: 'disabled' });
      continue;
    }
    const everyMs = rateToMs(expression);
    if (everyMs === undefined) {
      unsupported.push({ id, reason: `only rate() schedules run locally, not ${expression}` });
      continue;
    }
    for (const t of (props.Targets as Array<Record<string, unknown>> | undefined) ?? []) {
      const fn = typeof t.Arn === 'string' && t.Arn.includes(':function:') ? target(t.Arn, timeouts) : undefined;
      if (!fn) {
        unsupported.push({ id, reason: `target ${JSON.stringify(t.Arn)} is not a Lambda function` });
        continue;
      }
      schedules.push({
        kind: 'schedule',
        id: `${id}/${String(t.Id ?? fn.functionName)}`,
        target: fn,
        ruleArn: ruleArns[logicalId] ?? logicalId,
        expression,
        everyMs,
        input: typeof t.Input === 'string' ? t.Input : undefined,
      });
    }
  }
  return { schedules, unsupported };
}
