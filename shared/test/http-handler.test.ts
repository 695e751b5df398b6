import * as z from 'zod/mini';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { HttpProblem, jsonResponse } from '../src';
import { createObservability, httpHandler } from '../src/lambda';


const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;

function event(overrides: Partial<APIGatewayProxyEventV2> = {}): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey: 'POST /things',
    rawPath: '/things',
    rawQueryString: '',
    headers: { 'Content-Type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/things' } } as APIGatewayProxyEventV2['requestContext'],
    isBase64Encoded: false,
    ...overrides,
  };
}

const Thing = z.strictObject({ name: z.string().check(z.minLength(1)), count: z.number().check(z.int(), z.positive()) });
const seen: unknown[] = [];
const handler = httpHandler(createObservability('test'), { auth: 'public', body: Thing, maxBodyBytes: 100 }, async (e) => {
  seen.push(e.body);
  if (e.body.name === 'boom') throw new Error('secret internals');
  if (e.body.name === 'taken') throw new HttpProblem(409, 'Thing "taken" exists');
  return jsonResponse(201, e.body);
});

async function call(e: APIGatewayProxyEventV2) {
  const res = (await handler(e, context)) as APIGatewayProxyStructuredResultV2;
  return { status: res.statusCode, type: res.headers?.['Content-Type'], body: JSON.parse(String(res.body)) };
}

beforeEach(() => (seen.length = 0));

test('valid body reaches the handler parsed', async () => {
  const res = await call(event({ body: '{"name":"a","count":2}' }));
  expect(res).toEqual({ status: 201, type: 'application/json', body: { name: 'a', count: 2 } });
});

test.each([
  ['malformed JSON', event({ body: '{"name":' }), 400, /not valid JSON/],
  ['missing body', event({ body: undefined }), 400, /body is required/],
  ['wrong content type', event({ headers: { 'content-type': 'text/plain' }, body: '{}' }), 415, /application\/json/],
  ['oversized body', event({ body: JSON.stringify({ name: 'x'.repeat(200), count: 1 }) }), 413, /limit is 100 bytes/],
  ['wrong type', event({ body: '{"name":"a","count":"2"}' }), 422, /\/count/],
  ['extra field', event({ body: '{"name":"a","count":1,"admin":true}' }), 422, /admin/],
])('%s is answered with problem+json and never reaches the handler', async (_name, e, status, detail) => {
  const res = await call(e);
  expect(res.status).toBe(status);
  expect(res.type).toBe('application/problem+json');
  expect(res.body).toMatchObject({ status, title: expect.any(String) });
  expect(res.body.detail).toMatch(detail);
  expect(seen).toHaveLength(0);
});

test('a thrown HttpProblem keeps its status; an unexpected error is a generic 500', async () => {
  expect((await call(event({ body: '{"name":"taken","count":1}' }))).status).toBe(409);
  const res = await call(event({ body: '{"name":"boom","count":1}' }));
  expect(res.status).toBe(500);
  expect(res.body.detail).not.toMatch(/secret/);
});

test('a throttled backing service is a 503 with Retry-After, not a 500', async () => {
  const throttled = httpHandler(createObservability('test'), { auth: 'public' }, async () => {
    throw Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
  });
  const res = (await throttled(event({ body: undefined }), context)) as APIGatewayProxyStructuredResultV2;
  expect(res.statusCode).toBe(503);
  expect(res.headers?.['Retry-After']).toBe('2');
  expect(res.headers?.['Content-Type']).toBe('application/problem+json');
});
