import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { Logger } from '../log';
import { eventSourcesOf, functionTimeouts, schedulesOf, type EventSource, type ScheduleSource, type UnsupportedSource } from './event-sources';
import { physicalIds, type ArnContext } from './physical-ids';
import { ensureTable } from './resources/dynamodb-table';
import { ensureTopic } from './resources/sns-topic';
import { ensureSubscription } from './resources/sns-subscription';
import { ensureQueue, orderQueuesForRedrive } from './resources/sqs-queue';
import { ensureQueuePolicy } from './resources/sqs-queue-policy';
import { ensureStateMachine } from './resources/state-machine';
import { resolveTemplate, type CfnTemplate, type StackTemplate } from './template';

export interface EmulatorClients {
  dynamodb: DynamoDBClient;
  sns: SNSClient;
  sqs: SQSClient;
}

/** Resource types the stack creates, in the order they are created across all templates. */
export const PROVISIONED_TYPES = [
  'AWS::DynamoDB::Table',
  'AWS::SQS::Queue',
  'AWS::SNS::Topic',
  'AWS::SQS::QueuePolicy',
  'AWS::SNS::Subscription',
  'AWS::StepFunctions::StateMachine',
] as const;

/** Types that become pollers or schedules rather than emulator resources. */
const RUN_BY_THE_STACK = new Set(['AWS::Lambda::EventSourceMapping', 'AWS::Events::Rule']);

export interface ProvisionedResource {
  stack: string;
  logicalId: string;
  type: string;
  name: string;
  action: string;
}

export interface ProvisionResult {
  resources: ProvisionedResource[];
  /** Resources with no local counterpart (IAM, Logs, Lambda, API Gateway, ...), by logical id. */
  skipped: Array<{ stack: string; logicalId: string; type: string }>;
  eventSources: EventSource[];
  schedules: ScheduleSource[];
  unsupported: UnsupportedSource[];
  /** The (fully resolved) templates, for whoever wants more from them. */
  resolved: StackTemplate[];
}

export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
}

interface Entry {
  stack: string;
  logicalId: string;
  type: string;
  props: Record<string, unknown>;
}

function entriesOf(stacks: StackTemplate[], type: string): Entry[] {
  return stacks.flatMap(({ stackName, template }) =>
    Object.entries(template.Resources)
      .filter(([, resource]) => resource.Type === type)
      .map(([logicalId, resource]) => ({ stack: stackName, logicalId, type, props: resource.Properties ?? {} })),
  );
}

/** DynamoDB Local's stream ARN (region "ddblocal", its own account) in the stack's region and account. */
export function streamArnInStack(localStreamArn: string, ctx: Pick<ArnContext, 'region' | 'accountId'>): string {
  const tablePart = localStreamArn.slice(localStreamArn.indexOf(':table/') + 1);
  return `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:${tablePart}`;
}

/**
 * Creates, in the emulators, what the services' packaged CloudFormation templates declare:
 * tables first (their stream ARNs exist only then), then queues, topics, queue policies,
 * subscriptions and state machines across all templates (a subscription may name another
 * stack's topic). State machines come later, from {@link provisionStateMachines}, once the
 * functions their Tasks call are up. Every step is idempotent: running it again on the kept data changes nothing
 * but what the templates changed. Event source mappings and schedules are returned for the
 * pollers; the rest is listed as skipped.
 */
