'use strict';

/**
 * CloudWatch alarms every service needs, generated so that a new function or queue cannot be
 * forgotten. Configured in serverless.yml:
 *
 *   custom:
 *     opsAlarms:
 *       topicArn: <ARN of the stage's ops topic>          # AlarmActions and OKActions
 *       deadLetterQueues: [PublishDlq]                     # logical ids: alarm on any visible message
 *       errorRate:                                          # functions whose errors include business outcomes
 *         functions: [reserve]                             # (OutOfStock, PaymentDeclined): alarm on a rate
 *         percent: 25
 *       httpApi5xxPercent: 5                               # share of API requests answered 5xx
 *
 * Generated, per function: `<Fn>ErrorsAlarm` (Errors > 0 in a minute, or the error rate over five
 * minutes for `errorRate.functions`) and `<Fn>ThrottlesAlarm` (Throttles > 0); per dead-letter
 * queue: `<Queue>NotEmptyAlarm`; for the service's HTTP API: `HttpApi5xxRateAlarm`. Throttling at
 * the quotas of docs/scaling.md: per DynamoDB table, `<Table>ThrottledRequestsAlarm` (read and
 * write throttle events of the table and each of its indexes); per state machine,
 * `<Machine>ExecutionThrottledAlarm` (state transitions throttled) and, once for a service that
 * starts executions, `StartExecutionThrottledAlarm` (the account's StartExecution API throttled).
 */
class OpsAlarms {
  constructor(serverless) {
    this.serverless = serverless;
    this.hooks = { 'before:package:finalize': () => this.addAlarms() };
  }

  config() {
    const config = this.serverless.service.custom?.opsAlarms;
    if (!config || !config.topicArn) {
      throw new this.serverless.classes.Error('custom.opsAlarms.topicArn is required: alarms must reach the ops topic');
    }
    return config;
  }

  addAlarms() {
    const config = this.config();
    const service = this.serverless.service;
    const naming = this.serverless.getProvider('aws').naming;
    const resources = service.provider.compiledCloudFormationTemplate.Resources;
    const prefix = `${service.service}-${this.serverless.getProvider('aws').getStage()}`;
    const actions = { AlarmActions: [config.topicArn], OKActions: [config.topicArn] };
    const rateFunctions = new Set(config.errorRate?.functions ?? []);
    for (const name of rateFunctions) {
      if (!service.getAllFunctions().includes(name)) throw new this.serverless.classes.Error(`custom.opsAlarms.errorRate names an unknown function: ${name}`);
    }

    for (const name of service.getAllFunctions()) {
      const logicalId = naming.getLambdaLogicalId(name);
      const functionName = service.getFunction(name).name;
      const dimensions = [{ Name: 'FunctionName', Value: { Ref: logicalId } }];
      resources[`${logicalId}ErrorsAlarm`] = rateFunctions.has(name)
        ? {
            Type: 'AWS::CloudWatch::Alarm',
            Properties: {
              AlarmName: `${prefix}-${name}-error-rate`,
              AlarmDescription: `More than ${config.errorRate.percent}% of ${functionName}'s invocations failed in 5 minutes (its errors include business outcomes, so a rate, not a count)`,
              Metrics: [
                metric('errors', 'AWS/Lambda', 'Errors', dimensions, 300, 'Sum'),
                metric('invocations', 'AWS/Lambda', 'Invocations', dimensions, 300, 'Sum'),
                { Id: 'rate', Expression: 'IF(invocations > 0, 100 * errors / invocations, 0)', Label: 'Error rate (%)', ReturnData: true },
              ],
              EvaluationPeriods: 1,
              Threshold: Number(config.errorRate.percent),
              ComparisonOperator: 'GreaterThanThreshold',
              TreatMissingData: 'notBreaching',
              ...actions,
            },
          }
        : countAlarm(`${prefix}-${name}-errors`, `${functionName} failed (an unhandled error or a timeout)`, 'AWS/Lambda', 'Errors', dimensions, actions);
      resources[`${logicalId}ThrottlesAlarm`] = countAlarm(
        `${prefix}-${name}-throttles`,
        `${functionName} was throttled (concurrency limit reached)`,
        'AWS/Lambda',
        'Throttles',
        dimensions,
        actions,
      );
    }

    // resources.Resources (serverless.yml) are merged into the template only after this hook.
    const declared = { ...(service.resources?.Resources ?? {}), ...resources };
    for (const queue of config.deadLetterQueues ?? []) {
      if (declared[queue]?.Type !== 'AWS::SQS::Queue') {
        throw new this.serverless.classes.Error(`custom.opsAlarms.deadLetterQueues names no queue of this service: ${queue}`);
      }
      const queueName = declared[queue].Properties?.QueueName;
      const label = typeof queueName === 'string' ? queueName.replace(`${prefix}-`, '') : queue;
      resources[`${queue}NotEmptyAlarm`] = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: `${prefix}-${label}-not-empty`,
          AlarmDescription: `Messages are waiting in the dead-letter queue ${prefix}-${label}: inspect and redrive them`,
          Namespace: 'AWS/SQS',
          MetricName: 'ApproximateNumberOfMessagesVisible',
          Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queue, 'QueueName'] } }],
          Statistic: 'Maximum',
          Period: 60,
          EvaluationPeriods: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          ...actions,
        },
      };
    }

    for (const [id, resource] of Object.entries(declared)) {
      if (resource?.Type === 'AWS::DynamoDB::Table') resources[`${id}ThrottledRequestsAlarm`] = tableThrottlesAlarm(prefix, id, resource, actions);
    }
    const machines = Object.entries(declared).filter(([, resource]) => resource?.Type === 'AWS::StepFunctions::StateMachine');
    for (const [id, machine] of machines) {
      const name = typeof machine.Properties?.StateMachineName === 'string' ? machine.Properties.StateMachineName : id;
      resources[`${id}ExecutionThrottledAlarm`] = countAlarm(
        `${prefix}-${id}-execution-throttled`,
        `${name}: state transitions were throttled (the account's StateTransition quota; see docs/scaling.md)`,
        'AWS/States',
        'ExecutionThrottled',
        [{ Name: 'StateMachineArn', Value: { Ref: id } }],
        actions,
      );
    }
    if (machines.length > 0) {
      // The StartExecution token bucket is the account's, per Region: one alarm per service that starts executions.
      resources.StartExecutionThrottledAlarm = countAlarm(
        `${prefix}-start-execution-throttled`,
        `StartExecution calls were throttled (the account's StartExecution quota; orders are accepted and started by the orders stream as capacity returns; see docs/scaling.md)`,
        'AWS/States',
        'ThrottledEvents',
        [{ Name: 'APIName', Value: 'StartExecution' }],
        actions,
      );
    }

    if (resources.HttpApi) {
      if (config.httpApi5xxPercent === undefined) throw new this.serverless.classes.Error('custom.opsAlarms.httpApi5xxPercent is required for a service with an HTTP API');
      resources.HttpApi5xxRateAlarm = {
        Type: 'AWS::CloudWatch::Alarm',
        Properties: {
          AlarmName: `${prefix}-api-5xx-rate`,
          AlarmDescription: `More than ${config.httpApi5xxPercent}% of ${prefix}'s HTTP API requests were answered 5xx in 5 minutes`,
          // HTTP APIs count 0 or 1 per request in `5xx`: its average is the share of 5xx answers.
          Metrics: [
            {
              Id: 'share',
              MetricStat: {
                Metric: { Namespace: 'AWS/ApiGateway', MetricName: '5xx', Dimensions: [{ Name: 'ApiId', Value: { Ref: 'HttpApi' } }] },
                Period: 300,
                Stat: 'Average',
              },
              ReturnData: false,
            },
            { Id: 'percent', Expression: '100 * share', Label: '5xx answers (%)', ReturnData: true },
          ],
          EvaluationPeriods: 1,
          Threshold: Number(config.httpApi5xxPercent),
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
          ...actions,
        },
      };
    }
  }
}

