import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { Observability } from '../observability';

/**
 * The start of every middy handler of the platform: each log line carries the invocation's
 * context (keys appended during one invocation do not leak into the next), and the metrics an
 * invocation adds are flushed when it ends.
 */
export function observed<E, R>(observability: Observability): middy.MiddyfiedHandler<E, R> {
  return middy<E, R>()
    .use(injectLambdaContext(observability.logger, { resetKeys: true }))
    .use(logMetrics(observability.metrics));
}
