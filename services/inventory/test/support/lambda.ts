import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

export function lambdaContext(functionName: string, remainingMs = 60_000): Context {
  return {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-west-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '256',
    awsRequestId: 'req-1',
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'stream',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Verified token claims as API Gateway passes them: an operator's (the default: catalogue writes need it) and a customer's. */
export const ADMIN = { sub: 'ops-1', scope: 'order-platform/admin' };
export const CUSTOMER = { sub: 'cust-1' };

/** An HTTP API (payload 2.0) event for a route of /inventory/{sku}; `claims: null` sends no token. */
export function httpEvent(
  method: string,
  sku: string | undefined,
  init: { body?: string; headers?: Record<string, string>; routeMethod?: string; claims?: Record<string, unknown> | null } = {},
): APIGatewayProxyEventV2 {
  const rawPath = `/inventory/${sku ?? ''}`;
  return {
    version: '2.0',
    routeKey: `${init.routeMethod ?? method} /inventory/{sku}`,
    rawPath,
    rawQueryString: '',
    headers: init.headers ?? (init.body !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(sku !== undefined ? { pathParameters: { sku } } : {}),
    requestContext: {
      http: { method, path: rawPath },
      ...(init.claims === null ? {} : { authorizer: { jwt: { claims: init.claims ?? ADMIN, scopes: null } } }),
    } as unknown as APIGatewayProxyEventV2['requestContext'],
    body: init.body,
    isBase64Encoded: false,
  };
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
}

export function answer(result: unknown): HttpAnswer {
  const res = result as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode ?? 0, headers: (res.headers ?? {}) as Record<string, unknown>, body: JSON.parse(String(res.body)) };
}

/** A cancelled DynamoDB transaction with one reason code per item, in request order. */
export function transactionCancelled(...codes: string[]): TransactionCanceledException {
  return new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: { httpStatusCode: 400 },
    CancellationReasons: codes.map((Code) => ({ Code })),
  });
}

/** An AWS SDK throttling error as the client raises it. */
export function throttled(name = 'ProvisionedThroughputExceededException'): Error {
  return Object.assign(new Error('Rate exceeded'), { name, $metadata: { httpStatusCode: 400 }, $retryable: { throttling: true } });
}