function metric(id, namespace, name, dimensions, period, stat) {
  return { Id: id, MetricStat: { Metric: { Namespace: namespace, MetricName: name, Dimensions: dimensions }, Period: period, Stat: stat }, ReturnData: false };
}

/** Any read or write throttled on the table or one of its global secondary indexes (a hot key, or the table's quota). */
function tableThrottlesAlarm(prefix, id, table, actions) {
  const tableName = { Ref: id };
  const indexes = (table.Properties?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName);
  const metrics = [];
  const add = (kind, indexName) => {
    const dimensions = [{ Name: 'TableName', Value: tableName }, ...(indexName ? [{ Name: 'GlobalSecondaryIndexName', Value: indexName }] : [])];
    metrics.push(metric(`m${metrics.length}`, 'AWS/DynamoDB', `${kind}ThrottleEvents`, dimensions, 60, 'Sum'));
  };
  for (const indexName of [undefined, ...indexes]) {
    add('Read', indexName);
    add('Write', indexName);
  }
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: `${prefix}-${id}-throttled-requests`,
      AlarmDescription: `Reads or writes of ${id}${indexes.length ? ` or its indexes (${indexes.join(', ')})` : ''} were throttled: a hot partition key or the table's throughput quota (see docs/scaling.md)`,
      Metrics: [...metrics, { Id: 'throttled', Expression: metrics.map((m) => `FILL(${m.Id}, 0)`).join(' + '), Label: 'Throttled reads and writes', ReturnData: true }],
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      ...actions,
    },
  };
}

function countAlarm(alarmName, description, namespace, metricName, dimensions, actions) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      AlarmName: alarmName,
      AlarmDescription: description,
      Namespace: namespace,
      MetricName: metricName,
      Dimensions: dimensions,
      Statistic: 'Sum',
      Period: 60,
      EvaluationPeriods: 1,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      TreatMissingData: 'notBreaching',
      ...actions,
    },
  };
}

module.exports = OpsAlarms;
