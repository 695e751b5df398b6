import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

export interface Observability {
  logger: Logger;
  metrics: Metrics;
  tracer: Tracer;
}

/**
 * One logger, metrics and tracer per function container. Service name and namespace come from
 * POWERTOOLS_SERVICE_NAME / POWERTOOLS_METRICS_NAMESPACE set in serverless.yml.
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
    tracer: new Tracer(options),
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
