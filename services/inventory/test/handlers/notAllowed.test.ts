import { handler } from '../../src/handlers/notAllowed';
import { answer, httpEvent } from '../support/lambda';

test.each(['POST', 'DELETE', 'PATCH', 'HEAD'])('%s /inventory/{sku} is 405 with Allow: GET, PUT', async (method) => {
  const res = answer(await handler(httpEvent(method, 'A', { routeMethod: 'ANY' })));
  expect(res.status).toBe(405);
  expect(res.headers).toMatchObject({ 'Content-Type': 'application/problem+json', Allow: 'GET, PUT' });
  expect(res.body).toMatchObject({ status: 405, title: 'Method Not Allowed', detail: `Method ${method} is not allowed on /inventory/A; use GET, PUT` });
});
