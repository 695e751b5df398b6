import '../support/env';
import { handler } from '../../src/handlers/notAllowed';
import { answer, httpEvent } from '../support/lambda';

test.each(['POST', 'PUT', 'PATCH', 'DELETE'])('405: %s /payments/{orderId} names the allowed methods', async (method) => {
  const res = await answer(handler(httpEvent(method, '/payments/o-1', { routeKey: 'ANY /payments/{orderId}', pathParameters: { orderId: 'o-1' } })));
  expect(res.status).toBe(405);
  expect(res.headers).toMatchObject({ 'Content-Type': 'application/problem+json', Allow: 'GET' });
  expect(res.body).toMatchObject({ status: 405, title: 'Method Not Allowed' });
  expect(res.body.detail).toContain(method);
});
