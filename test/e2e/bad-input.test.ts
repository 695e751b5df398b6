/**
 * Bad input, for every HTTP endpoint, over HTTP against the running stack: malformed JSON, wrong
 * types, missing and extra fields, zero, negative and huge quantities, duplicate lines, unknown
 * SKUs, oversized bodies, wrong content types, unicode and control characters, odd paths and
 * query strings, methods a route does not take. Hand-picked cases plus fast-check properties.
 * Every answer is a 4xx application/problem+json whose detail names the problem (and, for a field,
 * its JSON pointer), never a 5xx; and nothing is stored: the caller's order list stays empty, a
 * SKU a bad PUT named does not exist, an existing SKU keeps its price and stock.
 */
import fc from 'fast-check';
import { e2eContext, unique, type E2eContext } from './support/context';
import { http, putStock, type HttpAnswer } from './support/guarantees';

jest.setTimeout(600_000);

const RUNS = Number(process.env.BAD_INPUT_RUNS ?? 100);
let s: E2eContext;
const run = unique('bad');
const knownSku = `${run}-KNOWN`.toUpperCase();

beforeAll(async () => {
  s = e2eContext();
  await putStock(s, knownSku, { price: 1000, currency: 'EUR', available: 7 });
});
afterAll(() => s.close());

interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  errors?: Array<{ pointer: string; message: string }>;
}

/** A 4xx problem+json; `names` must appear in the detail (or, for field errors, in a pointer). */
function expectProblem(answer: HttpAnswer<Problem>, status: number | number[], names?: RegExp | string): void {
  const statuses = Array.isArray(status) ? status : [status];
  const seen = { status: answer.status, contentType: answer.headers.get('content-type'), body: answer.text.slice(0, 400) };
  if (!statuses.includes(answer.status) || seen.contentType !== 'application/problem+json') {
    throw new Error(`expected ${statuses.join('/')} problem+json, got ${JSON.stringify(seen)}`);
  }
  expect(answer.body.status).toBe(answer.status);
  expect(answer.body.title).toEqual(expect.any(String));
  expect(answer.body.detail.length).toBeGreaterThan(0);
  if (names !== undefined) {
    const where = `${answer.body.detail} ${(answer.body.errors ?? []).map((e) => `${e.pointer} ${e.message}`).join(' ')}`;
    if (typeof names === 'string' ? !where.includes(names) : !names.test(where)) {
      throw new Error(`the problem does not name ${names}: ${answer.text.slice(0, 400)}`);
    }
  }
}

/** The customer has no order: nothing was stored for what it sent. */
async function expectNoOrders(customer: string): Promise<void> {
  const list = await http<{ items: unknown[] }>('GET', `${s.endpoints.orderApi}/orders`, { headers: await s.credentials.customer(customer) });
  expect(list.status).toBe(200);
  expect(list.body.items).toEqual([]);
}

