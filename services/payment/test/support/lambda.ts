import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export const context = {
  functionName: 'payment-test-fn',
  awsRequestId: 'req-1',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:payment-test-fn',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** Verified token claims as API Gateway passes them: an operator's (the default: payments are for operators) and a customer's. */
export const ADMIN = { sub: 'ops-1', scope: 'order-platform/admin' };
export const CUSTOMER = { sub: 'cust-1' };

/** An HTTP API (payload 2.0) event; `claims: null` sends no token. */
export function httpEvent(
  method: string,
  path: string,
  overrides: Partial<APIGatewayProxyEventV2> = {},
  claims: Record<string, unknown> | null = ADMIN,
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: `${method} /payments/{orderId}`,
    rawPath: path,
    rawQueryString: '',
    headers: {},
    requestContext: {
      http: { method, path },
      ...(claims === null ? {} : { authorizer: { jwt: { claims, scopes: null } } }),
    } as unknown as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
    ...overrides,
  };
}

export interface HttpAnswer {
  status: number | undefined;
  headers: Record<string, unknown>;
  body: Record<string, unknown>;
}

export async function answer(result: unknown): Promise<HttpAnswer> {
  const res = (await result) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode, headers: (res.headers ?? {}) as Record<string, unknown>, body: JSON.parse(String(res.body)) };
}
