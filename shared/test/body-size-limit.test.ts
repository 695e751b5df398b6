import * as z from 'zod/mini';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { jsonResponse } from '../src';
import { createObservability, forbiddenKeyPointer, httpHandler } from '../src/lambda';

/**
 * serverless-offline parses a JSON body and, when the result is falsy (`false`, `0`), hands the
 * function the parsed value instead of the text. It must be judged like the text AWS would send
 * (a 4xx naming the problem), never crash the size check into a 500.
 */
const context = { functionName: 'test', awsRequestId: 'req-1', getRemainingTimeInMillis: () => 1000 } as unknown as Context;
const handler = httpHandler(createObservability('test'), { auth: 'public', body: z.strictObject({ name: z.string() }), maxBodyBytes: 100 }, async (e) =>
  jsonResponse(201, e.body),
);

const event = (body: unknown): APIGatewayProxyEventV2 =>
  ({
    version: '2.0',
    routeKey: 'POST /things',
    rawPath: '/things',
    rawQueryString: '',
    headers: { 'content-type': 'application/json' },
    requestContext: { http: { method: 'POST', path: '/things' } },
    isBase64Encoded: false,
    body,
  }) as unknown as APIGatewayProxyEventV2;

test.each([
  ['false', false],
  ['0', 0],
  ['true', true],
  ['a number', 42],
])('a body handed over already parsed (%s) is a 422, not a 500', async (_what, body) => {
  const res = (await handler(event(body), context)) as APIGatewayProxyStructuredResultV2;
  expect(res.statusCode).toBe(422);
  expect(res.headers?.['Content-Type']).toBe('application/problem+json');
});

test('a parsed body over the limit is still a 413', async () => {
  const res = (await handler(event(new Array(60).fill(1)), context)) as APIGatewayProxyStructuredResultV2;
  expect(res.statusCode).toBe(413);
});

test('a __proto__ key is a 422 naming it, not "not valid JSON"', async () => {
  const res = (await handler(event('{"__proto__":{"admin":true},"name":"x"}'), context)) as APIGatewayProxyStructuredResultV2;
  expect(res.statusCode).toBe(422);
  expect(JSON.parse(String(res.body)).detail).toBe('Request body has a forbidden key "__proto__"');
});

test('a nested __proto__ key: the 422 points at the object that holds it', async () => {
  const res = (await handler(event('{"name":"x","price":{"__proto__":[]},"tags":[{"a":1},{"__proto__":{}}]}'), context)) as APIGatewayProxyStructuredResultV2;
  expect(res.statusCode).toBe(422);
  expect(JSON.parse(String(res.body)).detail).toBe('Request body has a forbidden key "__proto__" at /price');
});

test('forbiddenKeyPointer escapes pointer tokens and looks inside arrays', () => {
  expect(forbiddenKeyPointer('{"a/b":[{"__proto__":1}]}', '__proto__')).toBe('/a~1b/0');
  expect(forbiddenKeyPointer('{"__proto__":1}', '__proto__')).toBe('');
  expect(forbiddenKeyPointer('not json', '__proto__')).toBeUndefined();
});
