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
  return {
    logger: new Logger(options),
    metrics: new Metrics({ ...options, namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'OrderPlatform' }),
    tracer: new Tracer(options),
  };
}