/** Never a 5xx, always problem+json for a 4xx. */
function expectNoServerError(answer: HttpAnswer<Problem>, context: unknown): void {
  if (answer.status >= 500 || (answer.status >= 400 && answer.headers.get('content-type') !== 'application/problem+json')) {
    throw new Error(`${JSON.stringify(context)} answered ${answer.status} ${answer.headers.get('content-type')}: ${answer.text.slice(0, 300)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Generators

/** A string with at least one character outside visible ASCII: unicode, controls, spaces. */
const oddText = fc
  .tuple(
    fc.string({ maxLength: 10 }),
    fc.constantFrom('\u0000', '\u0007', '\n', '\t', '\u001b', '\u007f', ' ', 'é', 'ü', '漢', '😀', '\u200b', '\ufeff', '\u202e', 'İ', 'ﬀ'),
    fc.string({ maxLength: 10 }),
  )
  .map(([a, odd, b]) => `${a}${odd}${b}`);

/** Text that JSON.parse refuses. */
const notJson = fc.oneof(
  fc.constantFrom('{', '{"items":', "{'a':1}", '{"a":1,}', 'nul', '[1,2', '{"a" 1}', '\u0000', 'undefined', '{"email":"a@b.co"}}', '--'),
  fc.string({ minLength: 1, maxLength: 40 }).filter((text) => {
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  }),
);

/** JSON values that are not objects (and so not a body). */
const notAnObject = fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 3 }));

/** Quantities an order line cannot have: zero, negative, fractional, beyond the maximum. */
const badQuantity = fc.oneof(
  fc.constant(0),
  fc.integer({ min: -1_000_000, max: -1 }),
  fc.integer({ min: 1_001, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(1e21, 1e300, -0.5, 0.5, 1.5, 2 ** 53 + 2, -1e308),
  fc.double({ min: 0, max: 1_000, noNaN: true }).filter((q) => !Number.isInteger(q)),
);

const wrongType = (not: 'string' | 'number' | 'array' | 'object') =>
  fc
    .oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.array(fc.nat(), { maxLength: 2 }), fc.dictionary(fc.string({ maxLength: 3 }), fc.nat(), { maxKeys: 2 }))
    .filter((value) => {
      if (not === 'array') return !Array.isArray(value);
      if (not === 'object') return value === null || typeof value !== 'object' || Array.isArray(value);
      return typeof value !== not;
    });

// ---------------------------------------------------------------------------------------------
describe('POST /orders', () => {
  const customer = `${run}-buyer`;
  const url = () => `${s.endpoints.orderApi}/orders`;
  const valid = () => ({ email: 'buyer@example.com', items: [{ sku: knownSku, quantity: 1 }], paymentToken: 'tok_visa' });

  async function post(body: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<HttpAnswer<Problem>> {
    return http<Problem>('POST', url(), { headers: { ...(await s.credentials.customer(customer)), ...headers }, body });
  }
  const postJson = (value: unknown) => post(JSON.stringify(value));

  afterAll(async () => {
    // Nothing was stored for the customer who sent all of it.
    const list = await http<{ items: unknown[] }>('GET', url(), { headers: await s.credentials.customer(customer) });
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([]);
  });

  test('malformed JSON: 400 saying so', async () => {
    await fc.assert(
      fc.asyncProperty(notJson, async (text) => expectProblem(await post(text), 400, /not valid JSON/)),
      { numRuns: RUNS },
    );
  });

  test('JSON that is not an object: 422', async () => {
    await fc.assert(
      // serverless-offline hands a body it could parse over parsed: a JSON null or "" as no body
      // (400 "required"), a JSON string as its content (400 "not valid JSON" when that is not JSON
      // itself). AWS sends the text as it came, which is a 422 here.
      fc.asyncProperty(notAnObject, async (value) => expectProblem(await postJson(value), [400, 422], /must be a JSON object|must be|body is required|not valid JSON/)),
      { numRuns: RUNS },
    );
  });

  test.each([
    ['no content type', {}],
    ['text/plain', { 'content-type': 'text/plain' }],
    ['form encoded', { 'content-type': 'application/x-www-form-urlencoded' }],
    ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }],
    ['xml', { 'content-type': 'application/xml' }],
    ['json with a typo', { 'content-type': 'application/jsn' }],
  ])('wrong content type (%s): 415 naming application/json', async (_what, headers) => {
    expectProblem(await post(JSON.stringify(valid()), headers as Record<string, string>), 415, /Content-Type must be application\/json/);
  });

  test('no body: 400', async () => {
    expectProblem(await post(undefined), 400, /body is required/);
  });

  test('oversized bodies: 413 naming the limit', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 64 * 1024 + 1, max: 300 * 1024 }), async (size) => {
        const body = JSON.stringify({ ...valid(), paymentToken: 'x'.repeat(size) });
        expectProblem(await post(body), 413, /limit is 65536 bytes/);
      }),
      { numRuns: 5 },
    );
  });

  test('missing fields: 422 naming each', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(['email', 'items', 'paymentToken'], { minLength: 1 }), async (missing) => {
        const body: Record<string, unknown> = valid();
        for (const field of missing) delete body[field];
        const answer = await postJson(body);
        expectProblem(answer, 422);
        for (const field of missing) expect(answer.body.detail).toContain(`${field} is required`);
      }),
      { numRuns: 10 },
    );
  });

  test('extra fields, on the order or on a line: 422 naming them', async () => {
    const extraKey = fc.string({ minLength: 1, maxLength: 12 }).filter((key) => !['customerId', 'email', 'items', 'paymentToken', 'sku', 'quantity', '__proto__', 'constructor'].includes(key));
    await fc.assert(
      // (__proto__ and constructor keys inside the value are refused on their own: tested below.)
      fc.asyncProperty(extraKey, fc.jsonValue().filter((v) => !/"(__proto__|constructor)"/.test(JSON.stringify(v) ?? '')), fc.boolean(), async (key, value, onLine) => {
        const body = valid() as Record<string, unknown> & { items: Array<Record<string, unknown>> };
        if (onLine) body.items[0]![key] = value;
        else body[key] = value;
        expectProblem(await postJson(body), 422, key.slice(0, 6));
      }),
      { numRuns: RUNS },
    );
    expectProblem(await post('{"__proto__":{"admin":true},"email":"a@b.co","items":[{"sku":"A","quantity":1}],"paymentToken":"tok_visa"}'), 422, /forbidden key "__proto__"/);
    expectProblem(await postJson({ ...valid(), unitPrice: 1 }), 422, /unknown field\(s\) "unitPrice"/);
  });

  test('wrong types: 422 with the pointer of the field', async () => {
    const cases = fc.oneof(
      fc.record({ pointer: fc.constant('/email'), set: wrongType('string').map((v) => (b: Record<string, unknown>) => (b.email = v)) }),
      fc.record({ pointer: fc.constant('/paymentToken'), set: wrongType('string').map((v) => (b: Record<string, unknown>) => (b.paymentToken = v)) }),
      fc.record({ pointer: fc.constant('/customerId'), set: wrongType('string').filter((v) => v !== null).map((v) => (b: Record<string, unknown>) => (b.customerId = v)) }),
      fc.record({ pointer: fc.constant('/items'), set: wrongType('array').map((v) => (b: Record<string, unknown>) => (b.items = v)) }),
      fc.record({ pointer: fc.constant('/items/0'), set: wrongType('object').map((v) => (b: Record<string, unknown>) => (b.items = [v])) }),
      fc.record({ pointer: fc.constant('/items/0/sku'), set: wrongType('string').map((v) => (b: Record<string, unknown>) => (b.items = [{ sku: v, quantity: 1 }])) }),
      fc.record({ pointer: fc.constant('/items/0/quantity'), set: wrongType('number').map((v) => (b: Record<string, unknown>) => (b.items = [{ sku: knownSku, quantity: v }])) }),
    );
    await fc.assert(
      fc.asyncProperty(cases, async ({ pointer, set }) => {
        const body: Record<string, unknown> = valid();
        set(body);
        const answer = await postJson(body);
        expectProblem(answer, 422);
        expect(answer.body.errors?.map((e) => e.pointer)).toContain(pointer);
      }),
      { numRuns: RUNS },
    );
  });

  test('zero, negative, fractional and huge quantities: 422 naming the line', async () => {
    await fc.assert(
      fc.asyncProperty(badQuantity, fc.nat({ max: 3 }), async (quantity, line) => {
        const items = [{ sku: `${knownSku}-0`, quantity: 1 }, { sku: `${knownSku}-1`, quantity: 1 }, { sku: `${knownSku}-2`, quantity: 1 }, { sku: `${knownSku}-3`, quantity: 1 }];
        items[line]!.quantity = quantity;
        const answer = await postJson({ ...valid(), items });
        expectProblem(answer, 422, `/items/${line}/quantity`);
      }),
      { numRuns: RUNS },
    );
  });

  test('duplicate lines: 422 naming the SKU and both lines', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }), async (a, b) => {
        const answer = await postJson({ ...valid(), items: [{ sku: knownSku, quantity: a }, { sku: 'OTHER', quantity: 1 }, { sku: knownSku, quantity: b }] });
        expectProblem(answer, 422, `sku "${knownSku}" appears more than once (lines 0 and 2)`);
      }),
      { numRuns: 5 },
    );
  });

  test('no lines, too many lines: 422', async () => {
    expectProblem(await postJson({ ...valid(), items: [] }), 422, /at least 1 line/);
    const many = Array.from({ length: 51 }, (_, i) => ({ sku: `S${i}`, quantity: 1 }));
    expectProblem(await postJson({ ...valid(), items: many }), 422, /at most 50 lines/);
  });

  test('unicode and control characters in any text field: 422 naming the field', async () => {
    const field = fc.constantFrom('email', 'paymentToken', 'customerId', 'sku');
    await fc.assert(
      fc.asyncProperty(field, oddText, async (name, text) => {
        const body: Record<string, unknown> = valid();
        if (name === 'sku') body.items = [{ sku: text, quantity: 1 }];
        else body[name] = text;
        const answer = await postJson(body);
        expectProblem(answer, 422, name === 'sku' ? '/items/0/sku' : `/${name}`);
      }),
      { numRuns: RUNS },
    );
  });

  test('an Idempotency-Key that is not 1 to 128 visible ASCII characters: 400 naming the header', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constantFrom('', ' ', 'a b', 'key\twith tab'), fc.string({ minLength: 129, maxLength: 200 }).map((k) => k.replace(/[^\x21-\x7e]/g, 'k'))),
        async (key) => expectProblem(await post(JSON.stringify(valid()), { 'content-type': 'application/json', 'idempotency-key': key }), 400, /Idempotency-Key/),
      ),
      { numRuns: 10 },
    );
  });

  test('any body at all: never a 5xx, a 4xx is problem+json', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (value) => {
        const answer = await postJson(value);
        expectNoServerError(answer, value);
        expect(answer.status).toBeGreaterThanOrEqual(400);
      }),
      { numRuns: RUNS },
    );
  });

  test.each(['PUT', 'PATCH', 'DELETE'])('%s /orders: 405 naming the methods it takes', async (method) => {
    const answer = await http<Problem>(method, url(), { headers: await s.credentials.customer(customer) });
    expectProblem(answer, 405, /use GET, POST/);
    expect(answer.headers.get('allow')).toBe('GET, POST');
  });
});

describe('POST /orders with a SKU the catalogue does not have', () => {
  // The order API asks the inventory's catalogue (inventory-local-lookupSkus, through the stack's
  // Lambda endpoint) before it stores anything: an unknown SKU is the client's mistake, a 422.
  test('422 naming each unknown SKU and its line; no order stored, no saga started', async () => {
    const customer = `${run}-unknown`;
    const headers = { ...(await s.credentials.customer(customer)), 'content-type': 'application/json' };
    const missing = [`${run}-NO-SUCH-SKU`, `${run}-NOR-THIS`];
    const answer = await http<Problem & { unknownSkus?: string[] }>('POST', `${s.endpoints.orderApi}/orders`, {
      headers,
      body: JSON.stringify({
        email: 'u@example.com',
        items: [{ sku: missing[0], quantity: 1 }, { sku: knownSku, quantity: 1 }, { sku: missing[1], quantity: 2 }],
        paymentToken: 'tok_visa',
      }),
    });
    expectProblem(answer, 422, `items: SKUs "${missing[0]}", "${missing[1]}" are not in the catalogue`);
    expect(answer.body.unknownSkus).toEqual(missing);
    expect(answer.body.errors?.map((e) => e.pointer)).toEqual(['/items/0/sku', '/items/2/sku']);
    await expectNoOrders(customer);
  });

  test('a SKU added to the catalogue is accepted at once (unknown SKUs are never cached)', async () => {
    const customer = `${run}-late`;
    const headers = { ...(await s.credentials.customer(customer)), 'content-type': 'application/json' };
    const sku = `${run}-LATE`;
    const body = JSON.stringify({ email: 'u@example.com', items: [{ sku, quantity: 1 }], paymentToken: 'tok_visa' });
    expect((await http('POST', `${s.endpoints.orderApi}/orders`, { headers, body })).status).toBe(422);
    await putStock(s, sku, { price: 100, currency: 'EUR', available: 1 });
    expect((await http('POST', `${s.endpoints.orderApi}/orders`, { headers, body })).status).toBe(201);
  });
});

// ---------------------------------------------------------------------------------------------
describe('GET /orders and GET /orders/{orderId}', () => {
  const customer = `${run}-reader`;
  const get = async (path: string) => http<Problem>('GET', `${s.endpoints.orderApi}${path}`, { headers: await s.credentials.customer(customer) });

  test.each([
    ['limit 0', '?limit=0', /\/limit: limit must be an integer from 1 to 100/],
    ['limit 101', '?limit=101', /limit must be an integer from 1 to 100/],
    ['limit -1', '?limit=-1', /limit must be/],
    ['limit 1.5', '?limit=1.5', /limit must be/],
    ['limit huge', '?limit=99999999999999999999', /limit must be/],
    ['limit not a number', '?limit=ten', /limit must be/],
    ['an unknown parameter', '?status=FAILED', /unknown field\(s\) "status"/],
    ['an empty cursor', '?cursor=', /cursor must not be empty/],
    ['a forged cursor', '?cursor=eyJub3QiOiJhIGN1cnNvciJ9', /\/cursor/],
    ['a control character in customerId', '?customerId=%00', /customerId must be/],
    ['unicode in customerId', '?customerId=%C3%A9', /customerId must be/],
  ])('GET /orders with %s: 400 naming it', async (_what, query, names) => {
    expectProblem(await get(`/orders${query}`), 400, names);
  });

  test('any query string: never a 5xx', async () => {
    const params = fc.dictionary(fc.constantFrom('limit', 'cursor', 'customerId', 'x', 'LIMIT'), fc.string({ maxLength: 30 }), { maxKeys: 3 });
    await fc.assert(
      fc.asyncProperty(params, async (query) => {
        const answer = await get(`/orders?${new URLSearchParams(query).toString()}`);
        expectNoServerError(answer, query);
      }),
      { numRuns: RUNS },
    );
  });

  test('a malformed order id: 400 naming the format; a well-formed unknown one: 404', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(oddText, fc.string({ minLength: 1, maxLength: 80 })).filter((id) => !/^ord_[A-Za-z0-9]{1,60}$/.test(id) && !/[/?#]/.test(id) && id.trim() !== '' && id !== '.' && id !== '..'), async (id) => {
        expectProblem(await get(`/orders/${encodeURIComponent(id)}`), 400, /orderId must look like "ord_"/);
      }),
      { numRuns: RUNS },
    );
    expectProblem(await get(`/orders/ord_${run.replace(/-/g, '')}`), 404, /does not exist/);
  });

  test.each(['POST', 'PUT', 'DELETE'])('%s /orders/{orderId}: 405', async (method) => {
    const answer = await http<Problem>(method, `${s.endpoints.orderApi}/orders/ord_x1`, { headers: await s.credentials.customer(customer) });
    expectProblem(answer, 405, /use GET/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('PUT and GET /inventory/{sku}', () => {
  const fresh = `${run}-NEVER`.toUpperCase();
  const url = (sku: string) => `${s.endpoints.inventoryApi}/inventory/${encodeURIComponent(sku)}`;
  const valid = () => ({ price: 1999, currency: 'EUR', available: 5 });
  async function put(sku: string, body: string | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }) {
    return http<Problem>('PUT', url(sku), { headers: { ...(await s.credentials.admin()), ...headers }, body });
  }
  const putJson = (sku: string, value: unknown) => put(sku, JSON.stringify(value));

  afterAll(async () => {
    // Nothing was stored: the SKU the bad PUTs named does not exist, the known one is unchanged.
    const admin = await s.credentials.admin();
    expect((await http('GET', url(fresh), { headers: admin })).status).toBe(404);
    expect((await http('GET', url(knownSku), { headers: admin })).body).toMatchObject({ price: 1000, currency: 'EUR', available: 7, held: 0 });
  });

  test('malformed JSON: 400; not an object: 422; wrong content type: 415; oversized: 413', async () => {
    await fc.assert(fc.asyncProperty(notJson, async (text) => expectProblem(await put(fresh, text), 400, /not valid JSON/)), { numRuns: RUNS });
    await fc.assert(fc.asyncProperty(notAnObject, async (value) => expectProblem(await putJson(knownSku, value), [400, 422])), { numRuns: RUNS });
    expectProblem(await put(fresh, JSON.stringify(valid()), { 'content-type': 'text/csv' }), 415, /application\/json/);
    expectProblem(await put(fresh, JSON.stringify({ ...valid(), currency: 'E'.repeat(70_000) })), 413, /limit/);
  });

  test('missing, extra and wrongly typed fields: 422 naming them', async () => {
    await fc.assert(
      fc.asyncProperty(fc.subarray(['price', 'currency', 'available'], { minLength: 1 }), async (missing) => {
        const body: Record<string, unknown> = valid();
        for (const field of missing) delete body[field];
        const answer = await putJson(fresh, body);
        expectProblem(answer, 422);
        for (const field of missing) expect(answer.body.detail).toContain(`${field} is required`);
      }),
      { numRuns: 7 },
    );
    // held belongs to the saga; the counters it replaced are unknown too.
    expectProblem(await putJson(knownSku, { ...valid(), held: 0 }), 422, /unknown field\(s\) "held"/);
    expectProblem(await putJson(knownSku, { ...valid(), shipped: 100 }), 422, /"shipped"/);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('price', 'currency', 'available'), fc.anything(), async (field, value) => {
        fc.pre(field === 'currency' ? typeof value !== 'string' : typeof value !== 'number');
        const answer = await putJson(knownSku, { ...valid(), [field]: value });
        expectProblem(answer, 422, `/${field}`);
      }),
      { numRuns: RUNS },
    );
  });

  test('negative, fractional and huge numbers; a currency that is not ISO 4217: 422 naming the field', async () => {
    const badNumber = fc.oneof(fc.integer({ max: -1 }), fc.constantFrom(0.5, 19.99, -0.01, 1e21, 2 ** 60));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('price', 'available'), badNumber, async (field, value) => {
        fc.pre(!(field === 'price' && Number.isInteger(value) && value >= 0 && value <= Number.MAX_SAFE_INTEGER));
        expectProblem(await putJson(knownSku, { ...valid(), [field]: value }), 422, `/${field}`);
      }),
      { numRuns: RUNS },
    );
    expectProblem(await putJson(knownSku, { ...valid(), available: 1_000_001 }), 422, /available must be <= 1000000/);
    await fc.assert(
      fc.asyncProperty(fc.oneof(oddText, fc.constantFrom('eur', 'EURO', 'E1R', '', 'ÉUR')), async (currency) => {
        expectProblem(await putJson(knownSku, { ...valid(), currency }), 422, /currency must be an ISO 4217 code/);
      }),
      { numRuns: RUNS },
    );
  });

  test('a SKU in the path with unicode, controls or over 64 characters: 400 naming the format (PUT and GET)', async () => {
    const badSku = fc.oneof(oddText, fc.string({ minLength: 65, maxLength: 90 }).map((x) => x.replace(/[^A-Za-z0-9]/g, 'A')), fc.constantFrom('-leading-dash', '_x', '.x')).filter((sku) => !/[/?#%]/.test(sku) && sku.trim() !== '' && sku !== '.' && sku !== '..');
    await fc.assert(
      fc.asyncProperty(badSku, async (sku) => {
        expectProblem(await putJson(sku, valid()), 400, /sku must be 1-64 characters/);
        expectProblem(await http<Problem>('GET', url(sku), { headers: await s.credentials.admin() }), 400, /sku must be/);
      }),
      { numRuns: RUNS },
    );
  });

  test('GET of a SKU the catalogue does not have: 404 naming it', async () => {
    expectProblem(await http<Problem>('GET', url(fresh), { headers: await s.credentials.admin() }), 404, `SKU ${fresh} is not in the catalogue`);
  });

  test.each(['POST', 'PATCH', 'DELETE'])('%s /inventory/{sku}: 405', async (method) => {
    expectProblem(await http<Problem>(method, url(knownSku), { headers: await s.credentials.admin() }), 405, /use GET, PUT/);
  });
});

// ---------------------------------------------------------------------------------------------
describe('GET /payments/{orderId} and GET /notifications', () => {
  test('a malformed order id: 400 naming it (payments)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(oddText, fc.string({ minLength: 65, maxLength: 90 }).map((x) => x.replace(/[^A-Za-z0-9]/g, 'o'))).filter((id) => !/[/?#%]/.test(id) && id.trim() !== '' && id !== '.' && id !== '..'), async (id) => {
        const answer = await http<Problem>('GET', `${s.endpoints.paymentApi}/payments/${encodeURIComponent(id)}`, { headers: await s.credentials.admin() });
        expectProblem(answer, 400, /orderId/);
      }),
      { numRuns: RUNS },
    );
    const unknown = await http<Problem>('GET', `${s.endpoints.paymentApi}/payments/ord_${run.replace(/-/g, '')}`, { headers: await s.credentials.admin() });
    expectProblem(unknown, 404, /has no payment/);
  });

  test('notifications: a missing, empty, unicode, control-character or extra query parameter: 400 naming it', async () => {
    const get = async (query: string) => http<Problem>('GET', `${s.endpoints.notificationApi}/notifications${query}`, { headers: await s.credentials.admin() });
    expectProblem(await get(''), 400, /orderId is required/);
    expectProblem(await get('?orderId='), 400, /orderId must not be empty/);
    expectProblem(await get(`?orderId=${'o'.repeat(65)}`), 400, /at most 64 characters/);
    expectProblem(await get('?orderId=ord_1&status=SENT'), 400, /status/);
    await fc.assert(
      fc.asyncProperty(oddText.filter((t) => t.length > 0 && t.length <= 64), async (id) => {
        expectProblem(await get(`?orderId=${encodeURIComponent(id)}`), 400, /orderId may contain only/);
      }),
      { numRuns: RUNS },
    );
    // A well-formed id nobody ordered: nothing to show, not an error.
    expect((await get(`?orderId=ord_${run.replace(/-/g, '')}`)).body).toEqual({ items: [] });
  });

  test.each([
    ['POST /payments/{orderId}', 'POST', () => `${s.endpoints.paymentApi}/payments/ord_x1`, /use GET/],
    ['DELETE /notifications', 'DELETE', () => `${s.endpoints.notificationApi}/notifications?orderId=x`, /use GET/],
  ])('%s: 405', async (_route, method, url, names) => {
    expectProblem(await http<Problem>(method, url(), { headers: await s.credentials.admin() }), 405, names);
  });
});
