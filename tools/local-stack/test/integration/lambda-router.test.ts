import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { startAdminServer } from '../../src/admin-server';
import { DeliveryLog } from '../../src/pollers/delivery-log';
import { invokedFunction } from '../../src/lambda-router';

describe('invokedFunction', () => {
  it.each([
    ['/2015-03-31/functions/inventory-local-lookupSkus/invocations', 'inventory-local-lookupSkus'],
    ['/2015-03-31/functions/inventory-local-lookupSkus%3Alive/invocations', 'inventory-local-lookupSkus'],
    ['/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-west-1%3A123456789012%3Afunction%3Ainventory-local-ship/invocations', 'inventory-local-ship'],
  ])('%s names %s', (path, name) => expect(invokedFunction(path)).toBe(name));

  it.each(['/health', '/2015-03-31/functions/x', '/2015-03-31/functions/a/b/invocations'])('%s is not an Invoke', (path) => {
    expect(invokedFunction(path)).toBeUndefined();
  });
});

/** A stand-in for one service's serverless-offline Lambda endpoint: echoes what it was sent. */
async function fakeLambdaEndpoint(service: string): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ service, path: req.url, received: JSON.parse(body) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('the admin server routes Lambda Invoke to the service that owns the function (AWS SDK client)', () => {
  let servers: Server[] = [];
  let admin: { url: string; stop(): Promise<void> };
  let lambda: LambdaClient;

  beforeAll(async () => {
    const inventory = await fakeLambdaEndpoint('inventory');
    const order = await fakeLambdaEndpoint('order');
    servers = [inventory.server, order.server];
    admin = await startAdminServer(0, '127.0.0.1', {
      deliveries: new DeliveryLog(),
      describe: () => ({}),
      components: () => ({}),
      lambdaRoutes: { 'inventory-local-': inventory.url, 'order-local-': order.url, 'gone-local-': 'http://127.0.0.1:9' },
    });
    lambda = new LambdaClient({ region: 'eu-west-1', endpoint: admin.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
  });
  afterAll(async () => {
    lambda.destroy();
    await admin.stop();
    for (const server of servers) server.close();
  });

  const invoke = async (name: string, payload: unknown) => {
    const output = await lambda.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify(payload)) }));
    return JSON.parse(Buffer.from(output.Payload!).toString('utf8')) as { service: string; path: string; received: unknown };
  };

  it('passes the request unchanged to the endpoint of the function prefix', async () => {
    expect(await invoke('inventory-local-lookupSkus', { skus: ['A'] })).toEqual({
      service: 'inventory',
      path: '/2015-03-31/functions/inventory-local-lookupSkus/invocations',
      received: { skus: ['A'] },
    });
    expect((await invoke('order-local-confirmOrder', { orderId: 'o' })).service).toBe('order');
  });

  it('an unknown function: ResourceNotFoundException, as Lambda answers', async () => {
    await expect(invoke('payment-local-charge', {})).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('an endpoint that is down: a 5xx service error (transient to the caller)', async () => {
    await expect(invoke('gone-local-x', {})).rejects.toMatchObject({ $metadata: { httpStatusCode: 503 } });
  });
});

describe('while the supervisor restarts a service, an Invoke waits for it instead of failing', () => {
  it('a call made while nothing listens on the service port reaches the service once it is back', async () => {
    // A free port, closed again: the "dead" service.
    const probe = await fakeLambdaEndpoint('payment');
    const port = (probe.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.server.close(() => resolve()));
    const admin = await startAdminServer(0, '127.0.0.1', {
      deliveries: new DeliveryLog(),
      describe: () => ({}),
      components: () => ({}),
      lambdaRoutes: { 'payment-local-': `http://127.0.0.1:${port}` },
      waitForRestartMs: 10_000,
    });
    const lambda = new LambdaClient({ region: 'eu-west-1', endpoint: admin.url, credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
    let restarted: Server | undefined;
    try {
      const call = lambda.send(new InvokeCommand({ FunctionName: 'payment-local-charge', Payload: Buffer.from(JSON.stringify({ orderId: 'o-1' })) }));
      await new Promise((resolve) => setTimeout(resolve, 700));
      // The "restart": the same port answers again.
      restarted = createServer((req, res) => {
        let body = '';
        req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        req.on('end', () => res.end(JSON.stringify({ service: 'payment', received: JSON.parse(body) })));
      });
      await new Promise<void>((resolve) => restarted!.listen(port, '127.0.0.1', resolve));
      const output = await call;
      expect(JSON.parse(Buffer.from(output.Payload!).toString('utf8'))).toEqual({ service: 'payment', received: { orderId: 'o-1' } });
    } finally {
      lambda.destroy();
      await admin.stop();
      restarted?.close();
    }
  });
});