export async function provision(stacks: StackTemplate[], clients: EmulatorClients, ctx: ArnContext, logger: Logger): Promise<ProvisionResult> {
  const resources: ProvisionedResource[] = [];
  const run = async (entry: Entry, action: () => Promise<{ name: string; action: string }>) => {
    try {
      const outcome = await action();
      resources.push({ stack: entry.stack, logicalId: entry.logicalId, type: entry.type, ...outcome });
      logger.debug(`${outcome.action} ${entry.type} ${outcome.name} (${entry.stack}/${entry.logicalId})`);
    } catch (error) {
      throw new ProvisionError(`${entry.stack}/${entry.logicalId} (${entry.type}): ${(error as Error).message}`, { cause: error });
    }
  };

  // Pass 1: resolve with the pseudo parameters only, which is enough for names.
  const named = stacks.map(({ stackName, template }) => ({
    stackName,
    template: resolveTemplate(template, { region: ctx.region, accountId: ctx.accountId, stackName }).template,
  }));

  const streamArns: Record<string, string> = {};
  for (const entry of entriesOf(named, 'AWS::DynamoDB::Table')) {
    await run(entry, async () => {
      const outcome = await ensureTable(clients.dynamodb, entry.props);
      if (outcome.localStreamArn) streamArns[outcome.tableName] = streamArnInStack(outcome.localStreamArn, ctx);
      return { name: outcome.tableName, action: outcome.action };
    });
  }

  // Pass 2: every Ref and Fn::GetAtt, now that stream ARNs are known.
  const resolved = stacks.map(({ stackName, template }, index) => {
    const ids = physicalIds(named[index]!.template, ctx, streamArns);
    const result = resolveTemplate(template, { region: ctx.region, accountId: ctx.accountId, stackName, ...ids });
    for (const warning of result.warnings) logger.debug(`${stackName}: ${warning}`);
    return { stackName, template: result.template, ruleArns: ids.attributes };
  });

  const queues = orderQueuesForRedrive(entriesOf(resolved, 'AWS::SQS::Queue'));
  for (const entry of queues) {
    await run(entry, async () => {
      const outcome = await ensureQueue(clients.sqs, entry.props);
      return { name: outcome.queueName, action: outcome.action };
    });
  }
  for (const entry of entriesOf(resolved, 'AWS::SNS::Topic')) {
    await run(entry, async () => ({ name: await ensureTopic(clients.sns, entry.props), action: 'ensured' }));
  }
  for (const entry of entriesOf(resolved, 'AWS::SQS::QueuePolicy')) {
    await run(entry, async () => ({ name: (await ensureQueuePolicy(clients.sqs, entry.props)).join(', '), action: 'set' }));
  }
  for (const entry of entriesOf(resolved, 'AWS::SNS::Subscription')) {
    await run(entry, async () => {
      const outcome = await ensureSubscription(clients.sns, entry.props);
      return { name: `${String(entry.props.TopicArn)} → ${String(entry.props.Endpoint)}`, action: outcome.action };
    });
  }
  const skipped: ProvisionResult['skipped'] = [];
  const timeouts = functionTimeouts(resolved.map((stack) => stack.template));
  const eventSources: EventSource[] = [];
  const schedules: ScheduleSource[] = [];
  const unsupported: UnsupportedSource[] = [];
  for (const stack of resolved) {
    const found = eventSourcesOf(stack.stackName, stack.template, ctx, timeouts);
    eventSources.push(...found.sources);
    unsupported.push(...found.unsupported);
    const ruleArns = Object.fromEntries(Object.entries(stack.ruleArns).map(([id, attrs]) => [id, attrs.Arn ?? id]));
    const scheduled = schedulesOf(stack.stackName, stack.template, ruleArns, timeouts);
    schedules.push(...scheduled.schedules);
    unsupported.push(...scheduled.unsupported);
  }

  const handled = new Set<string>([...PROVISIONED_TYPES, ...RUN_BY_THE_STACK]);
  for (const { stackName, template } of resolved) {
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (!handled.has(resource.Type)) skipped.push({ stack: stackName, logicalId, type: resource.Type });
    }
  }
  logSkipped(skipped, logger);
  for (const item of unsupported) logger.warn(`not run locally: ${item.id}: ${item.reason}`);
  return { resources, skipped, eventSources, schedules, unsupported, resolved: resolved.map(({ stackName, template }) => ({ stackName, template })) };
}

/** Creates or updates every AWS::StepFunctions::StateMachine of the (resolved) templates. */
export async function provisionStateMachines(resolved: StackTemplate[], sfn: SFNClient, logger: Logger): Promise<ProvisionedResource[]> {
  const resources: ProvisionedResource[] = [];
  for (const entry of entriesOf(resolved, 'AWS::StepFunctions::StateMachine')) {
    try {
      const outcome = await ensureStateMachine(sfn, entry.props);
      resources.push({ stack: entry.stack, logicalId: entry.logicalId, type: entry.type, name: outcome.name, action: outcome.action });
      logger.debug(`${outcome.action} ${entry.type} ${outcome.name} (${entry.stack}/${entry.logicalId})`);
    } catch (error) {
      throw new ProvisionError(`${entry.stack}/${entry.logicalId} (${entry.type}): ${(error as Error).message}`, { cause: error });
    }
  }
  return resources;
}

function logSkipped(skipped: ProvisionResult['skipped'], logger: Logger): void {
  const byType = new Map<string, string[]>();
  for (const item of skipped) byType.set(item.type, [...(byType.get(item.type) ?? []), `${item.stack}/${item.logicalId}`]);
  for (const [type, ids] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    logger.debug(`skipped ${ids.length} × ${type} (no local counterpart): ${ids.join(', ')}`);
  }
}

export type { CfnTemplate };
