/**
 * Authentication and authorization end to end, on the running local stack (`npm start`; the
 * endpoints come from .local/endpoints.json, or LOCAL_ENDPOINTS_FILE). Tokens are minted by the
 * development issuer (tools/devauth/, keys in .local/auth or LOCAL_DATA_DIR/auth): the same key set the
 * services verify against, so signatures are really checked here, not just decoded.
 *
 * A refusal may come from serverless-offline's stand-in for the JWT authorizer (it decodes the
 * token and checks expiry, issuer, audience and route scopes, answering like a gateway) or from
 * the function's own check (signature included; problem+json with an RFC 6750 challenge). Either
 * way the status is the one AWS gives, and nothing is written.
 */
import { randomUUID } from 'node:crypto';
import { ADMIN_SCOPE, ensureDevIssuer, generateSigningKey, mintToken, type MintOptions } from '../../tools/devauth/src';
import { requireEndpoints, type StackEndpoints } from '../../tools/local-stack/src/endpoints';

jest.setTimeout(60_000);

let endpoints: StackEndpoints;
const run = randomUUID().slice(0, 8);
const alice = `e2e-auth-a-${run}`;
const bob = `e2e-auth-b-${run}`;
const operator = `e2e-auth-ops-${run}`;
const sku = `E2E-AUTH-${run}`;

beforeAll(async () => {
  endpoints = requireEndpoints();
  await ensureDevIssuer();
  const seeded = await send('PUT', `${endpoints.inventoryApi}/inventory/${sku}`, await token({ customerId: operator, admin: true }), {
    price: 500,
    currency: 'EUR',
    available: 100,
  });
  expect(seeded.status).toBe(201);
});

const token = (options: MintOptions) => mintToken(options);

interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function send(method: string, url: string, bearer: string | undefined, body?: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method,
    headers: {
      ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const orderBody = (customerId?: string) => ({
  ...(customerId ? { customerId } : {}),
  email: 'someone@example.com',
  items: [{ sku, quantity: 1 }],
  paymentToken: 'tok_visa',
});

/** A refusal by the gateway stand-in or by the function; the function's carries a Bearer challenge. */
function expectRefused(answer: Answer, status: 401 | 403) {
  expect(answer.status).toBe(status);
  if (answer.headers.get('content-type') === 'application/problem+json') {
    expect(answer.body).toMatchObject({ status });
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="order-platform"/);
  }
}

function expectProblem(answer: Answer, status: number) {
  expect({ status: answer.status, type: answer.headers.get('content-type') }).toEqual({ status, type: 'application/problem+json' });
  expect(answer.body).toMatchObject({ status });
}

/** The tokens every route must refuse, all for `customerId` (so that what they would write is findable). */
async function rejectedTokens(customerId: string, admin = false): Promise<Array<[string, string | undefined]>> {
  return [
    ['no token', undefined],
    ['an expired token', await token({ customerId, admin, expiresIn: '-5m' })],
    ['a token signed by another key', await token({ customerId, admin, signingKey: await generateSigningKey() })],
    ['a token for another audience', await token({ customerId, admin, audience: 'another-api' })],
  ];
}

describe('401 for a missing, expired, forged or misdirected token, and nothing written', () => {
  test('POST /orders', async () => {
    for (const [what, bearer] of await rejectedTokens(alice)) {
      const answer = await send('POST', `${endpoints.orderApi}/orders`, bearer, orderBody(), { 'idempotency-key': `k-${run}` });
      expect({ what, status: answer.status }).toEqual({ what, status: 401 });
      expectRefused(answer, 401);
    }
    // Nothing was stored for alice: her list is empty, and the key still makes a new order.
    const aliceToken = await token({ customerId: alice });
    expect((await send('GET', `${endpoints.orderApi}/orders`, aliceToken)).body).toEqual({ items: [] });
    const created = await send('POST', `${endpoints.orderApi}/orders`, aliceToken, orderBody(), { 'idempotency-key': `k-${run}` });
    expect(created.status).toBe(201);
    expect(created.headers.get('idempotent-replayed')).toBeNull();
  });

  test('PUT /inventory/{sku} (an operator route)', async () => {
    const fresh = `${sku}-NEW`;
    for (const [what, bearer] of await rejectedTokens(operator, true)) {
      const answer = await send('PUT', `${endpoints.inventoryApi}/inventory/${fresh}`, bearer, { price: 1, currency: 'EUR', available: 1 });
      expect({ what, status: answer.status }).toEqual({ what, status: 401 });
      expectRefused(answer, 401);
    }
    expect((await send('GET', `${endpoints.inventoryApi}/inventory/${fresh}`, await token({ customerId: alice }))).status).toBe(404);
  });

  test.each([
    ['GET /orders', () => `${endpoints.orderApi}/orders`],
    ['GET /orders/{orderId}', () => `${endpoints.orderApi}/orders/ord_doesnotmatter1`],
    ['GET /inventory/{sku}', () => `${endpoints.inventoryApi}/inventory/${sku}`],
    ['GET /payments/{orderId}', () => `${endpoints.paymentApi}/payments/ord_doesnotmatter1`],
    ['GET /notifications', () => `${endpoints.notificationApi}/notifications?orderId=ord_doesnotmatter1`],
  ])('%s', async (_route, url) => {
    for (const [what, bearer] of await rejectedTokens(operator, true)) {
      const answer = await send('GET', url(), bearer);
      expect({ what, status: answer.status }).toEqual({ what, status: 401 });
    }
  });

  test("serverless-offline's authorizer override header is not a way in", async () => {
    const forged = JSON.stringify({ jwt: { claims: { sub: operator, scope: ADMIN_SCOPE }, scopes: [ADMIN_SCOPE] } });
    const override = { 'sls-offline-authorizer-override': forged };
    const url = `${endpoints.paymentApi}/payments/ord_doesnotmatter1`;
    expectRefused(await send('GET', url, undefined, undefined, override), 401);
    // With a customer's real token, the claimed admin scope is not taken either.
    expectRefused(await send('GET', url, await token({ customerId: alice }), undefined, override), 403);
  });

  test('a forged signature passes any decode-only check: the function itself refuses it (problem+json, invalid_token)', async () => {
    const forged = await token({ customerId: operator, admin: true, signingKey: await generateSigningKey() });
    const answer = await send('GET', `${endpoints.paymentApi}/payments/ord_doesnotmatter1`, forged);
    expectProblem(answer, 401);
    expect(answer.headers.get('www-authenticate')).toMatch(/^Bearer realm="order-platform", error="invalid_token"/);
    expect(answer.body.detail).toBe('The access token signature could not be verified');
  });
});

describe("a customer sees and creates only their own orders", () => {
  let orderId: string;
  beforeAll(async () => {
    const created = await send('POST', `${endpoints.orderApi}/orders`, await token({ customerId: alice }), orderBody());
    expect(created.status).toBe(201);
    expect(created.body.customerId).toBe(alice);
    orderId = String(created.body.orderId);
  });

  test("B reading A's order gets the same 404 as for an order that does not exist", async () => {
    const bobToken = await token({ customerId: bob });
    const theirs = await send('GET', `${endpoints.orderApi}/orders/${orderId}`, bobToken);
    expectProblem(theirs, 404);
    const missing = await send('GET', `${endpoints.orderApi}/orders/ord_${run}missing`, bobToken);
    expect(theirs.body.title).toBe(missing.body.title);
    expect(theirs.body.detail).toBe(`Order ${orderId} does not exist`);
  });

  test("A reads it; an operator reads it; B's list does not show it and B cannot list A's", async () => {
    expect((await send('GET', `${endpoints.orderApi}/orders/${orderId}`, await token({ customerId: alice }))).status).toBe(200);
    expect((await send('GET', `${endpoints.orderApi}/orders/${orderId}`, await token({ customerId: operator, admin: true }))).status).toBe(200);
    const bobToken = await token({ customerId: bob });
    const bobsList = await send('GET', `${endpoints.orderApi}/orders`, bobToken);
    expect((bobsList.body.items as Array<{ orderId: string }>).map((o) => o.orderId)).not.toContain(orderId);
    expectProblem(await send('GET', `${endpoints.orderApi}/orders?customerId=${alice}`, bobToken), 403);
  });

  test('an order in the name of another customer: 403, nothing written', async () => {
    const answer = await send('POST', `${endpoints.orderApi}/orders`, await token({ customerId: bob }), orderBody(alice), { 'idempotency-key': `other-${run}` });
    expectProblem(answer, 403);
    expect((await send('GET', `${endpoints.orderApi}/orders`, await token({ customerId: bob }))).body).toEqual({ items: [] });
    const aliceOrders = (await send('GET', `${endpoints.orderApi}/orders`, await token({ customerId: alice }))).body.items as unknown[];
    expect(aliceOrders).toHaveLength(2); // the two created above, nothing else
  });
});

describe('a customer token on an operator route: 403 insufficient_scope, nothing written', () => {
  test.each([
    ['PUT /inventory/{sku}', 'PUT', () => `${endpoints.inventoryApi}/inventory/${sku}`, { price: 1, currency: 'EUR', available: 0 }],
    ['GET /payments/{orderId}', 'GET', () => `${endpoints.paymentApi}/payments/ord_doesnotmatter1`, undefined],
    ['GET /notifications', 'GET', () => `${endpoints.notificationApi}/notifications?orderId=ord_doesnotmatter1`, undefined],
  ])('%s', async (_route, method, url, body) => {
    const answer = await send(method, url(), await token({ customerId: alice }), body);
    expectRefused(answer, 403);
    if (answer.headers.get('content-type') === 'application/problem+json') {
      expect(answer.headers.get('www-authenticate')).toBe(`Bearer realm="order-platform", error="insufficient_scope", scope="${ADMIN_SCOPE}"`);
    }
    // The catalogue kept its price and stock.
    const stock = await send('GET', `${endpoints.inventoryApi}/inventory/${sku}`, await token({ customerId: alice }));
    expect(stock.body).toMatchObject({ price: 500 });
  });
});
