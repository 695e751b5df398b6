import type { CfnTemplate } from './template';

/** Where the emulators live and which account/region their ARNs carry. */
export interface ArnContext {
  region: string;
  accountId: string;
  /** fauxqs's endpoint: a queue's Ref is its URL there. */
  sqsEndpoint: string;
}

export interface PhysicalIds {
  refs: Record<string, string>;
  attributes: Record<string, Record<string, string>>;
}

function stringProp(properties: Record<string, unknown> | undefined, name: string): string | undefined {
  const value = properties?.[name];
  return typeof value === 'string' ? value : undefined;
}

export const queueUrl = (ctx: ArnContext, name: string) => `${ctx.sqsEndpoint}/${ctx.accountId}/${name}`;
export const queueArn = (ctx: Pick<ArnContext, 'region' | 'accountId'>, name: string) => `arn:aws:sqs:${ctx.region}:${ctx.accountId}:${name}`;
export const topicArn = (ctx: Pick<ArnContext, 'region' | 'accountId'>, name: string) => `arn:aws:sns:${ctx.region}:${ctx.accountId}:${name}`;
export const tableArn = (ctx: Pick<ArnContext, 'region' | 'accountId'>, name: string) => `arn:aws:dynamodb:${ctx.region}:${ctx.accountId}:table/${name}`;
export const functionArn = (ctx: Pick<ArnContext, 'region' | 'accountId'>, name: string) => `arn:aws:lambda:${ctx.region}:${ctx.accountId}:function:${name}`;
export const stateMachineArn = (ctx: Pick<ArnContext, 'region' | 'accountId'>, name: string) =>
  `arn:aws:states:${ctx.region}:${ctx.accountId}:stateMachine:${name}`;

/** The name from the last segment of an ARN (`...:function:name`, `...:queue-name`). */
export function nameFromArn(arn: string): string {
  const afterFunction = /:function:([^:]+)/.exec(arn);
  if (afterFunction) return afterFunction[1]!;
  return arn.slice(arn.lastIndexOf(':') + 1);
}

/**
 * The Ref value and Fn::GetAtt attributes of every resource, as CloudFormation would report
 * them, from the (name-resolved) properties. Resources without an explicit name get their
 * logical id, which is stable across runs (AWS would add a random suffix).
 * `streamArns` holds the real stream ARN of each table that has one, once the table exists.
 */
export function physicalIds(template: CfnTemplate, ctx: ArnContext, streamArns: Record<string, string> = {}): PhysicalIds {
  const refs: Record<string, string> = {};
  const attributes: Record<string, Record<string, string>> = {};
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    const props = resource.Properties;
    const named = (property: string) => stringProp(props, property) ?? logicalId;
    switch (resource.Type) {
      case 'AWS::DynamoDB::Table': {
        const name = named('TableName');
        refs[logicalId] = name;
        const arn = tableArn(ctx, name);
        attributes[logicalId] = { Arn: arn, StreamArn: streamArns[name] ?? `${arn}/stream/not-yet-created` };
        break;
      }
      case 'AWS::SNS::Topic': {
        const name = named('TopicName');
        const arn = topicArn(ctx, name);
        refs[logicalId] = arn;
        attributes[logicalId] = { TopicArn: arn, TopicName: name };
        break;
      }
      case 'AWS::SQS::Queue': {
        const name = named('QueueName');
        refs[logicalId] = queueUrl(ctx, name);
        attributes[logicalId] = { Arn: queueArn(ctx, name), QueueName: name, QueueUrl: queueUrl(ctx, name) };
        break;
      }
      case 'AWS::Lambda::Function': {
        const name = named('FunctionName');
        refs[logicalId] = name;
        attributes[logicalId] = { Arn: functionArn(ctx, name) };
        break;
      }
      case 'AWS::StepFunctions::StateMachine': {
        const name = named('StateMachineName');
        const arn = stateMachineArn(ctx, name);
        refs[logicalId] = arn;
        attributes[logicalId] = { Arn: arn, Name: name };
        break;
      }
      case 'AWS::IAM::Role': {
        const name = named('RoleName');
        refs[logicalId] = name;
        attributes[logicalId] = { Arn: `arn:aws:iam::${ctx.accountId}:role/${name}`, RoleId: `AROA${logicalId.toUpperCase()}` };
        break;
      }
      case 'AWS::Logs::LogGroup': {
        const name = named('LogGroupName');
        refs[logicalId] = name;
        attributes[logicalId] = { Arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*` };
        break;
      }
      case 'AWS::S3::Bucket': {
        const name = stringProp(props, 'BucketName') ?? logicalId.toLowerCase();
        refs[logicalId] = name;
        attributes[logicalId] = { Arn: `arn:aws:s3:::${name}`, DomainName: `${name}.s3.amazonaws.com` };
        break;
      }
      case 'AWS::Events::Rule': {
        const name = named('Name');
        refs[logicalId] = name;
        attributes[logicalId] = { Arn: `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${name}` };
        break;
      }
      default:
        refs[logicalId] = logicalId;
    }
  }
  return { refs, attributes };
}
