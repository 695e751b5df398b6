import { handler } from '../../src/handlers/notAllowed';
import { answer, httpEvent } from '../support/http';

test.each([
  ['DELETE', '/orders', 'ANY /orders', 'GET, POST'],
  ['PUT', '/orders', 'ANY /orders', 'GET, POST'],
  ['DELETE', '/orders/ord_1', 'ANY /orders/{orderId}', 'GET'],
  ['POST', '/orders/ord_1', 'ANY /orders/{orderId}', 'GET'],
])('%s %s: 405 problem+json with Allow: %s', async (method, path, routeKey, allow) => {
  const res = await answer(async (e) => handler(e), httpEvent(method, path, { routeKey }));
  expect(res.status).toBe(405);
  expect(res.headers['Content-Type']).toBe('application/problem+json');
  expect(res.headers.Allow).toBe(allow);
  expect(res.body).toMatchObject({ status: 405, title: 'Method Not Allowed' });
  expect(res.body.detail).toContain(method);
});
