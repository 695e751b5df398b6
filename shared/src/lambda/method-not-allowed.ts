import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2 } from 'aws-lambda';
import { problemResponse } from '../http/problem';

/**
 * Backs an `ANY <path>` route: HTTP API sends a method that no other route of that path takes
 * here, and the client learns which methods the path does take (405 with Allow).
 * `allowed` maps a route path (as in serverless.yml, e.g. "/orders/{orderId}") to its methods.
 */
export function methodNotAllowed(allowed: Record<string, string[]>) {
  return async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyResultV2> => {
    const path = event.routeKey?.split(' ')[1] ?? event.rawPath;
    const methods = allowed[path] ?? [];
    const method = event.requestContext?.http?.method ?? 'UNKNOWN';
    return problemResponse(405, `Method ${method} is not allowed on ${event.rawPath}; use ${methods.join(', ') || 'another path'}`, {}, {
      Allow: methods.join(', '),
    });
  };
}
