import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import httpSecurityHeaders from '@middy/http-security-headers';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { Observability } from '../observability';
import { bodySizeLimit, problemJsonErrors, requireJsonBody } from '../http/middleware';
import { parseOrProblem } from '../http/validation';

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

export type HttpEventWithBody<B> = Omit<APIGatewayProxyEventV2, 'body'> & { body: B };

export interface HttpHandlerOptions<S extends z.ZodType | undefined> {
  /** When given, the request must carry a JSON body that this schema accepts (else 415/400/422). */
  body?: S;
  maxBodyBytes?: number;
}

type BodyOf<S> = S extends z.ZodType ? z.output<S> : undefined;

/**
 * The one way every HTTP function is built: headers normalised, size limit, JSON parsing and
 * zod validation before the handler runs, so the handler sees only valid input and nothing is
 * written for a rejected request; every error leaves as application/problem+json.
 */
export function httpHandler<S extends z.ZodType | undefined = undefined>(
  observability: Observability,
  options: HttpHandlerOptions<S>,
  handler: (event: HttpEventWithBody<BodyOf<S>>, context: Context) => Promise<APIGatewayProxyResultV2>,
) {
  const { logger, metrics, tracer } = observability;
  const chain = middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(logMetrics(metrics))
    .use(captureLambdaHandler(tracer))
    .use(httpSecurityHeaders())
    .use(problemJsonErrors(logger))
    .use(httpHeaderNormalizer())
    .use(bodySizeLimit(options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES));

  const schema = options.body;
  if (schema) {
    chain
      .use(requireJsonBody())
      .use(httpJsonBodyParser({ disableContentTypeCheck: true }) as middy.MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyResultV2>)
      .use({
        before: (request) => {
          (request.event as unknown as { body: unknown }).body = parseOrProblem(schema, request.event.body, 422, 'request body');
        },
      });
  }
  return chain.handler((event, context) => handler(event as unknown as HttpEventWithBody<BodyOf<S>>, context));
}
