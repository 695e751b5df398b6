import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handler } from '../../src/handlers/notAllowed';

test.each(['POST', 'PUT', 'DELETE', 'PATCH'])('%s /notifications is 405 with Allow: GET', async (method) => {
  const event = {
    routeKey: 'ANY /notifications',
    rawPath: '/notifications',
    requestContext: { http: { method, path: '/notifications' } },
  } as unknown as APIGatewayProxyEventV2;
  const res = (await handler(event)) as APIGatewayProxyStructuredResultV2;
  expect(res.statusCode).toBe(405);
  expect(res.headers).toMatchObject({ Allow: 'GET', 'Content-Type': 'application/problem+json' });
  expect(JSON.parse(String(res.body))).toMatchObject({ status: 405, title: 'Method Not Allowed', detail: expect.stringContaining(method) });
});
