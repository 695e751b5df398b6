import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
}

/**
 * One logger and metrics per function container. Service name and namespace come from
 * POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE set in serverless.yml.
 *
 * No in-process tracer: Lambda's active tracing (provider.tracing.lambda) records each invocation
 * in X-Ray, and the AWS SDK passes the trace header on to SNS, SQS, Step Functions and Lambda, so
 * a saga stays one trace. Powertools Tracer would add a subsegment per SDK call, but it wraps the
 * X-Ray SDK (maintenance mode since 2026-02-25, end of support 2027-02-25) and costs ~35 ms of
 * every cold start (docs/performance.md, "Choices made").
 */
export function createObservability(serviceName?: string): Observability {
  const options = serviceName ? { serviceName } : {};
  const logger = new Logger(options);
  return {
    logger,
    metrics: new Metrics({
      ...options,
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'OrderPlatform',
      logger: quietOnEmptyMetrics(logger),
    }),
  };
}

/**
 * Metrics warns "No application metrics to publish" after every invocation that added none (every
 * GET, every rejected request): noise, not news. That one message goes to debug; others stay.
 */
function quietOnEmptyMetrics(logger: Logger) {
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (message: unknown, ...details: unknown[]) =>
      details.length > 0 ? logger[level](String(message), { details }) : logger[level](String(message));
  const warn = forward('warn');
  return {
    debug: forward('debug'),
    info: forward('info'),
    error: forward('error'),
    warn: (message: unknown, ...details: unknown[]) =>
      String(message).startsWith('No application metrics to publish') ? logger.debug(String(message)) : warn(message, ...details),
  };
}
