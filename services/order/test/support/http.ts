import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';

export const context = {
  functionName: 'order-test-fn',
  awsRequestId: 'req-1',
  getRemainingTimeInMillis: () => 10_000,
} as unknown as Context;

/** The claims of the tests' default caller: customer cust-1, no scopes. */
export const CUSTOMER = { sub: 'cust-1' };
export const OTHER_CUSTOMER = { sub: 'cust-2' };
export const ADMIN = { sub: 'ops-1', scope: 'order-platform/admin' };

export interface RequestOptions {
  /** The verified token's claims as API Gateway passes them; null for a request without one. Default CUSTOMER. */
  claims?: Record<string, unknown> | null;
  routeKey?: string;
  headers?: Record<string, string>;
  body?: string;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
}

/** An HTTP API (payload 2.0) event as API Gateway sends it. */
export function httpEvent(method: string, rawPath: string, options: RequestOptions = {}): APIGatewayProxyEventV2 {
  const query = options.query;
  return {
    version: '2.0',
    routeKey: options.routeKey ?? `${method} ${rawPath}`,
    rawPath,
    rawQueryString: query ? new URLSearchParams(query).toString() : '',
    headers: options.headers ?? {},
    ...(query ? { queryStringParameters: query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    ...(options.body !== undefined ? { body: options.body } : {}),
    requestContext: {
      http: { method, path: rawPath },
      ...(options.claims === null ? {} : { authorizer: { jwt: { claims: options.claims ?? CUSTOMER, scopes: null } } }),
    } as unknown as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

export async function answer(
  handler: (event: APIGatewayProxyEventV2, context: Context) => Promise<APIGatewayProxyResultV2>,
  event: APIGatewayProxyEventV2,
): Promise<Answer> {
  const result = (await handler(event, context)) as APIGatewayProxyStructuredResultV2;
  return {
    status: result.statusCode ?? 0,
    headers: (result.headers ?? {}) as Record<string, string>,
    body: result.body ? JSON.parse(result.body) : {},
  };
}
